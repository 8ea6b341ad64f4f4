import { type ReactNode } from "react";

/** A page's heading and document title (React 19 hoists <title> into <head>). */
export function Page({ title, children, narrow = false }: { title: string; children: ReactNode; narrow?: boolean }) {
  return (
    <section className={narrow ? "page page--narrow" : "page"}>
      <title>{`${title} · Atrium`}</title>
      {/* Focusable by script only: where focus lands when what had it is gone (dialog.tsx). */}
      <h1 tabIndex={-1}>{title}</h1>
      {children}
    </section>
  );
}
