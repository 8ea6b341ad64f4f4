// The committed contract: schema.graphql must match the resolvers, and every root operation
// declares the permission it needs. A diff in the snapshot is a permission change: review it.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { getNamedType, isObjectType, parse, print, visit, type GraphQLNamedType } from "graphql";

import { SUBJECTS } from "@atrium/policies";
import { describe, expect, it } from "@atrium/test-kit";

import { printSchemaFile } from "./print-schema.ts";
import { getSchema } from "./schema.ts";

const schemaFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../schema.graphql");

describe("GraphQL contract", () => {
  it("schema.graphql is up to date (run `pnpm --filter @atrium/api emit-schema`)", async () => {
    expect(await readFile(schemaFile, "utf8")).toBe(await printSchemaFile());
  });

  it("every Query, Mutation and Subscription declares its required permission", async () => {
    const schema = await getSchema();
    const table: Record<string, string> = {};
    for (const type of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
      for (const field of Object.values(type!.getFields())) {
        const { auth, principal } = field.extensions as {
          auth?: unknown;
          principal?: unknown;
        };
        expect(typeof auth, `${type!.name}.${field.name} has no @Public/@Authenticated/@Can`).toBe("string");
        // `· signed-in user`: refused to API keys whatever their scopes.
        table[`${type!.name}.${field.name}`] =
          principal === "user" ? `${auth as string} · signed-in user` : (auth as string);
      }
    }
    expect(table).toMatchInlineSnapshot(`
     {
       "Mutation.acceptInvitation": "authenticated",
       "Mutation.addGuidance": "update:Conversation",
       "Mutation.addPasskey": "authenticated",
       "Mutation.addPlatformSsoDomain": "platform-admin",
       "Mutation.addSsoDomain": "update:SingleSignOn · signed-in user",
       "Mutation.assignConversation": "assign:Conversation",
       "Mutation.assignPlan": "platform-admin",
       "Mutation.cancelBooking": "update:Lead",
       "Mutation.cancelCampaign": "run:Campaign",
       "Mutation.changeEnvironment": "update:Workspace · signed-in user",
       "Mutation.changePassword": "authenticated",
       "Mutation.claimReviewItem": "claim:ReviewItem",
       "Mutation.closeConversation": "update:Conversation",
       "Mutation.completeSignIn": "public",
       "Mutation.confirmEmailChange": "public",
       "Mutation.confirmTotp": "authenticated",
       "Mutation.connectPlatformSsoProvider": "platform-admin",
       "Mutation.connectSsoProvider": "update:SingleSignOn · signed-in user",
       "Mutation.createApiKey": "create:ApiKey · signed-in user",
       "Mutation.createCampaign": "create:Campaign",
       "Mutation.createContact": "create:Contact",
       "Mutation.createDataSubjectRequest": "create:DataSubjectRequest · signed-in user",
       "Mutation.createMessageTemplate": "update:Workspace",
       "Mutation.createPhoneConfig": "create:PhoneConfig",
       "Mutation.createPlan": "platform-admin",
       "Mutation.createPlatformDataSubjectRequest": "platform-admin",
       "Mutation.createSafetyRule": "create:SafetyRule",
       "Mutation.createWebhookEndpoint": "create:Webhook",
       "Mutation.createWorkspace": "authenticated",
       "Mutation.deleteAccount": "authenticated",
       "Mutation.deleteCampaign": "delete:Campaign",
       "Mutation.deleteContact": "delete:Contact",
       "Mutation.deleteMessageTemplate": "update:Workspace",
       "Mutation.deletePersistedDocument": "delete:ApiKey · signed-in user",
       "Mutation.deletePhoneConfig": "delete:PhoneConfig",
       "Mutation.deleteSafetyRule": "delete:SafetyRule",
       "Mutation.deleteWebhookEndpoint": "delete:Webhook",
       "Mutation.deleteWorkspace": "delete:Workspace",
       "Mutation.disableTotp": "authenticated",
       "Mutation.disconnectPlatformSsoProvider": "platform-admin",
       "Mutation.disconnectSsoProvider": "update:SingleSignOn · signed-in user",
       "Mutation.enrollTotp": "authenticated",
       "Mutation.handBackConversation": "update:Conversation",
       "Mutation.importContacts": "create:Contact",
       "Mutation.inviteMember": "create:Invitation",
       "Mutation.joinCall": "update:Conversation",
       "Mutation.leaveWorkspace": "read:Workspace · signed-in user",
       "Mutation.markConversationRead": "read:Conversation",
       "Mutation.markNotificationsRead": "read:Workspace · signed-in user",
       "Mutation.passkeyRegistrationOptions": "authenticated",
       "Mutation.passkeyStepUpOptions": "authenticated",
       "Mutation.pauseCampaign": "run:Campaign",
       "Mutation.redeliverWebhook": "update:Webhook",
       "Mutation.refreshSession": "public",
       "Mutation.regenerateRecoveryCodes": "authenticated",
       "Mutation.registerPersistedDocument": "create:ApiKey · signed-in user",
       "Mutation.releaseReviewItem": "claim:ReviewItem",
       "Mutation.removeAuditStream": "update:Workspace",
       "Mutation.removeIntegration": "delete:Integration",
       "Mutation.removeMember": "delete:Member",
       "Mutation.removePasskey": "authenticated",
       "Mutation.removePlatformSsoDomain": "platform-admin",
       "Mutation.removeSsoDomain": "update:SingleSignOn · signed-in user",
       "Mutation.reopenConversation": "update:Conversation",
       "Mutation.requestEmailChange": "authenticated",
       "Mutation.requestPasswordReset": "public",
       "Mutation.rescheduleBooking": "update:Lead",
       "Mutation.resendInvitation": "create:Invitation",
       "Mutation.resendVerificationEmail": "public",
       "Mutation.resetPassword": "public",
       "Mutation.resolveReviewItem": "claim:ReviewItem",
       "Mutation.resumeCampaign": "run:Campaign",
       "Mutation.retryAuditStream": "update:Workspace",
       "Mutation.revertEmailChange": "public",
       "Mutation.revokeApiKey": "delete:ApiKey",
       "Mutation.revokeInvitation": "delete:Invitation",
       "Mutation.revokeSession": "authenticated",
       "Mutation.rotateAuditStreamSecret": "update:Workspace",
       "Mutation.rotateWebhookSecret": "update:Webhook",
       "Mutation.runCampaign": "run:Campaign",
       "Mutation.scheduleCampaign": "run:Campaign",
       "Mutation.sendCampaignTest": "run:Campaign",
       "Mutation.sendManualReply": "send:Conversation",
       "Mutation.sendTemplateMessage": "send:Conversation",
       "Mutation.setAgentPaused": "update:Workspace",
       "Mutation.setAuditStream": "update:Workspace",
       "Mutation.setAutoAssign": "assign:Conversation",
       "Mutation.setHumanTakeover": "update:Conversation",
       "Mutation.setIntegration": "update:Integration",
       "Mutation.setPlatformSsoDomainRequired": "platform-admin",
       "Mutation.setRetention": "update:Workspace",
       "Mutation.setSsoDomainRequired": "update:SingleSignOn · signed-in user",
       "Mutation.setUserDisabled": "platform-admin",
       "Mutation.setWorkspaceSecurity": "update:Workspace · signed-in user",
       "Mutation.signIn": "public",
       "Mutation.signOut": "authenticated",
       "Mutation.signOutEverywhere": "authenticated",
       "Mutation.signUp": "public",
       "Mutation.submitLead": "api-key create:Lead",
       "Mutation.switchPlan": "update:Billing",
       "Mutation.takeOverConversation": "update:Conversation",
       "Mutation.testAgentChat": "update:Workspace",
       "Mutation.testAuditStream": "update:Workspace",
       "Mutation.testIntegration": "update:Integration",
       "Mutation.transferOwnership": "transfer:Workspace",
       "Mutation.updateAgentKnowledge": "update:Workspace",
       "Mutation.updateAgentPersona": "update:Workspace",
       "Mutation.updateCampaign": "update:Campaign",
       "Mutation.updateContact": "update:Contact",
       "Mutation.updateInboxSettings": "read:Workspace · signed-in user",
       "Mutation.updateLeadStatus": "update:Lead",
       "Mutation.updateMember": "update:Member",
       "Mutation.updateMessageTemplate": "update:Workspace",
       "Mutation.updatePhoneConfig": "update:PhoneConfig",
       "Mutation.updatePlan": "platform-admin",
       "Mutation.updatePreferences": "authenticated",
       "Mutation.updateRegistrationSettings": "platform-admin",
       "Mutation.updateSafetyRule": "update:SafetyRule",
       "Mutation.updateWebhookEndpoint": "update:Webhook",
       "Mutation.updateWorkspace": "update:Workspace",
       "Mutation.verifyEmail": "public",
       "Mutation.verifyEmailAndSignIn": "public",
       "Mutation.verifyPasskeyStepUp": "authenticated",
       "Mutation.verifyPlatformSsoDomain": "platform-admin",
       "Mutation.verifySsoDomain": "update:SingleSignOn · signed-in user",
       "Mutation.verifyStepUp": "authenticated",
       "Query.accessProbes": "platform-admin",
       "Query.accountSecurity": "authenticated",
       "Query.adminUsers": "platform-admin",
       "Query.agentSettings": "update:Workspace",
       "Query.analytics": "read:Lead",
       "Query.apiKeys": "read:ApiKey",
       "Query.auditChainStatus": "read:AuditEvent",
       "Query.auditEvents": "read:AuditEvent",
       "Query.auditStream": "read:AuditEvent",
       "Query.authDiagnostics": "update:Workspace",
       "Query.availablePlans": "read:Billing",
       "Query.bookings": "read:Lead",
       "Query.callActions": "read:Conversation",
       "Query.campaign": "read:Campaign",
       "Query.campaignPreview": "read:Campaign",
       "Query.campaigns": "read:Campaign",
       "Query.contact": "read:Contact",
       "Query.contactImport": "read:Contact",
       "Query.contactLeads": "read:Lead",
       "Query.contactTags": "read:Contact",
       "Query.contactTimeline": "read:Contact",
       "Query.contacts": "read:Contact",
       "Query.conversation": "read:Conversation",
       "Query.conversationActivity": "read:Conversation",
       "Query.conversations": "read:Conversation",
       "Query.dataSubjectRequest": "read:DataSubjectRequest",
       "Query.dataSubjectRequests": "read:DataSubjectRequest",
       "Query.explainAccess": "read:Workspace",
       "Query.guidanceNotes": "read:Conversation",
       "Query.inbox": "read:Conversation",
       "Query.inboxSettings": "read:Workspace · signed-in user",
       "Query.integrations": "read:Integration",
       "Query.invitation": "public",
       "Query.invitations": "read:Invitation",
       "Query.lead": "read:Lead",
       "Query.leadStatusHistory": "read:Lead",
       "Query.leadTimeline": "read:Lead",
       "Query.leads": "read:Lead",
       "Query.me": "public",
       "Query.members": "read:Member",
       "Query.messageTemplates": "read:Workspace",
       "Query.messages": "read:Message",
       "Query.notifications": "read:Workspace · signed-in user",
       "Query.persistedDocuments": "read:ApiKey",
       "Query.phoneConfigs": "read:PhoneConfig",
       "Query.plans": "platform-admin",
       "Query.platformSsoSettings": "platform-admin",
       "Query.policyCatalog": "public",
       "Query.previewEnvironmentChange": "update:Workspace",
       "Query.registrationSettings": "public",
       "Query.retentionPreview": "update:Workspace",
       "Query.reviewItem": "read:ReviewItem",
       "Query.reviewItems": "read:ReviewItem",
       "Query.rolePresets": "public",
       "Query.safetyRuleTemplates": "read:SafetyRule",
       "Query.safetyRules": "read:SafetyRule",
       "Query.search": "read:Workspace",
       "Query.sessions": "authenticated",
       "Query.signInMethod": "public",
       "Query.slugSuggestion": "public",
       "Query.soleOwnedWorkspaces": "authenticated",
       "Query.ssoSettings": "read:SingleSignOn · signed-in user",
       "Query.usage": "read:Billing",
       "Query.webhookDeliveries": "read:Webhook",
       "Query.webhookEndpoints": "read:Webhook",
       "Query.workspace": "read:Workspace",
       "Query.workspaceHome": "read:Workspace",
       "Subscription.auditStreamEvents": "read:AuditEvent",
       "Subscription.bookingEvents": "read:Lead",
       "Subscription.campaignProgress": "read:Campaign",
       "Subscription.conversationEvents": "read:Conversation",
       "Subscription.dataSubjectRequestEvents": "read:DataSubjectRequest",
       "Subscription.leadEvents": "read:Lead",
       "Subscription.notificationEvents": "read:Workspace",
       "Subscription.reviewQueueEvents": "read:ReviewItem",
       "Subscription.webhookDeliveryEvents": "read:Webhook",
     }
    `);
  });

  it("every nested field that reaches another workspace subject declares the read it needs (issue 55)", async () => {
    const schema = await getSchema();
    const subjects = new Set<string>(SUBJECTS);
    const subjectOf = (t: GraphQLNamedType): string | null => {
      if (subjects.has(t.name)) return t.name;
      // A connection of a subject (XConnection → edges → node: X) reaches X too.
      const node = isObjectType(t) && t.name.endsWith("Connection") ? t.getFields().edges : undefined;
      const edge = node ? getNamedType(node.type) : undefined;
      const inner = edge && isObjectType(edge) ? edge.getFields().node : undefined;
      return inner && subjects.has(getNamedType(inner.type).name) ? getNamedType(inner.type).name : null;
    };
    const table: Record<string, string> = {};
    for (const type of Object.values(schema.getTypeMap())) {
      if (
        !isObjectType(type) ||
        type.name.startsWith("__") ||
        [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].includes(type)
      )
        continue;
      // A connection's own edges and nodes are the list itself, guarded where the list is served.
      if (type.name.endsWith("Connection") || type.name.endsWith("Edge")) continue;
      for (const field of Object.values(type.getFields())) {
        const reached = subjectOf(getNamedType(field.type));
        if (!reached || reached === type.name) continue;
        const reads = (field.extensions as { reads?: unknown }).reads;
        table[`${type.name}.${field.name}`] = typeof reads === "string" ? reads : `MISSING (reaches ${reached})`;
      }
    }
    expect(table).toMatchInlineSnapshot(`
     {
       "Booking.lead": "read:Lead",
       "Conversation.contact": "read:Contact",
       "Conversation.lastMessage": "read:Message",
       "ConversationEvent.conversation": "read:Conversation",
       "ConversationEvent.message": "read:Message",
       "CreatedApiKey.apiKey": "create:ApiKey",
       "Lead.contact": "read:Contact",
       "LeadEvent.lead": "read:Lead",
       "Membership.workspace": "read:Workspace",
       "ReviewItem.conversation": "read:Conversation",
     }
    `);
  });

  it("keeps the Contract's names and shapes", async () => {
    // Without descriptions: a described argument moves its signature onto several lines.
    const sdl = print(
      visit(parse(await readFile(schemaFile, "utf8")), {
        enter: (node) => ("description" in node && node.description ? { ...node, description: undefined } : undefined),
      }),
    );
    for (const line of [
      "enum Channel {",
      "enum Environment {",
      "enum MembershipRole {",
      "enum GlobalRole {",
      "signUp(input: SignUpInput!): SignUpPayload!",
      // The Contract's verifyEmail(token: String!), with the optional password of decision 0024.
      "verifyEmail(password: String, token: String!): Boolean!",
      "signIn(input: SignInInput!): AuthPayload!",
      "signOut: Boolean!",
      "createWorkspace(input: CreateWorkspaceInput!): Workspace!",
      "me: User",
      "workspace(slug: String!): Workspace!",
      "policyCatalog: [PolicyDescriptor!]!",
      "createApiKey(input: CreateApiKeyInput!, workspaceId: ID!): CreatedApiKey!",
      "revokeApiKey(id: ID!, workspaceId: ID!): Boolean!",
      "submitLead(input: SubmitLeadInput!): Lead!",
      "inviteMember(input: InviteMemberInput!, workspaceId: ID!): Invitation!",
      "acceptInvitation(token: String!): Workspace!",
      "members(workspaceId: ID!): [Member!]!",
      "updateMember(input: UpdateMemberInput!, userId: ID!, workspaceId: ID!): Member!",
      "removeMember(userId: ID!, workspaceId: ID!): Boolean!",
      "transferOwnership(userId: ID!, workspaceId: ID!): Workspace!",
      "updateWorkspace(id: ID!, input: UpdateWorkspaceInput!): Workspace!",
      "setAgentPaused(paused: Boolean!, workspaceId: ID!): Workspace!",
      "deleteWorkspace(confirmSlug: String!, id: ID!): Boolean!",
      // Contract, part 2: step-up, the explainer and sessions.
      "enrollTotp: TotpEnrollment!",
      "confirmTotp(code: String!): [String!]!",
      "verifyStepUp(code: String!): Boolean!",
      "setWorkspaceSecurity(input: WorkspaceSecurityInput!, workspaceId: ID!): Workspace!",
      "revokeSession(id: ID!): Boolean!",
      "sessions: [Session!]!",
      "requireStepUp: Boolean!",
      // Contract, part 3: accounts (issue 49; SDL prints arguments in alphabetical order).
      "requestPasswordReset(email: String!): Boolean!",
      "resetPassword(password: String!, token: String!): Boolean!",
      "changePassword(currentPassword: String!, newPassword: String!): Boolean!",
    ])
      expect(sdl).toContain(line);
    // Multi-argument list fields: check their arguments by introspection.
    const query = (await getSchema()).getQueryType()!.getFields();
    for (const [field, args] of [
      ["auditEvents", { workspaceId: "ID!", first: "Int", after: "String" }],
      ["leads", { workspaceId: "ID!", first: "Int", after: "String" }],
    ] as const) {
      const got = Object.fromEntries(query[field]!.args.map((a) => [a.name, String(a.type)]));
      expect(got).toMatchObject(args);
    }
    expect(String(query.leads!.type)).toBe("LeadConnection!");
    expect(String(query.auditEvents!.type)).toBe("AuditEventConnection!");
  });
});
