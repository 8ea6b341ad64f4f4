// Single sign-on test fixtures (issue 49): a real OpenID Connect provider (`oidc-provider`, its
// own dev login page, an in-memory adapter), a real DNS server (`dns2`) serving TXT records, and
// a tiny cookie-keeping HTTP "browser" that walks through the provider's login page.
// The browser suite (apps/e2e) compiles this file too, without apps/api's ambient types.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- a declaration file for a package without types cannot be imported
/// <reference path="./oidc-provider.d.ts" />
import http from "node:http";
import type { AddressInfo } from "node:net";
import dns2 from "dns2";
import { exportJWK, generateKeyPair } from "jose";
import Provider, { type Configuration } from "oidc-provider";

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Accounts by login: their e-mail and whether the provider vouches for it (default: the login, verified). */
  accounts: Map<string, { email: string; emailVerified: boolean; name?: string }>;
  /** The path (and query) of every request the provider received, in order (tests count discovery fetches). */
  requests: string[];
  close(): Promise<void>;
}

/**
 * Starts oidc-provider on a loopback port with one confidential client (PKCE required, secret
 * sent with HTTP basic auth). An account's id is the login typed on the provider's dev login
 * page; its claims are `accounts.get(login)` or, by default, that login as a verified e-mail.
 * Consent is granted for the client without a second page (a first-party provider).
 */
export async function startTestProvider(opts: { redirectUris: string[]; port?: number }): Promise<TestProvider> {
  const clientId = "atrium-test";
  const clientSecret = "atrium-test-client-secret-0123456789";
  const accounts: TestProvider["accounts"] = new Map();
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: "test-key", alg: "RS256", use: "sig" };
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const configuration: Configuration = {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: opts.redirectUris,
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: ["oidc-test-cookie-key-0123456789"] },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    findAccount: (_ctx, id) => {
      const account: { email: string; emailVerified: boolean; name?: string } = accounts.get(id) ?? {
        email: id,
        emailVerified: true,
      };
      return {
        accountId: id,
        claims: () => ({
          sub: id,
          email: account.email,
          email_verified: account.emailVerified,
          name: account.name ?? id.split("@")[0],
        }),
      };
    },
    // No consent page: the grant is made for the client at once.
    loadExistingGrant: async (ctx) => {
      const { oidc } = ctx;
      const grantId = oidc.result?.consent?.grantId ?? oidc.session!.grantIdFor(oidc.client!.clientId);
      if (grantId) {
        const found = await oidc.provider.Grant.find(grantId);
        if (found) return found;
      }
      const grant = new oidc.provider.Grant({ clientId: oidc.client!.clientId, accountId: oidc.session!.accountId! });
      grant.addOIDCScope("openid email profile");
      grant.addOIDCClaims(["email", "email_verified", "name"]);
      await grant.save();
      return grant;
    },
  };
  const provider = new Provider(issuer, configuration);
  // Quiet: the dev interactions' warnings are for people running it by hand.
  provider.on("server_error", () => undefined);
  const requests: string[] = [];
  const handle = provider.callback();
  server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    requests.push(req.url ?? "");
    handle(req, res);
  });
  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface TestDns {
  /** host:port for DNS_SERVERS. */
  address: string;
  /** TXT values served at `name` (replaces the previous ones; an empty list removes the name). */
  setTxt(name: string, values: string[]): void;
  close(): Promise<void>;
}

/** A real DNS server on a loopback UDP port answering TXT questions from a table. */
export async function startTestDns(): Promise<TestDns> {
  const records = new Map<string, string[]>();
  const { Packet } = dns2;
  const server = dns2.createServer({
    udp: true,
    handle: (request, send) => {
      const response = Packet.createResponseFromRequest(request);
      for (const q of request.questions) {
        if (q.type !== Packet.TYPE.TXT) continue;
        for (const value of records.get(q.name.toLowerCase()) ?? [])
          response.answers.push({
            name: q.name,
            type: Packet.TYPE.TXT,
            class: Packet.CLASS.IN,
            ttl: 1,
            data: value,
          } as never);
      }
      void send(response);
    },
  });
  const addresses = await server.listen({ udp: { port: 0, address: "127.0.0.1" } });
  return {
    address: `127.0.0.1:${addresses.udp!.port}`,
    setTxt(name, values) {
      if (values.length === 0) records.delete(name.toLowerCase());
      else records.set(name.toLowerCase(), values);
    },
    close: () => server.close(),
  };
}

/** A browser's cookie jar and redirects, kept per origin (enough for two loopback servers). */
export class TestBrowser {
  private readonly jar = new Map<string, Map<string, string>>();

  cookie(origin: string, name: string): string | undefined {
    return this.jar.get(origin)?.get(name);
  }

  setCookie(origin: string, name: string, value: string | null): void {
    const cookies = this.jar.get(origin) ?? new Map<string, string>();
    if (value === null) cookies.delete(name);
    else cookies.set(name, value);
    this.jar.set(origin, cookies);
  }

  /** One request, no redirect followed; cookies stored from the answer. */
  async request(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const u = new URL(url);
    const cookies = this.jar.get(u.origin) ?? new Map<string, string>();
    const headers: Record<string, string> = {};
    if (cookies.size > 0) headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    let body: string | undefined;
    if (init.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(init.form).toString();
    }
    const res = await fetch(url, { method: init.method ?? (body ? "POST" : "GET"), headers, body, redirect: "manual" });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      this.setCookie(u.origin, name, expired || value === "" ? null : value);
    }
    this.jar.set(u.origin, this.jar.get(u.origin) ?? cookies);
    return res;
  }

  /** Follows redirects from `url` until one leads to a URL starting with `stopAt` (returned, not requested). */
  async followUntil(url: string, stopAt: string, limit = 10): Promise<{ url: string } | { response: Response }> {
    let next = url;
    for (let i = 0; i < limit; i++) {
      if (next.startsWith(stopAt)) return { url: next };
      const res = await this.request(next);
      const location = res.headers.get("location");
      if (res.status < 300 || res.status >= 400 || !location) return { response: res };
      next = new URL(location, next).href;
    }
    throw new Error(`more than ${limit} redirects from ${url}`);
  }
}

/**
 * Signs in at the provider's own login page, from Atrium's /sso/start, up to the redirect back
 * to Atrium's callback: the callback URL (code, state, iss), not yet requested.
 */
export async function loginAtProvider(
  browser: TestBrowser,
  apiUrl: string,
  email: string,
  login = email,
): Promise<string> {
  const start = await browser.request(`${apiUrl}/sso/start?email=${encodeURIComponent(email)}`);
  if (start.status !== 302) throw new Error(`/sso/start answered ${start.status}: ${await start.text()}`);
  const toLogin = await browser.followUntil(start.headers.get("location")!, `${apiUrl}/`);
  if (!("response" in toLogin)) return toLogin.url;
  const page = await toLogin.response.text();
  const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
  if (!action || !page.includes('name="login"'))
    throw new Error(`no login form at the provider: ${page.slice(0, 300)}`);
  const loginUrl = new URL(action.replace(/&amp;/g, "&"), start.headers.get("location")!).href;
  const submitted = await browser.request(loginUrl, { form: { prompt: "login", login, password: "any password" } });
  const back = await browser.followUntil(new URL(submitted.headers.get("location")!, loginUrl).href, `${apiUrl}/`);
  if ("response" in back)
    throw new Error(
      `the provider did not redirect back: ${back.response.status} ${(await back.response.text()).slice(0, 300)}`,
    );
  return back.url;
}
