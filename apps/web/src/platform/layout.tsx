import { Link, Outlet } from "react-router";
import { WorkspaceSwitcher } from "../features/workspaces/workspace-switcher.tsx";
import { RequireSession, useMe, useSignOut } from "./session.tsx";

/** Pages anyone can open: sign up, sign in, verify email, the dev mailbox. */
export function PublicLayout() {
  return (
    <>
      <header className="topbar">
        <Link to="/" className="topbar__brand">
          Atrium
        </Link>
      </header>
      <main className="main">
        <Outlet />
      </main>
    </>
  );
}

function TopBar() {
  const me = useMe();
  const { signOut, signingOut } = useSignOut();
  return (
    <header className="topbar">
      <Link to="/" className="topbar__brand">
        Atrium
      </Link>
      <WorkspaceSwitcher />
      <Link to="/workspaces/new" className="topbar__link">
        New workspace
      </Link>
      {me.globalRole === "ADMIN" && (
        <Link to="/admin/users" className="topbar__link">
          Platform admin
        </Link>
      )}
      <span className="topbar__spacer" />
      <span className="topbar__user" title={me.email}>
        {me.name}
      </span>
      <button type="button" className="button button--quiet" disabled={signingOut} onClick={() => void signOut()}>
        Sign out
      </button>
    </header>
  );
}

/** Everything behind sign-in: the top bar with the workspace switcher, then the page. */
export function AppLayout() {
  return (
    <RequireSession>
      <TopBar />
      <main className="main">
        <Outlet />
      </main>
    </RequireSession>
  );
}
