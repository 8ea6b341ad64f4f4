/**
 * The settings page's side index: a link to every section the page shows, the one being read
 * marked `aria-current`. Built from the sections themselves (their headings), so a section that
 * is not shown — the ability does not allow it, or the workspace has no Twilio sandbox — is not
 * listed, and a new section is listed without a second list to keep in step. Wide screens show
 * it beside the sections; narrow ones as a "Jump to a section" disclosure above them.
 */
import { useEffect, useRef, useState, type MouseEvent, type RefObject } from "react";
import { useTranslation } from "react-i18next";

interface Entry {
  readonly headingId: string;
  readonly title: string;
}

/** Reads the sections' headings (direct children of the container) now and whenever they change. */
function useEntries(container: RefObject<HTMLElement | null>): readonly Entry[] {
  const [entries, setEntries] = useState<readonly Entry[]>([]);
  useEffect(() => {
    const root = container.current;
    if (root === null) return;
    const read = () => {
      const next = [...root.querySelectorAll<HTMLElement>(":scope > section > h2[id]")].map((h) => ({
        headingId: h.id,
        title: h.textContent ?? "",
      }));
      setEntries((prev) =>
        prev.length === next.length &&
        prev.every((e, i) => e.headingId === next[i]!.headingId && e.title === next[i]!.title)
          ? prev
          : next,
      );
    };
    read();
    const observer = new MutationObserver(read);
    observer.observe(root, { childList: true });
    return () => observer.disconnect();
  }, [container]);
  return entries;
}

/** The last heading that has scrolled to within `offset` px of the top (the first one before that). */
function useActive(entries: readonly Entry[], offset = 120): string | undefined {
  const [active, setActive] = useState<string | undefined>(undefined);
  useEffect(() => {
    let frame = 0;
    const measure = () => {
      frame = 0;
      let current = entries[0]?.headingId;
      for (const entry of entries) {
        const heading = document.getElementById(entry.headingId);
        if (heading !== null && heading.getBoundingClientRect().top <= offset) current = entry.headingId;
      }
      // At the bottom of the page the last sections cannot reach the top: the last one is read.
      if (window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2)
        current = entries.at(-1)?.headingId;
      setActive(current);
    };
    const schedule = () => {
      if (frame === 0) frame = requestAnimationFrame(measure);
    };
    measure();
    window.addEventListener("scroll", schedule, { passive: true });
    window.addEventListener("resize", schedule);
    return () => {
      window.removeEventListener("scroll", schedule);
      window.removeEventListener("resize", schedule);
      if (frame !== 0) cancelAnimationFrame(frame);
    };
  }, [entries, offset]);
  return active;
}

/** Scrolls to the heading and moves focus to it, so keyboard and screen-reader users land there too. */
function land(heading: HTMLElement, smooth: boolean) {
  heading.setAttribute("tabindex", "-1");
  heading.scrollIntoView({ behavior: smooth ? "smooth" : "auto", block: "start" });
  heading.focus({ preventScroll: true });
}

function go(event: MouseEvent<HTMLAnchorElement>, headingId: string) {
  const heading = document.getElementById(headingId);
  if (heading === null) return;
  event.preventDefault();
  // Closed first: the open disclosure above the sections would otherwise shift them as it closes.
  event.currentTarget.closest("details")?.removeAttribute("open");
  land(heading, !window.matchMedia("(prefers-reduced-motion: reduce)").matches);
  history.replaceState(history.state, "", `#${headingId}`);
}

/**
 * A link from another page to a section (`/w/<slug>/settings#settings-integrations-title`, from
 * the phone numbers and bookings pages) lands on it once the sections are there: the browser's
 * own jump to the fragment happened before the page had rendered them.
 */
function useLandOnFragment(entries: readonly Entry[]) {
  const landed = useRef(false);
  useEffect(() => {
    if (landed.current || entries.length === 0) return;
    landed.current = true;
    const headingId = decodeURIComponent(window.location.hash.slice(1));
    const heading = entries.some((entry) => entry.headingId === headingId) ? document.getElementById(headingId) : null;
    if (heading !== null) land(heading, false);
  }, [entries]);
}

export function SettingsIndex({ sections }: { sections: RefObject<HTMLElement | null> }) {
  const { t } = useTranslation("settings");
  const entries = useEntries(sections);
  const active = useActive(entries);
  useLandOnFragment(entries);
  if (entries.length === 0) return null;
  const list = (
    <ol className="settings-index__list">
      {entries.map((entry) => (
        <li key={entry.headingId}>
          <a
            href={`#${entry.headingId}`}
            aria-current={entry.headingId === active ? "location" : undefined}
            onClick={(event) => go(event, entry.headingId)}
          >
            {entry.title}
          </a>
        </li>
      ))}
    </ol>
  );
  return (
    <nav className="settings-index" aria-label={t("index.label")} data-testid="settings-index">
      <details className="settings-index__compact">
        <summary>{t("index.jump")}</summary>
        {list}
      </details>
      <div className="settings-index__wide">
        <p className="settings-index__heading" aria-hidden="true">
          {t("index.onThisPage")}
        </p>
        {list}
      </div>
    </nav>
  );
}
