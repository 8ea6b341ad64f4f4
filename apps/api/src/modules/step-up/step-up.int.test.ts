// S7 step-up verification against the real API: TOTP enrolment with codes computed here from the
// secret (RFC 6238), recovery codes, the workspace gate, API keys unaffected, failures audited
// and rate-limited, and the platform switch.
import { generate } from "otplib";

import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { rotateCredentials, secretsOnOlderKeys } from "../../credentials-rotation.ts";
import { SecretBox } from "../../platform/crypto/secret-box.ts";
import { buildServer } from "../../server.ts";
import { createServices } from "../../services.ts";
import {
  addMember,
  codeOf,
  createWorkspace,
  ownerSql,
  startTestApi,
  type TestApi,
  type TestUser,
} from "../../test/harness.ts";
import { newKey } from "../../test/providers.ts";
import { SoftAuthenticator } from "../../test/soft-authenticator.ts";

const ENROLL = `mutation { enrollTotp { secret otpauthUrl } }`;
const CONFIRM = `mutation($c: String!) { confirmTotp(code: $c) }`;
const VERIFY = `mutation($c: String!) { verifyStepUp(code: $c) }`;
const SECURITY = `mutation($w: ID!, $i: WorkspaceSecurityInput!) { setWorkspaceSecurity(workspaceId: $w, input: $i) { requireStepUp stepUpLifetimeMinutes } }`;
const LEADS = `query($w: ID!) { leads(workspaceId: $w) { totalCount } }`;
const STATUS = `query { accountSecurity { stepUpAvailable totpEnabled recoveryCodesLeft stepUpVerifiedAt } }`;

/**
 * A new session of a user with an authenticator app: the password, then the second step with a
 * recovery code (a TOTP step would be spent). Sign-in with the factor verifies the session, so
 * the mark is cleared here: these tests are about sessions the gate stops.
 */
async function unverifiedSession(api: TestApi, user: TestUser, recoveryCode: string): Promise<string> {
  const signIn = await api.gql(`mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }`, {
    i: { email: user.email, password: user.password },
  });
  const challenge = signIn.errors?.[0]?.extensions?.challenge as string;
  const done = await api.gql<{ completeSignIn: { accessToken: string } }>(
    `mutation($ch: String!, $c: String!) { completeSignIn(challenge: $ch, code: $c) { accessToken } }`,
    { ch: challenge, c: recoveryCode },
  );
  if (!done.data) throw new Error(`completeSignIn failed: ${JSON.stringify(done.errors)}`);
  const token = done.data.completeSignIn.accessToken;
  const { sid } = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as { sid: string };
  await ownerSql(api, `UPDATE sessions SET step_up_verified_at = NULL WHERE id = $1`, [sid]);
  return token;
}

/** A code for the step after the last one used (the server refuses a replayed time step). */
async function codeAt(secret: string, offsetSteps = 0): Promise<string> {
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSteps * 30 });
}

describe("step-up verification (platform switch on)", () => {
  let api: TestApi;
  let owner: TestUser;
  let ws: { id: string; slug: string };
  let secret = "";
  let recovery: string[] = [];

  beforeAll(async () => {
    api = await startTestApi({ stepUpEnabled: true });
    owner = await api.user("Owner");
    ws = await createWorkspace(api, owner, "Guarded");
  });
  afterAll(async () => api.close());

  it("enrols TOTP: sealed secret, otpauth URL, first code activates it and returns 10 recovery codes", async () => {
    const e = await api.gql<{ enrollTotp: { secret: string; otpauthUrl: string } }>(ENROLL, {}, { token: owner.token });
    expect(e.errors).toBeUndefined();
    secret = e.data!.enrollTotp.secret;
    const otpauthUrl = e.data!.enrollTotp.otpauthUrl;
    expect(otpauthUrl).toMatch(/^otpauth:\/\/totp\/Atrium:/);
    expect(otpauthUrl).toContain(`secret=${secret}`);
    const [row] = await ownerSql<{ secret_jwe: string; confirmed_at: Date | null }>(
      api,
      `SELECT secret_jwe, confirmed_at FROM totp_factors WHERE user_id = $1`,
      [owner.id],
    );
    expect(row!.secret_jwe).not.toContain(secret);
    expect(row!.secret_jwe.split(".")).toHaveLength(5);
    expect(row!.confirmed_at).toBeNull();

    expect(
      codeOf(
        await api.gql(
          CONFIRM,
          { c: "000000" === (await codeAt(secret)) ? "111111" : "000000" },
          { token: owner.token },
        ),
      ),
    ).toBe("BAD_USER_INPUT");
    const c = await api.gql<{ confirmTotp: string[] }>(CONFIRM, { c: await codeAt(secret) }, { token: owner.token });
    expect(c.errors).toBeUndefined();
    expect(c.data!.confirmTotp).toHaveLength(10);
    expect(new Set(c.data!.confirmTotp).size).toBe(10);
    const stored = await ownerSql<{ code_hash: string }>(
      api,
      `SELECT code_hash FROM recovery_codes WHERE user_id = $1`,
      [owner.id],
    );
    expect(stored).toHaveLength(10);
    for (const code of c.data!.confirmTotp) expect(stored.map((r) => r.code_hash)).not.toContain(code);
    const s = await api.gql<{ accountSecurity: { totpEnabled: boolean; recoveryCodesLeft: number } }>(
      STATUS,
      {},
      { token: owner.token },
    );
    expect(s.data!.accountSecurity).toMatchObject({ stepUpAvailable: true, totpEnabled: true, recoveryCodesLeft: 10 });
    // A second enrolment while one is active is refused.
    expect(codeOf(await api.gql(ENROLL, {}, { token: owner.token }))).toBe("CONFLICT");
    recovery = c.data!.confirmTotp;
  });

  it("a workspace requiring step-up answers STEP_UP_REQUIRED to an unverified session; verifyStepUp lifts it for that session only", async () => {
    const set = await api.gql(
      SECURITY,
      { w: ws.id, i: { requireStepUp: true, stepUpLifetimeMinutes: 10 } },
      { token: owner.token },
    );
    expect(set.data).toEqual({ setWorkspaceSecurity: { requireStepUp: true, stepUpLifetimeMinutes: 10 } });
    const audit = await ownerSql<{ data: { after: unknown } }>(
      api,
      `SELECT data FROM audit_events WHERE workspace_id = $1 AND action = 'workspace.security_changed'`,
      [ws.id],
    );
    expect(audit[0]!.data.after).toEqual({ requireStepUp: true, stepUpLifetimeMinutes: 10 });

    // A fresh, unverified session of the same user (the enrolling one was verified by the first code).
    const other = await unverifiedSession(api, owner, recovery[9]!);
    const blocked = await api.gql(LEADS, { w: ws.id }, { token: other });
    expect(codeOf(blocked)).toBe("STEP_UP_REQUIRED");
    expect(blocked.errors?.[0]?.extensions).toMatchObject({ workspaceId: ws.id, lifetimeMinutes: 10 });
    // Not a workspace operation: still answered.
    expect((await api.gql(`query { me { id } }`, {}, { token: other })).errors).toBeUndefined();

    const next = await codeAt(secret, 1);
    expect((await api.gql(VERIFY, { c: next }, { token: other })).data).toEqual({ verifyStepUp: true });
    expect((await api.gql(LEADS, { w: ws.id }, { token: other })).errors).toBeUndefined();
    // The same code again (same time step) is a replay.
    expect(codeOf(await api.gql(VERIFY, { c: next }, { token: other }))).toBe("BAD_USER_INPUT");

    // Past the lifetime, the gate closes again.
    await ownerSql(api, `UPDATE sessions SET step_up_verified_at = now() - interval '11 minutes' WHERE user_id = $1`, [
      owner.id,
    ]);
    expect(codeOf(await api.gql(LEADS, { w: ws.id }, { token: other }))).toBe("STEP_UP_REQUIRED");
  });

  it("a recovery code works once (any case, with or without the dash)", async () => {
    const [first] = recovery;
    const t = await unverifiedSession(api, owner, recovery[8]!);
    expect((await api.gql(VERIFY, { c: first!.toLowerCase().replace("-", "") }, { token: t })).data).toEqual({
      verifyStepUp: true,
    });
    expect((await api.gql(LEADS, { w: ws.id }, { token: t })).errors).toBeUndefined();
    expect(codeOf(await api.gql(VERIFY, { c: first! }, { token: t }))).toBe("BAD_USER_INPUT");
    // Ten, less the two that signed in the unverified sessions, less this one.
    expect(
      (await api.gql<{ accountSecurity: { recoveryCodesLeft: number } }>(STATUS, {}, { token: t })).data!
        .accountSecurity.recoveryCodesLeft,
    ).toBe(7);
  });

  it("API keys are not affected by the gate", async () => {
    await api.gql(SECURITY, { w: ws.id, i: { requireStepUp: true } }, { token: owner.token });
    await ownerSql(api, `UPDATE sessions SET step_up_verified_at = now() WHERE user_id = $1`, [owner.id]);
    const k = await api.gql<{ createApiKey: { secret: string } }>(
      `mutation($w: ID!) { createApiKey(workspaceId: $w, input: { name: "k", scopes: ["lead.read", "lead.manage"] }) { secret } }`,
      { w: ws.id },
      { token: owner.token },
    );
    expect(k.errors).toBeUndefined();
    await ownerSql(api, `UPDATE sessions SET step_up_verified_at = NULL WHERE user_id = $1`, [owner.id]);
    expect(codeOf(await api.gql(LEADS, { w: ws.id }, { token: owner.token }))).toBe("STEP_UP_REQUIRED");
    const r = await api.gql(
      `mutation { submitLead(input: { name: "Key lead" }) { id } }`,
      {},
      { token: k.data!.createApiKey.secret },
    );
    expect(r.errors).toBeUndefined();
  });

  it("a member without any factor gets STEP_UP_REQUIRED, may enrol a first factor, and is then let in", async () => {
    const agent = await api.user("Agent");
    await addMember(api, ws.id, agent, "AGENT", ["lead.read"]);
    expect(codeOf(await api.gql(LEADS, { w: ws.id }, { token: agent.token }))).toBe("STEP_UP_REQUIRED");
    const e = await api.gql<{ enrollTotp: { secret: string } }>(ENROLL, {}, { token: agent.token });
    expect(
      (await api.gql(CONFIRM, { c: await codeAt(e.data!.enrollTotp.secret) }, { token: agent.token })).errors,
    ).toBeUndefined();
    expect((await api.gql(LEADS, { w: ws.id }, { token: agent.token })).errors).toBeUndefined();
  });

  it("failed attempts are audited and rate-limited per user, and a right code does not slip past the limit", async () => {
    const u = await api.user("Guesser");
    const e = await api.gql<{ enrollTotp: { secret: string } }>(ENROLL, {}, { token: u.token });
    await api.gql(CONFIRM, { c: await codeAt(e.data!.enrollTotp.secret) }, { token: u.token });
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 11; i++) codes.push(codeOf(await api.gql(VERIFY, { c: "ABCDE-FGHJK" }, { token: u.token })));
    expect(codes.slice(0, 9).every((c) => c === "BAD_USER_INPUT")).toBe(true);
    expect(codes.slice(10)).toEqual(["RATE_LIMITED"]);
    expect(codeOf(await api.gql(VERIFY, { c: await codeAt(e.data!.enrollTotp.secret, 1) }, { token: u.token }))).toBe(
      "RATE_LIMITED",
    );
    const audited = await ownerSql<{ n: number }>(
      api,
      `SELECT count(*)::int AS n FROM platform_audit_events WHERE actor_user_id = $1 AND action = 'step_up.failed'`,
      [u.id],
    );
    expect(audited[0]!.n).toBeGreaterThanOrEqual(10);
  });

  it("parallel guesses cannot outrun the failure budget: at most 10 codes are checked, the rest RATE_LIMITED (issue 55)", async () => {
    const u = await api.user("Parallel guesser");
    const e = await api.gql<{ enrollTotp: { secret: string } }>(ENROLL, {}, { token: u.token });
    await api.gql(CONFIRM, { c: await codeAt(e.data!.enrollTotp.secret) }, { token: u.token });
    const codes = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        api.gql(VERIFY, { c: `ABCDE-${String(i).padStart(5, "0")}` }, { token: u.token }).then(codeOf),
      ),
    );
    expect(codes.filter((c) => c === "BAD_USER_INPUT")).toHaveLength(10);
    expect(codes.filter((c) => c === "RATE_LIMITED")).toHaveLength(20);
    const checked = await ownerSql<{ n: number }>(
      api,
      `SELECT count(*)::int AS n FROM platform_audit_events WHERE actor_user_id = $1 AND action = 'step_up.failed'`,
      [u.id],
    );
    expect(checked[0]!.n).toBe(10);
  });

  it("a right code gives its budget unit back: successes never lock the owner out", async () => {
    const u = await api.user("Often verified");
    const e = await api.gql<{ enrollTotp: { secret: string } }>(ENROLL, {}, { token: u.token });
    const c = await api.gql<{ confirmTotp: string[] }>(
      CONFIRM,
      { c: await codeAt(e.data!.enrollTotp.secret) },
      { token: u.token },
    );
    for (const code of c.data!.confirmTotp)
      expect((await api.gql(VERIFY, { c: code }, { token: u.token })).data).toEqual({ verifyStepUp: true });
    // Ten successes (the budget's size) later, a wrong code is still an ordinary failure, not RATE_LIMITED.
    expect(codeOf(await api.gql(VERIFY, { c: "ABCDE-FGHJK" }, { token: u.token }))).toBe("BAD_USER_INPUT");
  });

  it("setWorkspaceSecurity needs workspace.settings and checks the lifetime", async () => {
    const agent = await api.user("Agent2");
    const w2 = await createWorkspace(api, owner, "Open");
    await addMember(api, w2.id, agent, "AGENT", ["lead.read"]);
    expect(codeOf(await api.gql(SECURITY, { w: w2.id, i: { requireStepUp: true } }, { token: agent.token }))).toBe(
      "FORBIDDEN",
    );
    expect(
      codeOf(
        await api.gql(
          SECURITY,
          { w: w2.id, i: { requireStepUp: true, stepUpLifetimeMinutes: 0 } },
          { token: owner.token },
        ),
      ),
    ).toBe("BAD_USER_INPUT");
    expect(
      codeOf(
        await api.gql(
          SECURITY,
          { w: w2.id, i: { requireStepUp: true, stepUpLifetimeMinutes: 1441 } },
          { token: owner.token },
        ),
      ),
    ).toBe("BAD_USER_INPUT");
    const stranger = await api.user("Stranger");
    expect(codeOf(await api.gql(SECURITY, { w: w2.id, i: { requireStepUp: true } }, { token: stranger.token }))).toBe(
      "NOT_FOUND",
    );
  });
});

describe("step-up with the platform switch off (default)", () => {
  let api: TestApi;
  afterAll(async () => api.close());

  it("the gate is off even when a workspace requires step-up", async () => {
    api = await startTestApi();
    expect(api.config.stepUpEnabled).toBe(false);
    const owner = await api.user("Owner");
    const ws = await createWorkspace(api, owner, "Off");
    expect(
      (await api.gql(SECURITY, { w: ws.id, i: { requireStepUp: true } }, { token: owner.token })).errors,
    ).toBeUndefined();
    expect((await api.gql(LEADS, { w: ws.id }, { token: owner.token })).errors).toBeUndefined();
    expect(
      (await api.gql<{ accountSecurity: { stepUpAvailable: boolean } }>(STATUS, {}, { token: owner.token })).data!
        .accountSecurity.stepUpAvailable,
    ).toBe(false);
  });
});

describe("TOTP secrets and the encryption key rotation", () => {
  it("`credentials rotate` re-seals TOTP secrets with the newest key; a code still verifies once the old key is gone", async () => {
    const k1 = newKey();
    const k2 = newKey();
    const api = await startTestApi({ stepUpEnabled: true, integrationKeys: [k1] });
    let newest: Awaited<ReturnType<typeof buildServer>> | null = null;
    try {
      const user = await api.user("Rotating");
      const e = await api.gql<{ enrollTotp: { secret: string } }>(ENROLL, {}, { token: user.token });
      expect(
        (await api.gql(CONFIRM, { c: await codeAt(e.data!.enrollTotp.secret) }, { token: user.token })).errors,
      ).toBeUndefined();
      const [before] = await ownerSql<{ secret_jwe: string; key_id: string; last_time_step: string }>(
        api,
        `SELECT secret_jwe, key_id, last_time_step::text FROM totp_factors WHERE user_id = $1`,
        [user.id],
      );
      expect(before!.key_id).toBe(k1.kid);
      expect(SecretBox.kidOf(before!.secret_jwe)).toBe(k1.kid);

      // The new deployment lists k2 first, k1 still listed: the rotation moves the row to k2.
      const rotating = new SecretBox([k2, k1]);
      expect(await secretsOnOlderKeys({ db: api.db, box: rotating })).toBe(1);
      expect(await rotateCredentials({ db: api.db, box: rotating })).toEqual({ rotated: 1, total: 1, failed: 0 });
      const [after] = await ownerSql<{ secret_jwe: string; key_id: string; last_time_step: string }>(
        api,
        `SELECT secret_jwe, key_id, last_time_step::text FROM totp_factors WHERE user_id = $1`,
        [user.id],
      );
      expect(after!.key_id).toBe(k2.kid);
      expect(SecretBox.kidOf(after!.secret_jwe)).toBe(k2.kid);
      expect(after!.secret_jwe).not.toBe(before!.secret_jwe);
      // The replay mark is kept: the code already used stays used.
      expect(after!.last_time_step).toBe(before!.last_time_step);
      expect(await secretsOnOlderKeys({ db: api.db, box: rotating })).toBe(0);
      expect(await rotateCredentials({ db: api.db, box: rotating })).toEqual({ rotated: 0, total: 0, failed: 0 });

      // An instance that knows only k2 (k1 dropped) verifies the user's next code.
      const config = { ...api.config, integrationKeys: [k2] };
      newest = await buildServer(config, createServices(config, api.db));
      await newest.listen({ port: 0, host: "127.0.0.1" });
      const url = `http://127.0.0.1:${(newest.server.address() as { port: number }).port}`;
      const verify = async (code: string) => {
        const res = await fetch(`${url}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${user.token}` },
          body: JSON.stringify({ query: VERIFY, variables: { c: code } }),
        });
        return (await res.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
      };
      expect(await verify(await codeAt(e.data!.enrollTotp.secret, 1))).toEqual({ data: { verifyStepUp: true } });
      // And a wrong code is still refused there (the secret opened is the real one, not "anything").
      expect((await verify("000000")).errors?.[0]?.extensions?.code).toBeDefined();
    } finally {
      await newest?.close();
      await api.close();
    }
  });
});

describe("factor changes need a fresh verification; a WebAuthn challenge serves only its own ceremony (issue 55, finding 1)", () => {
  const REG_OPTIONS = `mutation { passkeyRegistrationOptions }`;
  const ADD = `mutation($r: String!) { addPasskey(response: $r, name: "mine") { id } }`;
  const AUTH_OPTIONS = `mutation { passkeyStepUpOptions }`;
  const VERIFY_PASSKEY = `mutation($r: String!) { verifyPasskeyStepUp(response: $r) }`;
  const REMOVE = `mutation($id: ID!) { removePasskey(id: $id) }`;
  let api: TestApi;
  let victim: TestUser;
  let ws: { id: string; slug: string };
  let victimKey: SoftAuthenticator;
  let victimPasskeyId = "";

  const freshSession = async (u: TestUser) =>
    (
      await api.gql<{ signIn: { accessToken: string } }>(
        `mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }`,
        { i: { email: u.email, password: u.password } },
      )
    ).data!.signIn.accessToken;
  const passkeys = async (userId: string) =>
    (await ownerSql<{ n: number }>(api, `SELECT count(*)::int AS n FROM passkeys WHERE user_id = $1`, [userId]))[0]!.n;

  beforeAll(async () => {
    api = await startTestApi({ stepUpEnabled: true });
    victim = await api.user("Victim");
    ws = await createWorkspace(api, victim, "Gated");
    // The victim enrols a first passkey (allowed with the session alone) and turns the gate on.
    victimKey = new SoftAuthenticator(new URL(api.config.publicUrl).origin);
    const options = await api.gql<{ passkeyRegistrationOptions: string }>(REG_OPTIONS, {}, { token: victim.token });
    const added = await api.gql<{ addPasskey: { id: string } }>(
      ADD,
      { r: victimKey.register(options.data!.passkeyRegistrationOptions) },
      { token: victim.token },
    );
    expect(added.errors).toBeUndefined();
    victimPasskeyId = added.data!.addPasskey.id;
    expect(
      (await api.gql(SECURITY, { w: ws.id, i: { requireStepUp: true } }, { token: victim.token })).errors,
    ).toBeUndefined();
  });
  afterAll(async () => api.close());

  it("the attack: a password-only session answers the step-up (authentication) challenge with a registration of its own — refused, nothing stored, still gated", async () => {
    const attacker = await freshSession(victim);
    expect(codeOf(await api.gql(LEADS, { w: ws.id }, { token: attacker }))).toBe("STEP_UP_REQUIRED");
    const authOptions = await api.gql<{ passkeyStepUpOptions: string }>(AUTH_OPTIONS, {}, { token: attacker });
    expect(authOptions.errors).toBeUndefined();
    const own = new SoftAuthenticator(new URL(api.config.publicUrl).origin);
    const r = await api.gql(ADD, { r: own.register(authOptions.data!.passkeyStepUpOptions) }, { token: attacker });
    expect(codeOf(r)).toBe("STEP_UP_REQUIRED");
    expect(await passkeys(victim.id)).toBe(1);
    expect(codeOf(await api.gql(LEADS, { w: ws.id }, { token: attacker }))).toBe("STEP_UP_REQUIRED");
    expect(codeOf(await api.gql(REMOVE, { id: victimPasskeyId }, { token: attacker }))).toBe("STEP_UP_REQUIRED");
    expect(codeOf(await api.gql(`mutation { disableTotp }`, {}, { token: attacker }))).toBe("STEP_UP_REQUIRED");
  });

  it("every factor change from an unverified session is refused once a factor exists", async () => {
    const attacker = await freshSession(victim);
    for (const doc of [REG_OPTIONS, ENROLL, `mutation { disableTotp }`, `mutation { regenerateRecoveryCodes }`]) {
      expect([doc, codeOf(await api.gql(doc, {}, { token: attacker }))]).toEqual([doc, "STEP_UP_REQUIRED"]);
    }
    expect(codeOf(await api.gql(REMOVE, { id: victimPasskeyId }, { token: attacker }))).toBe("STEP_UP_REQUIRED");
    expect(await passkeys(victim.id)).toBe(1);
    expect((await ownerSql(api, `SELECT 1 FROM totp_factors WHERE user_id = $1`, [victim.id])).length).toBe(0);
  });

  it("a TOTP enrolment started before a passkey existed cannot be confirmed by an unverified session afterwards", async () => {
    const u = await api.user("Late confirm");
    const pending = await api.gql<{ enrollTotp: { secret: string } }>(ENROLL, {}, { token: u.token });
    expect(pending.errors).toBeUndefined();
    // The person adds a passkey in another (now verified) session; an unverified session then confirms the pending TOTP.
    const key = new SoftAuthenticator(new URL(api.config.publicUrl).origin);
    const other = await freshSession(u);
    const options = await api.gql<{ passkeyRegistrationOptions: string }>(REG_OPTIONS, {}, { token: other });
    expect(
      (await api.gql(ADD, { r: key.register(options.data!.passkeyRegistrationOptions) }, { token: other })).errors,
    ).toBeUndefined();
    const stale = await freshSession(u);
    expect(codeOf(await api.gql(CONFIRM, { c: await codeAt(pending.data!.enrollTotp.secret) }, { token: stale }))).toBe(
      "STEP_UP_REQUIRED",
    );
    expect(
      (
        await ownerSql<{ confirmed_at: Date | null }>(api, `SELECT confirmed_at FROM totp_factors WHERE user_id = $1`, [
          u.id,
        ])
      )[0]!.confirmed_at,
    ).toBeNull();
  });

  it("a registration challenge cannot be answered with an assertion, nor an authentication challenge with a registration", async () => {
    const session = await freshSession(victim);
    // Verified with the real passkey first (a genuine step-up), so registration options are offered.
    const auth = await api.gql<{ passkeyStepUpOptions: string }>(AUTH_OPTIONS, {}, { token: session });
    expect(
      (
        await api.gql(
          VERIFY_PASSKEY,
          { r: victimKey.authenticate(auth.data!.passkeyStepUpOptions) },
          { token: session },
        )
      ).data,
    ).toEqual({ verifyPasskeyStepUp: true });
    // Registration options, answered by an assertion signed over that challenge: not a step-up.
    const reg = await api.gql<{ passkeyRegistrationOptions: string }>(REG_OPTIONS, {}, { token: session });
    await ownerSql(api, `UPDATE sessions SET step_up_verified_at = NULL WHERE user_id = $1`, [victim.id]);
    expect(
      codeOf(
        await api.gql(
          VERIFY_PASSKEY,
          { r: victimKey.authenticate(reg.data!.passkeyRegistrationOptions) },
          { token: session },
        ),
      ),
    ).toBe("BAD_USER_INPUT");
    expect(codeOf(await api.gql(LEADS, { w: ws.id }, { token: session }))).toBe("STEP_UP_REQUIRED");
    // Authentication options, answered by a registration from a verified session: the challenge is for the other ceremony.
    const again = await api.gql<{ passkeyStepUpOptions: string }>(AUTH_OPTIONS, {}, { token: session });
    expect(
      (
        await api.gql(
          VERIFY_PASSKEY,
          { r: victimKey.authenticate(again.data!.passkeyStepUpOptions) },
          { token: session },
        )
      ).data,
    ).toEqual({ verifyPasskeyStepUp: true });
    const authOnly = await api.gql<{ passkeyStepUpOptions: string }>(AUTH_OPTIONS, {}, { token: session });
    const second = new SoftAuthenticator(new URL(api.config.publicUrl).origin);
    expect(
      codeOf(await api.gql(ADD, { r: second.register(authOnly.data!.passkeyStepUpOptions) }, { token: session })),
    ).toBe("BAD_USER_INPUT");
    expect(await passkeys(victim.id)).toBe(1);
  });

  it("the owner of the factors, freshly verified, still adds and removes passkeys", async () => {
    const session = await freshSession(victim);
    const auth = await api.gql<{ passkeyStepUpOptions: string }>(AUTH_OPTIONS, {}, { token: session });
    expect(
      (
        await api.gql(
          VERIFY_PASSKEY,
          { r: victimKey.authenticate(auth.data!.passkeyStepUpOptions) },
          { token: session },
        )
      ).data,
    ).toEqual({ verifyPasskeyStepUp: true });
    const second = new SoftAuthenticator(new URL(api.config.publicUrl).origin);
    const reg = await api.gql<{ passkeyRegistrationOptions: string }>(REG_OPTIONS, {}, { token: session });
    const added = await api.gql<{ addPasskey: { id: string } }>(
      ADD,
      { r: second.register(reg.data!.passkeyRegistrationOptions) },
      { token: session },
    );
    expect(added.errors).toBeUndefined();
    expect(await passkeys(victim.id)).toBe(2);
    expect((await api.gql(REMOVE, { id: added.data!.addPasskey.id }, { token: session })).data).toEqual({
      removePasskey: true,
    });
    expect(await passkeys(victim.id)).toBe(1);
  });
});
