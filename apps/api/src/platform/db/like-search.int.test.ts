// Searches match what was typed, literally (attack pass, finding 12): `contains` is a LIKE
// pattern on PostgreSQL, so `%`, `_` and `\` in a search are escaped (platform/db/like.ts) —
// `%` does not list every row, `a_c` does not find `abc`, a lone `\` is no malformed pattern.
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { createWorkspace, startTestApi, type TestApi, type TestUser } from "../../test/harness.ts";

const CREATE = `mutation($w: ID!, $i: ContactInput!) { createContact(workspaceId: $w, input: $i) { id } }`;
const CONTACTS = `query($w: ID!, $s: String) { contacts(workspaceId: $w, search: $s, first: 100) { totalCount edges { node { name } } } }`;
const USERS = `query($s: String) { adminUsers(search: $s, first: 100) { totalCount nodes { email } } }`;

describe("LIKE wildcards in searches are literal", () => {
  let api: TestApi;
  let owner: TestUser;
  let ws: { id: string };
  const users: Record<string, TestUser> = {};

  beforeAll(async () => {
    api = await startTestApi();
    owner = await api.user("Owner");
    ws = await createWorkspace(api, owner, "Wildcards Co");
    for (const i of [
      { name: "abc" },
      { name: "a_c" },
      { name: "Fully 100% sure" },
      { name: "back\\slash" },
      { name: "plain", email: "under_score@example.com" },
      { name: "other", email: "abcd@example.com" },
    ]) {
      const r = await api.gql(CREATE, { w: ws.id, i }, { token: owner.token });
      if (!r.data) throw new Error(JSON.stringify(r.errors));
    }
    for (const name of ["Ursula abc", "Una a_c", "Percy 100%", "Bess back\\slash"]) users[name] = await api.user(name);
    await api.services.platformAdmin.grantAdmin(owner.email);
  });
  afterAll(async () => api?.close());

  const contacts = async (s: string) => {
    const r = await api.gql<{ contacts: { totalCount: number; edges: { node: { name: string } }[] } }>(
      CONTACTS,
      { w: ws.id, s },
      { token: owner.token },
    );
    expect(r.errors, s).toBeUndefined();
    const names = r.data!.contacts.edges.map((e) => e.node.name).sort();
    expect(r.data!.contacts.totalCount).toBe(names.length);
    return names;
  };
  const adminUsers = async (s: string) => {
    const r = await api.gql<{ adminUsers: { totalCount: number; nodes: { email: string }[] } }>(
      USERS,
      { s },
      { token: owner.token },
    );
    expect(r.errors, s).toBeUndefined();
    const emails = r.data!.adminUsers.nodes.map((n) => n.email).sort();
    expect(r.data!.adminUsers.totalCount).toBe(emails.length);
    return emails;
  };

  it("contacts: % _ and \\ match only the rows holding them", async () => {
    expect(await contacts("%")).toEqual(["Fully 100% sure"]);
    expect(await contacts("0%")).toEqual(["Fully 100% sure"]);
    expect(await contacts("a_c")).toEqual(["a_c"]);
    // E-mails match from their start (decision 0054, "E-mail prefix search"): "_" is inside
    // under_score@… (not a match by e-mail); "under_" finds it, and its "_" is literal too.
    expect(await contacts("_")).toEqual(["a_c"]);
    expect(await contacts("under_")).toEqual(["plain"]);
    expect(await contacts("unde_")).toEqual([]);
    expect(await contacts("\\")).toEqual(["back\\slash"]);
    expect(await contacts("k\\s")).toEqual(["back\\slash"]);
    expect(await contacts("\\%")).toEqual([]);
    expect(await contacts("%%")).toEqual([]);
    // Plain searches still find parts of names and the start of e-mails, in any case.
    expect(await contacts("ABC")).toEqual(["abc", "other"]);
  });

  it("adminUsers: % _ and \\ match only the users holding them", async () => {
    const email = (name: string) => users[name]!.email;
    expect(await adminUsers("%")).toEqual([email("Percy 100%")]);
    expect(await adminUsers("a_c")).toEqual([email("Una a_c")]);
    expect(await adminUsers("_")).toEqual([email("Una a_c")]);
    expect(await adminUsers("\\")).toEqual([email("Bess back\\slash")]);
    expect(await adminUsers("\\%")).toEqual([]);
    expect(await adminUsers("URSULA")).toEqual([email("Ursula abc")]);
  });
});
