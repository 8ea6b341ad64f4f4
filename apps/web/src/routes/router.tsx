import { Suspense, lazy, type ComponentType } from "react";
import { Navigate, createBrowserRouter } from "react-router";
import { PlaygroundRoute } from "./playground.tsx";
import { WORKSPACE_SECTIONS } from "../features/workspaces/workspace-sections.ts";
import { AppLayout, PublicLayout } from "../platform/layout.tsx";
import { NotFoundPage } from "./not-found.tsx";
import { SignInPage } from "./sign-in.tsx";
import { useTranslation } from "react-i18next";
import { loadTexts } from "../i18n/index.ts";

// Route-level code splitting (issue 15): the sign-in page and the layouts are in the entry chunk;
// every other page loads with its route, so the first load before the sign-in form is interactive
// stays small (apps/web/scripts/check-budget.mjs checks it after every build).
/** While a page's code loads: a title and a status line. */
function PageLoading() {
  const { t } = useTranslation("common");
  return (
    <>
      <title>{t("session.loadingTitle")}</title>
      <p className="page-status">{t("session.loading")}</p>
    </>
  );
}

function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  // The page's code and every text it may show (i18n/index.ts loadTexts), together.
  const Page = lazy(async () => ({ default: (await Promise.all([load(), loadTexts()]))[0] }));
  return function LazyPage(props: P) {
    return (
      <Suspense
        fallback={<PageLoading />}
      >
        <Page {...props} />
      </Suspense>
    );
  };
}

const SignUpPage = lazyPage(() => import("./sign-up.tsx").then((m) => m.SignUpPage));
const VerifyEmailPage = lazyPage(() => import("./verify-email.tsx").then((m) => m.VerifyEmailPage));
const DevMailboxPage = lazyPage(() => import("./dev-mailbox.tsx").then((m) => m.DevMailboxPage));
const AcceptInvitationPage = lazyPage(() => import("./accept-invitation.tsx").then((m) => m.AcceptInvitationPage));
const WorkspacesPage = lazyPage(() => import("./workspaces.tsx").then((m) => m.WorkspacesPage));
const NewWorkspacePage = lazyPage(() => import("./new-workspace.tsx").then((m) => m.NewWorkspacePage));
const AdminShell = lazyPage(() => import("../features/admin/admin-shell.tsx").then((m) => m.AdminShell));
const AdminUsersPage = lazyPage(() => import("./admin.tsx").then((m) => m.AdminUsersPage));
const AdminRegistrationPage = lazyPage(() => import("./admin.tsx").then((m) => m.AdminRegistrationPage));
const AdminPlansPage = lazyPage(() => import("./admin.tsx").then((m) => m.AdminPlansPage));
const AdminPlatformSsoPage = lazyPage(() => import("../features/admin/platform-sso.tsx").then((m) => m.AdminPlatformSsoPage));
const AccountSecurityPage = lazyPage(() => import("../features/account/security-page.tsx").then((m) => m.AccountSecurityPage));
const SessionsPage = lazyPage(() => import("../features/account/sessions-page.tsx").then((m) => m.SessionsPage));
const ForgotPasswordPage = lazyPage(() => import("../features/account/forgot-password-page.tsx").then((m) => m.ForgotPasswordPage));
const ResetPasswordPage = lazyPage(() => import("../features/account/reset-password-page.tsx").then((m) => m.ResetPasswordPage));
const ConfirmEmailChangePage = lazyPage(() => import("../features/account/email-link-pages.tsx").then((m) => m.ConfirmEmailChangePage));
const RevertEmailChangePage = lazyPage(() => import("../features/account/email-link-pages.tsx").then((m) => m.RevertEmailChangePage));
const WorkspaceShell = lazyPage(() => import("../features/workspaces/workspace-shell.tsx").then((m) => m.WorkspaceShell));
const WorkspaceOverviewPage = lazyPage(() => import("./workspace-overview.tsx").then((m) => m.WorkspaceOverviewPage));
const WorkspaceSectionPage = lazyPage(() => import("./workspace-section.tsx").then((m) => m.WorkspaceSectionPage));
const LeadDetailPage = lazyPage(() => import("./workspace-section.tsx").then((m) => m.LeadDetailPage));
const InboxRoutePage = lazyPage(() => import("./workspace-section.tsx").then((m) => m.InboxRoutePage));
const WhatsAppTemplatesRoutePage = lazyPage(() => import("./workspace-section.tsx").then((m) => m.WhatsAppTemplatesRoutePage));

export function createAppRouter() {
  return createBrowserRouter([
    {
      element: <PublicLayout />,
      children: [
        { path: "/signup", element: <SignUpPage /> },
        { path: "/signin", element: <SignInPage /> },
        { path: "/verify-email", element: <VerifyEmailPage /> },
        { path: "/forgot-password", element: <ForgotPasswordPage /> },
        { path: "/reset-password", element: <ResetPasswordPage /> },
        { path: "/confirm-email", element: <ConfirmEmailChangePage /> },
        { path: "/revert-email", element: <RevertEmailChangePage /> },
        { path: "/dev/mailbox-view", element: <DevMailboxPage /> },
        { path: "/invitations/accept", element: <AcceptInvitationPage /> },
      ],
    },
    {
      element: <AppLayout />,
      children: [
        { path: "/", element: <WorkspacesPage /> },
        { path: "/workspaces/new", element: <NewWorkspacePage /> },
        { path: "/playground", element: <PlaygroundRoute /> },
        { path: "/account/security", element: <AccountSecurityPage /> },
        { path: "/account/sessions", element: <SessionsPage /> },
        {
          path: "/admin",
          element: <AdminShell />,
          children: [
            { index: true, element: <Navigate to="/admin/users" replace /> },
            { path: "users", element: <AdminUsersPage /> },
            { path: "registration", element: <AdminRegistrationPage /> },
            { path: "plans", element: <AdminPlansPage /> },
            { path: "sso", element: <AdminPlatformSsoPage /> },
          ],
        },
        {
          path: "/w/:slug",
          element: <WorkspaceShell />,
          children: [
            { index: true, element: <WorkspaceOverviewPage /> },
            ...WORKSPACE_SECTIONS.filter((section) => section.path !== "conversations").map((section) => ({
              path: section.path,
              element: <WorkspaceSectionPage key={section.path} path={section.path} />,
            })),
            { path: "leads/:id", element: <LeadDetailPage /> },
            // A page of the settings (issue 56), under the settings' own gate (workspace.settings).
            { path: "settings/whatsapp-templates", element: <WhatsAppTemplatesRoutePage /> },
            // The inbox, with a conversation open or not: one route, so the list stays mounted.
            { path: "conversations/:id?", element: <InboxRoutePage /> },
          ],
        },
      ],
    },
    { element: <PublicLayout />, children: [{ path: "*", element: <NotFoundPage /> }] },
  ]);
}
