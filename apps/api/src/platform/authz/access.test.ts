import { RequestDeadline, RequestPrincipals, type RequestScope } from "@atrium/db";
import { describe, expect, it } from "@atrium/test-kit";

import { keyInScope } from "../../principal.ts";
import type { ApiKeyPrincipal } from "../graphql/context.ts";
import { accessFromMembership, inScope } from "./access.ts";

const W = "11111111-1111-4111-8111-111111111111";
const scope: RequestScope = { deadline: new RequestDeadline(Date.now() + 5_000), principals: new RequestPrincipals() };
const access = accessFromMembership({
  id: "22222222-2222-4222-8222-222222222222",
  workspaceId: W,
  userId: "33333333-3333-4333-8333-333333333333",
  role: "ADMIN",
  policies: ["lead.read"],
});

// inScope and keyInScope name every field instead of spreading (a spread is slow on Node 20): a
// field they forgot would silently vanish from every request's access.
describe("a cached access as one request's", () => {
  it("inScope keeps every field of the access, adds the scope and leaves the shared access alone", () => {
    const scoped = inScope(access, scope);
    expect(Object.keys(scoped).sort()).toEqual([...Object.keys(access), "scope"].sort());
    for (const key of Object.keys(access) as (keyof typeof access)[]) expect(scoped[key]).toBe(access[key]);
    expect(scoped.scope).toBe(scope);
    expect(access.scope).toBeUndefined();
    expect(inScope(access, undefined)).toBe(access);
  });

  it("keyInScope keeps every field of the key's principal, with its access in the request's scope", () => {
    const key: ApiKeyPrincipal = {
      kind: "apiKey",
      keyId: "44444444-4444-4444-8444-444444444444",
      workspaceId: W,
      workspaceSlug: "acme",
      persistedOnly: true,
      access,
      explain: { scopes: ["lead.read"], creatorRole: "ADMIN", creatorPolicies: [] },
    };
    const scoped = keyInScope(key, scope);
    expect(Object.keys(scoped).sort()).toEqual(Object.keys(key).sort());
    for (const field of Object.keys(key) as (keyof ApiKeyPrincipal)[])
      if (field !== "access") expect(scoped[field]).toBe(key[field]);
    expect(scoped.access).toEqual(inScope(access, scope));
    expect(scoped.access.scope).toBe(scope);
    expect(key.access.scope).toBeUndefined();
  });
});
