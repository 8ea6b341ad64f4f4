import { lazy, Suspense } from "react";
import { useTranslation } from "react-i18next";
import { Link, Outlet, useMatch } from "react-router";

import { loadTexts } from "../i18n/index.ts";
import { useLiveConnection } from "./live.ts";
import { PublicFrame } from "./public-frame.tsx";
import { RequireSession, useMe } from "./session.tsx";

import "./shell/shell.css";

import { NavMenuButton, NavMenuProvider, NavMenuRegion } from "./ui/index.ts";

/** A lazily loaded module once the texts it may show are there too (i18n/index.ts loadTexts). */
const withTexts = <M,>(module: Promise<M>): Promise<M> => Promise.all([module, loadTexts()]).then(([loaded]) => loaded);

// Only signed-in pages have the switcher (Radix Popover) and toasts (Radix Toast): loaded with
// the first of them, not before the sign-in form (the budget in scripts/check-budget.mjs).
const loadSwitcher = () => import("../features/workspaces/workspace-switcher.tsx");
const loadToaster = () => import("./ui/toast.tsx");
// The user menu (Radix Popover, the theme picker) and the shell's keys (⌘K palette, "g" shortcuts;
// the palette itself is a further chunk, loaded when first opened): signed-in pages only (issue 48).
const loadUserMenu = () => import("./shell/user-menu.tsx");
const loadShellKeys = () => import("../features/workspaces/shell-keys.tsx");
const loadNotificationBell = () => import("../features/notifications/notification-bell.tsx");
const WorkspaceSwitcher = lazy(() => withTexts(loadSwitcher()).then((m) => ({ default: m.WorkspaceSwitcher })));
const Toaster = lazy(() => withTexts(loadToaster()).then((m) => ({ default: m.Toaster })));
const UserMenu = lazy(() => withTexts(loadUserMenu()).then((m) => ({ default: m.UserMenu })));
const ShellKeys = lazy(() => withTexts(loadShellKeys()).then((m) => ({ default: m.ShellKeys })));
const NotificationBell = lazy(() => withTexts(loadNotificationBell()).then((m) => ({ default: m.NotificationBell })));

/**
 * The signed-in frame's lazy parts, asked at load by routes/router.tsx (preloadWorkspaceRoute)
 * beside `me` instead of once `me` has answered and the frame renders (decision 0044).
 */
export function preloadSignedInFrame(): void {
  const ignore = () => undefined;
  for (const load of [loadSwitcher, loadToaster, loadUserMenu, loadShellKeys, loadNotificationBell])
    void load().catch(ignore);
}

/** Inside a workspace: the bell with the viewer's notifications there (issue 47). */
function WorkspaceNotifications() {
  const slug = useMatch("/w/:slug/*")?.params.slug;
  if (slug === undefined) return null;
  return (
    <Suspense fallback={<span className="notification-bell notification-bell--loading" />}>
      <NotificationBell key={slug} slug={slug} />
    </Suspense>
  );
}

/** Pages anyone can open: sign up, sign in, verify email, the dev mailbox. */
export function PublicLayout() {
  return (
    <PublicFrame>
      <Outlet />
    </PublicFrame>
  );
}

/** The playground opens on the workspace being looked at, if any. */
function PlaygroundLink() {
  const { t } = useTranslation("common");
  const match = useMatch("/w/:slug/*");
  const slug = match?.params.slug;
  return (
    <Link
      to={slug === undefined ? "/playground" : `/playground?workspace=${encodeURIComponent(slug)}`}
      className="topbar__link"
    >
      {t("topBar.playground")}
    </Link>
  );
}

function TopBar() {
  const { t } = useTranslation("common");
  const me = useMe();
  return (
    <header className="topbar">
      <NavMenuButton />
      <Link to="/" className="topbar__brand">
        Atrium
      </Link>
      <Suspense fallback={<span className="switcher switcher--loading" />}>
        <WorkspaceSwitcher />
      </Suspense>
      <WorkspaceNotifications />
      {/* On a phone these fold into the menu (with the shell's navigation): the bar is one row. */}
      <NavMenuRegion id="topbar-links" inline className="topbar__links">
        <Link to="/workspaces/new" className="topbar__link">
          {t("topBar.newWorkspace")}
        </Link>
        <PlaygroundLink />
        {me.globalRole === "ADMIN" && (
          <Link to="/admin/users" className="topbar__link">
            {t("topBar.platformAdmin")}
          </Link>
        )}
        <span className="topbar__spacer" />
        <Suspense fallback={<span className="topbar__user topbar__user--loading">{me.name}</span>}>
          <UserMenu />
        </Suspense>
      </NavMenuRegion>
      <Suspense>
        <ShellKeys />
      </Suspense>
    </header>
  );
}

/**
 * "Reconnecting…" while the live socket is down after having been connected. The status region
 * is always there (empty when connected) so screen readers announce the change politely.
 */
export function LiveConnectionStatus() {
  const { t } = useTranslation("common");
  const state = useLiveConnection();
  return (
    <div role="status" aria-live="polite" className="live-status" data-state={state}>
      {state === "reconnecting" && <span className="live-status__pill">{t("topBar.reconnecting")}</span>}
    </div>
  );
}

/** Everything behind sign-in: the top bar with the workspace switcher, then the page; on a phone one menu folds the bar's links and the page shell's navigation. */
export function AppLayout() {
  return (
    <RequireSession>
      <NavMenuProvider>
        <TopBar />
        <LiveConnectionStatus />
        <main className="main">
          <Outlet />
        </main>
      </NavMenuProvider>
      <Suspense>
        <Toaster />
      </Suspense>
    </RequireSession>
  );
}
