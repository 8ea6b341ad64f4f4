import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { createWorkspace, startTestApi, type TestApi, type TestUser } from "../../test/harness.ts";

interface LogLine {
  level: number;
  msg: string;
  reqId?: string;
  route?: string | null;
  statusCode?: number;
  durationMs?: number;
  operation?: string | null;
  operationType?: string | null;
  workspaceId?: string | null;
  principal?: string;
  statements?: number;
}

const SIGN_IN = `mutation SignIn($i: SignInInput!) { signIn(input: $i) { accessToken refreshToken user { id } } }`;
const CREATE_KEY = `mutation CreateKey($w: ID!, $i: CreateApiKeyInput!) { createApiKey(workspaceId: $w, input: $i) { secret } }`;
const LEADS = `query LeadsForLog($w: ID!) { leads(workspaceId: $w, first: 5) { totalCount edges { node { id name } } } }`;

describe("request log", () => {
  let api: TestApi;
  let owner: TestUser;
  let ws: { id: string };
  let keySecret: string;
  const written: string[] = [];
  const lines = (): LogLine[] =>
    written
      .join("")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as LogLine);
  /** The request lines of the requests whose ids the responses carried. */
  const lineOf = (res: { headers: Headers }): LogLine => {
    const id = res.headers.get("x-request-id");
    const found = lines().filter(
      (l) => l.reqId === id && (l.msg === "request completed" || l.msg === "slow operation"),
    );
    expect(found, `one line for request ${id}`).toHaveLength(1);
    return found[0]!;
  };

  beforeAll(async () => {
    api = await startTestApi({
      logLevel: "info",
      logStream: { write: (line: string) => void written.push(line) },
      slowOperationMs: 60_000,
    });
    owner = await api.user("Logan Loggerhead");
    ws = await createWorkspace(api, owner, "Log Co");
    const key = await api.gql<{ createApiKey: { secret: string } }>(
      CREATE_KEY,
      { w: ws.id, i: { name: "log", scopes: ["lead.read"] } },
      { token: owner.token },
    );
    if (!key.data) throw new Error(JSON.stringify(key.errors));
    keySecret = key.data.createApiKey.secret;
  });
  afterAll(async () => api.close());

  it("names the operation, its type and the caller kind of a sign-in, and never the e-mail or password", async () => {
    const res = await api.gql<{ signIn: { accessToken: string; refreshToken: string } }>(SIGN_IN, {
      i: { email: owner.email, password: owner.password },
    });
    expect(res.errors).toBeUndefined();
    expect(lineOf(res)).toMatchObject({
      msg: "request completed",
      route: "/graphql",
      statusCode: 200,
      operation: "SignIn",
      operationType: "mutation",
      principal: "anonymous",
      workspaceId: null,
    });
    const log = written.join("");
    for (const secret of [
      owner.email,
      owner.password,
      owner.token,
      owner.refreshToken,
      res.data!.signIn.accessToken,
      res.data!.signIn.refreshToken,
      "Logan Loggerhead",
    ])
      expect(log).not.toContain(secret);
  });

  it("names the workspace and principal kind of a user's and an API key's request, and never the key", async () => {
    const asUser = await api.gql(LEADS, { w: ws.id }, { token: owner.token });
    expect(asUser.errors).toBeUndefined();
    expect(lineOf(asUser)).toMatchObject({
      operation: "LeadsForLog",
      operationType: "query",
      principal: "user",
      workspaceId: ws.id,
    });
    const asKey = await api.gql(LEADS, { w: ws.id }, { token: keySecret });
    expect(asKey.errors).toBeUndefined();
    const line = lineOf(asKey);
    expect(line).toMatchObject({ operation: "LeadsForLog", principal: "apiKey", workspaceId: ws.id });
    expect(line.statements, "the read's statements are counted").toBeGreaterThan(0);
    expect(written.join("")).not.toContain(keySecret);
    expect(written.join("")).not.toContain(keySecret.slice(0, 16));
  });

  it("logs a failing request with its status, and a REST route by its template, not its URL", async () => {
    const wrong = await api.gql(SIGN_IN, { i: { email: owner.email, password: "not the password at all" } });
    expect(wrong.errors?.length).toBeGreaterThan(0);
    expect(lineOf(wrong)).toMatchObject({ operation: "SignIn", principal: "anonymous" });
    const refused = await api.gql(LEADS, { w: ws.id }, { token: "atr_dev_notakeyatall_0000000000000000" });
    expect(lineOf(refused)).toMatchObject({ operation: "LeadsForLog", principal: "anonymous" });
    const form = await fetch(`${api.url}/forms/no-such-form?token=secret-looking-query-value`);
    expect(form.status).toBe(404);
    expect(lineOf(form)).toMatchObject({ route: "/forms/:slug", statusCode: 404, principal: "anonymous" });
    const log = written.join("");
    for (const secret of [
      owner.email,
      "not the password at all",
      "atr_dev_notakeyatall",
      "secret-looking-query-value",
      "no-such-form",
    ])
      expect(log).not.toContain(secret);
  });

  it("logs an operation slower than SLOW_OPERATION_MS at warn, with its duration and statement count", async () => {
    api.config.slowOperationMs = 1;
    try {
      // A mutation takes more than a millisecond: several statements and round trips.
      const res = await api.gql(
        `mutation RenameForLog($w: ID!) { updateWorkspace(id: $w, input: { name: "Log Co 2" }) { id } }`,
        { w: ws.id },
        { token: owner.token },
      );
      const line = lineOf(res);
      expect(line).toMatchObject({
        level: 40,
        msg: "slow operation",
        operation: "RenameForLog",
        operationType: "mutation",
        principal: "user",
        workspaceId: ws.id,
      });
      expect(line.durationMs).toBeGreaterThanOrEqual(1);
      expect(line.statements, "the statements the mutation ran").toBeGreaterThan(3);
    } finally {
      api.config.slowOperationMs = 60_000;
    }
  });
});
