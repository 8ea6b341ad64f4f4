// The principal cache is correct only while the `auth_version` triggers watch every column a
// cached principal holds (packages/db/README.md, "auth_version and the principal cache"). This
// test compares the two sides: what the caches really hold (entries loaded by the real code,
// walked field by field) and the columns the triggers watch (read from the catalog: UPDATE OF
// columns, WHEN clauses, and the columns a trigger function compares itself). A disagreement
// fails naming the table and column.
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { createWorkspace, ownerSql, startTestApi, type TestApi, type TestUser } from "../../test/harness.ts";

const CREATE_KEY = `mutation($w: ID!, $i: CreateApiKeyInput!) { createApiKey(workspaceId: $w, input: $i) { secret apiKey { id } } }`;
const AUDIT = `query($w: ID!) { auditEvents(workspaceId: $w, first: 1) { edges { node { id } } } }`;
const LEADS = `query($w: ID!) { leads(workspaceId: $w, first: 1) { totalCount } }`;
const BY_SLUG = `query($s: String!) { workspace(slug: $s) { id slug } }`;
const RENAME = `mutation($id: ID!, $i: UpdateWorkspaceInput!) { updateWorkspace(id: $id, input: $i) { slug } }`;

/**
 * Where each part of a cache entry was read from: a table (its fields are that table's columns,
 * camelCase for snake_case), a nested map, or "derived" (computed from the other parts; its
 * inputs from elsewhere are listed in DERIVED_INPUTS).
 */
type Source = string | { [field: string]: Source }; // "derived": see DERIVED_INPUTS
const ENTRY_SOURCES: Record<"members" | "apiKeys", Source> = {
  // AccessLoader.readMember: the membership with its workspace's settings.
  members: { "*": "memberships", workspace: "workspaces" },
  // api-keys.service readKey: the key row, its creator's membership, the principal built from them.
  apiKeys: { key: "api_keys", creator: "memberships", principal: "derived" },
};
/** Columns a derived part reads beyond the entry's other parts. */
const DERIVED_INPUTS: Record<string, string[]> = {
  "apiKeys.principal": ["workspaces.slug"], // workspaceSlug: the key's workspace by slug (ApiKeyAccess.forSlug)
};

/** Cached but never changed in place: another value is another principal, and removal has a DELETE trigger. */
const IDENTITY = new Set([
  "memberships.id",
  "memberships.workspace_id",
  "memberships.user_id",
  "api_keys.workspace_id",
  "api_keys.id",
  "api_keys.created_by_user_id",
]);
/** Cached but no decision about power reads it (shown or bookkeeping only). */
const NOT_POWER = new Set([
  "api_keys.name",
  "api_keys.last_used_at",
  "api_keys.created_at",
  "api_keys.created_by_membership_id",
]);
/** Tables whose cached rows can be deleted on their own: a DELETE trigger must bump the version. */
const DELETABLE = ["memberships", "api_keys"];

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** table.column → the cache paths that hold it. */
function cachedColumns(name: string, value: unknown, source: Source, into: Map<string, string[]>, path = name): void {
  if (source === "derived") {
    for (const col of DERIVED_INPUTS[path] ?? []) into.set(col, [...(into.get(col) ?? []), path]);
    return;
  }
  if (typeof value !== "object" || value === null) throw new Error(`${path}: expected an object in the cache entry`);
  for (const [field, v] of Object.entries(value)) {
    const at = `${path}.${field}`;
    const nested = typeof source === "object" ? source[field] : undefined;
    if (nested !== undefined) {
      cachedColumns(name, v, nested, into, at);
      continue;
    }
    const table = typeof source === "string" ? source : source["*"];
    if (typeof table !== "string") throw new Error(`${at}: no source table declared for this part of the cache entry`);
    const col = `${table}.${snake(field)}`;
    into.set(col, [...(into.get(col) ?? []), at]);
  }
}

interface TriggerRow {
  table: string;
  name: string;
  tgtype: number;
  update_of: string[];
  triggerdef: string;
  fndef: string;
}

/** table.column → the triggers that bump auth_version when it changes; and the tables with a DELETE trigger. */
async function watchedColumns(
  api: TestApi,
): Promise<{ watched: Map<string, string[]>; deletes: Set<string>; problems: string[] }> {
  const rows = await ownerSql<TriggerRow & Record<string, unknown>>(
    api,
    `SELECT c.relname AS "table", t.tgname AS name, t.tgtype::int AS tgtype,
            ARRAY(SELECT a.attname::text FROM unnest(t.tgattr::int2[]) AS k(n) JOIN pg_attribute a ON a.attrelid = t.tgrelid AND a.attnum = k.n) AS update_of,
            pg_get_triggerdef(t.oid) AS triggerdef, pg_get_functiondef(p.oid) AS fndef
       FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
      WHERE NOT t.tgisinternal AND c.relnamespace = 'public'::regnamespace`,
  );
  const bumps = rows.filter((r) => /auth_version\s*(?:=|:=)\s*(?:\w+\.)?auth_version\s*\+\s*1/.test(r.fndef));
  const watched = new Map<string, string[]>();
  const deletes = new Set<string>();
  const problems: string[] = [];
  for (const r of bumps) {
    if (r.tgtype & 8) deletes.add(r.table); // TRIGGER_TYPE_DELETE
    if (!(r.tgtype & 16)) continue; // TRIGGER_TYPE_UPDATE
    const when = /\bWHEN\s*\((.*)\)\s*EXECUTE/is.exec(r.triggerdef)?.[1];
    const compared = (text: string) =>
      new Set(
        [...text.matchAll(/\bold\.(\w+)\s+IS\s+DISTINCT\s+FROM\s+new\.(\w+)/gi)]
          .filter((m) => m[1] === m[2])
          .map((m) => m[1]!.toLowerCase()),
      );
    const body = /\$function\$(.*)\$function\$/s.exec(r.fndef)?.[1] ?? r.fndef;
    const inBody = new Set([...compared(body), ...[...body.matchAll(/->\s*'(\w+)'/g)].map((m) => m[1]!)]);
    let cols: string[];
    if (r.update_of.length > 0) {
      cols = r.update_of;
      if (when !== undefined) {
        const w = compared(when);
        for (const c of cols)
          if (!w.has(c))
            problems.push(
              `${r.table}.${c}: trigger ${r.name} fires on UPDATE OF it but its WHEN clause does not compare it`,
            );
        for (const c of w)
          if (!cols.includes(c))
            problems.push(`${r.table}.${c}: trigger ${r.name} compares it in WHEN but is not UPDATE OF it`);
      }
    } else if (when !== undefined) cols = [...compared(when)];
    else cols = [...inBody];
    if (cols.length === 0)
      problems.push(
        `${r.table}: cannot read which columns trigger ${r.name} watches (use UPDATE OF, or compare OLD.x IS DISTINCT FROM NEW.x)`,
      );
    for (const c of cols) watched.set(`${r.table}.${c}`, [...(watched.get(`${r.table}.${c}`) ?? []), r.name]);
  }
  return { watched, deletes, problems };
}

describe("the principal cache and the auth_version triggers agree", () => {
  let api: TestApi;
  let owner: TestUser;
  let ws: { id: string; slug: string };
  let keyId: string;
  let secret: string;

  beforeAll(async () => {
    api = await startTestApi({ rateLimits: { apiKeyPerMinute: 100_000 } });
    owner = await api.user("Cache owner");
    ws = await createWorkspace(api, owner, "Trigger Co");
    const created = await api.gql<{ createApiKey: { secret: string; apiKey: { id: string } } }>(
      CREATE_KEY,
      { w: ws.id, i: { name: "reader", scopes: ["lead.read"] } },
      { token: owner.token },
    );
    expect(created.errors).toBeUndefined();
    keyId = created.data!.createApiKey.apiKey.id;
    secret = created.data!.createApiKey.secret;
    // Fill both caches the way requests do.
    expect((await api.gql(AUDIT, { w: ws.id }, { token: owner.token })).errors).toBeUndefined();
    expect((await api.gql(LEADS, { w: ws.id }, { token: secret })).errors).toBeUndefined();
  });
  afterAll(async () => {
    await api.close();
  });

  it("every column a cached principal holds is watched by a trigger, and every watched column is cached", async () => {
    const caches = api.services.principalCaches;
    const member = caches.members.get(`${owner.id}/${ws.id}`);
    const key = caches.apiKeys.get(`${ws.id}/${keyId}`);
    expect(member, "a member's request cached its access").toBeDefined();
    expect(key, "a key's request cached the key").toBeDefined();

    const cached = new Map<string, string[]>();
    cachedColumns("members", member!.value, ENTRY_SOURCES.members, cached);
    cachedColumns("apiKeys", key!.value, ENTRY_SOURCES.apiKeys, cached);
    const { watched, deletes, problems } = await watchedColumns(api);

    const columns = new Set(
      (
        await ownerSql<{ c: string }>(
          api,
          `SELECT table_name || '.' || column_name AS c FROM information_schema.columns WHERE table_schema = 'public'`,
        )
      ).map((r) => r.c),
    );
    for (const [col, paths] of cached) {
      if (!columns.has(col))
        problems.push(
          `${col}: held at ${paths.join(", ")} but no such column (declare where it comes from in ENTRY_SOURCES)`,
        );
      else if (IDENTITY.has(col) || NOT_POWER.has(col)) continue;
      else if (!watched.has(col))
        problems.push(`${col}: cached (${paths.join(", ")}) but no auth_version trigger watches it`);
    }
    for (const [col, triggers] of watched) {
      if (IDENTITY.has(col) || NOT_POWER.has(col))
        problems.push(
          `${col}: watched by ${triggers.join(", ")} but declared ${IDENTITY.has(col) ? "IDENTITY" : "NOT_POWER"} here`,
        );
      else if (!cached.has(col))
        problems.push(`${col}: bumps auth_version (${triggers.join(", ")}) but no cached principal holds it`);
    }
    for (const col of [...IDENTITY, ...NOT_POWER])
      if (!cached.has(col)) problems.push(`${col}: declared here but no cache holds it (remove the declaration)`);
    for (const table of DELETABLE)
      if (!deletes.has(table))
        problems.push(`${table}: cached rows of it can be deleted but no DELETE trigger bumps auth_version`);
    expect(problems).toEqual([]);
    // The comparison saw both sides (a catalog query that found nothing would pass vacuously).
    expect([...watched.keys()]).toEqual(
      expect.arrayContaining(["memberships.role", "api_keys.revoked_at", "workspaces.environment"]),
    );
  });

  it("renaming a workspace moves its auth_version (a cached key resolves its workspace by slug)", async () => {
    const [before] = await ownerSql<{ v: number }>(api, "SELECT auth_version AS v FROM workspaces WHERE id = $1", [
      ws.id,
    ]);
    await ownerSql(api, "UPDATE workspaces SET slug = $2 WHERE id = $1", [ws.id, `${ws.slug}-renamed`]);
    ws.slug = `${ws.slug}-renamed`;
    const [after] = await ownerSql<{ v: number }>(api, "SELECT auth_version AS v FROM workspaces WHERE id = $1", [
      ws.id,
    ]);
    expect(after!.v).toBe(before!.v + 1);
    await ownerSql(api, "UPDATE workspaces SET name = 'Trigger Co 2' WHERE id = $1", [ws.id]);
    const [unchanged] = await ownerSql<{ v: number }>(api, "SELECT auth_version AS v FROM workspaces WHERE id = $1", [
      ws.id,
    ]);
    expect(unchanged!.v, "a change no principal holds does not move it").toBe(after!.v);
  });

  it("a key whose principal is cached finds its workspace by the new slug on the very next request after a rename", async () => {
    const slug = `${ws.slug}-next`;
    expect(
      (await api.gql<{ workspace: { id: string } }>(BY_SLUG, { s: ws.slug }, { token: secret })).data?.workspace.id,
      "cached by this request",
    ).toBe(ws.id);
    expect((await api.gql(RENAME, { id: ws.id, i: { slug } }, { token: owner.token })).errors).toBeUndefined();
    expect(
      (await api.gql<{ workspace: { id: string } }>(BY_SLUG, { s: slug }, { token: secret })).data?.workspace.id,
      "the new slug",
    ).toBe(ws.id);
    expect(
      (await api.gql(BY_SLUG, { s: ws.slug }, { token: secret })).errors?.[0]?.extensions?.code,
      "the old slug",
    ).toBe("NOT_FOUND");
    ws.slug = slug;
  });
});
