import type { ReactNode } from "react";
import { Link } from "react-router";

/** The frame of pages shown without a session: the brand's top bar and the main column. */
export function PublicFrame({ children }: { children: ReactNode }) {
  return (
    <>
      <header className="topbar">
        <Link to="/" className="topbar__brand">
          Atrium
        </Link>
      </header>
      <main className="main">{children}</main>
    </>
  );
}
