// Issue 51: a workspace registers its own persisted documents (apikey.manage); its API keys run
// them by id, keys held to persisted operations may run them and the platform manifest's (which
// holds submitLead), and nobody else's workspace can.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { createWorkspace, startTestApi, type TestApi, type TestUser } from "../../test/harness.ts";

const sha = (s: string) => createHash("sha256").update(s).digest("hex");
const LEADS = `query MyLeads($w: ID!) { leads(workspaceId: $w, first: 5) { totalCount } }`;
const REGISTER = `mutation($w: ID!, $name: String!, $doc: String!) { registerPersistedDocument(workspaceId: $w, input: { name: $name, document: $doc }) { id name document operationNames createdAt } }`;
const codeOf = (body: Answer["body"]) => body.errors?.[0]?.extensions?.code;
type Answer = {
  status: number;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: { code?: string; reason?: string; fields?: Record<string, string> } }[];
  };
};

describe("persisted documents registered by a workspace", () => {
  let api: TestApi;
  let owner: TestUser;
  let ws: { id: string };
  let other: { id: string };
  let persistedOnlyKey: string;
  let otherPersistedOnlyKey: string;
  let manageKey: string;
  let readKey: string;

  const post = async (body: Record<string, unknown>, token?: string): Promise<Answer> => {
    const res = await fetch(`${api.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Answer["body"] };
  };
  const register = (w: string, name: string, doc: string, token: string) =>
    post({ query: REGISTER, variables: { w, name, doc } }, token);

  beforeAll(async () => {
    // The committed platform manifest, as production loads it.
    api = await startTestApi();
    owner = await api.user("Owner");
    ws = await createWorkspace(api, owner, "Integrator Co");
    other = await createWorkspace(api, owner, "Other Co");
    const mk = async (w: string, scopes: string[], persistedOnly: boolean) =>
      (
        await api.gql<{ createApiKey: { secret: string } }>(
          `mutation($w: ID!, $s: [String!]!, $p: Boolean) { createApiKey(workspaceId: $w, input: { name: "k", scopes: $s, persistedOnly: $p }) { secret } }`,
          { w, s: scopes, p: persistedOnly },
          { token: owner.token },
        )
      ).data!.createApiKey.secret;
    persistedOnlyKey = await mk(ws.id, ["lead.read", "lead.manage"], true);
    otherPersistedOnlyKey = await mk(other.id, ["lead.read"], true);
    manageKey = await mk(ws.id, ["apikey.manage"], false);
    readKey = await mk(ws.id, ["lead.read"], false);
  });
  afterAll(async () => api.close());

  it("registers a document and returns its SHA-256 id; the same text and name again is the same document", async () => {
    const r = await register(ws.id, "my-leads", LEADS, owner.token);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!.registerPersistedDocument).toMatchObject({
      id: sha(LEADS),
      name: "my-leads",
      document: LEADS,
      operationNames: ["MyLeads"],
    });
    const again = await register(ws.id, "my-leads", LEADS, owner.token);
    expect(again.body.data!.registerPersistedDocument).toMatchObject({ id: sha(LEADS) });
    const list = await post(
      { query: `query($w: ID!) { persistedDocuments(workspaceId: $w) { id name } }`, variables: { w: ws.id } },
      owner.token,
    );
    expect(list.body.data).toEqual({ persistedDocuments: [{ id: sha(LEADS), name: "my-leads" }] });
    const audit = await post(
      {
        query: `query($w: ID!) { auditEvents(workspaceId: $w, first: 5) { edges { node { action } } } }`,
        variables: { w: ws.id },
      },
      owner.token,
    );
    expect(JSON.stringify(audit.body.data)).toContain("persisted_document.registered");
  });

  it("a persisted-only key runs its workspace's document by id alone, or with the same text", async () => {
    const byId = await post({ documentId: sha(LEADS), variables: { w: ws.id } }, persistedOnlyKey);
    expect(byId.body.errors).toBeUndefined();
    expect(byId.body.data).toEqual({ leads: { totalCount: 0 } });
    const apq = await post(
      { extensions: { persistedQuery: { version: 1, sha256Hash: sha(LEADS) } }, variables: { w: ws.id } },
      persistedOnlyKey,
    );
    expect(apq.body.data).toEqual({ leads: { totalCount: 0 } });
    const withText = await post(
      { query: LEADS, extensions: { persistedQuery: { version: 1, sha256Hash: sha(LEADS) } }, variables: { w: ws.id } },
      persistedOnlyKey,
    );
    expect(withText.body.data).toEqual({ leads: { totalCount: 0 } });
    // An ordinary key of the workspace may send the id alone too.
    expect((await post({ documentId: sha(LEADS), variables: { w: ws.id } }, readKey)).body.data).toEqual({
      leads: { totalCount: 0 },
    });
  });

  it("another workspace's key cannot run it, and a swapped text is refused", async () => {
    const foreign = await post({ documentId: sha(LEADS), variables: { w: other.id } }, otherPersistedOnlyKey);
    expect(codeOf(foreign.body)).toBe("PERSISTED_QUERY_NOT_FOUND");
    const swapped = await post(
      {
        query: `query MyLeads($w: ID!) { leads(workspaceId: $w, first: 50) { totalCount } }`,
        extensions: { persistedQuery: { version: 1, sha256Hash: sha(LEADS) } },
        variables: { w: ws.id },
      },
      persistedOnlyKey,
    );
    expect(codeOf(swapped.body)).toBe("PERSISTED_QUERY_NOT_FOUND");
    // Another workspace cannot list or delete it either.
    const list = await post(
      { query: `query($w: ID!) { persistedDocuments(workspaceId: $w) { id } }`, variables: { w: other.id } },
      owner.token,
    );
    expect(list.body.data).toEqual({ persistedDocuments: [] });
    const del = await post(
      {
        query: `mutation($w: ID!, $id: ID!) { deletePersistedDocument(workspaceId: $w, id: $id) }`,
        variables: { w: other.id, id: sha(LEADS) },
      },
      owner.token,
    );
    expect(codeOf(del.body)).toBe("NOT_FOUND");
  });

  it("submitLead is in the platform manifest: a persisted-only key submits a lead by id", async () => {
    const manifest = JSON.parse(
      readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), "../../../trusted-documents.json"), "utf8"),
    ) as Record<string, string>;
    const entry = Object.entries(manifest).find(
      ([, doc]) => /\bsubmitLead\s*\(/.test(doc) && doc.startsWith("mutation"),
    );
    expect(entry).toBeDefined();
    const [key] = entry!;
    const r = await post(
      { documentId: key, variables: { input: { name: "Persisted Lead", email: "persisted@example.com" } } },
      persistedOnlyKey,
    );
    expect(r.body.errors).toBeUndefined();
    expect(JSON.stringify(r.body.data)).toContain("Persisted Lead");
  });

  it("only a signed-in member with apikey.manage registers or deletes documents: an API key cannot widen what persisted-only keys run", async () => {
    const doc = `query KeyCount($w: ID!) { leads(workspaceId: $w, first: 1) { totalCount } }`;
    expect(codeOf((await register(ws.id, "key-count", doc, manageKey)).body)).toBe("FORBIDDEN");
    expect(codeOf((await register(ws.id, "nope", doc, readKey)).body)).toBe("FORBIDDEN");
    const ok = await register(ws.id, "key-count", doc, owner.token);
    expect(ok.body.errors).toBeUndefined();
    const del = await post(
      {
        query: `mutation($w: ID!, $id: ID!) { deletePersistedDocument(workspaceId: $w, id: $id) }`,
        variables: { w: ws.id, id: sha(doc) },
      },
      manageKey,
    );
    expect(codeOf(del.body)).toBe("FORBIDDEN");
    // Listing is a read: a key with apikey.manage may.
    const list = await post(
      { query: `query($w: ID!) { persistedDocuments(workspaceId: $w) { name } }`, variables: { w: ws.id } },
      manageKey,
    );
    expect(list.body.errors).toBeUndefined();
  });

  it("holds a registered document to the server's token limit, and two racing registrations of one document both get it", async () => {
    // 1,200 tokens in 2,400 characters: under the text limit, over the server's 1,000 tokens.
    const many = `query Many { ${"a ".repeat(1_200)}}`;
    const r = await register(ws.id, "many", many, owner.token);
    expect({ code: codeOf(r.body), reason: r.body.errors?.[0]?.extensions?.reason }).toEqual({
      code: "BAD_USER_INPUT",
      reason: "INVALID_DOCUMENT",
    });
    const doc = `query Raced($w: ID!) { leads(workspaceId: $w, first: 3) { totalCount } }`;
    const both = await Promise.all([
      register(ws.id, "raced", doc, owner.token),
      register(ws.id, "raced", doc, owner.token),
    ]);
    for (const answer of both) {
      expect(answer.body.errors).toBeUndefined();
      expect(answer.body.data!.registerPersistedDocument).toMatchObject({ id: sha(doc), name: "raced" });
    }
  });

  it("refuses bad documents and names with BAD_USER_INPUT and a reason, conflicts with CONFLICT; nothing is stored", async () => {
    const cases: [string, string, string, string][] = [
      ["unparseable", "broken", "query {", "INVALID_DOCUMENT"],
      ["invalid against the schema", "invalid", "query { noSuchField }", "INVALID_DOCUMENT"],
      [
        "a subscription",
        "sub",
        `subscription($w: ID!) { leadEvents(workspaceId: $w) { type } }`,
        "SUBSCRIPTION_NOT_PERSISTED",
      ],
      ["empty", "empty", "   ", "INVALID_DOCUMENT"],
      ["a bad name", "has space", LEADS.replace("first: 5", "first: 6"), "INVALID_DOCUMENT"],
    ];
    for (const [what, name, doc, reason] of cases) {
      const r = await register(ws.id, name, doc, owner.token);
      expect({ what, code: codeOf(r.body), reason: r.body.errors?.[0]?.extensions?.reason }).toEqual({
        what,
        code: "BAD_USER_INPUT",
        reason,
      });
      expect(r.status, what).toBeLessThan(500);
    }
    // Longer than any text argument may be: refused before the resolver, naming the argument.
    const long = await register(ws.id, "long", `query Long { ${"__typename ".repeat(1_000)} }`, owner.token);
    expect(codeOf(long.body)).toBe("BAD_USER_INPUT");
    expect(long.body.errors?.[0]?.message).toMatch(/at most 10000 characters/);
    // The same text under another name; another text under a taken name.
    const dup = await register(ws.id, "my-leads-again", LEADS, owner.token);
    expect({ code: codeOf(dup.body), reason: dup.body.errors?.[0]?.extensions?.reason }).toEqual({
      code: "CONFLICT",
      reason: "DOCUMENT_ALREADY_REGISTERED",
    });
    const taken = await register(ws.id, "my-leads", LEADS.replace("first: 5", "first: 7"), owner.token);
    expect(codeOf(taken.body)).toBe("CONFLICT");
    const list = await post(
      { query: `query($w: ID!) { persistedDocuments(workspaceId: $w) { name } }`, variables: { w: ws.id } },
      owner.token,
    );
    expect(list.body.data).toEqual({
      persistedDocuments: [{ name: "key-count" }, { name: "my-leads" }, { name: "raced" }],
    });
  });

  it("a deleted document stops working at once", async () => {
    const del = await post(
      {
        query: `mutation($w: ID!, $id: ID!) { deletePersistedDocument(workspaceId: $w, id: $id) }`,
        variables: { w: ws.id, id: sha(LEADS) },
      },
      owner.token,
    );
    expect(del.body.data).toEqual({ deletePersistedDocument: true });
    expect(codeOf((await post({ documentId: sha(LEADS), variables: { w: ws.id } }, persistedOnlyKey)).body)).toBe(
      "PERSISTED_QUERY_NOT_FOUND",
    );
    expect(
      codeOf(
        (
          await post(
            {
              query: `mutation($w: ID!, $id: ID!) { deletePersistedDocument(workspaceId: $w, id: $id) }`,
              variables: { w: ws.id, id: sha(LEADS) },
            },
            owner.token,
          )
        ).body,
      ),
    ).toBe("NOT_FOUND");
    expect(
      codeOf(
        (
          await post(
            {
              query: `mutation($w: ID!, $id: ID!) { deletePersistedDocument(workspaceId: $w, id: $id) }`,
              variables: { w: ws.id, id: "not-a-hash" },
            },
            owner.token,
          )
        ).body,
      ),
    ).toBe("NOT_FOUND");
  });
});
