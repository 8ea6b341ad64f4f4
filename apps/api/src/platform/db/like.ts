// Text a client searches for, as a LIKE pattern that means it literally. Prisma's `contains`,
// `startsWith` and `endsWith` are LIKE / ILIKE patterns on PostgreSQL and do not escape the
// wildcards: `%` would match every row, `_` any character, and a trailing `\` make the pattern
// invalid (an error of the database). Every such filter built from client input goes through here.

/** `text` with LIKE's escape character (`\`, PostgreSQL's default) and its wildcards `%` and `_` escaped. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, "\\$&");
}
