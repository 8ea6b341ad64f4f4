// Contacts (R2) and phone numbers (R6) through the API, and the cross-workspace rule for every
// operation of issue 13 (contacts, phone numbers, webhooks): another workspace's ids answer
// NOT_FOUND, by user and by API key, and change nothing. The operation list is checked against
// the permission snapshot, so a new operation on these subjects must be added here.
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { getSchema } from "../../schema.ts";
import { codeOf, createWorkspace, ownerSql, startTestApi, type TestApi, type TestUser } from "../../test/harness.ts";
import { newKey } from "../../test/providers.ts";

const CREATE = `mutation($w: ID!, $i: ContactInput!) { createContact(workspaceId: $w, input: $i) { id name email phone tags } }`;
const LIST = `query($w: ID!, $s: String, $t: String, $f: Int, $a: String) { contacts(workspaceId: $w, search: $s, tag: $t, first: $f, after: $a) { totalCount pageInfo { hasNextPage endCursor } edges { node { id name email phone tags } } } }`;
const IMPORT = `mutation($w: ID!, $i: ImportContactsInput!) { importContacts(workspaceId: $w, input: $i) { dryRun created updated failed rows { row action name email phone tags error field } } }`;

interface Contact {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  tags: string[];
}

describe("contacts and phone numbers", () => {
  let api: TestApi;
  let owner: TestUser;
  let ws: { id: string; slug: string };

  beforeAll(async () => {
    api = await startTestApi({ integrationKeys: [newKey()] });
    owner = await api.user("Owner");
    ws = await createWorkspace(api, owner, "Contacts Co");
  });
  afterAll(async () => api.close());

  const list = async (vars: Record<string, unknown>) => {
    const r = await api.gql<{ contacts: { totalCount: number; edges: { node: Contact }[] } }>(
      LIST,
      { w: ws.id, ...vars },
      { token: owner.token },
    );
    if (!r.data) throw new Error(JSON.stringify(r.errors));
    return r.data.contacts;
  };

  it("creates contacts with normalised e-mail, E.164 phone and tags; duplicates are CONFLICT naming the field", async () => {
    const r = await api.gql<{ createContact: Contact }>(
      CREATE,
      {
        w: ws.id,
        i: {
          name: " Ada Lovelace ",
          email: "ADA@Example.com",
          phone: "0044 (20) 7946-0958",
          tags: ["VIP", " london ", "vip"],
        },
      },
      { token: owner.token },
    );
    expect(r.data?.createContact).toMatchObject({
      name: "Ada Lovelace",
      email: "ada@example.com",
      phone: "+442079460958",
      tags: ["vip", "london"],
    });
    const dupEmail = await api.gql(
      CREATE,
      { w: ws.id, i: { name: "Other", email: "ada@example.COM" } },
      { token: owner.token },
    );
    expect(codeOf(dupEmail)).toBe("CONFLICT");
    expect(dupEmail.errors?.[0]?.extensions?.fields).toEqual({ email: "duplicate" });
    const dupPhone = await api.gql(
      CREATE,
      { w: ws.id, i: { name: "Other", phone: "+44 20 7946 0958" } },
      { token: owner.token },
    );
    expect(dupPhone.errors?.[0]?.extensions?.fields).toEqual({ phone: "duplicate" });
    for (const i of [
      { name: "  " },
      { name: "X", email: "nope" },
      { name: "X", phone: "12345" },
      { name: "X", tags: ["<script>"] },
      { name: "X", tags: Array.from({ length: 21 }, (_, k) => `t${k}`) },
    ]) {
      expect(codeOf(await api.gql(CREATE, { w: ws.id, i }, { token: owner.token })), JSON.stringify(i)).toBe(
        "BAD_USER_INPUT",
      );
    }
  });

  it("searches by name, e-mail and phone, and filters by tag", async () => {
    await api.gql(
      CREATE,
      { w: ws.id, i: { name: "Grace Hopper", email: "grace@navy.mil", phone: "+1 202 555 0100", tags: ["navy"] } },
      { token: owner.token },
    );
    await api.gql(
      CREATE,
      { w: ws.id, i: { name: "Alan Turing", email: "alan@bletchley.uk", tags: ["london", "codes"] } },
      { token: owner.token },
    );
    const names = async (vars: Record<string, unknown>) => (await list(vars)).edges.map((e) => e.node.name).sort();
    expect(await names({ s: "hopper" })).toEqual(["Grace Hopper"]);
    expect(await names({ s: "bletchley" })).toEqual(["Alan Turing"]);
    // A phone by its end (the national number) or its start (country code first); not its middle.
    expect(await names({ s: "(202) 555-0100" })).toEqual(["Grace Hopper"]);
    expect(await names({ s: "1 202 555" })).toEqual(["Grace Hopper"]);
    expect(await names({ s: "202 555" })).toEqual([]);
    expect(await names({ s: "+4420" })).toEqual(["Ada Lovelace"]);
    expect(await names({ t: "london" })).toEqual(["Ada Lovelace", "Alan Turing"]);
    expect(await names({ t: "LONDON", s: "alan" })).toEqual(["Alan Turing"]);
    expect(await names({ s: "nobody" })).toEqual([]);
    const tags = await api.gql<{ contactTags: string[] }>(
      `query($w: ID!) { contactTags(workspaceId: $w) }`,
      { w: ws.id },
      { token: owner.token },
    );
    expect(tags.data?.contactTags).toEqual(["codes", "london", "navy", "vip"]);
  });

  it("edits and deletes; a contact with leads is kept (CONFLICT)", async () => {
    const c = (
      await api.gql<{ createContact: Contact }>(
        CREATE,
        { w: ws.id, i: { name: "Temp", email: "temp@example.com" } },
        { token: owner.token },
      )
    ).data!.createContact;
    const UPDATE = `mutation($w: ID!, $id: ID!, $i: ContactInput!) { updateContact(workspaceId: $w, id: $id, input: $i) { name email phone tags } }`;
    const u = await api.gql<{ updateContact: Contact }>(
      UPDATE,
      { w: ws.id, id: c.id, i: { name: "Temp Two", email: "temp2@example.com", phone: "+15550001111", tags: ["x"] } },
      { token: owner.token },
    );
    expect(u.data?.updateContact).toEqual({
      name: "Temp Two",
      email: "temp2@example.com",
      phone: "+15550001111",
      tags: ["x"],
    });
    expect(
      codeOf(
        await api.gql(
          UPDATE,
          { w: ws.id, id: c.id, i: { name: "Temp", email: "grace@navy.mil" } },
          { token: owner.token },
        ),
      ),
    ).toBe("CONFLICT");
    const DELETE = `mutation($w: ID!, $id: ID!) { deleteContact(workspaceId: $w, id: $id) }`;
    expect((await api.gql(DELETE, { w: ws.id, id: c.id }, { token: owner.token })).data).toEqual({
      deleteContact: true,
    });
    expect(codeOf(await api.gql(DELETE, { w: ws.id, id: c.id }, { token: owner.token }))).toBe("NOT_FOUND");
    const withLead = (
      await api.gql<{ createContact: Contact }>(
        CREATE,
        { w: ws.id, i: { name: "Has Lead", email: "lead@example.com" } },
        { token: owner.token },
      )
    ).data!.createContact;
    await ownerSql(
      api,
      `INSERT INTO leads (workspace_id, contact_id, name, source) VALUES ($1, $2, 'Has Lead', 'FORM')`,
      [ws.id, withLead.id],
    );
    expect(codeOf(await api.gql(DELETE, { w: ws.id, id: withLead.id }, { token: owner.token }))).toBe("CONFLICT");
    expect(await ownerSql(api, `SELECT id FROM contacts WHERE id = $1`, [withLead.id])).toHaveLength(1);
    const audit = await ownerSql<{ action: string }>(
      api,
      `SELECT action FROM audit_events WHERE workspace_id = $1 AND target_id = $2 ORDER BY created_at`,
      [ws.id, c.id],
    );
    expect(audit.map((a) => a.action)).toEqual(["contact.created", "contact.updated", "contact.deleted"]);
  });

  it("imports rows: the dry run previews exactly what the import does, per-row errors, merge by e-mail/phone", async () => {
    const rows = [
      { name: "New Person", email: "new@example.com", tags: "Leads; 2026" },
      { name: "Ada L.", email: "ada@example.com", tags: "imported" }, // merges into Ada (same e-mail)
      { name: "Bad Mail", email: "not-an-email" },
      { name: "", phone: "+15557770000" }, // new contact without a name
      { name: "Phone Only", phone: "+1 (555) 777-0001" },
      { name: "Nothing" },
      { name: "Clash", email: "grace@navy.mil", phone: "+442079460958" }, // two different contacts
      { name: "New Person again", email: "NEW@example.com" }, // the same file's row 0: merged
    ];
    const before = (await list({})).totalCount;
    const preview = await api.gql<{
      importContacts: {
        dryRun: boolean;
        created: number;
        updated: number;
        failed: number;
        rows: {
          row: number;
          action: string;
          error: string | null;
          field: string | null;
          tags: string[];
          phone: string | null;
        }[];
      };
    }>(IMPORT, { w: ws.id, i: { rows, dryRun: true, onConflict: "OVERWRITE" } }, { token: owner.token });
    const p = preview.data!.importContacts;
    expect(p).toMatchObject({ dryRun: true, created: 2, updated: 2, failed: 4 });
    expect(p.rows.map((r) => [r.row, r.action, r.field])).toEqual([
      [0, "CREATED", null],
      [1, "UPDATED", null],
      [2, "ERROR", "email"],
      [3, "ERROR", "name"],
      [4, "CREATED", null],
      [5, "ERROR", "email"],
      [6, "ERROR", "phone"],
      [7, "UPDATED", null],
    ]);
    expect(p.rows[0]!.tags).toEqual(["leads", "2026"]);
    expect(p.rows[4]!.phone).toBe("+15557770001");
    expect((await list({})).totalCount).toBe(before); // nothing stored
    const real = await api.gql<{ importContacts: typeof p }>(
      IMPORT,
      { w: ws.id, i: { rows, onConflict: "OVERWRITE" } },
      { token: owner.token },
    );
    expect({ ...real.data!.importContacts, dryRun: true }).toEqual(p);
    expect((await list({})).totalCount).toBe(before + 2);
    const ada = (await list({ s: "ada@example.com" })).edges[0]!.node;
    expect(ada).toMatchObject({ name: "Ada L.", tags: ["vip", "london", "imported"] });
    expect(
      codeOf(
        await api.gql(
          IMPORT,
          { w: ws.id, i: { rows: Array.from({ length: 5001 }, () => ({ name: "x" })) } },
          { token: owner.token },
        ),
      ),
    ).toBe("BAD_USER_INPUT");
  });

  it("phone numbers: unique within the workspace, one default per provider, VAPI needs its phoneNumberId", async () => {
    const CREATE_PC = `mutation($w: ID!, $i: PhoneConfigInput!) { createPhoneConfig(workspaceId: $w, input: $i) { id number provider label isDefault providerRef } }`;
    const a = await api.gql<{ createPhoneConfig: { id: string; number: string; isDefault: boolean } }>(
      CREATE_PC,
      { w: ws.id, i: { number: "+1 555 000 2000", provider: "TWILIO", label: "Main", isDefault: true } },
      { token: owner.token },
    );
    expect(a.data?.createPhoneConfig).toMatchObject({ number: "+15550002000", isDefault: true });
    expect(
      codeOf(
        await api.gql(
          CREATE_PC,
          { w: ws.id, i: { number: "+15550002000", provider: "TWILIO", label: "Again" } },
          { token: owner.token },
        ),
      ),
    ).toBe("CONFLICT");
    expect(
      codeOf(
        await api.gql(
          CREATE_PC,
          { w: ws.id, i: { number: "+15550002001", provider: "VAPI", label: "Voice" } },
          { token: owner.token },
        ),
      ),
    ).toBe("BAD_USER_INPUT");
    expect(
      codeOf(
        await api.gql(
          CREATE_PC,
          { w: ws.id, i: { number: "555", provider: "TWILIO", label: "Short" } },
          { token: owner.token },
        ),
      ),
    ).toBe("BAD_USER_INPUT");
    await api.gql(
      CREATE_PC,
      { w: ws.id, i: { number: "+15550002002", provider: "TWILIO", label: "Second", isDefault: true } },
      { token: owner.token },
    );
    const all = await api.gql<{ phoneConfigs: { number: string; isDefault: boolean }[] }>(
      `query($w: ID!) { phoneConfigs(workspaceId: $w) { number isDefault } }`,
      { w: ws.id },
      { token: owner.token },
    );
    expect(all.data?.phoneConfigs).toEqual([
      { number: "+15550002002", isDefault: true },
      { number: "+15550002000", isDefault: false },
    ]);
    // Another workspace may use the same number.
    const other = await createWorkspace(api, owner, "Other Co");
    expect(
      (
        await api.gql(
          CREATE_PC,
          { w: other.id, i: { number: "+15550002000", provider: "TWILIO", label: "Main" } },
          { token: owner.token },
        )
      ).errors,
    ).toBeUndefined();
  });

  it("every contacts / phone-number / webhook operation with another workspace's ids answers NOT_FOUND, by user and by key, and changes nothing", async () => {
    const stranger = await api.user("Stranger");
    const theirs = await createWorkspace(api, stranger, "Stranger Co");
    const contact = (await list({})).edges[0]!.node.id;
    const phone = (
      await ownerSql<{ id: string }>(api, `SELECT id FROM phone_configs WHERE workspace_id = $1 LIMIT 1`, [ws.id])
    )[0]!.id;
    const ep = await api.gql<{ createWebhookEndpoint: { endpoint: { id: string } } }>(
      `mutation($w: ID!) { createWebhookEndpoint(workspaceId: $w, input: { url: "http://127.0.0.1:9/x", events: ["lead.created"] }) { endpoint { id } } }`,
      { w: ws.id },
      { token: owner.token },
    );
    const endpoint = ep.data!.createWebhookEndpoint.endpoint.id;
    const event = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO webhook_events (workspace_id, type, payload) VALUES ($1, 'lead.created', '{}') RETURNING id`,
        [ws.id],
      )
    )[0]!.id;
    const delivery = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO webhook_deliveries (workspace_id, endpoint_id, event_id, event_type, status) VALUES ($1, $2, $3, 'lead.created', 'FAILED') RETURNING id`,
        [ws.id, endpoint, event],
      )
    )[0]!.id;
    const C = `{ name: "Z", email: "z@example.com" }`;
    const P = `{ number: "+15559990000", provider: TWILIO, label: "z" }`;
    const byOp: Record<string, (w: string) => [string, Record<string, unknown>]> = {
      contacts: (w) => [`query($w: ID!) { contacts(workspaceId: $w) { totalCount } }`, { w }],
      contactTags: (w) => [`query($w: ID!) { contactTags(workspaceId: $w) }`, { w }],
      contact: (w) => [`query($w: ID!, $id: ID!) { contact(workspaceId: $w, id: $id) { id } }`, { w, id: contact }],
      contactTimeline: (w) => [
        `query($w: ID!, $id: ID!) { contactTimeline(workspaceId: $w, contactId: $id) { id } }`,
        { w, id: contact },
      ],
      createContact: (w) => [`mutation($w: ID!) { createContact(workspaceId: $w, input: ${C}) { id } }`, { w }],
      updateContact: (w) => [
        `mutation($w: ID!, $id: ID!) { updateContact(workspaceId: $w, id: $id, input: ${C}) { id } }`,
        { w, id: contact },
      ],
      deleteContact: (w) => [
        `mutation($w: ID!, $id: ID!) { deleteContact(workspaceId: $w, id: $id) }`,
        { w, id: contact },
      ],
      importContacts: (w) => [
        `mutation($w: ID!) { importContacts(workspaceId: $w, input: { rows: [${C}] }) { created } }`,
        { w },
      ],
      contactImport: (w) => [
        `query($w: ID!) { contactImport(workspaceId: $w, importId: "00000000-0000-4000-8000-000000000000") { rowsDone } }`,
        { w },
      ],
      phoneConfigs: (w) => [`query($w: ID!) { phoneConfigs(workspaceId: $w) { id } }`, { w }],
      createPhoneConfig: (w) => [`mutation($w: ID!) { createPhoneConfig(workspaceId: $w, input: ${P}) { id } }`, { w }],
      updatePhoneConfig: (w) => [
        `mutation($w: ID!, $id: ID!) { updatePhoneConfig(workspaceId: $w, id: $id, input: ${P}) { id } }`,
        { w, id: phone },
      ],
      deletePhoneConfig: (w) => [
        `mutation($w: ID!, $id: ID!) { deletePhoneConfig(workspaceId: $w, id: $id) }`,
        { w, id: phone },
      ],
      webhookEndpoints: (w) => [`query($w: ID!) { webhookEndpoints(workspaceId: $w) { id } }`, { w }],
      webhookDeliveries: (w) => [
        `query($w: ID!, $e: ID!) { webhookDeliveries(workspaceId: $w, endpointId: $e) { totalCount } }`,
        { w, e: endpoint },
      ],
      createWebhookEndpoint: (w) => [
        `mutation($w: ID!) { createWebhookEndpoint(workspaceId: $w, input: { url: "http://127.0.0.1:9/y", events: ["lead.created"] }) { secret } }`,
        { w },
      ],
      updateWebhookEndpoint: (w) => [
        `mutation($w: ID!, $id: ID!) { updateWebhookEndpoint(workspaceId: $w, id: $id, input: { enabled: false }) { id } }`,
        { w, id: endpoint },
      ],
      deleteWebhookEndpoint: (w) => [
        `mutation($w: ID!, $id: ID!) { deleteWebhookEndpoint(workspaceId: $w, id: $id) }`,
        { w, id: endpoint },
      ],
      rotateWebhookSecret: (w) => [
        `mutation($w: ID!, $id: ID!) { rotateWebhookSecret(workspaceId: $w, id: $id) { secret } }`,
        { w, id: endpoint },
      ],
      redeliverWebhook: (w) => [
        `mutation($w: ID!, $d: ID!) { redeliverWebhook(workspaceId: $w, deliveryId: $d) { id } }`,
        { w, d: delivery },
      ],
    };
    // Generated from the permission snapshot: every operation guarded on these subjects is listed.
    const schema = await getSchema();
    const guarded = [schema.getQueryType()!, schema.getMutationType()!]
      .flatMap((t) => Object.values(t.getFields()))
      .filter((f) => /^[a-z]+:(Contact|PhoneConfig|Webhook)$/.test(String((f.extensions as { auth?: string }).auth)))
      .map((f) => f.name)
      .sort();
    expect(Object.keys(byOp).sort()).toEqual(guarded);

    const allScopes = [
      "contact.read",
      "contact.manage",
      "phone_config.read",
      "phone_config.manage",
      "webhook.read",
      "webhook.manage",
    ];
    const theirKey = (
      await api.gql<{ createApiKey: { secret: string } }>(
        `mutation($w: ID!, $s: [String!]!) { createApiKey(workspaceId: $w, input: { name: "k", scopes: $s }) { secret } }`,
        { w: theirs.id, s: allScopes },
        { token: stranger.token },
      )
    ).data!.createApiKey.secret;
    const rowScoped = new Set([
      "contact",
      "contactTimeline",
      "updateContact",
      "deleteContact",
      "updatePhoneConfig",
      "deletePhoneConfig",
      "webhookDeliveries",
      "updateWebhookEndpoint",
      "deleteWebhookEndpoint",
      "rotateWebhookSecret",
      "redeliverWebhook",
    ]);
    for (const token of [stranger.token, theirKey]) {
      for (const [name, op] of Object.entries(byOp)) {
        // Our workspace id: not theirs at all.
        const [q, v] = op(ws.id);
        expect(codeOf(await api.gql(q, v, { token })), `${name} on our workspace`).toBe("NOT_FOUND");
        // Their own workspace id with our row ids: the rows are not theirs.
        if (rowScoped.has(name)) {
          const [q2, v2] = op(theirs.id);
          expect(codeOf(await api.gql(q2, v2, { token })), `${name} with our row in their workspace`).toBe("NOT_FOUND");
        }
      }
    }
    expect(await ownerSql(api, `SELECT id FROM contacts WHERE id = $1 AND name <> 'Z'`, [contact])).toHaveLength(1);
    expect(await ownerSql(api, `SELECT id FROM phone_configs WHERE id = $1 AND label <> 'z'`, [phone])).toHaveLength(1);
    expect(await ownerSql(api, `SELECT id FROM webhook_endpoints WHERE id = $1 AND enabled`, [endpoint])).toHaveLength(
      1,
    );
    expect(await ownerSql(api, `SELECT id FROM webhook_delivery_attempts WHERE delivery_id = $1`, [delivery])).toEqual(
      [],
    );
  });
});
