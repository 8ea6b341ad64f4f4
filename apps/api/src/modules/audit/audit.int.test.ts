// The audit log names people and things (issue 56, item 12: "readable at 1280 px — names, not
// ids; one row per import, not six"): each event carries its actor by name and e-mail (or the API
// key's name; "Former member" once they have left) and its target's label, read for the whole
// page at once; a label is shown only to a caller who may read that kind of thing; a contact
// import of 1,003 rows is one event with its counts.
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { addMember, createWorkspace, ownerSql, startTestApi, type TestApi, type TestUser } from "../../test/harness.ts";

const EVENTS = `query($w: ID!, $act: String) {
  auditEvents(workspaceId: $w, action: $act, first: 100) {
    totalCount
    edges { node { action actorUserId actor { kind name email } targetType targetId targetLabel data } }
  }
}`;
interface Node {
  action: string;
  actorUserId: string | null;
  actor: { kind: string; name: string; email: string | null } | null;
  targetType: string | null;
  targetId: string | null;
  targetLabel: string | null;
  data: string;
}
type Events = { auditEvents: { totalCount: number; edges: { node: Node }[] } };

describe("the audit log names actors and targets", () => {
  let api: TestApi;
  let owner: TestUser;
  let ana: TestUser;
  let auditor: TestUser;
  let ws: { id: string; slug: string };
  let keySecret: string;

  const events = async (token: string, action?: string) => {
    const r = await api.gql<Events>(EVENTS, { w: ws.id, act: action ?? null }, { token });
    expect(r.errors).toBeUndefined();
    return r.data!.auditEvents.edges.map((e) => e.node);
  };

  beforeAll(async () => {
    api = await startTestApi();
    owner = await api.user("Olivia Owner");
    ana = await api.user("Ana Admin");
    auditor = await api.user("Audrey Auditor");
    ws = await createWorkspace(api, owner, "Named Log");
    await addMember(api, ws.id, ana, "ADMIN");
    // May read the audit log, not contacts.
    await addMember(api, ws.id, auditor, "AGENT", ["audit.read"]);
    const key = await api.gql<{ createApiKey: { secret: string } }>(
      `mutation($w: ID!) { createApiKey(workspaceId: $w, input: { name: "Zapier sync", scopes: ["contact.manage", "audit.read"] }) { secret } }`,
      { w: ws.id },
      { token: owner.token },
    );
    keySecret = key.data!.createApiKey.secret;
  });
  afterAll(async () => api.close());

  it("a member's change: their name and e-mail, and the contact's name", async () => {
    const created = await api.gql<{ createContact: { id: string } }>(
      `mutation($w: ID!) { createContact(workspaceId: $w, input: { name: "Carla Contact", email: "carla@example.com" }) { id } }`,
      { w: ws.id },
      { token: ana.token },
    );
    const id = created.data!.createContact.id;
    const [event] = (await events(owner.token, "contact.created")).filter((e) => e.targetId === id);
    expect(event).toMatchObject({
      actor: { kind: "MEMBER", name: "Ana Admin", email: ana.email },
      targetType: "Contact",
      targetLabel: "Carla Contact",
    });
  });

  it("an API key's change: the key's name", async () => {
    const created = await api.gql<{ createContact: { id: string } }>(
      `mutation($w: ID!) { createContact(workspaceId: $w, input: { name: "Kim Keyed" }) { id } }`,
      { w: ws.id },
      { token: keySecret },
    );
    const [event] = (await events(owner.token, "contact.created")).filter(
      (e) => e.targetId === created.data!.createContact.id,
    );
    expect(event).toMatchObject({
      actorUserId: null,
      actor: { kind: "API_KEY", name: "Zapier sync", email: null },
      targetLabel: "Kim Keyed",
    });
  });

  it("a contact import of 1,003 rows is one event carrying its counts", async () => {
    const rows = Array.from({ length: 1_003 }, (_, i) => ({
      name: `Imported ${i}`,
      email: `imported-${i}@example.com`,
    }));
    rows[1_002] = { name: "Carla Again", email: "carla@example.com" }; // merges into Carla
    const r = await api.gql<{ importContacts: { created: number; updated: number } }>(
      `mutation($w: ID!, $i: ImportContactsInput!) { importContacts(workspaceId: $w, input: $i) { created updated } }`,
      { w: ws.id, i: { rows } },
      { token: owner.token },
    );
    expect(r.errors).toBeUndefined();
    const imports = await events(owner.token, "contact.imported");
    expect(imports).toHaveLength(1);
    const [event] = imports;
    expect(JSON.parse(event!.data)).toMatchObject({
      created: r.data!.importContacts.created,
      updated: r.data!.importContacts.updated,
      skipped: 0,
      failed: 0,
    });
    expect(r.data!.importContacts.created + r.data!.importContacts.updated).toBe(1_003);
    expect(event).toMatchObject({
      actor: { kind: "MEMBER", name: "Olivia Owner" },
      targetLabel: "Contacts import: 1,003 rows",
    });
    // Nothing else was written per contact or per batch.
    expect(await events(owner.token, "contact.")).toHaveLength(3);
  });

  it("a member and a key named as targets", async () => {
    const updated = await api.gql(
      `mutation($w: ID!, $u: ID!) { updateMember(workspaceId: $w, userId: $u, input: { role: AGENT, policies: ["audit.read"] }) { id } }`,
      { w: ws.id, u: auditor.id },
      { token: owner.token },
    );
    expect(updated.errors).toBeUndefined();
    expect(await events(owner.token, "member.updated")).toEqual([
      expect.objectContaining({
        targetType: "Member",
        targetId: auditor.id,
        targetLabel: `Audrey Auditor (${auditor.email})`,
      }),
    ]);
    expect(await events(owner.token, "api_key.created")).toEqual([
      expect.objectContaining({
        targetType: "ApiKey",
        targetLabel: "Zapier sync",
        actor: { kind: "MEMBER", name: "Olivia Owner", email: owner.email },
      }),
    ]);
  });

  it("a label needs the read of its kind: an auditor without contact.read sees who, not the contact's name", async () => {
    const seen = await events(auditor.token, "contact.created");
    expect(seen.length).toBeGreaterThan(0);
    for (const e of seen) expect(e.targetLabel).toBeNull();
    expect(seen.map((e) => e.actor?.name).sort()).toEqual(["Ana Admin", "Zapier sync"]);
  });

  it("someone who has left is a former member, their events kept", async () => {
    const removed = await api.gql(
      `mutation($w: ID!, $u: ID!) { removeMember(workspaceId: $w, userId: $u) }`,
      { w: ws.id, u: ana.id },
      { token: owner.token },
    );
    expect(removed.errors).toBeUndefined();
    const byAna = (await events(owner.token, "contact.created")).filter((e) => e.actorUserId === ana.id);
    expect(byAna).toHaveLength(1);
    expect(byAna[0]!.actor).toEqual({ kind: "FORMER_MEMBER", name: "Former member", email: null });
    // Her address in the removal's data is sealed in the database (decision 0053) and readable on the page.
    const [removal] = await events(owner.token, "member.removed");
    expect(JSON.parse(removal!.data)).toMatchObject({ email: ana.email });
    const stored = await ownerSql<{ t: string }>(
      api,
      `SELECT data::text AS t FROM audit_events WHERE workspace_id = $1 AND action = 'member.removed'`,
      [ws.id],
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]!.t).not.toContain(ana.email);
    expect(stored[0]!.t).toMatch(/"email": "pii:v1:/);
  });
});
