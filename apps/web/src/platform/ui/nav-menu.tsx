/**
 * The narrow-screen menu. At ≤ 40rem (a phone) one "Menu" button in the top bar shows and hides
 * what is folded away there: the top bar's own links and the page shell's navigation (the
 * workspace sections, platform admin), so the page's heading is on the first screen. Wider, the
 * button is hidden and every region shows as it always did (styles.css, "Narrow-screen menu").
 *
 * The disclosure pattern, not an ARIA menu: the button says `aria-expanded` and names in
 * `aria-controls` every region it folds; the links stay plain links in their `<nav>`, and the
 * current page's link keeps its `aria-current`. It closes when the route changes (a link followed,
 * back/forward), when a link inside it is clicked (the current page's too), and on Escape while
 * focus is on the button or inside it. Closed by a key or a link, focus goes to the button: the
 * focused link is about to be hidden, and focus must not fall back to the document. A link to
 * another page then moves it on to that page's heading (`pageHeading`) once it is shown, as
 * a navigation from the wide sidebar leaves the reader at the start of the new page.
 *
 * The state lives in `NavMenuProvider` (around the top bar and the page); a feature's shell adds
 * its own region with `NavMenuRegion`, without the top bar knowing what it holds.
 */
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
  type RefObject,
} from "react";
import { useTranslation } from "react-i18next";
import { useLocation } from "react-router";

import { pageHeading } from "../page.tsx";

interface NavMenuState {
  readonly open: boolean;
  /** Ids of the regions the button folds, in the order they registered. */
  readonly regions: readonly string[];
  readonly buttonRef: RefObject<HTMLButtonElement | null>;
  readonly toggle: () => void;
  /** Closes; with `returnFocus`, focus goes to the button (when it is shown). */
  readonly close: (returnFocus: boolean) => void;
  /** Registers a region; returns its unregistration. */
  readonly addRegion: (id: string) => () => void;
  /** A link inside a region was followed: closes, focus to the button, then to a new page's heading. */
  readonly linkFollowed: (link: HTMLAnchorElement) => void;
}

/** How long a followed link's page may take to show its heading (a lazy route, its data). */
const HEADING_WAIT_FRAMES = 180;

const NavMenuContext = createContext<NavMenuState | null>(null);

function useNavMenu(): NavMenuState {
  const state = useContext(NavMenuContext);
  if (state === null) throw new Error("NavMenuButton and NavMenuRegion need a NavMenuProvider above them");
  return state;
}

export function NavMenuProvider({ children }: { readonly children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const [regions, setRegions] = useState<readonly string[]>([]);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const { pathname } = useLocation();
  // Closed on every route change (state adjusted while rendering, not in an effect: the new page
  // never paints under an open menu).
  const [openedAt, setOpenedAt] = useState(pathname);
  if (openedAt !== pathname) {
    setOpenedAt(pathname);
    setOpen(false);
  }

  const toggle = useCallback(() => setOpen((was) => !was), []);
  const close = useCallback((returnFocus: boolean) => {
    setOpen(false);
    if (returnFocus) buttonRef.current?.focus();
  }, []);
  // A link to another page followed from the menu: once the route changed, focus moves from the
  // button to the new page's heading — unless the reader has moved it elsewhere meanwhile.
  const headingAfterRoute = useRef(false);
  const renderedAt = useRef(pathname);
  renderedAt.current = pathname;
  const linkFollowed = useCallback(
    (link: HTMLAnchorElement) => {
      headingAfterRoute.current = link.origin === window.location.origin && link.pathname !== renderedAt.current;
      close(true);
    },
    [close],
  );
  useEffect(() => {
    if (!headingAfterRoute.current) return undefined;
    headingAfterRoute.current = false;
    let frames = 0;
    let frame = 0;
    const focusHeading = () => {
      const active = document.activeElement;
      if (active !== buttonRef.current && active !== document.body && active !== null) return;
      const heading = pageHeading();
      if (heading) heading.focus();
      else if (++frames < HEADING_WAIT_FRAMES) frame = requestAnimationFrame(focusHeading);
    };
    frame = requestAnimationFrame(focusHeading);
    return () => cancelAnimationFrame(frame);
  }, [pathname]);
  const addRegion = useCallback((id: string) => {
    setRegions((was) => (was.includes(id) ? was : [...was, id]));
    return () => setRegions((was) => was.filter((region) => region !== id));
  }, []);
  const state = useMemo<NavMenuState>(
    () => ({ open, regions, buttonRef, toggle, close, addRegion, linkFollowed }),
    [open, regions, toggle, close, addRegion, linkFollowed],
  );
  return <NavMenuContext.Provider value={state}>{children}</NavMenuContext.Provider>;
}

/** The top bar's "Menu" button; hidden (display: none) above 40rem. */
export function NavMenuButton({ label }: { readonly label?: string }) {
  const { t } = useTranslation("common");
  const { open, regions, buttonRef, toggle, close } = useNavMenu();
  return (
    <button
      ref={buttonRef}
      type="button"
      className="button nav-menu__button"
      aria-expanded={open}
      aria-controls={regions.join(" ")}
      onClick={toggle}
      onKeyDown={(event) => {
        if (event.key === "Escape" && open) {
          event.preventDefault();
          close(true);
        }
      }}
    >
      <span className="nav-menu__icon" aria-hidden="true" />
      {label ?? t("navMenu.button")}
    </button>
  );
}

/**
 * A part of the page the menu folds at ≤ 40rem (shown while it is open); at wider widths it is
 * shown as its children would be without it (`display: contents` where `inline` is set, so a
 * flex row like the top bar keeps its items as they were).
 */
export function NavMenuRegion({
  id,
  className,
  inline = false,
  children,
}: {
  readonly id: string;
  readonly className?: string;
  readonly inline?: boolean;
  readonly children: ReactNode;
}) {
  const { open, addRegion, close, linkFollowed } = useNavMenu();
  useEffect(() => addRegion(id), [addRegion, id]);
  const classes = ["nav-menu__region", inline ? "nav-menu__region--inline" : "", className ?? ""]
    .filter((name) => name !== "")
    .join(" ");
  return (
    <div
      id={id}
      className={classes}
      data-open={open ? "" : undefined}
      onKeyDown={(event) => {
        if (event.key === "Escape" && open && !event.defaultPrevented) {
          event.preventDefault();
          close(true);
        }
      }}
      onClick={(event) => {
        // A link followed (the current page's too, where the route does not change). Only while
        // open: on a wide screen the region is not folded and the click changes nothing here.
        const link = open && event.target instanceof Element ? event.target.closest("a") : null;
        if (link) linkFollowed(link);
      }}
    >
      {children}
    </div>
  );
}
