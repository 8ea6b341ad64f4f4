// The web app's credentials: httpOnly access and refresh cookies, plus a readable CSRF cookie
// that must be echoed in the `x-csrf-token` header of every cookie-authenticated request
// (double-submit). API clients use `Authorization: Bearer` and are unaffected.
import { randomBytes } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";

import type { AppConfig } from "../../env.ts";
import { constantTimeEqual } from "../crypto/digest.ts";

export const ACCESS_COOKIE = "atrium_at";
export const REFRESH_COOKIE = "atrium_rt";
export const CSRF_COOKIE = "atrium_csrf";
export const CSRF_HEADER = "x-csrf-token";

export function readCookie(req: FastifyRequest, name: string): string | undefined {
  const v = req.cookies[name];
  return typeof v === "string" && v.length > 0 ? v : undefined;
}

export function setAuthCookies(
  reply: FastifyReply,
  s: { accessToken: string; refreshToken: string; refreshExpiresAt: Date },
  config: Pick<AppConfig, "nodeEnv">,
): void {
  const secure = config.nodeEnv === "production";
  // SameSite=Strict for all three (decision 0003): the SPA's requests are same-site fetches, so a
  // cross-site navigation into the app needs no cookie; only same-site pages ever send them.
  reply.setCookie(ACCESS_COOKIE, s.accessToken, {
    httpOnly: true,
    sameSite: "strict",
    secure,
    path: "/",
    expires: s.refreshExpiresAt,
  });
  reply.setCookie(REFRESH_COOKIE, s.refreshToken, {
    httpOnly: true,
    sameSite: "strict",
    secure,
    path: "/graphql",
    expires: s.refreshExpiresAt,
  });
  reply.setCookie(CSRF_COOKIE, randomBytes(24).toString("base64url"), {
    httpOnly: false,
    sameSite: "strict",
    secure,
    path: "/",
    expires: s.refreshExpiresAt,
  });
}

export function clearAuthCookies(reply: FastifyReply): void {
  reply.clearCookie(ACCESS_COOKIE, { path: "/" });
  reply.clearCookie(REFRESH_COOKIE, { path: "/graphql" });
  reply.clearCookie(CSRF_COOKIE, { path: "/" });
}

export function csrfHeaderMatches(req: FastifyRequest): boolean {
  const cookie = readCookie(req, CSRF_COOKIE);
  const header = req.headers[CSRF_HEADER];
  if (!cookie || typeof header !== "string") return false;
  return constantTimeEqual(header, cookie);
}
