// Single sign-on (issue 49) end to end: a real OpenID Connect provider (oidc-provider, signed in
// through its own login page over HTTP), a real DNS server (dns2) answering the TXT look-ups
// through DNS_SERVERS, and the API's real routes and database.
import { createHash, randomBytes } from "node:crypto";

import { freePort } from "@atrium/db/testing";
import { PRESETS } from "@atrium/policies";
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { rotateCredentials } from "../../credentials-rotation.ts";
import { kidOf } from "../../env.ts";
import { SecretBox } from "../../platform/crypto/secret-box.ts";
import {
  addMember,
  codeOf,
  createWorkspace,
  mailboxToken,
  ownerSql,
  revealedAudit,
  startTestApi,
  type TestApi,
  type TestUser,
} from "../../test/harness.ts";
import {
  loginAtProvider,
  startTestDns,
  startTestProvider,
  TestBrowser,
  type TestDns,
  type TestProvider,
} from "../../test/oidc.ts";
import { ssoSecretBinding } from "./sso.service.ts";

const SETTINGS = `query($w: ID!) { ssoSettings(workspaceId: $w) { connection { issuerUrl clientId clientSecretMasked defaultPreset redirectUri } domains { id domain recordName verified requireSso } } }`;
const CONNECT = `mutation($w: ID!, $i: SsoConnectionInput!) { connectSsoProvider(workspaceId: $w, input: $i) { connection { issuerUrl clientSecretMasked defaultPreset } } }`;
const ADD_DOMAIN = `mutation($w: ID!, $d: String!) { addSsoDomain(workspaceId: $w, domain: $d) { domain { id domain verified } recordName recordValue } }`;
const VERIFY = `mutation($w: ID!, $id: ID!) { verifySsoDomain(workspaceId: $w, id: $id) { verified message domain { verified } } }`;
const REQUIRE = `mutation($w: ID!, $id: ID!, $r: Boolean!) { setSsoDomainRequired(workspaceId: $w, id: $id, required: $r) { requireSso } }`;
const SIGN_IN = `mutation($i: SignInInput!) { signIn(input: $i) { accessToken user { id } } }`;
const METHOD = `query($e: String!) { signInMethod(email: $e) { sso ssoRequired } }`;

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const password = "correct horse battery staple";

/** An account with a chosen address: signed up, verified through the dev mailbox, signed in. */
async function userWith(api: TestApi, email: string): Promise<TestUser> {
  await api.gql(`mutation($i: SignUpInput!) { signUp(input: $i) { user { id } } }`, {
    i: { email, password, name: email.split("@")[0] },
  });
  const token = await mailboxToken(api.url, email);
  await api.gql(`mutation($t: String!, $p: String) { verifyEmail(token: $t, password: $p) }`, {
    t: token,
    p: password,
  });
  const r = await api.gql<{ signIn: { accessToken: string; user: { id: string } } }>(SIGN_IN, {
    i: { email, password },
  });
  if (!r.data) throw new Error(JSON.stringify(r.errors));
  return { id: r.data.signIn.user.id, email, password, token: r.data.signIn.accessToken, refreshToken: "" };
}

/** The failure page's reason (data-reason) and its status. */
async function failure(res: Response): Promise<{ status: number; reason: string | undefined; text: string }> {
  const text = await res.text();
  return { status: res.status, reason: /data-reason="([A-Z_]+)"/.exec(text)?.[1], text };
}

describe("single sign-on with OpenID Connect on verified domains", () => {
  let api: TestApi;
  let dns: TestDns;
  let idp: TestProvider;
  let owner: TestUser;
  let ws: { id: string; slug: string };
  let domainId: string;
  let closedPort: number;

  // Opened as the audit page shows them (addresses are sealed in the rows: decision 0053).
  const workspaceAudit = async (action: string) =>
    revealedAudit(
      api,
      ws.id,
      await ownerSql<{ data: Record<string, unknown>; actor_user_id: string | null }>(
        api,
        `SELECT data, actor_user_id FROM audit_events WHERE workspace_id = $1 AND action = $2 ORDER BY seq`,
        [ws.id, action],
      ),
    );
  const failuresOnRecord = async (reason: string) =>
    Number(
      (
        await ownerSql<{ n: string }>(
          api,
          `SELECT count(*) AS n FROM platform_audit_events WHERE action = 'sso.sign_in_failed' AND data->>'reason' = $1`,
          [reason],
        )
      )[0]!.n,
    );

  beforeAll(async () => {
    dns = await startTestDns();
    api = await startTestApi({ sso: { dnsServers: [dns.address], allowPrivateIssuers: true, timeoutMs: 3_000 } });
    // Links and the redirect URI name the port the test server got.
    api.config.publicUrl = api.url;
    idp = await startTestProvider({ redirectUris: [`${api.url}/sso/callback`] });
    closedPort = await freePort();
    owner = await userWith(api, "owner@acme.test");
    ws = await createWorkspace(api, owner, "Acme");
  });
  afterAll(async () => {
    await idp?.close();
    await dns?.close();
    await api?.close();
  });

  it("connecting refuses a provider it cannot reach (audited), then seals the secret and reads it back masked; only the owner sees it", async () => {
    const unreachable = await api.gql(
      CONNECT,
      {
        w: ws.id,
        i: {
          issuerUrl: `http://127.0.0.1:${closedPort}`,
          clientId: idp.clientId,
          clientSecret: idp.clientSecret,
          defaultPreset: "operator",
        },
      },
      { token: owner.token },
    );
    expect(codeOf(unreachable)).toBe("BAD_USER_INPUT");
    expect(unreachable.errors?.[0]?.extensions?.reason).toBe("PROVIDER_UNREACHABLE");
    expect(await workspaceAudit("sso.provider_unreachable")).toHaveLength(1);
    const badPreset = await api.gql(
      CONNECT,
      {
        w: ws.id,
        i: { issuerUrl: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, defaultPreset: "root" },
      },
      { token: owner.token },
    );
    expect(codeOf(badPreset)).toBe("BAD_USER_INPUT");

    const saved = await api.gql<{
      connectSsoProvider: { connection: { issuerUrl: string; clientSecretMasked: string; defaultPreset: string } };
    }>(
      CONNECT,
      {
        w: ws.id,
        i: { issuerUrl: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, defaultPreset: "operator" },
      },
      { token: owner.token },
    );
    expect(saved.errors).toBeUndefined();
    expect(saved.data!.connectSsoProvider.connection).toEqual({
      issuerUrl: idp.issuer,
      clientSecretMasked: `••••••••${idp.clientSecret.slice(-4)}`,
      defaultPreset: "operator",
    });
    const row = (
      await ownerSql<{ secret_jwe: string }>(api, `SELECT secret_jwe FROM sso_connections WHERE workspace_id = $1`, [
        ws.id,
      ])
    )[0]!;
    expect(row.secret_jwe).not.toContain(idp.clientSecret);
    expect(row.secret_jwe.split(".")).toHaveLength(5);
    expect(await workspaceAudit("sso.connection_created")).toHaveLength(1);

    // An admin manages the workspace but not its sign-in: single sign-on is the owner's.
    const admin = await api.user("Admin");
    await addMember(api, ws.id, admin, "ADMIN");
    expect(codeOf(await api.gql(SETTINGS, { w: ws.id }, { token: admin.token }))).toBe("FORBIDDEN");
    expect(
      codeOf(
        await api.gql(
          CONNECT,
          { w: ws.id, i: { issuerUrl: idp.issuer, clientId: "x", defaultPreset: "admin" } },
          { token: admin.token },
        ),
      ),
    ).toBe("FORBIDDEN");
  });

  it("verifies a domain by its DNS TXT record: no record and a wrong token are explained, the shown token verifies; another workspace cannot take it", async () => {
    const added = await api.gql<{
      addSsoDomain: { domain: { id: string; verified: boolean }; recordName: string; recordValue: string };
    }>(ADD_DOMAIN, { w: ws.id, d: "Acme.TEST" }, { token: owner.token });
    expect(added.errors).toBeUndefined();
    const { recordName, recordValue } = added.data!.addSsoDomain;
    domainId = added.data!.addSsoDomain.domain.id;
    expect(recordName).toBe("_atrium-challenge.acme.test");
    expect(recordValue).toMatch(/^atrium-domain-verification=[A-Za-z0-9_-]{43}$/);
    // Shown once: only its hash is stored, and the settings never repeat it.
    const stored = (
      await ownerSql<{ token_hash: string }>(api, `SELECT token_hash FROM sso_domains WHERE id = $1`, [domainId])
    )[0]!;
    expect(stored.token_hash).toBe(sha256(recordValue));
    expect(JSON.stringify((await api.gql(SETTINGS, { w: ws.id }, { token: owner.token })).data)).not.toContain(
      recordValue,
    );

    type Verified = { verifySsoDomain: { verified: boolean; message: string } };
    const none = await api.gql<Verified>(VERIFY, { w: ws.id, id: domainId }, { token: owner.token });
    expect(none.data!.verifySsoDomain).toMatchObject({ verified: false });
    expect(none.data!.verifySsoDomain.message).toContain("No TXT record was found at _atrium-challenge.acme.test");

    dns.setTxt(recordName, ["atrium-domain-verification=someone-elses-token"]);
    const wrong = await api.gql<Verified>(VERIFY, { w: ws.id, id: domainId }, { token: owner.token });
    expect(wrong.data!.verifySsoDomain.verified).toBe(false);
    expect(wrong.data!.verifySsoDomain.message).toContain("does not hold this domain's token");
    expect(codeOf(await api.gql(REQUIRE, { w: ws.id, id: domainId, r: true }, { token: owner.token }))).toBe(
      "BAD_USER_INPUT",
    );

    dns.setTxt(recordName, ["v=spf1 -all", recordValue]);
    const ok = await api.gql<Verified>(VERIFY, { w: ws.id, id: domainId }, { token: owner.token });
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.verifySsoDomain).toMatchObject({ verified: true });
    expect((await workspaceAudit("sso.domain_verification_failed")).map((r) => r.data.reason)).toEqual([
      "NO_RECORD",
      "TOKEN_MISMATCH",
    ]);
    expect(await workspaceAudit("sso.domain_verified")).toHaveLength(1);

    // Another workspace proving the same domain with its own record is refused: the domain is taken.
    const rival = await api.user("Rival");
    const rivalWs = await createWorkspace(api, rival, "Rival");
    await api.gql(
      CONNECT,
      {
        w: rivalWs.id,
        i: { issuerUrl: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, defaultPreset: "viewer" },
      },
      { token: rival.token },
    );
    const theirs = (
      await api.gql<{ addSsoDomain: { domain: { id: string }; recordValue: string } }>(
        ADD_DOMAIN,
        { w: rivalWs.id, d: "acme.test" },
        { token: rival.token },
      )
    ).data!.addSsoDomain;
    dns.setTxt(recordName, [recordValue, theirs.recordValue]);
    const taken = await api.gql<Verified>(VERIFY, { w: rivalWs.id, id: theirs.domain.id }, { token: rival.token });
    expect(taken.data!.verifySsoDomain.verified).toBe(false);
    expect(taken.data!.verifySsoDomain.message).toContain("already verified by another workspace");
    // And it cannot name this workspace's domain row.
    expect(codeOf(await api.gql(VERIFY, { w: rivalWs.id, id: domainId }, { token: rival.token }))).toBe("NOT_FOUND");
  });

  it("says by domain alone whether an address signs in with SSO, and refuses an unverified domain with a page, audited", async () => {
    expect((await api.gql(METHOD, { e: "someone@acme.test" })).data).toEqual({
      signInMethod: { sso: true, ssoRequired: false },
    });
    expect((await api.gql(METHOD, { e: "someone@elsewhere.test" })).data).toEqual({
      signInMethod: { sso: false, ssoRequired: false },
    });
    const before = await failuresOnRecord("DOMAIN_NOT_VERIFIED");
    const page = await failure(
      await fetch(`${api.url}/sso/start?email=someone%40elsewhere.test`, { redirect: "manual" }),
    );
    expect(page).toMatchObject({ status: 403, reason: "DOMAIN_NOT_VERIFIED" });
    expect(page.text).toContain("elsewhere.test addresses");
    expect(await failuresOnRecord("DOMAIN_NOT_VERIFIED")).toBe(before + 1);
  });

  it("signs in through the provider: PKCE and a nonce on the way out, the account provisioned just in time and joined with the owner's preset, a normal session", async () => {
    const browser = new TestBrowser();
    const start = await browser.request(`${api.url}/sso/start?email=alice%40acme.test`);
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get("location")!);
    expect(authorize.origin).toBe(idp.issuer);
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    for (const p of ["code_challenge", "state", "nonce"])
      expect(authorize.searchParams.get(p)?.length).toBeGreaterThanOrEqual(43);
    expect(authorize.searchParams.get("login_hint")).toBe("alice@acme.test");

    const callback = await loginAtProvider(browser, api.url, "alice@acme.test");
    const done = await browser.request(callback);
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toBe("/");
    const access = browser.cookie(api.url, "atrium_at");
    expect(access).toBeDefined();
    const me = await api.gql<{ me: { email: string; memberships: { role: string; workspace: { id: string } }[] } }>(
      `{ me { email memberships { role workspace { id } } } }`,
      {},
      { token: access },
    );
    expect(me.data!.me).toEqual({
      email: "alice@acme.test",
      memberships: [{ role: "AGENT", workspace: { id: ws.id } }],
    });
    const alice = (
      await ownerSql<{ id: string; email_verified_at: Date | null }>(
        api,
        `SELECT id, email_verified_at FROM users WHERE email = 'alice@acme.test'`,
      )
    )[0]!;
    expect(alice.email_verified_at).not.toBeNull();
    const membership = (
      await ownerSql<{ policies: string[] }>(
        api,
        `SELECT policies FROM memberships WHERE workspace_id = $1 AND user_id = $2`,
        [ws.id, alice.id],
      )
    )[0]!;
    expect(membership.policies).toEqual([...PRESETS.find((p) => p.id === "operator")!.policies]);
    expect((await workspaceAudit("member.joined_by_sso")).map((r) => r.data.preset)).toEqual(["operator"]);
    expect((await workspaceAudit("sso.signed_in")).at(-1)!.data).toMatchObject({
      email: "alice@acme.test",
      provisioned: true,
      joined: true,
    });

    // A second sign-in finds the same account and membership.
    const again = new TestBrowser();
    expect((await again.request(await loginAtProvider(again, api.url, "alice@acme.test"))).status).toBe(302);
    expect(await ownerSql(api, `SELECT 1 FROM users WHERE email = 'alice@acme.test'`)).toHaveLength(1);
    expect((await workspaceAudit("sso.signed_in")).at(-1)!.data).toMatchObject({ provisioned: false, joined: false });
  });

  it("wrong state: a callback this browser did not start, or an unknown state, is refused with a page and audited", async () => {
    const before = await failuresOnRecord("WRONG_STATE");
    const started = new TestBrowser();
    const callback = await loginAtProvider(started, api.url, "erin@acme.test");
    // Another browser (a link sent to a victim: login CSRF) has no state cookie.
    const elsewhere = await failure(await new TestBrowser().request(callback));
    expect(elsewhere).toMatchObject({ status: 400, reason: "WRONG_STATE" });
    expect(elsewhere.text).toContain("does not belong to a sign-in started in this browser");
    const madeUp = await failure(await started.request(`${api.url}/sso/callback?code=abc&state=not-a-state-we-issued`));
    expect(madeUp.reason).toBe("WRONG_STATE");
    expect(await failuresOnRecord("WRONG_STATE")).toBe(before + 2);
    expect(await ownerSql(api, `SELECT 1 FROM users WHERE email = 'erin@acme.test'`)).toHaveLength(0);
  });

  it("replayed code: the same callback twice, and a spent code with a fresh sign-in's state, are refused", async () => {
    const before = await failuresOnRecord("CODE_REPLAYED");
    const a = new TestBrowser();
    const first = await loginAtProvider(a, api.url, "frank@acme.test");
    expect((await a.request(first)).status).toBe(302);
    const replay = await failure(await a.request(first));
    expect(replay).toMatchObject({ status: 400, reason: "CODE_REPLAYED" });
    expect(replay.text).toContain("already was");

    // The code of the finished sign-in, carried into a new one: the provider refuses it.
    const b = new TestBrowser();
    const fresh = new URL(await loginAtProvider(b, api.url, "frank@acme.test"));
    fresh.searchParams.set("code", new URL(first).searchParams.get("code")!);
    expect((await failure(await b.request(fresh.href))).reason).toBe("CODE_REPLAYED");
    expect(await failuresOnRecord("CODE_REPLAYED")).toBe(before + 2);
  });

  it("nonce mismatch: an ID token that does not carry the sign-in's nonce is refused", async () => {
    const browser = new TestBrowser();
    const callback = await loginAtProvider(browser, api.url, "grace@acme.test");
    // As if the ID token had been minted for another sign-in: the nonce on record differs.
    await ownerSql(api, `UPDATE sso_sign_ins SET nonce = 'a-nonce-from-another-sign-in' WHERE state_hash = $1`, [
      sha256(new URL(callback).searchParams.get("state")!),
    ]);
    const page = await failure(await browser.request(callback));
    expect(page).toMatchObject({ status: 400, reason: "NONCE_MISMATCH" });
    expect(await failuresOnRecord("NONCE_MISMATCH")).toBe(1);
    expect(await ownerSql(api, `SELECT 1 FROM users WHERE email = 'grace@acme.test'`)).toHaveLength(0);
  });

  it("an address the provider has not verified, or outside the verified domains, provisions nothing", async () => {
    idp.accounts.set("heidi", { email: "heidi@acme.test", emailVerified: false });
    const browser = new TestBrowser();
    const page = await failure(
      await browser.request(await loginAtProvider(browser, api.url, "heidi@acme.test", "heidi")),
    );
    expect(page).toMatchObject({ status: 403, reason: "EMAIL_NOT_VERIFIED_BY_PROVIDER" });
    expect(page.text).toContain("has not verified heidi@acme.test");
    expect(await ownerSql(api, `SELECT 1 FROM users WHERE email = 'heidi@acme.test'`)).toHaveLength(0);
    expect(
      (await workspaceAudit("sso.sign_in_failed")).some((r) => r.data.reason === "EMAIL_NOT_VERIFIED_BY_PROVIDER"),
    ).toBe(true);

    idp.accounts.set("ivan", { email: "ivan@elsewhere.test", emailVerified: true });
    const other = new TestBrowser();
    const outside = await failure(await other.request(await loginAtProvider(other, api.url, "ivan@acme.test", "ivan")));
    expect(outside.reason).toBe("EMAIL_OUTSIDE_DOMAIN");
    expect(await ownerSql(api, `SELECT 1 FROM users WHERE email = 'ivan@elsewhere.test'`)).toHaveLength(0);
  });

  it("an unreachable provider at sign-in is a page saying so, audited in the workspace", async () => {
    await ownerSql(api, `UPDATE sso_connections SET issuer_url = $2 WHERE workspace_id = $1`, [
      ws.id,
      `http://127.0.0.1:${closedPort}`,
    ]);
    try {
      const page = await failure(await fetch(`${api.url}/sso/start?email=judy%40acme.test`, { redirect: "manual" }));
      expect(page).toMatchObject({ status: 502, reason: "PROVIDER_UNREACHABLE" });
      expect(page.text).toContain("could not reach your organisation&#39;s identity provider");
      expect((await workspaceAudit("sso.sign_in_failed")).some((r) => r.data.reason === "PROVIDER_UNREACHABLE")).toBe(
        true,
      );
    } finally {
      await ownerSql(api, `UPDATE sso_connections SET issuer_url = $2 WHERE workspace_id = $1`, [ws.id, idp.issuer]);
    }
  });

  it("require SSO: password sign-in is refused with SSO_REQUIRED for the domain, the owner's break-glass sign-in goes through, audited", async () => {
    const member = await userWith(api, "dave@acme.test");
    await addMember(api, ws.id, member, "AGENT");
    const outsider = await api.user("Outsider");
    expect((await api.gql(REQUIRE, { w: ws.id, id: domainId, r: true }, { token: owner.token })).data).toEqual({
      setSsoDomainRequired: { requireSso: true },
    });
    expect((await api.gql(METHOD, { e: "dave@acme.test" })).data).toEqual({
      signInMethod: { sso: true, ssoRequired: true },
    });

    const refused = await api.gql(SIGN_IN, { i: { email: "dave@acme.test", password } });
    expect(codeOf(refused)).toBe("UNAUTHENTICATED");
    expect(refused.errors?.[0]?.extensions?.reason).toBe("SSO_REQUIRED");
    expect(refused.errors?.[0]?.message).toContain("requires single sign-on for acme.test");
    expect(refused.data).toBeNull();
    // A wrong password is still just a wrong password (no hint about the rule's exceptions).
    expect(
      codeOf(await api.gql(SIGN_IN, { i: { email: "dave@acme.test", password: "not the password at all" } })),
    ).toBe("UNAUTHENTICATED");
    // Addresses of other domains are untouched.
    expect(
      (await api.gql(SIGN_IN, { i: { email: outsider.email, password: outsider.password } })).errors,
    ).toBeUndefined();

    const breakGlass = await api.gql<{ signIn: { accessToken: string } }>(SIGN_IN, {
      i: { email: "owner@acme.test", password },
    });
    expect(breakGlass.errors).toBeUndefined();
    expect(breakGlass.data!.signIn.accessToken).toBeTruthy();
    expect((await workspaceAudit("sso.break_glass_sign_in")).map((r) => r.actor_user_id)).toEqual([owner.id]);
    expect(
      await ownerSql(
        api,
        `SELECT 1 FROM platform_audit_events WHERE action = 'sso.password_refused' AND actor_user_id = $1`,
        [member.id],
      ),
    ).toHaveLength(1);

    // The member signs in with SSO instead, into the same account.
    const browser = new TestBrowser();
    expect((await browser.request(await loginAtProvider(browser, api.url, "dave@acme.test"))).status).toBe(302);
    const me = await api.gql<{ me: { id: string } }>(
      `{ me { id } }`,
      {},
      { token: browser.cookie(api.url, "atrium_at") },
    );
    expect(me.data!.me.id).toBe(member.id);
    await api.gql(REQUIRE, { w: ws.id, id: domainId, r: false }, { token: owner.token });
    expect((await api.gql(SIGN_IN, { i: { email: "dave@acme.test", password } })).errors).toBeUndefined();
  });

  // Last: the API's own box does not know the new key.
  it("key rotation re-seals the provider's client secret with the newest platform key", async () => {
    const fresh = new Uint8Array(randomBytes(32));
    const box = new SecretBox([{ kid: kidOf(fresh), key: fresh }, ...api.config.integrationKeys]);
    await rotateCredentials({ db: api.db, box });
    const row = (
      await ownerSql<{ key_id: string; secret_jwe: string }>(
        api,
        `SELECT key_id, secret_jwe FROM sso_connections WHERE workspace_id = $1`,
        [ws.id],
      )
    )[0]!;
    expect(row.key_id).toBe(kidOf(fresh));
    expect(SecretBox.kidOf(row.secret_jwe)).toBe(kidOf(fresh));
    expect((await box.open(row.secret_jwe, ssoSecretBinding(ws.id))).clientSecret).toBe(idp.clientSecret);
  });
});
