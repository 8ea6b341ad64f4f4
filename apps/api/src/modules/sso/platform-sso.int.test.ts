// Single sign-on for the whole platform (issue 49, decision 0039 addendum) end to end: the
// platform admin connects a real OpenID Connect provider (oidc-provider), proves a domain with a
// TXT record served by a real DNS server (dns2), and people of that domain sign in through the
// provider with no workspace to join. The workspace variant's sign-in path, the API's real routes
// and database.
import { createHash, randomBytes } from "node:crypto";

import { freePort } from "@atrium/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { rotateCredentials } from "../../credentials-rotation.ts";
import { kidOf } from "../../env.ts";
import { SecretBox } from "../../platform/crypto/secret-box.ts";
import {
  codeOf,
  createWorkspace,
  mailboxToken,
  ownerSql,
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
import { platformSsoSecretBinding } from "./sso.service.ts";

const SETTINGS = `{ platformSsoSettings { connection { issuerUrl clientId clientSecretMasked defaultPreset redirectUri } domains { id domain recordName verified requireSso } } }`;
const CONNECT = `mutation($i: SsoConnectionInput!) { connectPlatformSsoProvider(input: $i) { connection { issuerUrl clientSecretMasked defaultPreset } } }`;
const DISCONNECT = `mutation { disconnectPlatformSsoProvider }`;
const ADD = `mutation($d: String!) { addPlatformSsoDomain(domain: $d) { domain { id domain verified } recordName recordValue } }`;
const VERIFY = `mutation($id: ID!) { verifyPlatformSsoDomain(id: $id) { verified message domain { verified } } }`;
const REQUIRE = `mutation($id: ID!, $r: Boolean!) { setPlatformSsoDomainRequired(id: $id, required: $r) { requireSso } }`;
const REMOVE = `mutation($id: ID!) { removePlatformSsoDomain(id: $id) }`;
const WS_CONNECT = `mutation($w: ID!, $i: SsoConnectionInput!) { connectSsoProvider(workspaceId: $w, input: $i) { connection { issuerUrl } } }`;
const WS_ADD = `mutation($w: ID!, $d: String!) { addSsoDomain(workspaceId: $w, domain: $d) { domain { id } recordName recordValue } }`;
const WS_VERIFY = `mutation($w: ID!, $id: ID!) { verifySsoDomain(workspaceId: $w, id: $id) { verified message } }`;
const SIGN_IN = `mutation($i: SignInInput!) { signIn(input: $i) { accessToken user { id } } }`;
const METHOD = `query($e: String!) { signInMethod(email: $e) { sso ssoRequired } }`;

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const password = "correct horse battery staple";
const DISCOVERY = "/.well-known/openid-configuration";

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

async function failure(res: Response): Promise<{ status: number; reason: string | undefined; text: string }> {
  const text = await res.text();
  return { status: res.status, reason: /data-reason="([A-Z_]+)"/.exec(text)?.[1], text };
}

describe("platform-wide single sign-on", () => {
  let api: TestApi;
  let dns: TestDns;
  let idp: TestProvider;
  let admin: TestUser;
  let regular: TestUser;
  let closedPort: number;
  let domainId: string;

  const platformAudit = async (action: string) =>
    ownerSql<{ data: Record<string, unknown>; actor_user_id: string | null; workspace_id: string | null }>(
      api,
      `SELECT data, actor_user_id, workspace_id FROM platform_audit_events WHERE action = $1 ORDER BY created_at`,
      [action],
    );
  const discoveries = () => idp.requests.filter((r) => r.startsWith(DISCOVERY)).length;
  const connectInput = (over: Record<string, unknown> = {}) => ({
    issuerUrl: idp.issuer,
    clientId: idp.clientId,
    clientSecret: idp.clientSecret,
    ...over,
  });

  beforeAll(async () => {
    dns = await startTestDns();
    api = await startTestApi({ sso: { dnsServers: [dns.address], allowPrivateIssuers: true, timeoutMs: 3_000 } });
    api.config.publicUrl = api.url;
    idp = await startTestProvider({ redirectUris: [`${api.url}/sso/callback`] });
    closedPort = await freePort();
    // The platform admin's own address is at the platform's domain (the break-glass case).
    admin = await userWith(api, "root@corp.test");
    await api.services.platformAdmin.grantAdmin(admin.email);
    regular = await api.user("Regular");
  });
  afterAll(async () => {
    await idp?.close();
    await dns?.close();
    await api?.close();
  });

  it("is for platform admins only: every operation is FORBIDDEN to anyone else (UNAUTHENTICATED signed out)", async () => {
    const id = "00000000-0000-4000-8000-000000000001";
    const calls: [string, Record<string, unknown>][] = [
      [SETTINGS, {}],
      [CONNECT, { i: connectInput() }],
      [DISCONNECT, {}],
      [ADD, { d: "corp.test" }],
      [VERIFY, { id }],
      [REQUIRE, { id, r: true }],
      [REMOVE, { id }],
    ];
    for (const [doc, vars] of calls) {
      expect(codeOf(await api.gql(doc, vars, { token: regular.token })), doc).toBe("FORBIDDEN");
      expect(codeOf(await api.gql(doc, vars)), doc).toBe("UNAUTHENTICATED");
    }
    // Nothing was written or fetched on their behalf.
    expect(await ownerSql(api, `SELECT 1 FROM platform_sso_connections`)).toHaveLength(0);
    expect(discoveries()).toBe(0);
  });

  it("connecting refuses a provider it cannot reach and bad input (typed), then seals the secret bound to the platform and reads it back masked, audited", async () => {
    const unreachable = await api.gql(
      CONNECT,
      { i: connectInput({ issuerUrl: `http://127.0.0.1:${closedPort}` }) },
      { token: admin.token },
    );
    expect(codeOf(unreachable)).toBe("BAD_USER_INPUT");
    expect(unreachable.errors?.[0]?.extensions?.reason).toBe("PROVIDER_UNREACHABLE");
    expect(await platformAudit("platform.sso_provider_unreachable")).toHaveLength(1);
    const badIssuer = await api.gql(CONNECT, { i: connectInput({ issuerUrl: "not a url" }) }, { token: admin.token });
    expect(codeOf(badIssuer)).toBe("BAD_USER_INPUT");
    expect(badIssuer.errors?.[0]?.extensions?.fields).toHaveProperty("issuerUrl");
    expect(codeOf(await api.gql(CONNECT, { i: connectInput({ clientSecret: null }) }, { token: admin.token }))).toBe(
      "BAD_USER_INPUT",
    );
    expect(codeOf(await api.gql(ADD, { d: "corp.test" }, { token: admin.token }))).toBe("BAD_USER_INPUT"); // not connected yet

    const saved = await api.gql<{ connectPlatformSsoProvider: { connection: unknown } }>(
      CONNECT,
      { i: connectInput({ defaultPreset: "admin" }) },
      { token: admin.token },
    );
    expect(saved.errors).toBeUndefined();
    expect(saved.data!.connectPlatformSsoProvider.connection).toEqual({
      issuerUrl: idp.issuer,
      clientSecretMasked: `••••••••${idp.clientSecret.slice(-4)}`,
      defaultPreset: null,
    });
    const row = (await ownerSql<{ secret_jwe: string }>(api, `SELECT secret_jwe FROM platform_sso_connections`))[0]!;
    expect(row.secret_jwe).not.toContain(idp.clientSecret);
    expect(SecretBox.kidOf(row.secret_jwe)).toBe(api.config.integrationKeys[0]!.kid);
    const box = new SecretBox(api.config.integrationKeys);
    expect((await box.open(row.secret_jwe, platformSsoSecretBinding)).clientSecret).toBe(idp.clientSecret);
    await expect(
      box.open(row.secret_jwe, { workspaceId: "00000000-0000-4000-8000-000000000001", provider: "sso" }),
    ).rejects.toThrow();
    expect((await platformAudit("platform.sso_connection_created")).map((r) => r.actor_user_id)).toEqual([admin.id]);

    // Editing without a secret keeps the stored one.
    expect(
      (await api.gql(CONNECT, { i: connectInput({ clientSecret: "" }) }, { token: admin.token })).errors,
    ).toBeUndefined();
    expect((await platformAudit("platform.sso_connection_updated")).at(-1)!.data.changedFields).toEqual([]);
  });

  it("verifies a platform domain by its DNS TXT record: the value shown once and stored hashed; no record and a wrong token are explained", async () => {
    const added = await api.gql<{
      addPlatformSsoDomain: { domain: { id: string }; recordName: string; recordValue: string };
    }>(ADD, { d: "Corp.TEST" }, { token: admin.token });
    expect(added.errors).toBeUndefined();
    const { recordName, recordValue } = added.data!.addPlatformSsoDomain;
    domainId = added.data!.addPlatformSsoDomain.domain.id;
    expect(recordName).toBe("_atrium-challenge.corp.test");
    expect(recordValue).toMatch(/^atrium-domain-verification=[A-Za-z0-9_-]{43}$/);
    expect(
      (
        await ownerSql<{ token_hash: string }>(api, `SELECT token_hash FROM platform_sso_domains WHERE id = $1`, [
          domainId,
        ])
      )[0]!.token_hash,
    ).toBe(sha256(recordValue));
    expect(JSON.stringify((await api.gql(SETTINGS, {}, { token: admin.token })).data)).not.toContain(recordValue);
    expect(codeOf(await api.gql(ADD, { d: "not a domain" }, { token: admin.token }))).toBe("BAD_USER_INPUT");
    expect(codeOf(await api.gql(VERIFY, { id: "nope" }, { token: admin.token }))).toBe("NOT_FOUND");

    type Verified = { verifyPlatformSsoDomain: { verified: boolean; message: string } };
    const none = await api.gql<Verified>(VERIFY, { id: domainId }, { token: admin.token });
    expect(none.data!.verifyPlatformSsoDomain.verified).toBe(false);
    expect(none.data!.verifyPlatformSsoDomain.message).toContain(
      "No TXT record was found at _atrium-challenge.corp.test",
    );
    dns.setTxt(recordName, ["atrium-domain-verification=someone-elses-token"]);
    expect(
      (await api.gql<Verified>(VERIFY, { id: domainId }, { token: admin.token })).data!.verifyPlatformSsoDomain.message,
    ).toContain("does not hold this domain's token");
    const early = await api.gql(REQUIRE, { id: domainId, r: true }, { token: admin.token });
    expect(codeOf(early)).toBe("BAD_USER_INPUT");
    expect(early.errors?.[0]?.extensions?.reason).toBe("DOMAIN_NOT_VERIFIED");

    dns.setTxt(recordName, ["v=spf1 -all", recordValue]);
    const ok = await api.gql<Verified>(VERIFY, { id: domainId }, { token: admin.token });
    expect(ok.data!.verifyPlatformSsoDomain.verified).toBe(true);
    expect((await platformAudit("platform.sso_domain_verification_failed")).map((r) => r.data.reason)).toEqual([
      "NO_RECORD",
      "TOKEN_MISMATCH",
    ]);
    expect(await platformAudit("platform.sso_domain_verified")).toHaveLength(1);
    expect((await api.gql(METHOD, { e: "anyone@corp.test" })).data).toEqual({
      signInMethod: { sso: true, ssoRequired: false },
    });
  });

  it("a domain is verified in one place at most: the platform and a workspace each refuse a domain the other holds, with a typed error", async () => {
    const owner = await api.user("Workspace owner");
    const ws = await createWorkspace(api, owner, "Has its own SSO");
    expect(
      (await api.gql(WS_CONNECT, { w: ws.id, i: connectInput({ defaultPreset: "viewer" }) }, { token: owner.token }))
        .errors,
    ).toBeUndefined();

    // The platform holds corp.test: a workspace cannot claim it.
    const claimed = await api.gql(WS_ADD, { w: ws.id, d: "corp.test" }, { token: owner.token });
    expect(codeOf(claimed)).toBe("CONFLICT");
    expect(claimed.errors?.[0]?.extensions?.reason).toBe("DOMAIN_CLAIMED_BY_PLATFORM");

    // A workspace holds team.test: the platform cannot claim it; its people still sign in at the workspace's provider.
    const own = (
      await api.gql<{ addSsoDomain: { domain: { id: string }; recordName: string; recordValue: string } }>(
        WS_ADD,
        { w: ws.id, d: "team.test" },
        { token: owner.token },
      )
    ).data!.addSsoDomain;
    dns.setTxt(own.recordName, [own.recordValue]);
    expect(
      (
        await api.gql<{ verifySsoDomain: { verified: boolean } }>(
          WS_VERIFY,
          { w: ws.id, id: own.domain.id },
          { token: owner.token },
        )
      ).data!.verifySsoDomain.verified,
    ).toBe(true);
    const taken = await api.gql(ADD, { d: "team.test" }, { token: admin.token });
    expect(codeOf(taken)).toBe("CONFLICT");
    expect(taken.errors?.[0]?.extensions?.reason).toBe("DOMAIN_CLAIMED_BY_WORKSPACE");
    expect(await ownerSql(api, `SELECT 1 FROM platform_sso_domains WHERE domain = 'team.test'`)).toHaveLength(0);

    // Both pending, the first to verify holds it; the other's verification is refused.
    const wsPending = (
      await api.gql<{ addSsoDomain: { domain: { id: string }; recordValue: string } }>(
        WS_ADD,
        { w: ws.id, d: "shared.test" },
        { token: owner.token },
      )
    ).data!.addSsoDomain;
    const platformPending = (
      await api.gql<{ addPlatformSsoDomain: { domain: { id: string }; recordValue: string } }>(
        ADD,
        { d: "shared.test" },
        { token: admin.token },
      )
    ).data!.addPlatformSsoDomain;
    dns.setTxt("_atrium-challenge.shared.test", [wsPending.recordValue, platformPending.recordValue]);
    expect(
      (
        await api.gql<{ verifyPlatformSsoDomain: { verified: boolean } }>(
          VERIFY,
          { id: platformPending.domain.id },
          { token: admin.token },
        )
      ).data!.verifyPlatformSsoDomain.verified,
    ).toBe(true);
    const late = (
      await api.gql<{ verifySsoDomain: { verified: boolean; message: string } }>(
        WS_VERIFY,
        { w: ws.id, id: wsPending.domain.id },
        { token: owner.token },
      )
    ).data!.verifySsoDomain;
    expect(late.verified).toBe(false);
    expect(late.message).toContain("verified for the platform's single sign-on");

    // The other way round: a workspace verified first, the platform's verification is refused.
    const wsFirst = (
      await api.gql<{ addSsoDomain: { domain: { id: string }; recordValue: string } }>(
        WS_ADD,
        { w: ws.id, d: "other.test" },
        { token: owner.token },
      )
    ).data!.addSsoDomain;
    const platformSecond = (
      await api.gql<{ addPlatformSsoDomain: { domain: { id: string }; recordValue: string } }>(
        ADD,
        { d: "other.test" },
        { token: admin.token },
      )
    ).data!.addPlatformSsoDomain;
    dns.setTxt("_atrium-challenge.other.test", [wsFirst.recordValue, platformSecond.recordValue]);
    expect(
      (
        await api.gql<{ verifySsoDomain: { verified: boolean } }>(
          WS_VERIFY,
          { w: ws.id, id: wsFirst.domain.id },
          { token: owner.token },
        )
      ).data!.verifySsoDomain.verified,
    ).toBe(true);
    const refused = (
      await api.gql<{ verifyPlatformSsoDomain: { verified: boolean; message: string } }>(
        VERIFY,
        { id: platformSecond.domain.id },
        { token: admin.token },
      )
    ).data!.verifyPlatformSsoDomain;
    expect(refused).toMatchObject({ verified: false });
    expect(refused.message).toContain("verified by a workspace");
    // The workspace's domain routes to the workspace's provider.
    const browser = new TestBrowser();
    expect((await browser.request(`${api.url}/sso/start?email=pat%40other.test`)).status).toBe(302);
    expect(
      (
        await ownerSql<{ workspace_id: string | null }>(
          api,
          `SELECT workspace_id FROM sso_sign_ins ORDER BY created_at DESC LIMIT 1`,
        )
      )[0]!.workspace_id,
    ).toBe(ws.id);
  });

  it("a new person of a platform domain signs in through the provider: provisioned just in time, no membership, lands on the workspace list; the discovery document is fetched once", async () => {
    const before = discoveries();
    const browser = new TestBrowser();
    const start = await browser.request(`${api.url}/sso/start?email=nina%40corp.test`);
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get("location")!);
    expect(authorize.origin).toBe(idp.issuer);
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    const flow = (
      await ownerSql<{
        workspace_id: string | null;
        connection_id: string | null;
        platform_connection_id: string | null;
      }>(api, `SELECT workspace_id, connection_id, platform_connection_id FROM sso_sign_ins WHERE state_hash = $1`, [
        sha256(authorize.searchParams.get("state")!),
      ])
    )[0]!;
    expect(flow).toMatchObject({ workspace_id: null, connection_id: null });
    expect(flow.platform_connection_id).toBeTruthy();

    const callback = await loginAtProvider(browser, api.url, "nina@corp.test");
    const done = await browser.request(callback);
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toBe("/");
    const me = await api.gql<{ me: { email: string; memberships: unknown[] } }>(
      `{ me { email memberships { role } } }`,
      {},
      { token: browser.cookie(api.url, "atrium_at") },
    );
    expect(me.data!.me).toEqual({ email: "nina@corp.test", memberships: [] });
    const nina = (
      await ownerSql<{ id: string; email_verified_at: Date | null }>(
        api,
        `SELECT id, email_verified_at FROM users WHERE email = 'nina@corp.test'`,
      )
    )[0]!;
    expect(nina.email_verified_at).not.toBeNull();
    expect(await ownerSql(api, `SELECT 1 FROM memberships WHERE user_id = $1`, [nina.id])).toHaveLength(0);
    expect((await platformAudit("sso.signed_in")).at(-1)).toMatchObject({
      actor_user_id: nina.id,
      workspace_id: null,
      data: { platform: true, email: "nina@corp.test", provisioned: true },
    });

    // Connecting put the configuration in the cache: this sign-in (start and callback) and the next fetched no discovery document.
    const again = new TestBrowser();
    expect((await again.request(await loginAtProvider(again, api.url, "nina@corp.test"))).status).toBe(302);
    expect(discoveries()).toBe(before);
    expect((await platformAudit("sso.signed_in")).at(-1)!.data).toMatchObject({ provisioned: false });

    // Dropped when the connection changes: a fresh entry after connecting again (which itself fetches once), none per sign-in.
    api.services.ssoDiscovery.drop(idp.issuer, idp.clientId);
    const third = new TestBrowser();
    expect((await third.request(await loginAtProvider(third, api.url, "nina@corp.test"))).status).toBe(302);
    expect(discoveries()).toBe(before + 1);
  });

  it("the workspace variant's error handling applies: an address the provider has not verified, a replayed code, a wrong state, an unreachable provider", async () => {
    idp.accounts.set("quinn", { email: "quinn@corp.test", emailVerified: false });
    const browser = new TestBrowser();
    const page = await failure(
      await browser.request(await loginAtProvider(browser, api.url, "quinn@corp.test", "quinn")),
    );
    expect(page).toMatchObject({ status: 403, reason: "EMAIL_NOT_VERIFIED_BY_PROVIDER" });
    expect(await ownerSql(api, `SELECT 1 FROM users WHERE email = 'quinn@corp.test'`)).toHaveLength(0);
    expect(
      (await platformAudit("sso.sign_in_failed")).some(
        (r) => r.data.reason === "EMAIL_NOT_VERIFIED_BY_PROVIDER" && r.workspace_id === null,
      ),
    ).toBe(true);

    const a = new TestBrowser();
    const first = await loginAtProvider(a, api.url, "rita@corp.test");
    expect((await a.request(first)).status).toBe(302);
    expect((await failure(await a.request(first))).reason).toBe("CODE_REPLAYED");
    const b = new TestBrowser();
    expect(
      (await failure(await new TestBrowser().request(await loginAtProvider(b, api.url, "sam@corp.test")))).reason,
    ).toBe("WRONG_STATE");

    await ownerSql(api, `UPDATE platform_sso_connections SET issuer_url = $1`, [`http://127.0.0.1:${closedPort}`]);
    try {
      expect(
        await failure(await fetch(`${api.url}/sso/start?email=tom%40corp.test`, { redirect: "manual" })),
      ).toMatchObject({ status: 502, reason: "PROVIDER_UNREACHABLE" });
    } finally {
      await ownerSql(api, `UPDATE platform_sso_connections SET issuer_url = $1`, [idp.issuer]);
    }
  });

  it("require SSO: password sign-in is refused for the platform domain; the platform admin's break-glass sign-in goes through, audited", async () => {
    const member = await userWith(api, "uma@corp.test");
    expect((await api.gql(REQUIRE, { id: domainId, r: true }, { token: admin.token })).data).toEqual({
      setPlatformSsoDomainRequired: { requireSso: true },
    });
    expect(await platformAudit("platform.sso_required")).toHaveLength(1);
    expect((await api.gql(METHOD, { e: "uma@corp.test" })).data).toEqual({
      signInMethod: { sso: true, ssoRequired: true },
    });

    const refused = await api.gql(SIGN_IN, { i: { email: "uma@corp.test", password } });
    expect(codeOf(refused)).toBe("UNAUTHENTICATED");
    expect(refused.errors?.[0]?.extensions?.reason).toBe("SSO_REQUIRED");
    expect(refused.errors?.[0]?.message).toContain("requires single sign-on for corp.test");
    expect(
      await ownerSql(
        api,
        `SELECT 1 FROM platform_audit_events WHERE action = 'sso.password_refused' AND actor_user_id = $1`,
        [member.id],
      ),
    ).toHaveLength(1);
    expect(codeOf(await api.gql(SIGN_IN, { i: { email: "uma@corp.test", password: "not the password at all" } }))).toBe(
      "UNAUTHENTICATED",
    );

    const breakGlass = await api.gql<{ signIn: { accessToken: string } }>(SIGN_IN, {
      i: { email: admin.email, password },
    });
    expect(breakGlass.errors).toBeUndefined();
    expect((await platformAudit("sso.break_glass_sign_in")).map((r) => [r.actor_user_id, r.data.platform])).toEqual([
      [admin.id, true],
    ]);

    await api.gql(REQUIRE, { id: domainId, r: false }, { token: admin.token });
    expect((await api.gql(SIGN_IN, { i: { email: "uma@corp.test", password } })).errors).toBeUndefined();
  });

  it("key rotation re-seals the platform's client secret with the newest key", async () => {
    const fresh = new Uint8Array(randomBytes(32));
    const box = new SecretBox([{ kid: kidOf(fresh), key: fresh }, ...api.config.integrationKeys]);
    await rotateCredentials({ db: api.db, box });
    const row = (
      await ownerSql<{ key_id: string; secret_jwe: string }>(
        api,
        `SELECT key_id, secret_jwe FROM platform_sso_connections`,
      )
    )[0]!;
    expect(row.key_id).toBe(kidOf(fresh));
    expect((await box.open(row.secret_jwe, platformSsoSecretBinding)).clientSecret).toBe(idp.clientSecret);
  });

  it("removing a domain and disconnecting end platform sign-in for it, audited", async () => {
    expect((await api.gql(REMOVE, { id: domainId }, { token: admin.token })).data).toEqual({
      removePlatformSsoDomain: true,
    });
    expect((await api.gql(METHOD, { e: "nina@corp.test" })).data).toEqual({
      signInMethod: { sso: false, ssoRequired: false },
    });
    expect((await api.gql(DISCONNECT, {}, { token: admin.token })).data).toEqual({
      disconnectPlatformSsoProvider: true,
    });
    expect(await ownerSql(api, `SELECT 1 FROM platform_sso_domains`)).toHaveLength(0);
    expect(
      (await api.gql<{ platformSsoSettings: unknown }>(SETTINGS, {}, { token: admin.token })).data!.platformSsoSettings,
    ).toEqual({ connection: null, domains: [] });
    expect(codeOf(await api.gql(DISCONNECT, {}, { token: admin.token }))).toBe("NOT_FOUND");
    expect(await platformAudit("platform.sso_domain_removed")).toHaveLength(1);
    expect(await platformAudit("platform.sso_connection_removed")).toHaveLength(1);
  });
});
