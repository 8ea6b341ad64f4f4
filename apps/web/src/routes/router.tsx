import type { ApolloClient } from "@apollo/client";
import { lazy, Suspense, type ComponentType } from "react";
import { useTranslation } from "react-i18next";
import { createBrowserRouter, Navigate } from "react-router";

import { WORKSPACE_SECTIONS, type WorkspaceSectionPath } from "../features/workspaces/workspace-sections.ts";
import { loadTexts } from "../i18n/index.ts";
import { csrfToken } from "../platform/csrf.ts";
import { AppLayout, preloadSignedInFrame, PublicLayout } from "../platform/layout.tsx";
import { NotFoundPage } from "./not-found.tsx";
import { PlaygroundRoute } from "./playground.tsx";
import { SignInPage } from "./sign-in.tsx";
import type { SectionContent, SectionRouteProps } from "./workspace-section.tsx";

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
      <Suspense fallback={<PageLoading />}>
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
const AdminPlatformSsoPage = lazyPage(() =>
  import("../features/admin/platform-sso.tsx").then((m) => m.AdminPlatformSsoPage),
);
const AccountSecurityPage = lazyPage(() =>
  import("../features/account/security-page.tsx").then((m) => m.AccountSecurityPage),
);
const SessionsPage = lazyPage(() => import("../features/account/sessions-page.tsx").then((m) => m.SessionsPage));
const ForgotPasswordPage = lazyPage(() =>
  import("../features/account/forgot-password-page.tsx").then((m) => m.ForgotPasswordPage),
);
const ResetPasswordPage = lazyPage(() =>
  import("../features/account/reset-password-page.tsx").then((m) => m.ResetPasswordPage),
);
const ConfirmEmailChangePage = lazyPage(() =>
  import("../features/account/email-link-pages.tsx").then((m) => m.ConfirmEmailChangePage),
);
const RevertEmailChangePage = lazyPage(() =>
  import("../features/account/email-link-pages.tsx").then((m) => m.RevertEmailChangePage),
);
const WorkspaceShell = lazyPage(() =>
  import("../features/workspaces/workspace-shell.tsx").then((m) => m.WorkspaceShell),
);
const WorkspaceOverviewPage = lazyPage(() => import("./workspace-overview.tsx").then((m) => m.WorkspaceOverviewPage));

/** A workspace page's code by its route below /w/:slug ("" the home, "leads", "leads/:id"), for `preloadWorkspaceRoute`. */
const PAGE_CODE = new Map<string, () => Promise<unknown>>([["", () => import("./workspace-overview.tsx")]]);

/**
 * A workspace URL opened directly (decision 0044, addendum): the signed-in frame's lazy parts, the
 * shell's code, the page's code, the texts and the shell's query (`preloadWorkspace`), all asked at load beside `me` and the
 * language, instead of one after the other as each lazy component mounts (me → shell's code →
 * workspace → page's code → page's queries). The lazy components then find their modules loaded
 * or in flight (the same imports), and the shell its query answered or in flight (the same
 * request). Only when the browser holds a session (the CSRF cookie): a signed-out visitor is
 * sent to sign in, and needs none of it.
 */
export function preloadWorkspaceRoute(pathname: string, client: ApolloClient): void {
  const match = /^\/w\/([^/]+)(?:\/([^/]+)(\/[^/]+)?)?\/?$/.exec(pathname);
  if (match === null || csrfToken() === undefined) return;
  const [, slug = "", section, id] = match;
  const route =
    section === undefined
      ? ""
      : id === undefined || section === "conversations"
        ? section
        : PAGE_CODE.has(`${section}${id}`)
          ? `${section}${id}`
          : `${section}/:id`;
  const ignore = () => undefined;
  preloadSignedInFrame();
  void import("../features/workspaces/workspace-shell.tsx").then(
    ({ preloadWorkspace }) => preloadWorkspace(client, decodeURIComponent(slug)),
    ignore,
  );
  // The texts' chunk only: loadTexts() adds them to i18next, which main.tsx has not started yet.
  void import("../i18n/en.ts").catch(ignore);
  void PAGE_CODE.get(route)?.().catch(ignore);
}

/**
 * A workspace page: its gate (workspace-section.tsx) and its own code, fetched side by side, so a
 * page neither waits for the gate's chunk before asking for its own nor carries the other
 * sections' code (decision 0044: one chunk for every section was 80–87 % unused on each page).
 */
function sectionRoute(
  path: WorkspaceSectionPath,
  title: SectionRouteProps["title"],
  load: () => Promise<SectionContent>,
  route: string = path,
): ComponentType {
  PAGE_CODE.set(route, () => Promise.all([import("./workspace-section.tsx"), load()]));
  return lazyPage(async () => {
    const [{ SectionRoute }, content] = await Promise.all([import("./workspace-section.tsx"), load()]);
    return function WorkspacePage() {
      return <SectionRoute path={path} title={title} content={content} />;
    };
  });
}

/** Every section's list page but the inbox's (its route keeps the list mounted beside a conversation). */
const SECTION_PAGES: Record<Exclude<WorkspaceSectionPath, "conversations">, ComponentType> = {
  leads: sectionRoute("leads", "section", () =>
    import("../features/leads/leads-page.tsx").then(({ LeadsPage }) => (w) => <LeadsPage workspace={w} />),
  ),
  contacts: sectionRoute("contacts", "section", () =>
    import("../features/contacts/contacts-page.tsx").then(({ ContactsPage }) => (w) => <ContactsPage workspace={w} />),
  ),
  "phone-numbers": sectionRoute("phone-numbers", "section", () =>
    import("../features/phone-numbers/phone-numbers-page.tsx").then(({ PhoneNumbersPage }) => (w) => (
      <PhoneNumbersPage workspace={w} />
    )),
  ),
  webhooks: sectionRoute("webhooks", "section", () =>
    import("../features/webhooks/webhooks-page.tsx").then(({ WebhooksPage }) => (w) => <WebhooksPage workspace={w} />),
  ),
  review: sectionRoute("review", "section", () =>
    import("../features/review/review-page.tsx").then(({ ReviewPage }) => (w) => <ReviewPage workspace={w} />),
  ),
  safety: sectionRoute("safety", "section", () =>
    import("../features/safety/safety-rules-page.tsx").then(({ SafetyRulesPage }) => (w) => (
      <SafetyRulesPage workspace={w} />
    )),
  ),
  bookings: sectionRoute("bookings", "section", () =>
    import("../features/bookings/bookings-list.tsx").then(({ BookingsList }) => (w) => <BookingsList workspace={w} />),
  ),
  campaigns: sectionRoute("campaigns", "section", () =>
    import("../features/campaigns/campaigns-page.tsx").then(({ CampaignsPage }) => (w) => (
      <CampaignsPage workspace={w} />
    )),
  ),
  analytics: sectionRoute("analytics", "section", () =>
    import("../features/analytics/analytics-page.tsx").then(({ AnalyticsPage }) => (w) => (
      <AnalyticsPage workspace={w} />
    )),
  ),
  usage: sectionRoute("usage", "section", () =>
    import("../features/usage/usage-page.tsx").then(({ UsagePage }) => (w) => <UsagePage workspace={w} />),
  ),
  members: sectionRoute("members", "section", () =>
    import("../features/members/members-page.tsx").then(({ MembersPage }) => (w) => <MembersPage workspace={w} />),
  ),
  "api-keys": sectionRoute("api-keys", "section", () =>
    import("../features/api-keys/api-keys-page.tsx").then(({ ApiKeysPage }) => (w) => <ApiKeysPage workspace={w} />),
  ),
  "audit-log": sectionRoute("audit-log", "section", () =>
    import("../features/audit/audit-log.tsx").then(({ AuditLog }) => (w) => <AuditLog workspaceId={w.id} />),
  ),
  settings: sectionRoute("settings", "section", () =>
    import("../features/settings/settings-page.tsx").then(({ SettingsPage }) => (w) => <SettingsPage workspace={w} />),
  ),
};
/** /w/:slug/leads/:id */
const LeadDetailPage = sectionRoute(
  "leads",
  null,
  () =>
    import("../features/leads/lead-detail.tsx").then(({ LeadDetail }) => (w, { id = "" }) => (
      <LeadDetail key={id} workspace={w} leadId={id} />
    )),
  "leads/:id",
);
/** /w/:slug/contacts/:id (issue 48), behind the contacts' gate. */
const ContactDetailPage = sectionRoute(
  "contacts",
  null,
  () =>
    import("../features/contacts/contact-detail.tsx").then(({ ContactDetail }) => (w, { id = "" }) => (
      <ContactDetail key={id} workspace={w} contactId={id} />
    )),
  "contacts/:id",
);
/**
 * /w/:slug/conversations and /w/:slug/conversations/:id: one route for both, so the inbox stays
 * mounted (filters, scroll, live list) while conversations open beside it. The inbox renders its
 * own heading and document title (the conversation's, when one is open).
 */
const InboxRoutePage = sectionRoute("conversations", null, () =>
  import("../features/conversations/inbox-page.tsx").then(({ InboxPage }) => (w, { id }) => (
    <InboxPage workspace={w} selectedId={id} />
  )),
);
/** /w/:slug/settings/whatsapp-templates: a page of the settings, behind the settings' gate. */
const WhatsAppTemplatesRoutePage = sectionRoute(
  "settings",
  "pages.whatsAppTemplates",
  () =>
    import("../features/settings/whatsapp-templates-page.tsx").then(({ WhatsAppTemplatesPage }) => (w) => (
      <WhatsAppTemplatesPage workspace={w} />
    )),
  "settings/whatsapp-templates",
);

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
            ...WORKSPACE_SECTIONS.flatMap(({ path }) => {
              if (path === "conversations") return [];
              const SectionPage = SECTION_PAGES[path];
              return [{ path, element: <SectionPage key={path} /> }];
            }),
            { path: "leads/:id", element: <LeadDetailPage /> },
            { path: "contacts/:id", element: <ContactDetailPage /> },
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
