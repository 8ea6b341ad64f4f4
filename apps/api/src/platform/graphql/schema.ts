import "reflect-metadata";
import { buildSchema } from "type-graphql";
import type { GraphQLSchema } from "graphql";
import { AuditResolver } from "../../modules/audit/audit.resolver.ts";
import { ApiKeysResolver } from "../../modules/api-keys/api-keys.resolver.ts";
import { ConversationsResolver } from "../../modules/conversations/conversations.resolver.ts";
import { LeadsResolver } from "../../modules/leads/leads.resolver.ts";
import { WorkspaceSettingsResolver } from "../../modules/workspace-settings/workspace-settings.resolver.ts";
import { PlatformAdminResolver } from "../../modules/platform-admin/platform-admin.resolver.ts";
import { MembersResolver } from "../../modules/members/members.resolver.ts";
import { IdentityResolver } from "../../modules/identity/identity.resolver.ts";
import { PoliciesResolver } from "../../modules/policies/policies.resolver.ts";
import { WorkspacesResolver } from "../../modules/workspaces/workspaces.resolver.ts";
import { BookingsResolver } from "../../modules/bookings/bookings.resolver.ts";
import { IntegrationKeyDiagnosticsResolver, IntegrationsResolver, WorkspaceWebhookUrlResolver } from "../../modules/integrations/integrations.resolver.ts";

export const resolvers = [IdentityResolver, WorkspacesResolver, MembersResolver, AuditResolver, PoliciesResolver, PlatformAdminResolver, LeadsResolver, ConversationsResolver, ApiKeysResolver, WorkspaceSettingsResolver, IntegrationsResolver, WorkspaceWebhookUrlResolver, IntegrationKeyDiagnosticsResolver, BookingsResolver] as const;

let cached: Promise<GraphQLSchema> | undefined;

export function getSchema(): Promise<GraphQLSchema> {
  cached ??= buildSchema({
    resolvers,
    validate: { forbidUnknownValues: false, stopAtFirstError: false },
  });
  return cached;
}
