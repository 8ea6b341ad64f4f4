// @GrantedAccess(): the resolver receives the very access its @Can guard resolved and let
// through — looked up once per request, never a second time, and never without a guard.
import "reflect-metadata";

import { graphql } from "graphql";
import { Arg, buildSchema, ID, Query, Resolver } from "type-graphql";

import { defineAbilityFor, effectivePolicies } from "@atrium/policies";
import { describe, expect, it } from "@atrium/test-kit";

import { AppError, ErrorCode } from "../errors.ts";
import type { RequestContext } from "../graphql/context.ts";
import type { WorkspaceAccess, WorkspaceAccessSource } from "./access.ts";
import { Can, GrantedAccess } from "./guards.ts";

const W = "00000000-0000-4000-8000-000000000001";
const OTHER = "00000000-0000-4000-8000-000000000002";

@Resolver()
class ProbeResolver {
  @Query(() => String)
  @Can("read", "Lead")
  guarded(@Arg("workspaceId", () => ID) workspaceId: string, @GrantedAccess() access: WorkspaceAccess): string {
    return `${workspaceId}:${access.workspaceId}:${access.role}`;
  }

  @Query(() => String)
  @Can("update", "Workspace", { arg: "id" })
  byId(@Arg("id", () => ID) id: string, @GrantedAccess() access: WorkspaceAccess): string {
    return `${id}:${access.membershipId}`;
  }

  @Query(() => String)
  unguarded(@GrantedAccess() access: WorkspaceAccess): string {
    return access.workspaceId;
  }
}

function context(lookups: string[]): RequestContext {
  const access: WorkspaceAccessSource = {
    forWorkspace: (id) => {
      lookups.push(id);
      const admin: WorkspaceAccess = {
        membershipId: "m-1",
        workspaceId: W,
        userId: "u-1",
        role: "ADMIN",
        policies: effectivePolicies("ADMIN", []),
        ability: defineAbilityFor({ workspaceId: W, role: "ADMIN", policies: [] }),
      };
      return Promise.resolve(id === W ? admin : null);
    },
    forSlug: () => Promise.resolve(null),
  };
  const denials: unknown[] = [];
  return {
    principal: { userId: "u-1" },
    apiKey: null,
    authFailure: null,
    actor: { userId: "u-1", ip: "127.0.0.1", userAgent: null, requestId: "r-1" },
    access,
    services: {
      accessExplainer: { recordDenial: (...a: unknown[]) => denials.push(a), countProbe: () => Promise.resolve() },
    },
  } as unknown as RequestContext;
}

describe("@GrantedAccess()", () => {
  it("hands the resolver the access the guard resolved, with one lookup per field", async () => {
    const schema = await buildSchema({ resolvers: [ProbeResolver], validate: false });
    const lookups: string[] = [];
    const r = await graphql({
      schema,
      source: `{ guarded(workspaceId: "${W}") byId(id: "${W}") }`,
      contextValue: context(lookups),
    });
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ guarded: `${W}:${W}:ADMIN`, byId: `${W}:m-1` });
    expect(lookups).toEqual([W, W]); // the guard's, one per field; the resolver looked up nothing
  });

  it("a workspace the guard refused never reaches the resolver", async () => {
    const schema = await buildSchema({ resolvers: [ProbeResolver], validate: false });
    const r = await graphql({ schema, source: `{ guarded(workspaceId: "${OTHER}") }`, contextValue: context([]) });
    expect((r.errors?.[0]?.originalError as AppError | undefined)?.code).toBe(ErrorCode.NOT_FOUND);
    expect(r.data).toBeNull();
  });

  it("on a field without @Can it is an error, never access", async () => {
    const schema = await buildSchema({ resolvers: [ProbeResolver], validate: false });
    const r = await graphql({ schema, source: `{ unguarded }`, contextValue: context([]) });
    expect(r.errors?.[0]?.message).toMatch(
      /@GrantedAccess\(\) on Query.unguarded, which has no @Can or @ApiKeyCan guard/,
    );
    expect(r.data).toBeNull();
  });
});
