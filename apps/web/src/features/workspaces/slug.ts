/**
 * Client-side preview of the slug the API derives from a workspace name (SPEC W1). It mirrors
 * the server's rule (apps/api/src/modules/workspaces/slug.ts): accents dropped; lowercase;
 * every run of characters other than a–z and 0–9 becomes one hyphen; no hyphen at either
 * end; at most 48 characters. The server stays the authority: when the user leaves the slug
 * alone the form sends none and the server derives it (adding `-2`, `-3`… when it is taken,
 * padding names that are too short or reserved); an edited slug is validated there too.
 */
export const SLUG_MAX_LENGTH = 48;
export const SLUG_MIN_LENGTH = 3;

export function slugFromName(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, SLUG_MAX_LENGTH)
    .replace(/-+$/, "");
}

/** Why `slug` would be refused by the format rule, or undefined when it is well-formed. */
export function slugFormatProblem(slug: string): string | undefined {
  if (slug.length < SLUG_MIN_LENGTH) return `Use at least ${SLUG_MIN_LENGTH} characters.`;
  if (slug.length > SLUG_MAX_LENGTH) return `Use at most ${SLUG_MAX_LENGTH} characters.`;
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slug)) {
    return "Use lowercase letters, digits and single hyphens, not at the start or end.";
  }
  return undefined;
}
