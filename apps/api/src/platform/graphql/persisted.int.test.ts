import { createHash } from "node:crypto";
import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { codeOf, createWorkspace, startTestApi, type TestApi, type TestUser } from "../../test/harness.ts";

const sha = (s: string) => createHash("sha256").update(s).digest("hex");
const TRUSTED = `query TrustedLeads($w: ID!) { leads(workspaceId: $w, first: 5) { totalCount } }`;

describe("persisted operations and GraphQL limits", () => {
  let api: TestApi;
  let owner: TestUser;
  let ws: { id: string };
  let persistedOnlyKey: string;
  let normalKey: string;

  const post = async (body: Record<string, unknown>, token?: string) => {
    const res = await fetch(`${api.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    return {
      status: res.status,
      body: (await res.json()) as {
        data?: Record<string, unknown> | null;
        errors?: { message: string; extensions?: { code?: string } }[];
      },
    };
  };

  beforeAll(async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "atrium-manifest-"));
    const manifest = path.join(dir, "trusted.json");
    await writeFile(manifest, JSON.stringify({ [`sha256:${sha(TRUSTED)}`]: TRUSTED }));
    api = await startTestApi({ trustedDocumentsPath: manifest });
    owner = await api.user("Owner");
    ws = await createWorkspace(api, owner, "Persisted Co");
    const mk = async (persistedOnly: boolean) =>
      (
        await api.gql<{ createApiKey: { secret: string } }>(
          `mutation($w: ID!, $p: Boolean) { createApiKey(workspaceId: $w, input: { name: "k", scopes: ["lead.read"], persistedOnly: $p }) { secret } }`,
          { w: ws.id, p: persistedOnly },
          { token: owner.token },
        )
      ).data!.createApiKey.secret;
    persistedOnlyKey = await mk(true);
    normalKey = await mk(false);
  });
  afterAll(async () => api.close());

  it("runs a trusted document sent by hash alone", async () => {
    const r = await post(
      { extensions: { persistedQuery: { version: 1, sha256Hash: sha(TRUSTED) } }, variables: { w: ws.id } },
      normalKey,
    );
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data).toEqual({ leads: { totalCount: 0 } });
    const byId = await post({ documentId: `sha256:${sha(TRUSTED)}`, variables: { w: ws.id } }, persistedOnlyKey);
    expect(byId.body.data).toEqual({ leads: { totalCount: 0 } });
  });

  it("holds a persisted-only key to trusted documents: ad-hoc text is refused before parsing", async () => {
    const adHoc = await post({ query: `{ leads(workspaceId: "${ws.id}") { totalCount } }` }, persistedOnlyKey);
    expect(adHoc.body.errors?.[0]?.extensions?.code).toBe("PERSISTED_QUERY_NOT_FOUND");
    // Even unparseable text gets the same answer: it never reaches the parser.
    const garbage = await post({ query: "{{{{ not graphql" }, persistedOnlyKey);
    expect(garbage.body.errors?.[0]?.extensions?.code).toBe("PERSISTED_QUERY_NOT_FOUND");
    // A trusted hash with a different document attached is refused too.
    const swapped = await post(
      { query: `{ __typename }`, extensions: { persistedQuery: { version: 1, sha256Hash: sha(TRUSTED) } } },
      persistedOnlyKey,
    );
    expect(swapped.body.errors?.[0]?.extensions?.code).toBe("PERSISTED_QUERY_NOT_FOUND");
    const trusted = await post(
      { extensions: { persistedQuery: { version: 1, sha256Hash: sha(TRUSTED) } }, variables: { w: ws.id } },
      persistedOnlyKey,
    );
    expect(trusted.body.errors).toBeUndefined();
    // The same ad-hoc text is fine for an ordinary key.
    expect(
      (await post({ query: `{ leads(workspaceId: "${ws.id}") { totalCount } }` }, normalKey)).body.errors,
    ).toBeUndefined();
  });

  it("supports automatic persisted queries: unknown hash → PERSISTED_QUERY_NOT_FOUND, then register, then hash alone works", async () => {
    const q = `query Apq($w: ID!) { leads(workspaceId: $w, first: 1) { totalCount } }`;
    const ext = { persistedQuery: { version: 1, sha256Hash: sha(q) } };
    const miss = await post({ extensions: ext, variables: { w: ws.id } }, owner.token);
    expect(miss.body.errors?.[0]?.extensions?.code).toBe("PERSISTED_QUERY_NOT_FOUND");
    expect(
      (await post({ query: q, extensions: ext, variables: { w: ws.id } }, owner.token)).body.errors,
    ).toBeUndefined();
    const hit = await post({ extensions: ext, variables: { w: ws.id } }, owner.token);
    expect(hit.body.data).toEqual({ leads: { totalCount: 0 } });
  });

  it("enforces alias and token limits with BAD_USER_INPUT", async () => {
    const aliases = (n: number) =>
      `{ ${Array.from({ length: n }, (_, i) => `a${i}: policyCatalog { key }`).join(" ")} }`;
    expect((await post({ query: aliases(15) }, owner.token)).body.errors).toBeUndefined();
    const tooMany = await post({ query: aliases(16) }, owner.token);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const tokens = `{ ${Array.from({ length: 1200 }, () => "__typename").join(" ")} }`;
    expect((await post({ query: tokens }, owner.token)).body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("enforces the depth limit (configured low here; the schema's own depth stays under the default)", async () => {
    const shallow = await startTestApi({
      graphqlLimits: { maxDepth: 3, maxAliases: 15, maxDirectives: 50, maxTokens: 1000, maxCost: 5000 },
    });
    try {
      const u = await shallow.user();
      expect(codeOf(await shallow.gql(`{ me { memberships { role } } }`, {}, { token: u.token }))).toBeUndefined();
      expect(codeOf(await shallow.gql(`{ me { memberships { workspace { id } } } }`, {}, { token: u.token }))).toBe(
        "BAD_USER_INPUT",
      );
    } finally {
      await shallow.close();
    }
  });

  it("refuses anonymous introspection in production, allows it signed in", async () => {
    const prod = await startTestApi({ nodeEnv: "production" });
    try {
      const q = { query: "{ __schema { queryType { name } } }" };
      const anon = await fetch(`${prod.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(q),
      });
      const anonBody = (await anon.json()) as { errors?: { extensions?: { code?: string } }[] };
      expect(anonBody.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    } finally {
      await prod.close();
    }
    expect(codeOf(await api.gql(`{ __schema { queryType { name } } }`, {}, { token: owner.token }))).toBeUndefined();
  });
});
