// Shutdown with keep-alive callers: a connection whose request was still running when closing
// began becomes idle once it is answered, and must be closed then — not held open until the
// keep-alive timeout (72 s), which held every test file's close for 20 s once a provider's
// callback arrived late (server.ts, the preClose sweep).
import http from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, beforeAll, expect, it } from "@atrium/test-kit";

import { startTestApi, type TestApi } from "./test/harness.ts";

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.close();
});

/** One request over `agent`; resolves with the status, the body and the socket it used. */
function request(
  agent: http.Agent,
  port: number,
  path: string,
  body?: string,
): Promise<{ status: number; body: string; socket: import("node:net").Socket }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        path,
        method: body === undefined ? "GET" : "POST",
        agent,
        headers: body === undefined ? {} : { "content-type": "application/json" },
      },
      (res) => {
        // Taken now: once the answer has ended, the socket goes back to the agent (res.socket is null).
        const socket = res.socket;
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text, socket }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

it("a keep-alive connection answered after closing began is closed at once, and the close finishes", async () => {
  const port = (api.app.server.address() as AddressInfo).port;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  // The connection is open and kept alive.
  const first = await request(agent, port, "/healthz");
  expect(first.status).toBe(200);
  // A sign-in (its password hash takes a while) is running on that same connection when closing begins.
  const arrived = new Promise<void>((resolve) => api.app.server.once("request", () => resolve()));
  const signIn = request(
    agent,
    port,
    "/graphql",
    JSON.stringify({
      query: `mutation { signIn(input: { email: "nobody@example.com", password: "wrong-password-123" }) { accessToken } }`,
    }),
  );
  await arrived;
  const started = Date.now();
  const closing = api.app.close();
  const answered = await signIn;
  // The request in flight is answered (a typed refusal, not a dropped connection)…
  expect(answered.status).toBe(200);
  expect(answered.body).toContain("errors");
  expect(answered.socket).toBe(first.socket);
  // …and its connection, idle from then on, is closed, so the close ends long before 72 s.
  await closing;
  expect(Date.now() - started).toBeLessThan(10_000);
  // The server closed it: the client's end of it closes too (its FIN arrives a moment later).
  await new Promise<void>((resolve) =>
    answered.socket.destroyed ? resolve() : answered.socket.once("close", () => resolve()),
  );
  expect(answered.socket.destroyed).toBe(true);
  agent.destroy();
});
