/**
 * Workspace slugs (SPEC W1): lowercase letters, digits and single hyphens, 3–48 characters,
 * reserved words refused. Derived from the name unless the user chooses one.
 */
import * as z from "zod/mini";

export const SLUG_MIN = 3;
export const SLUG_MAX = 48;
export const SLUG_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Words that are routes, products or likely to be mistaken for the platform itself. */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  "admin",
  "administrator",
  "api",
  "app",
  "assets",
  "atrium",
  "auth",
  "billing",
  "blog",
  "dashboard",
  "dev",
  "docs",
  "forms",
  "graphql",
  "healthz",
  "help",
  "login",
  "logout",
  "mail",
  "new",
  "null",
  "oauth",
  "playground",
  "readyz",
  "register",
  "root",
  "settings",
  "signin",
  "signout",
  "signup",
  "static",
  "status",
  "support",
  "system",
  "undefined",
  "verify-email",
  "webhooks",
  "workspace",
  "workspaces",
  "www",
]);

export const SLUG_MESSAGES = {
  length: `Slugs are ${SLUG_MIN}–${SLUG_MAX} characters.`,
  format: "Use lowercase letters, digits and single hyphens (not at the start or end).",
  reserved: (slug: string) => `"${slug}" is reserved.`,
} as const;

/** A slug someone chose (create, rename). */
export const workspaceSlug = z.string().check(
  z.minLength(SLUG_MIN, SLUG_MESSAGES.length),
  z.maxLength(SLUG_MAX, SLUG_MESSAGES.length),
  z.regex(SLUG_RE, SLUG_MESSAGES.format),
  z.superRefine((slug, ctx) => {
    if (RESERVED_SLUGS.has(slug))
      ctx.issues.push({ code: "custom", message: SLUG_MESSAGES.reserved(slug), input: slug });
  }),
);

/** A slug only when one was chosen: empty means "derive it from the name" (create). */
export const optionalWorkspaceSlug = z.string().check(
  z.superRefine((slug, ctx) => {
    if (slug === "") return;
    const result = workspaceSlug.safeParse(slug);
    if (!result.success)
      ctx.issues.push({
        code: "custom",
        message: result.error.issues[0]?.message ?? SLUG_MESSAGES.format,
        input: slug,
      });
  }),
);

/**
 * A slug cut to at most `max` characters between words ("…-operations", not "…-operations-e"),
 * or hard at `max` when that would keep less than half of it (one very long word).
 */
function cutSlug(slug: string, max: number): string {
  if (slug.length <= max) return slug;
  const cut = slug.slice(0, max + 1).lastIndexOf("-");
  return cut >= max / 2 ? slug.slice(0, cut) : slug.slice(0, max).replace(/-+$/g, "");
}

/**
 * The slug a name suggests: accents dropped; lowercase; every run of characters other than a–z
 * and 0–9 becomes one hyphen; no hyphen at either end; at most 48 characters, cut between words.
 * May be too short or reserved (the API then pads it, see `deriveSlug`), or empty.
 */
export function slugFromName(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return cutSlug(slug, SLUG_MAX);
}

/** The slug the API gives a workspace whose creator chose none: the name's, padded when unusable. */
export function deriveSlug(name: string): string {
  const base = slugFromName(name);
  if (base.length >= SLUG_MIN && !RESERVED_SLUGS.has(base)) return base;
  const padded = `${base || "workspace"}-ws`.replace(/^-/, "");
  return padded.length >= SLUG_MIN ? padded : "workspace-ws";
}

/** Candidates for a derived slug that is taken: base, base-2, base-3, … (length kept ≤ 48). */
export function slugCandidate(base: string, attempt: number): string {
  if (attempt <= 1) return base;
  const suffix = `-${attempt}`;
  return `${cutSlug(base, SLUG_MAX - suffix.length)}${suffix}`;
}
