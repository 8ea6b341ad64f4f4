// Single sign-on's browser routes (issue 49): GET /sso/start?email=… sends the browser to the
// workspace's provider; GET /sso/callback is where the provider sends it back. A failure is a
// small page of its own (no JavaScript), saying what happened and what to do, with a way back
// to the sign-in page; every one is audited (sso-sign-in.ts).
import type { FastifyInstance, FastifyReply } from "fastify";

import { AppError } from "../../platform/errors.ts";
import { setAuthCookies } from "../../platform/http/cookies.ts";
import { html, raw } from "../../platform/http/html.ts";
import { actorOf } from "../../platform/http/rest-errors.ts";
import type { Services } from "../../services.ts";
import { SIGN_IN_TTL_MS, SsoSignInError, type SsoFailure } from "./sso-sign-in.ts";

/** The state this browser keeps while it is at the provider (Lax: the provider's redirect back is a cross-site navigation). */
export const SSO_STATE_COOKIE = "atrium_sso_state";
const COOKIE_PATH = "/sso/callback";

interface FailurePage {
  status: number;
  title: string;
  message: (detail: Record<string, string>) => string;
}

/** Each failure a person can act on: what happened, and what to do about it. */
export const SSO_FAILURES: Record<SsoFailure, FailurePage> = {
  INVALID_REQUEST: {
    status: 400,
    title: "Enter your work e-mail",
    message: () =>
      "Single sign-on needs your work e-mail address to find your organisation's identity provider. Go back and enter it.",
  },
  DOMAIN_NOT_VERIFIED: {
    status: 403,
    title: "Single sign-on is not set up for this domain",
    message: (d) =>
      `No workspace has connected an identity provider for ${d.domain ? `${d.domain} addresses` : "this address"} and verified the domain. Sign in with your password, or ask your workspace owner to set up single sign-on.`,
  },
  PROVIDER_UNREACHABLE: {
    status: 502,
    title: "Your identity provider could not be reached",
    message: () =>
      "Atrium could not reach your organisation's identity provider. Try again in a few minutes; if it keeps failing, tell your workspace owner.",
  },
  PROVIDER_ERROR: {
    status: 400,
    title: "The identity provider did not sign you in",
    message: (d) =>
      `Your identity provider answered "${d.error ?? "error"}" instead of signing you in. Start again, or ask your administrator whether you may use Atrium.`,
  },
  WRONG_STATE: {
    status: 400,
    title: "This sign-in does not match one started here",
    message: () =>
      "The answer from the identity provider does not belong to a sign-in started in this browser (its state does not match), so it was refused. Start again from the sign-in page, in this browser.",
  },
  SIGN_IN_EXPIRED: {
    status: 400,
    title: "This sign-in took too long",
    message: () =>
      `A sign-in must finish within ${SIGN_IN_TTL_MS / 60_000} minutes. Start again from the sign-in page.`,
  },
  CODE_REPLAYED: {
    status: 400,
    title: "This sign-in was already used",
    message: () =>
      "The identity provider's answer can be used once, and this one already was. Start again from the sign-in page.",
  },
  NONCE_MISMATCH: {
    status: 400,
    title: "The identity provider's answer was not for this sign-in",
    message: () =>
      "The ID token does not carry this sign-in's nonce, so it may have been issued for another sign-in, and was refused. Start again from the sign-in page.",
  },
  ID_TOKEN_INVALID: {
    status: 502,
    title: "The identity provider's answer could not be verified",
    message: () =>
      "The ID token failed its checks (signature, issuer, audience or expiry). Try again; if it keeps failing, tell your workspace owner.",
  },
  EMAIL_NOT_VERIFIED_BY_PROVIDER: {
    status: 403,
    title: "Your e-mail address is not verified by your identity provider",
    message: (d) =>
      `Your identity provider has not verified ${d.email && d.email !== "(none)" ? d.email : "your e-mail address"}, so Atrium cannot trust it. Ask your administrator to verify it there, then try again.`,
  },
  EMAIL_OUTSIDE_DOMAIN: {
    status: 403,
    title: "This address is not covered by single sign-on",
    message: (d) =>
      `Your identity provider signed you in as ${d.email ?? "an address"}, whose domain this workspace has not verified. Sign in with the address of a verified domain, or ask your workspace owner.`,
  },
  ACCOUNT_DISABLED: {
    status: 403,
    title: "This account is disabled",
    message: () => "Your Atrium account is disabled. Ask your platform administrator.",
  },
};

const STYLE =
  raw(`:root{color-scheme:light dark;--accent:#4f46e5;--text:#1a1a2e;--muted:#5b5b6e;--bg:#f6f7fb;--card:#fff;--border:#d4d6e0}
@media (prefers-color-scheme:dark){:root{--text:#ececf3;--muted:#a9a9bb;--bg:#14141c;--card:#1e1e29;--border:#3a3a4a;--accent:#a5a6fb}}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,sans-serif;color:var(--text);background:var(--bg)}
main{max-width:34rem;margin:3rem auto;padding:1.5rem;background:var(--card);border:1px solid var(--border);border-radius:12px}
@media (max-width:600px){main{margin:0;border-radius:0;border-width:0 0 1px}}
h1{margin:0 0 .5rem;font-size:1.4rem}p{margin:.5rem 0}a{color:var(--accent);font-weight:600}a:focus-visible{outline:3px solid var(--accent);outline-offset:2px}.code{color:var(--muted);font-size:.9rem}`);

function failurePage(reply: FastifyReply, reason: SsoFailure, detail: Record<string, string>): FastifyReply {
  const page = SSO_FAILURES[reason];
  const body = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${page.title} · Atrium</title><link rel="icon" href="/favicon.svg"><style>${STYLE}</style></head>
<body><main><h1>${page.title}</h1><p data-testid="sso-error" data-reason="${reason}">${page.message(detail)}</p><p><a href="/signin">Back to sign-in</a></p><p class="code">Reason: ${reason}</p></main></body></html>`;
  return reply.code(page.status).type("text/html").header("cache-control", "no-store").send(body.value);
}

/** A rate limit or another typed refusal before the flow: the same page kind, its own words. */
function refusal(reply: FastifyReply, err: AppError): FastifyReply {
  const body = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Sign-in refused · Atrium</title><style>${STYLE}</style></head>
<body><main><h1>Sign-in refused</h1><p data-testid="sso-error" data-reason="${err.code}">${err.message}</p><p><a href="/signin">Back to sign-in</a></p></main></body></html>`;
  return reply
    .code(err.code === "RATE_LIMITED" ? 429 : 400)
    .type("text/html")
    .header("cache-control", "no-store")
    .send(body.value);
}

export function registerSsoRoutes(app: FastifyInstance, services: Services): void {
  const secure = services.config.nodeEnv === "production";

  app.get<{ Querystring: { email?: string } }>(
    "/sso/start",
    { config: { input: { query: ["email"] } } },
    async (req, reply) => {
      const email = typeof req.query.email === "string" ? req.query.email : "";
      try {
        const { url, state } = await services.ssoSignIn.start(email, actorOf(req));
        reply.setCookie(SSO_STATE_COOKIE, state, {
          httpOnly: true,
          sameSite: "lax",
          secure,
          path: COOKIE_PATH,
          maxAge: SIGN_IN_TTL_MS / 1000,
        });
        return reply.header("cache-control", "no-store").redirect(url.href, 302);
      } catch (err) {
        if (err instanceof SsoSignInError) return failurePage(reply, err.reason, err.detail);
        if (err instanceof AppError) return refusal(reply, err);
        throw err;
      }
    },
  );

  app.get<{ Querystring: Record<string, string | undefined> }>(
    "/sso/callback",
    { config: { input: { query: ["code", "state", "iss", "error", "error_description", "session_state"] } } },
    async (req, reply) => {
      const query = new URLSearchParams();
      for (const [k, v] of Object.entries(req.query)) if (typeof v === "string") query.set(k, v);
      const cookie = req.cookies[SSO_STATE_COOKIE];
      try {
        const { session } = await services.ssoSignIn.callback(
          query,
          typeof cookie === "string" ? cookie : undefined,
          actorOf(req),
        );
        reply.clearCookie(SSO_STATE_COOKIE, { path: COOKIE_PATH });
        setAuthCookies(reply, session, services.config);
        return reply.header("cache-control", "no-store").redirect("/", 302);
      } catch (err) {
        if (err instanceof SsoSignInError) return failurePage(reply, err.reason, err.detail);
        if (err instanceof AppError) return refusal(reply, err);
        throw err;
      }
    },
  );
}
