// The committed contract: schema.graphql must match the resolvers, and every root operation
// declares the permission it needs. A diff in the snapshot is a permission change: review it.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "@atrium/test-kit";
import { printSchemaFile } from "./print-schema.ts";
import { getSchema } from "./schema.ts";

const schemaFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../schema.graphql");

describe("GraphQL contract", () => {
  it("schema.graphql is up to date (run `pnpm --filter @atrium/api emit-schema`)", async () => {
    expect(await readFile(schemaFile, "utf8")).toBe(await printSchemaFile());
  });

  it("every Query and Mutation declares its required permission", async () => {
    const schema = await getSchema();
    const table: Record<string, string> = {};
    for (const type of [schema.getQueryType(), schema.getMutationType()]) {
      for (const field of Object.values(type!.getFields())) {
        const auth = (field.extensions as { auth?: unknown }).auth;
        expect(typeof auth, `${type!.name}.${field.name} has no @Public/@Authenticated/@Can`).toBe("string");
        table[`${type!.name}.${field.name}`] = auth as string;
      }
    }
    expect(table).toMatchInlineSnapshot(`
      {
        "Mutation.acceptInvitation": "authenticated",
        "Mutation.cancelBooking": "update:Lead",
        "Mutation.changeEnvironment": "update:Workspace",
        "Mutation.createApiKey": "create:ApiKey",
        "Mutation.createWorkspace": "authenticated",
        "Mutation.deleteWorkspace": "delete:Workspace",
        "Mutation.inviteMember": "create:Invitation",
        "Mutation.leaveWorkspace": "read:Workspace",
        "Mutation.refreshSession": "public",
        "Mutation.removeIntegration": "delete:Integration",
        "Mutation.removeMember": "delete:Member",
        "Mutation.rescheduleBooking": "update:Lead",
        "Mutation.resendInvitation": "create:Invitation",
        "Mutation.resendVerificationEmail": "public",
        "Mutation.revokeApiKey": "delete:ApiKey",
        "Mutation.revokeInvitation": "delete:Invitation",
        "Mutation.sendManualReply": "send:Conversation",
        "Mutation.setAgentPaused": "update:Workspace",
        "Mutation.setHumanTakeover": "update:Conversation",
        "Mutation.setIntegration": "update:Integration",
        "Mutation.setRetention": "update:Workspace",
        "Mutation.setUserDisabled": "platform-admin",
        "Mutation.signIn": "public",
        "Mutation.signOut": "authenticated",
        "Mutation.signOutEverywhere": "authenticated",
        "Mutation.signUp": "public",
        "Mutation.submitLead": "api-key create:Lead",
        "Mutation.testIntegration": "update:Integration",
        "Mutation.transferOwnership": "transfer:Workspace",
        "Mutation.updateAgentPersona": "update:Workspace",
        "Mutation.updateLeadStatus": "update:Lead",
        "Mutation.updateMember": "update:Member",
        "Mutation.updateRegistrationSettings": "platform-admin",
        "Mutation.updateWorkspace": "update:Workspace",
        "Mutation.verifyEmail": "public",
        "Query.adminUsers": "platform-admin",
        "Query.apiKeys": "read:ApiKey",
        "Query.auditEvents": "read:AuditEvent",
        "Query.authDiagnostics": "update:Workspace",
        "Query.bookings": "read:Lead",
        "Query.contacts": "read:Contact",
        "Query.conversation": "read:Conversation",
        "Query.conversations": "read:Conversation",
        "Query.integrations": "read:Integration",
        "Query.invitation": "public",
        "Query.invitations": "read:Invitation",
        "Query.lead": "read:Lead",
        "Query.leads": "read:Lead",
        "Query.me": "public",
        "Query.members": "read:Member",
        "Query.messages": "read:Message",
        "Query.policyCatalog": "public",
        "Query.previewEnvironmentChange": "update:Workspace",
        "Query.registrationSettings": "public",
        "Query.retentionPreview": "update:Workspace",
        "Query.rolePresets": "public",
        "Query.slugSuggestion": "public",
        "Query.workspace": "read:Workspace",
      }
    `);
  });

  it("keeps the Contract's names and shapes", async () => {
    const sdl = await readFile(schemaFile, "utf8");
    for (const line of [
      "enum Channel {", "enum Environment {", "enum MembershipRole {", "enum GlobalRole {",
      "signUp(input: SignUpInput!): SignUpPayload!", "verifyEmail(token: String!): Boolean!",
      "signIn(input: SignInInput!): AuthPayload!", "signOut: Boolean!",
      "createWorkspace(input: CreateWorkspaceInput!): Workspace!", "me: User", "workspace(slug: String!): Workspace!",
      "policyCatalog: [PolicyDescriptor!]!",
      "createApiKey(input: CreateApiKeyInput!, workspaceId: ID!): CreatedApiKey!", "revokeApiKey(id: ID!, workspaceId: ID!): Boolean!",
      "submitLead(input: SubmitLeadInput!): Lead!", "inviteMember(input: InviteMemberInput!, workspaceId: ID!): Invitation!",
      "acceptInvitation(token: String!): Workspace!", "members(workspaceId: ID!): [Member!]!",
      "updateMember(input: UpdateMemberInput!, userId: ID!, workspaceId: ID!): Member!", "removeMember(userId: ID!, workspaceId: ID!): Boolean!",
      "transferOwnership(userId: ID!, workspaceId: ID!): Workspace!", "updateWorkspace(id: ID!, input: UpdateWorkspaceInput!): Workspace!",
      "setAgentPaused(paused: Boolean!, workspaceId: ID!): Workspace!", "deleteWorkspace(confirmSlug: String!, id: ID!): Boolean!",
    ]) expect(sdl).toContain(line);
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
