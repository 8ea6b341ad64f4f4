// Decision 0014, addendum 39: the request path keeps no per-request state in a WeakMap (or
// WeakSet). V8's scavenges keep the value of a young key alive, so an entry keyed by a request, a
// ResolverData or a statement made every request's value survive at least one scavenge; where the
// value reached its own key (the deadline timer's callback holds the request) it was promoted to
// the old generation. That doubled submitLead's scavenge pauses (8.3 against 4.8 ms). Here: once
// warm, issue 15's three operations (a user read, the key read with contacts, submitLead) make no
// WeakMap.set or WeakSet.add from Atrium's own code. Libraries' own (graphql-js memoizes
// sub-selections per execution) are the framework's, shared with the bench's ceiling.
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";
import { createWorkspace, startTestApi, type TestApi, type TestUser } from "./test/harness.ts";

const AUDIT = `query($w: ID!) { auditEvents(workspaceId: $w, first: 20) { edges { node { id action createdAt } } } }`;
const LEADS_PAGE = `query($w: ID!) { leads(workspaceId: $w, first: 50) { totalCount edges { node { id name contact { id name email } } } } }`;
const SUBMIT = `mutation($i: SubmitLeadInput!) { submitLead(input: $i) { id } }`;
const CREATE_KEY = `mutation($w: ID!, $i: CreateApiKeyInput!) { createApiKey(workspaceId: $w, input: $i) { secret } }`;

/** Our own source, not a dependency's and not this test's harness. */
const OWN = /\/(?:apps\/api|packages\/[^/]+)\/src\/(?!test\/)[^:]*\.ts:\d+/;

/**
 * Runs `fn` with WeakMap.prototype.set and WeakSet.prototype.add recording the frame that called
 * them when that frame is Atrium's own code. Returns the recorded frames.
 */
async function weakWritesOf(fn: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  /** Records the frame that called `wrapper`, when it is Atrium's own code. */
  const record = (wrapper: (...args: never[]) => unknown) => {
    const at: { stack?: string } = {};
    Error.captureStackTrace(at, wrapper); // the stack from wrapper's caller on: [0] "Error", [1] the caller
    const caller = at.stack?.split("\n")[1] ?? "";
    if (OWN.test(caller)) seen.push(caller.trim());
  };
  const map = Object.getOwnPropertyDescriptor(WeakMap.prototype, "set")!;
  const set = Object.getOwnPropertyDescriptor(WeakSet.prototype, "add")!;
  const original = { set: map.value as (this: WeakMap<WeakKey, unknown>, key: WeakKey, value: unknown) => WeakMap<WeakKey, unknown>, add: set.value as (this: WeakSet<WeakKey>, value: WeakKey) => WeakSet<WeakKey> };
  Object.defineProperty(WeakMap.prototype, "set", {
    ...map,
    value: function recordedSet(this: WeakMap<WeakKey, unknown>, key: WeakKey, value: unknown) {
      record(recordedSet);
      return original.set.call(this, key, value);
    },
  });
  Object.defineProperty(WeakSet.prototype, "add", {
    ...set,
    value: function recordedAdd(this: WeakSet<WeakKey>, value: WeakKey) {
      record(recordedAdd);
      return original.add.call(this, value);
    },
  });
  try {
    await fn();
  } finally {
    Object.defineProperty(WeakMap.prototype, "set", map);
    Object.defineProperty(WeakSet.prototype, "add", set);
  }
  return seen;
}

describe("the request path keeps no per-request state in WeakMaps", () => {
  let api: TestApi;
  let owner: TestUser;
  let ws: { id: string };
  let secret: string;
  let n = 0;

  const userRead = async () => expect((await api.gql(AUDIT, { w: ws.id }, { token: owner.token })).errors).toBeUndefined();
  const keyRead = async () => {
    const r = await api.gql<{ leads: { totalCount: number; edges: { node: { contact: { id: string } | null } }[] } }>(LEADS_PAGE, { w: ws.id }, { token: secret });
    expect(r.errors).toBeUndefined();
    expect(r.data!.leads.edges.length, "a page of leads with contacts").toBeGreaterThan(0);
    expect(r.data!.leads.edges.every((e) => e.node.contact?.id)).toBe(true);
  };
  const submit = async () => expect((await api.gql(SUBMIT, { i: { name: `Lead ${++n}`, email: `lead-${n}@example.com` } }, { token: secret })).errors).toBeUndefined();

  beforeAll(async () => {
    api = await startTestApi();
    owner = await api.user("Weak");
    ws = await createWorkspace(api, owner, "Weak Co");
    const created = await api.gql<{ createApiKey: { secret: string } }>(CREATE_KEY, { w: ws.id, i: { name: "bench-like", scopes: ["lead.manage", "lead.read"] } }, { token: owner.token });
    secret = created.data!.createApiKey.secret;
    // Warm: the principal caches, prepared statements and memoized plans are filled once, by
    // design; what is measured below is what every further request does.
    for (let i = 0; i < 3; i++) {
      await submit();
      await keyRead();
      await userRead();
    }
  });
  afterAll(async () => {
    await api.close();
  });

  it("the recorder sees a WeakMap write from Atrium's code (so it would catch one on the request path)", async () => {
    const seen = await weakWritesOf(() => {
      new WeakMap<object, number>().set({}, 1);
      return Promise.resolve();
    });
    expect(seen.length, seen.join("\n")).toBe(1);
    expect(seen[0]).toContain("request-path-weak-maps.int.test.ts");
  });

  it("a user read, the key read and submitLead make no WeakMap or WeakSet write of Atrium's", async () => {
    const seen = await weakWritesOf(async () => {
      for (let i = 0; i < 3; i++) {
        await userRead();
        await keyRead();
        await submit();
      }
    });
    expect(seen, `per-request WeakMap/WeakSet writes from Atrium's code:\n${seen.join("\n")}`).toEqual([]);
  });
});
