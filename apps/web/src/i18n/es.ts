/**
 * The Spanish texts of every namespace (issue 48, decision 0045). Imported only dynamically
 * (index.ts, `import("./es.ts")`), so they are a chunk of their own that only a page in Spanish loads.
 * With them comes @atrium/validation's message catalog, which `translateProblem` needs to show the
 * validation messages (the "validation" namespace) in Spanish: English pages never load it.
 */
import { problemCatalog } from "../platform/problem-catalog.ts";
import { provideProblemCatalog } from "../platform/problems.ts";
import access from "./locales/es/access.json" with { type: "json" };
import account from "./locales/es/account.json" with { type: "json" };
import admin from "./locales/es/admin.json" with { type: "json" };
import analytics from "./locales/es/analytics.json" with { type: "json" };
import apiKeys from "./locales/es/api-keys.json" with { type: "json" };
import audit from "./locales/es/audit.json" with { type: "json" };
import auth from "./locales/es/auth.json" with { type: "json" };
import bookings from "./locales/es/bookings.json" with { type: "json" };
import campaigns from "./locales/es/campaigns.json" with { type: "json" };
import common from "./locales/es/common.json" with { type: "json" };
import contacts from "./locales/es/contacts.json" with { type: "json" };
import conversations from "./locales/es/conversations.json" with { type: "json" };
import devMailbox from "./locales/es/dev-mailbox.json" with { type: "json" };
import home from "./locales/es/home.json" with { type: "json" };
import integrations from "./locales/es/integrations.json" with { type: "json" };
import invitations from "./locales/es/invitations.json" with { type: "json" };
import leads from "./locales/es/leads.json" with { type: "json" };
import members from "./locales/es/members.json" with { type: "json" };
import notifications from "./locales/es/notifications.json" with { type: "json" };
import phoneNumbers from "./locales/es/phone-numbers.json" with { type: "json" };
import platformSso from "./locales/es/platformSso.json" with { type: "json" };
import playground from "./locales/es/playground.json" with { type: "json" };
import registration from "./locales/es/registration.json" with { type: "json" };
import review from "./locales/es/review.json" with { type: "json" };
import safety from "./locales/es/safety.json" with { type: "json" };
import settings from "./locales/es/settings.json" with { type: "json" };
import sso from "./locales/es/sso.json" with { type: "json" };
import stepUp from "./locales/es/step-up.json" with { type: "json" };
import usage from "./locales/es/usage.json" with { type: "json" };
import validation from "./locales/es/validation.json" with { type: "json" };
import webhooks from "./locales/es/webhooks.json" with { type: "json" };
import workspaces from "./locales/es/workspaces.json" with { type: "json" };

export const es = {
  common,
  platformSso,
  access,
  account,
  admin,
  analytics,
  "api-keys": apiKeys,
  audit,
  auth,
  bookings,
  campaigns,
  contacts,
  conversations,
  "dev-mailbox": devMailbox,
  home,
  integrations,
  invitations,
  leads,
  members,
  notifications,
  "phone-numbers": phoneNumbers,
  playground,
  registration,
  review,
  safety,
  settings,
  sso,
  "step-up": stepUp,
  usage,
  validation,
  webhooks,
  workspaces,
} as const;

provideProblemCatalog(problemCatalog);
