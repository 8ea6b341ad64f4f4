import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
