import "reflect-metadata";

import type { GraphQLSchema } from "graphql";
import { buildSchema } from "type-graphql";

import { AccessExplainerResolver } from "./modules/access-explainer/access-explainer.resolver.ts";
import { AnalyticsResolver } from "./modules/analytics/analytics.resolver.ts";
import { ApiKeysResolver } from "./modules/api-keys/api-keys.resolver.ts";
import { AuditChainResolver } from "./modules/audit/audit-chain.resolver.ts";
import { AuditStreamResolver } from "./modules/audit/audit-stream.resolver.ts";
import { AuditResolver } from "./modules/audit/audit.resolver.ts";
import { BookingsResolver } from "./modules/bookings/bookings.resolver.ts";
import { CampaignsResolver } from "./modules/campaigns/campaigns.resolver.ts";
import { ContactTimelineResolver } from "./modules/contacts/contact-timeline.resolver.ts";
import { ContactsResolver } from "./modules/contacts/contacts.resolver.ts";
import { ConversationsResolver } from "./modules/conversations/conversations.resolver.ts";
import { HomeResolver } from "./modules/home/home.resolver.ts";
import { AccountResolver } from "./modules/identity/account.resolver.ts";
import { IdentityResolver } from "./modules/identity/identity.resolver.ts";
import { PreferencesResolver } from "./modules/identity/preferences.resolver.ts";
import { SessionsResolver } from "./modules/identity/sessions.resolver.ts";
import {
  IntegrationKeyDiagnosticsResolver,
  IntegrationsResolver,
  WorkspaceWebhookUrlResolver,
} from "./modules/integrations/integrations.resolver.ts";
import { LeadTimelineResolver } from "./modules/leads/leads-timeline.resolver.ts";
import { LeadsResolver } from "./modules/leads/leads.resolver.ts";
import { LiveResolver } from "./modules/live/live.resolver.ts";
import { MembersResolver } from "./modules/members/members.resolver.ts";
import { OperatorsResolver } from "./modules/operators/operators.resolver.ts";
import { PersistedDocumentsResolver } from "./modules/persisted-documents/persisted-documents.resolver.ts";
import { PhoneConfigsResolver } from "./modules/phone-configs/phone-configs.resolver.ts";
import { PlatformAdminResolver } from "./modules/platform-admin/platform-admin.resolver.ts";
import { PoliciesResolver } from "./modules/policies/policies.resolver.ts";
import { PrivacyResolver } from "./modules/privacy/privacy.resolver.ts";
import { SearchResolver } from "./modules/search/search.resolver.ts";
import { PlatformSsoResolver } from "./modules/sso/platform-sso.resolver.ts";
import { SsoResolver } from "./modules/sso/sso.resolver.ts";
import { StepUpResolver } from "./modules/step-up/step-up.resolver.ts";
import { TemplatesResolver } from "./modules/templates/templates.resolver.ts";
import { UsageResolver } from "./modules/usage/usage.resolver.ts";
import { WebhooksResolver } from "./modules/webhooks/webhooks.resolver.ts";
import { WorkspaceSettingsResolver } from "./modules/workspace-settings/workspace-settings.resolver.ts";
import { WorkspacesResolver } from "./modules/workspaces/workspaces.resolver.ts";
import { describeAccess } from "./platform/graphql/access-descriptions.ts";
import { validateArgs } from "./platform/graphql/validate-args.ts";

export const resolvers = [
  IdentityResolver,
  WorkspacesResolver,
  MembersResolver,
  AuditResolver,
  AuditStreamResolver,
  AuditChainResolver,
  PoliciesResolver,
  PlatformAdminResolver,
  LeadsResolver,
  LeadTimelineResolver,
  ConversationsResolver,
  ApiKeysResolver,
  WorkspaceSettingsResolver,
  IntegrationsResolver,
  WorkspaceWebhookUrlResolver,
  IntegrationKeyDiagnosticsResolver,
  BookingsResolver,
  StepUpResolver,
  SessionsResolver,
  AccountResolver,
  PreferencesResolver,
  AccessExplainerResolver,
  ContactsResolver,
  ContactTimelineResolver,
  PhoneConfigsResolver,
  WebhooksResolver,
  UsageResolver,
  CampaignsResolver,
  AnalyticsResolver,
  HomeResolver,
  LiveResolver,
  OperatorsResolver,
  TemplatesResolver,
  PersistedDocumentsResolver,
  SearchResolver,
  SsoResolver,
  PlatformSsoResolver,
  PrivacyResolver,
] as const;

let cached: Promise<GraphQLSchema> | undefined;

export function getSchema(): Promise<GraphQLSchema> {
  cached ??= buildSchema({
    resolvers,
    // class-validator on object arguments (forbidUnknownValues and stopAtFirstError off), imported once.
    validateFn: validateArgs,
    // type-graphql asks for a PubSub whenever a Subscription exists, even though every one here
    // has its own `subscribe` (the live hub, platform/live): one that says so if ever used.
    pubSub: {
      publish: () => {
        throw new Error("Subscriptions publish through the live hub (PostgreSQL NOTIFY), not type-graphql's PubSub.");
      },
      subscribe: () => {
        throw new Error("Subscriptions subscribe through the live hub, not type-graphql's PubSub.");
      },
    },
    // Each root operation's description ends with who may call it, from its guard (decision 0049).
  }).then(describeAccess);
  return cached;
}
