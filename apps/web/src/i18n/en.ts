/**
 * The English texts of every namespace (issue 48, decision 0045): English is the fallback of every
 * key. i18next.d.ts types `t()` from these. One namespace per feature folder (features/<name> →
 * "<name>"); platform/ and routes/ use "common". Imported dynamically by index.ts (`loadTexts`):
 * the namespaces of en-initial.ts are in the entry chunk, the others are this chunk.
 */
import access from "./locales/en/access.json" with { type: "json" };
import account from "./locales/en/account.json" with { type: "json" };
import admin from "./locales/en/admin.json" with { type: "json" };
import analytics from "./locales/en/analytics.json" with { type: "json" };
import apiKeys from "./locales/en/api-keys.json" with { type: "json" };
import audit from "./locales/en/audit.json" with { type: "json" };
import auth from "./locales/en/auth.json" with { type: "json" };
import bookings from "./locales/en/bookings.json" with { type: "json" };
import campaigns from "./locales/en/campaigns.json" with { type: "json" };
import common from "./locales/en/common.json" with { type: "json" };
import contacts from "./locales/en/contacts.json" with { type: "json" };
import conversations from "./locales/en/conversations.json" with { type: "json" };
import devMailbox from "./locales/en/dev-mailbox.json" with { type: "json" };
import home from "./locales/en/home.json" with { type: "json" };
import integrations from "./locales/en/integrations.json" with { type: "json" };
import invitations from "./locales/en/invitations.json" with { type: "json" };
import leads from "./locales/en/leads.json" with { type: "json" };
import members from "./locales/en/members.json" with { type: "json" };
import notifications from "./locales/en/notifications.json" with { type: "json" };
import phoneNumbers from "./locales/en/phone-numbers.json" with { type: "json" };
import platformSso from "./locales/en/platformSso.json" with { type: "json" };
import playground from "./locales/en/playground.json" with { type: "json" };
import registration from "./locales/en/registration.json" with { type: "json" };
import review from "./locales/en/review.json" with { type: "json" };
import safety from "./locales/en/safety.json" with { type: "json" };
import settings from "./locales/en/settings.json" with { type: "json" };
import sso from "./locales/en/sso.json" with { type: "json" };
import stepUp from "./locales/en/step-up.json" with { type: "json" };
import usage from "./locales/en/usage.json" with { type: "json" };
import validation from "./locales/en/validation.json" with { type: "json" };
import webhooks from "./locales/en/webhooks.json" with { type: "json" };
import workspaces from "./locales/en/workspaces.json" with { type: "json" };

export const en = {
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
