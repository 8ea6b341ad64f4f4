// W1 slugs: lowercase letters, digits and single hyphens, 3–48 characters, reserved words refused.
export const SLUG_MIN = 3;
export const SLUG_MAX = 48;
export const SLUG_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Words that are routes, products or likely to be mistaken for the platform itself. */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  "admin", "administrator", "api", "app", "assets", "atrium", "auth", "billing", "blog", "dashboard",
  "dev", "docs", "forms", "graphql", "healthz", "help", "login", "logout", "mail", "new", "null",
  "oauth", "playground", "readyz", "register", "root", "settings", "signin", "signout", "signup",
  "static", "status", "support", "system", "undefined", "verify-email", "webhooks", "workspace",
  "workspaces", "www",
]);

export function deriveSlug(name: string): string {
  const base = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, SLUG_MAX)
    .replace(/-+$/g, "");
  if (base.length >= SLUG_MIN && !RESERVED_SLUGS.has(base)) return base;
  const padded = `${base || "workspace"}-ws`.replace(/^-/, "");
  return padded.length >= SLUG_MIN ? padded : "workspace-ws";
}

/** A reason the slug is unusable, or null when it is valid. */
export function slugProblem(slug: string): string | null {
  if (slug.length < SLUG_MIN || slug.length > SLUG_MAX) return `Slugs are ${SLUG_MIN}–${SLUG_MAX} characters.`;
  if (!SLUG_RE.test(slug)) return "Use lowercase letters, digits and single hyphens (not at the start or end).";
  if (RESERVED_SLUGS.has(slug)) return `"${slug}" is reserved.`;
  return null;
}

/** Candidates for a derived slug that is taken: base, base-2, base-3, … (length kept ≤ 48). */
export function slugCandidate(base: string, attempt: number): string {
  if (attempt <= 1) return base;
  const suffix = `-${attempt}`;
  return `${base.slice(0, SLUG_MAX - suffix.length).replace(/-+$/g, "")}${suffix}`;
}
