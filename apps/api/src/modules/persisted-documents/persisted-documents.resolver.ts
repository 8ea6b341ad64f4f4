import type { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, ID, Info, Mutation, Query, Resolver } from "type-graphql";

import type { WorkspaceAccess } from "../../platform/authz/access.ts";
import { Can, GrantedAccess } from "../../platform/authz/guards.ts";
import type { RequestContext } from "../../platform/graphql/context.ts";
import { PersistedDocumentView, RegisterPersistedDocumentInput } from "./persisted-documents.types.ts";

@Resolver()
export class PersistedDocumentsResolver {
  @Query(() => [PersistedDocumentView], {
    description: "The workspace's registered persisted documents, by name (apikey.manage).",
  })
  @Can("read", "ApiKey")
  async persistedDocuments(
    @Arg("workspaceId", () => ID, { description: "The workspace's ID." }) workspaceId: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<PersistedDocumentView[]> {
    return ctx.services.persistedDocuments.list(access);
  }

  @Mutation(() => PersistedDocumentView, {
    description:
      "Registers a GraphQL document for the workspace's API keys (apikey.manage; a signed-in member, as for createApiKey: a key cannot widen what persisted-only keys may run) and returns its SHA-256 id. Registering the same text under the same name again returns the existing document; the same text under another name, or another text under a taken name, is CONFLICT.",
  })
  @Can("create", "ApiKey", { signedIn: true })
  async registerPersistedDocument(
    @Arg("workspaceId", () => ID, { description: "The workspace's ID." }) workspaceId: string,
    @Arg("input", () => RegisterPersistedDocumentInput, { description: "The name and the document's text." })
    input: RegisterPersistedDocumentInput,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<PersistedDocumentView> {
    return ctx.services.persistedDocuments.register(access, input, info.schema, ctx.actor);
  }

  @Mutation(() => Boolean, {
    description:
      "Deletes a registered document (apikey.manage, a signed-in member); requests naming its id are refused from then on (PERSISTED_QUERY_NOT_FOUND).",
  })
  @Can("delete", "ApiKey", { signedIn: true })
  async deletePersistedDocument(
    @Arg("workspaceId", () => ID, { description: "The workspace's ID." }) workspaceId: string,
    @Arg("id", () => ID, { description: "The document's SHA-256 id (64 hexadecimal digits)." }) id: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    return ctx.services.persistedDocuments.remove(access, id, ctx.actor);
  }
}
