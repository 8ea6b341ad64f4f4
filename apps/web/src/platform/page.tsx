import { type ReactNode } from "react";

/**
 * The shown page's heading, where focus goes when what had it is gone (a dialog's opener, a
 * followed menu link); null while the page has not rendered it yet.
 */
export function pageHeading(): HTMLElement | null {
  return document.querySelector<HTMLElement>("main h1[tabindex]");
}

/** A page's heading and document title (React 19 hoists <title> into <head>). */
export function Page({ title, children, narrow = false }: { title: string; children: ReactNode; narrow?: boolean }) {
  return (
    <section className={narrow ? "page page--narrow" : "page"}>
      <title>{`${title} · Atrium`}</title>
      {/* Focusable by script only: see pageHeading. */}
      <h1 tabIndex={-1}>{title}</h1>
      {children}
    </section>
  );
}
