// The request path's three hot operations keep no per-request state in a WeakMap (or WeakSet). V8's
// scavenges keep the value of a young key alive, so an entry keyed by a request, a ResolverData or
// a statement made every request's value survive at least one scavenge; where the value reached its
// own key (the deadline timer's callback holds the request) it was promoted to the old generation.
// That made submitLead's scavenges 8.3 ms against 4.8 ms without. Here: once warm, the bench's user
// read, its key read with contacts and submitLead (one at a time, and a burst that the service
// writes as one statement) make no WeakMap.set or WeakSet.add from Atrium's own code. Libraries'
// own (graphql-js memoizes sub-selections per execution) are the framework's, shared with the
// bench's ceiling. Other paths still have some (a Prisma transaction's facts, `txFacts`): their
// values do not reach their keys.
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { createWorkspace, startTestApi, type TestApi, type TestUser } from "./test/harness.ts";

// The bench's documents (bench/request-path.bench.ts).
const AUDIT = `query($w: ID!) { auditEvents(workspaceId: $w, first: 20) { totalCount edges { node { id action createdAt } } } }`;
const LEADS = `query($w: ID!) { leads(workspaceId: $w, first: 50) { totalCount edges { node { id name email createdAt contact { id email phone } } } } }`;
const SUBMIT = `mutation($i: SubmitLeadInput!) { submitLead(input: $i) { id } }`;
const CREATE_KEY = `mutation($w: ID!, $i: CreateApiKeyInput!) { createApiKey(workspaceId: $w, input: $i) { secret } }`;

/** Our own source, not a dependency's and not this test's harness. */
const OWN = /\/(?:apps\/api|packages\/[^/]+)\/src\/(?!test\/)[^:]*\.ts:\d+/;

/**
 * Runs `fn` with WeakMap.prototype.set and WeakSet.prototype.add recording who called them: the
 * first frame with a file (a `new WeakMap(entries)` calls set from the builtin constructor).
 * Returns every caller, and those that are Atrium's own code.
 */
async function weakWritesOf(fn: () => Promise<void>): Promise<{ all: number; own: string[] }> {
  const own: string[] = [];
  let all = 0;
  /** Records the frame that called `wrapper`. */
  const record = (wrapper: (...args: never[]) => unknown) => {
    const at: { stack?: string } = {};
    Error.captureStackTrace(at, wrapper); // the stack from wrapper's caller on
    const caller =
      at.stack
        ?.split("\n")
        .slice(1)
        .find((frame) => /\.[cm]?[jt]s:\d+/.test(frame)) ?? "";
    all++;
    if (OWN.test(caller)) own.push(caller.trim());
  };
  /** Replaces `proto[name]` with a recording wrapper; returns what puts the original back. */
  const recorded = (proto: object, name: string): (() => void) => {
    const original = Object.getOwnPropertyDescriptor(proto, name)!;
    const method = original.value as (...args: unknown[]) => unknown;
    Object.defineProperty(proto, name, {
      ...original,
      value: function recordedCall(this: unknown, ...args: unknown[]) {
        record(recordedCall);
        return method.apply(this, args);
      },
    });
    return () => Object.defineProperty(proto, name, original);
  };
  const restores = [recorded(WeakMap.prototype, "set"), recorded(WeakSet.prototype, "add")];
  try {
    await fn();
  } finally {
    for (const restore of restores) restore();
  }
  return { all, own };
}

describe("issue 15's three operations keep no per-request state in WeakMaps", () => {
  let api: TestApi;
  let owner: TestUser;
  let ws: { id: string };
  let secret: string;
  let n = 0;

  const userRead = async () =>
    expect((await api.gql(AUDIT, { w: ws.id }, { token: owner.token })).errors).toBeUndefined();
  const keyRead = async () => {
    const r = await api.gql<{ leads: { totalCount: number; edges: { node: { contact: { id: string } | null } }[] } }>(
      LEADS,
      { w: ws.id },
      { token: secret },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.leads.edges.length, "a page of leads with contacts").toBeGreaterThan(0);
    expect(r.data!.leads.edges.every((e) => e.node.contact?.id)).toBe(true);
  };
  const submit = async () =>
    expect(
      (await api.gql(SUBMIT, { i: { name: `Lead ${++n}`, email: `lead-${n}@example.com` } }, { token: secret })).errors,
    ).toBeUndefined();
  /** Eight submissions at once; true when the service wrote some of them as one statement (coalesced). */
  const burst = async () => {
    const from = api.queries.length;
    await Promise.all(Array.from({ length: 8 }, submit));
    return api.queries.slice(from).some((q) => q.includes("WITH ORDINALITY AS i("));
  };

  beforeAll(async () => {
    api = await startTestApi();
    owner = await api.user("Weak");
    ws = await createWorkspace(api, owner, "Weak Co");
    const created = await api.gql<{ createApiKey: { secret: string } }>(
      CREATE_KEY,
      { w: ws.id, i: { name: "bench-like", scopes: ["lead.manage", "lead.read", "contact.read"] } },
      { token: owner.token },
    );
    secret = created.data!.createApiKey.secret;
    // Warm: the principal caches, prepared statements and memoized plans are filled once, by
    // design; what is measured below is what every further request does.
    for (let i = 0; i < 3; i++) {
      await submit();
      await keyRead();
      await userRead();
    }
    await burst();
  });
  afterAll(async () => {
    await api.close();
  });

  it("the recorder sees Atrium's WeakMap writes, in apps/api and in packages/db", async () => {
    const seen = await weakWritesOf(async () => {
      new WeakMap<object, number>().set({}, 1);
      // A Prisma transaction records its tenant facts in a WeakMap (txFacts, packages/db).
      await api.db.tenant({ userId: owner.id, workspaceId: ws.id }, () => Promise.resolve());
    });
    expect(seen.own.length, seen.own.join("\n")).toBe(2);
    expect(seen.own[0]).toContain("request-path-weak-maps.int.test.ts");
    expect(seen.own[1]).toMatch(/packages\/db\/src\/clients\.ts:\d+/);
  });

  it("a user read, the key read and submitLead (one at a time and coalesced) make no WeakMap or WeakSet write of Atrium's", async () => {
    let coalesced = false;
    const seen = await weakWritesOf(async () => {
      for (let i = 0; i < 3; i++) {
        await userRead();
        await keyRead();
        await submit();
      }
      // The coalesced write path, until a burst really was written as one statement.
      for (let i = 0; i < 5 && !coalesced; i++) coalesced = await burst();
    });
    expect(coalesced, "a burst of submissions was written as one statement").toBe(true);
    expect(seen.all, "the requests ran with the recorder in place (graphql-js's own memo writes)").toBeGreaterThan(0);
    expect(seen.own, `per-request WeakMap/WeakSet writes from Atrium's code:\n${seen.own.join("\n")}`).toEqual([]);
  });
});
