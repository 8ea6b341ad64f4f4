// S2 sessions page: list your active sessions, sign one out, sign out everywhere.
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { codeOf, startTestApi, type TestApi, type TestUser } from "../../test/harness.ts";

const SESSIONS = `query { sessions { id current createdAt lastSeenAt ip userAgent } }`;
const REVOKE = `mutation($id: ID!) { revokeSession(id: $id) }`;

interface Row {
  id: string;
  current: boolean;
  ip: string | null;
  userAgent: string | null;
}

describe("sessions", () => {
  let api: TestApi;
  let user: TestUser;
  beforeAll(async () => {
    api = await startTestApi();
    user = await api.user("Devices");
  });
  afterAll(async () => api.close());

  async function signIn(ua: string): Promise<string> {
    const r = await api.gql<{ signIn: { accessToken: string } }>(
      `mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }`,
      { i: { email: user.email, password: user.password } },
      { headers: { "user-agent": ua } },
    );
    return r.data!.signIn.accessToken;
  }

  it("lists every active session with device and IP, marks the current one, and revokes one at once", async () => {
    const phone = await signIn("Phone/1.0");
    const laptop = await signIn("Laptop/2.0");
    const list = await api.gql<{ sessions: Row[] }>(SESSIONS, {}, { token: laptop });
    expect(list.errors).toBeUndefined();
    const rows = list.data!.sessions;
    expect(rows).toHaveLength(3);
    expect(rows.filter((r) => r.current).map((r) => r.userAgent)).toEqual(["Laptop/2.0"]);
    expect(rows.find((r) => r.userAgent === "Phone/1.0")!.ip).toBe("127.0.0.1");

    const phoneId = rows.find((r) => r.userAgent === "Phone/1.0")!.id;
    expect((await api.gql(REVOKE, { id: phoneId }, { token: laptop })).data).toEqual({ revokeSession: true });
    expect(codeOf(await api.gql(`query { accountSecurity { totpEnabled } }`, {}, { token: phone }))).toBe(
      "UNAUTHENTICATED",
    );
    expect((await api.gql<{ sessions: Row[] }>(SESSIONS, {}, { token: laptop })).data!.sessions).toHaveLength(2);
    // Revoking it again, or a made-up id: NOT_FOUND.
    expect(codeOf(await api.gql(REVOKE, { id: phoneId }, { token: laptop }))).toBe("NOT_FOUND");
    expect(codeOf(await api.gql(REVOKE, { id: "not-a-uuid" }, { token: laptop }))).toBe("NOT_FOUND");
  });

  it("cannot see or revoke another user's session", async () => {
    const other = await api.user("Other");
    const mine = (await api.gql<{ sessions: Row[] }>(SESSIONS, {}, { token: user.token })).data!.sessions;
    const theirs = (await api.gql<{ sessions: Row[] }>(SESSIONS, {}, { token: other.token })).data!.sessions;
    expect(theirs.map((r) => r.id).filter((id) => mine.some((m) => m.id === id))).toEqual([]);
    expect(codeOf(await api.gql(REVOKE, { id: mine[0]!.id }, { token: other.token }))).toBe("NOT_FOUND");
    expect((await api.gql(SESSIONS, {}, { token: user.token })).errors).toBeUndefined();
  });

  it("sign out everywhere ends every session", async () => {
    const a = await signIn("A");
    const b = await signIn("B");
    expect((await api.gql(`mutation { signOutEverywhere }`, {}, { token: a })).data).toEqual({
      signOutEverywhere: true,
    });
    expect(codeOf(await api.gql(SESSIONS, {}, { token: b }))).toBe("UNAUTHENTICATED");
    const fresh = await signIn("C");
    expect((await api.gql<{ sessions: Row[] }>(SESSIONS, {}, { token: fresh })).data!.sessions).toHaveLength(1);
  });

  it("API keys cannot list sessions", async () => {
    expect(codeOf(await api.gql(SESSIONS, {}, { token: "atr_dev_x" }))).toBe("UNAUTHENTICATED");
  });
});
