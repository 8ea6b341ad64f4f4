// Losing a race on the settings page is a client error (issue 9): deleting a workspace, changing
// its settings while it is deleted, renaming two workspaces to one slug, revoking one API key ten
// times — one wins, the others get NOT_FOUND / CONFLICT, never INTERNAL_SERVER_ERROR.
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import {
  createWorkspace,
  ownerSql,
  raceOnLock,
  startTestApi,
  type GqlResult,
  type TestApi,
  type TestUser,
} from "../../test/harness.ts";

const N = 10;
/** The test API's database pool: how many requests can be inside a transaction at once. */
const POOL = 5;

function outcomes(results: GqlResult[]): string[] {
  return results.map((r) => {
    expect(r.status, JSON.stringify(r.errors)).toBeLessThan(500);
    const code = r.errors?.[0]?.extensions?.code;
    expect(code, JSON.stringify(r.errors)).not.toBe("INTERNAL_SERVER_ERROR");
    return code ?? "ok";
  });
}
const count = (xs: string[], x: string) => xs.filter((y) => y === x).length;
const times = <T>(n: number, fn: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => fn(i)));

describe("concurrent workspace settings changes", () => {
  let api: TestApi;
  let owner: TestUser;

  beforeAll(async () => {
    api = await startTestApi();
    owner = await api.user("Settings Owner");
  });
  afterAll(async () => api?.close());

  it("10 concurrent deleteWorkspace: 1 deletes, 9 answer NOT_FOUND", async () => {
    const ws = await createWorkspace(api, owner, "Doomed Race");
    const results = outcomes(
      await raceOnLock(api, `SELECT 1 FROM workspaces WHERE id = $1 FOR UPDATE`, [ws.id], POOL, () =>
        times(N, () =>
          api.gql(
            `mutation($id: ID!, $s: String!) { deleteWorkspace(id: $id, confirmSlug: $s) }`,
            { id: ws.id, s: ws.slug },
            { token: owner.token },
          ),
        ),
      ),
    );
    expect(count(results, "ok")).toBe(1);
    expect(count(results, "NOT_FOUND")).toBe(N - 1);
    expect(await ownerSql(api, `SELECT 1 FROM workspaces WHERE id = $1`, [ws.id])).toHaveLength(0);
    expect(
      await ownerSql(
        api,
        `SELECT 1 FROM platform_audit_events WHERE workspace_id = $1 AND action = 'workspace.deleted'`,
        [ws.id],
      ),
    ).toHaveLength(1);
  });

  it("settings changes that lose to a deletion answer NOT_FOUND", async () => {
    const ws = await createWorkspace(api, owner, "Settings Race");
    const ops: [string, Record<string, unknown>][] = [
      [`mutation($w: ID!) { setAgentPaused(workspaceId: $w, paused: true) { id } }`, { w: ws.id }],
      [`mutation($w: ID!) { setRetention(workspaceId: $w, days: 30) { id } }`, { w: ws.id }],
      [
        `mutation($w: ID!) { updateAgentPersona(workspaceId: $w, input: { agentName: "Ava", agentRole: "Receptionist", tone: "FRIENDLY", qualificationQuestions: ["Budget?"] }) { id } }`,
        { w: ws.id },
      ],
      [
        `mutation($w: ID!) { changeEnvironment(workspaceId: $w, environment: STAGING, confirm: true) { id } }`,
        { w: ws.id },
      ],
      [`mutation($w: ID!) { updateWorkspace(id: $w, input: { name: "Renamed" }) { id } }`, { w: ws.id }],
    ];
    // Each change reads the workspace, then the deletion commits under it.
    const results = outcomes(
      await raceOnLock(
        api,
        `SELECT 1 FROM workspaces WHERE id = $1 FOR UPDATE`,
        [ws.id],
        POOL,
        () => times(N, (i) => api.gql(ops[i % ops.length]![0], ops[i % ops.length]![1], { token: owner.token })),
        async (sql) => {
          await sql(`DELETE FROM workspaces WHERE id = $1`, [ws.id]);
          await sql("COMMIT");
        },
      ),
    );
    expect(count(results, "NOT_FOUND")).toBe(N);
  });

  it("ten workspaces renamed to one slug at once: 1 takes it, 9 answer CONFLICT", async () => {
    const spaces: { id: string; slug: string }[] = [];
    for (let i = 0; i < N; i++) spaces.push(await createWorkspace(api, owner, `Slug Race ${i}`));
    const results = outcomes(
      await times(N, (i) =>
        api.gql(
          `mutation($w: ID!) { updateWorkspace(id: $w, input: { slug: "the-one-slug" }) { slug } }`,
          { w: spaces[i]!.id },
          { token: owner.token },
        ),
      ),
    );
    expect(count(results, "ok")).toBe(1);
    expect(count(results, "CONFLICT")).toBe(N - 1);
  });

  it("10 concurrent revokeApiKey for one key: 1 succeeds, 9 answer NOT_FOUND", async () => {
    const ws = await createWorkspace(api, owner, "Key Race");
    const created = await api.gql<{ createApiKey: { apiKey: { id: string } } }>(
      `mutation($w: ID!) { createApiKey(workspaceId: $w, input: { name: "k", scopes: ["lead.read"] }) { apiKey { id } } }`,
      { w: ws.id },
      { token: owner.token },
    );
    const id = created.data!.createApiKey.apiKey.id;
    const results = outcomes(
      await raceOnLock(
        api,
        `SELECT 1 FROM api_keys WHERE workspace_id = $1 AND id = $2 FOR UPDATE`,
        [ws.id, id],
        POOL,
        () =>
          times(N, () =>
            api.gql(
              `mutation($w: ID!, $id: ID!) { revokeApiKey(workspaceId: $w, id: $id) }`,
              { w: ws.id, id },
              { token: owner.token },
            ),
          ),
      ),
    );
    expect(count(results, "ok")).toBe(1);
    expect(count(results, "NOT_FOUND")).toBe(N - 1);
    expect(
      await ownerSql(api, `SELECT 1 FROM audit_events WHERE workspace_id = $1 AND action = 'api_key.revoked'`, [ws.id]),
    ).toHaveLength(1);
  });
});
