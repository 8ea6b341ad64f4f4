import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";
import { ownerSql, startTestApi, type TestApi, type TestUser } from "./test/harness.ts";

const apiDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

describe("pnpm atrium admin grant <email>", () => {
  let api: TestApi;
  let user: TestUser;
  beforeAll(async () => {
    api = await startTestApi();
    user = await api.user("Future admin");
  });
  afterAll(async () => api.close());

  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], {
      cwd: apiDir,
      encoding: "utf8",
      env: { ...process.env, DATABASE_URL: api.testDb.ownerUrl, APP_DATABASE_URL: api.testDb.appUrl, NODE_ENV: "test" },
      timeout: 60_000,
    });

  it("promotes an existing user to platform ADMIN", async () => {
    const r = cli("admin", "grant", user.email);
    expect(r.stdout).toContain(`${user.email} is now a platform admin.`);
    expect(r.status).toBe(0);
    const rows = await ownerSql<{ global_role: string }>(api, `SELECT global_role FROM users WHERE id = $1`, [user.id]);
    expect(rows[0]?.global_role).toBe("ADMIN");
  });

  it("explains an unknown e-mail and a wrong command, with a non-zero exit", () => {
    const unknown = cli("admin", "grant", "nobody@example.com");
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain("sign up first");
    const wrong = cli("admin", "revoke");
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain("usage:");
  });
});

describe("pnpm atrium credentials rotate", () => {
  it("re-encrypts every secret with the newest key, printing progress and the count per key", async () => {
    const { randomBytes } = await import("node:crypto");
    const { kidOf } = await import("./env.ts");
    const raw1 = randomBytes(32);
    const raw2 = randomBytes(32);
    const k1 = { kid: kidOf(new Uint8Array(raw1)), key: new Uint8Array(raw1) };
    const api = await startTestApi({ integrationKeys: [k1] });
    try {
      const owner = await api.user("Rotator");
      const ws = await api.gql<{ createWorkspace: { id: string } }>(`mutation { createWorkspace(input: { name: "Rotate CLI", channel: WHATSAPP }) { id } }`, {}, { token: owner.token });
      const w = ws.data!.createWorkspace.id;
      for (const i of [{ openai: { apiKey: "sk-rotate-cli-0001", model: "gpt-4o-mini" } }, { calcom: { apiKey: "cal-rotate-cli-0001", eventTypeId: 7 } }]) {
        const r = await api.gql(`mutation($w: ID!, $i: IntegrationInput!) { setIntegration(workspaceId: $w, input: $i) { provider } }`, { w, i }, { token: owner.token });
        expect(r.errors).toBeUndefined();
      }
      const run = (env: Record<string, string>) =>
        spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", "credentials", "rotate"], {
          cwd: apiDir,
          encoding: "utf8",
          env: { ...process.env, DATABASE_URL: api.testDb.ownerUrl, APP_DATABASE_URL: api.testDb.appUrl, NODE_ENV: "test", ...env },
          timeout: 60_000,
        });
      const kid2 = kidOf(new Uint8Array(raw2));
      const r = run({ INTEGRATIONS_ENCRYPTION_KEY: `${raw2.toString("base64")},${raw1.toString("base64")}` });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain(`Re-encrypting integration and TOTP secrets with key ${kid2}`);
      expect(r.stdout).toContain("2/2 re-encrypted");
      expect(r.stdout).toContain(`${kid2} (newest): 2 secret(s)`);
      const rows = await ownerSql<{ key_id: string }>(api, `SELECT DISTINCT key_id FROM integrations`);
      expect(rows).toEqual([{ key_id: kid2 }]);
      const none = run({ NODE_ENV: "production", AUTH_SECRET: "x".repeat(40), INTEGRATIONS_ENCRYPTION_KEY: "" });
      expect(none.status).toBe(1);
      expect(none.stderr).toContain("INTEGRATIONS_ENCRYPTION_KEY is not set");
    } finally {
      await api.close();
    }
  });
});
