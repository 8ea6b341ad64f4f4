import type { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, ID, Info, Int, Mutation, Query, Resolver } from "type-graphql";

import type { WorkspaceAccess } from "../../platform/authz/access.ts";
import { Can, GrantedAccess } from "../../platform/authz/guards.ts";
import type { RequestContext } from "../../platform/graphql/context.ts";
import { PAGE_ARGS } from "../../platform/graphql/page-info.ts";
import { selectsTotal } from "../../platform/graphql/selection.ts";
import { ContactConnection, ContactView } from "../leads/leads.types.ts";
import {
  ContactImportProgress,
  ContactImportResult,
  ContactInput,
  ContactOrder,
  ImportContactsInput,
} from "./contacts.types.ts";

@Resolver()
export class ContactsResolver {
  @Query(() => ContactConnection, {
    description:
      "Contacts (deduplicated by e-mail and phone), newest first unless `orderBy` says otherwise; `search` matches a name containing it, an e-mail address or its domain starting with it (“acme” finds every address at acme.com), or a phone number starting (after the +) or ending with its digits (“0123”, “(415) 555-0123”, “+1 415”); `tag` narrows to one tag.",
  })
  @Can("read", "Contact")
  async contacts(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("first", () => Int, PAGE_ARGS.first) first: number | null,
    @Arg("after", () => String, PAGE_ARGS.after) after: string | null,
    @Arg("last", () => Int, PAGE_ARGS.last) last: number | null,
    @Arg("before", () => String, PAGE_ARGS.before) before: string | null,
    @Arg("search", () => String, {
      description: "Text to find in the name (case-insensitive), the e-mail or the phone number's digits.",
      nullable: true,
    })
    search: string | null,
    @Arg("tag", () => String, { description: "Only contacts with this tag.", nullable: true }) tag: string | null,
    @Arg("orderBy", () => ContactOrder, {
      nullable: true,
      description:
        "Sort by a column (issue 48); absent: newest first. Pass `after`/`before` cursors only to the same order they came from.",
    })
    orderBy: ContactOrder | null,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ContactConnection> {
    return ctx.services.contacts.list(access, {
      first,
      after,
      last,
      before,
      search,
      tag,
      orderBy,
      withTotal: selectsTotal(info),
    });
  }

  @Query(() => [String], { description: "Every tag used on the workspace's contacts, alphabetically (at most 500)." })
  @Can("read", "Contact")
  async contactTags(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<string[]> {
    return ctx.services.contacts.tags(access);
  }

  @Query(() => ContactImportProgress, {
    nullable: true,
    description:
      "Issue 52: the progress of an import sent in chunks (importContacts with importId): the chunks committed and their totals; null before the first chunk commits.",
  })
  @Can("read", "Contact")
  async contactImport(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("importId", () => ID, { description: "The import's id, as its chunks gave it." }) importId: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<ContactImportProgress | null> {
    return ctx.services.contacts.importProgress(access, importId);
  }

  @Mutation(() => ContactView, {
    description: "R2 (contact.manage). A duplicate e-mail or phone answers CONFLICT naming the field.",
  })
  @Can("create", "Contact")
  async createContact(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("input", () => ContactInput, { description: "The contact's name, e-mail, phone and tags." })
    input: ContactInput,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<ContactView> {
    return ctx.services.contacts.create(access, input, ctx.actor);
  }

  @Mutation(() => ContactView, { description: "Replaces name, e-mail, phone and tags (contact.manage)." })
  @Can("update", "Contact")
  async updateContact(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("id", () => ID, { description: "The contact's ID." }) id: string,
    @Arg("input", () => ContactInput, {
      description: "The contact's new name, e-mail, phone and tags (replacing the old ones).",
    })
    input: ContactInput,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<ContactView> {
    return ctx.services.contacts.update(access, id, input, ctx.actor);
  }

  @Mutation(() => Boolean, {
    description: "Deletes a contact without leads, conversations or calls (contact.manage); otherwise CONFLICT.",
  })
  @Can("delete", "Contact")
  async deleteContact(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("id", () => ID, { description: "The contact's ID." }) id: string,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    return ctx.services.contacts.remove(access, id, ctx.actor);
  }

  @Mutation(() => ContactImportResult, {
    description:
      "A CSV import, the whole file (≤ 5,000 rows) in one transaction: each row is created, merged into the contact with the same e-mail/phone (earlier rows of the file included), skipped, or refused with its reason; `onConflict` decides differing values, and `changes` lists every field a merge adds, replaces or leaves unused. `dryRun` is the preview: the same plan, nothing stored. contact.manage.",
  })
  @Can("create", "Contact")
  async importContacts(
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    workspaceId: string,
    @Arg("input", () => ImportContactsInput, {
      description: "The file's rows, the conflict mode, and for the import itself the preview's planId.",
    })
    input: ImportContactsInput,
    @GrantedAccess() access: WorkspaceAccess,
    @Ctx() ctx: RequestContext,
  ): Promise<ContactImportResult> {
    return ctx.services.contacts.importRows(access, input, ctx.actor);
  }
}
