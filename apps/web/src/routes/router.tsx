import { Navigate, createBrowserRouter } from "react-router";
import { PlaygroundRoute } from "./playground.tsx";
import { AdminShell } from "../features/admin/admin-shell.tsx";
import { WORKSPACE_SECTIONS } from "../features/workspaces/workspace-sections.ts";
import { WorkspaceShell } from "../features/workspaces/workspace-shell.tsx";
import { AppLayout, PublicLayout } from "../platform/layout.tsx";
import { AcceptInvitationPage } from "./accept-invitation.tsx";
import { AdminRegistrationPage, AdminUsersPage } from "./admin.tsx";
import { DevMailboxPage } from "./dev-mailbox.tsx";
import { NewWorkspacePage } from "./new-workspace.tsx";
import { NotFoundPage } from "./not-found.tsx";
import { SignInPage } from "./sign-in.tsx";
import { SignUpPage } from "./sign-up.tsx";
import { VerifyEmailPage } from "./verify-email.tsx";
import { WorkspaceOverviewPage } from "./workspace-overview.tsx";
import { ConversationDetailPage, LeadDetailPage, WorkspaceSectionPage } from "./workspace-section.tsx";
import { WorkspacesPage } from "./workspaces.tsx";

export function createAppRouter() {
  return createBrowserRouter([
    {
      element: <PublicLayout />,
      children: [
        { path: "/signup", element: <SignUpPage /> },
        { path: "/signin", element: <SignInPage /> },
        { path: "/verify-email", element: <VerifyEmailPage /> },
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
        {
          path: "/admin",
          element: <AdminShell />,
          children: [
            { index: true, element: <Navigate to="/admin/users" replace /> },
            { path: "users", element: <AdminUsersPage /> },
            { path: "registration", element: <AdminRegistrationPage /> },
          ],
        },
        {
          path: "/w/:slug",
          element: <WorkspaceShell />,
          children: [
            { index: true, element: <WorkspaceOverviewPage /> },
            ...WORKSPACE_SECTIONS.map((section) => ({
              path: section.path,
              element: <WorkspaceSectionPage key={section.path} path={section.path} />,
            })),
            { path: "leads/:id", element: <LeadDetailPage /> },
            { path: "conversations/:id", element: <ConversationDetailPage /> },
          ],
        },
      ],
    },
    { element: <PublicLayout />, children: [{ path: "*", element: <NotFoundPage /> }] },
  ]);
}
