// The one rule for text at the boundary (docs/decisions/0008-input-boundary-and-races.md).
// Every string a client sends — GraphQL arguments and input fields at any depth, list elements,
// REST params, query strings and bodies — is checked here before any resolver or route handler
// sees it, and refused with BAD_USER_INPUT naming the field when it
//   - contains NUL (U+0000): PostgreSQL text and jsonb cannot store it;
//   - contains a lone UTF-16 surrogate: not Unicode text; the UTF-8 encoder would silently turn
//     it into U+FFFD in text columns and jsonb refuses its escape outright;
//   - is longer than the boundary cap (inputs declare tighter limits with class-validator).
// Refusing (rather than normalising) means nothing is stored that differs from what was sent.

/** No single text value is longer than this (characters); fields declare tighter limits. */
export const TEXT_MAX_LENGTH = 10_000;
/** IDs are UUIDs or short opaque keys. */
export const ID_MAX_LENGTH = 128;

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `value` is refused, in words for the client; null when it is acceptable text. */
export function textProblem(value: string, maxLength = TEXT_MAX_LENGTH): string | null {
  // Length first: a 1 MB string is refused without scanning it.
  if (value.length > maxLength) return `Must be at most ${maxLength} characters.`;
  if (value.includes("\u0000")) return "Must not contain the NUL character (U+0000).";
  if (LONE_SURROGATE.test(value)) return "Must be valid Unicode text (it contains a lone surrogate).";
  return null;
}

/** `base.key`, or `key` at the root. */
export const fieldPath = (base: string, key: string): string => (base ? `${base}.${key}` : key);

/**
 * Walks plain JSON-like data (REST params, query strings, bodies) and records every string that
 * breaks the rule, keyed by its field path. List elements report under the list's path, with the
 * index in the message, so a form can highlight the field.
 */
export function collectTextProblems(value: unknown, path: string, out: Record<string, string>, depth = 0): void {
  if (depth > 32) return;
  if (typeof value === "string") {
    const problem = textProblem(value);
    if (problem) out[path || "body"] ??= problem;
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      if (typeof item === "string") {
        const problem = textProblem(item);
        if (problem) out[path || "body"] ??= `Item ${i + 1}: ${problem}`;
      } else collectTextProblems(item, path, out, depth + 1);
    });
    return;
  }
  if (value !== null && typeof value === "object") {
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      // Keys are client text too (a urlencoded body's names, a JSON object's properties).
      const keyProblem = textProblem(key, 200);
      if (keyProblem) {
        out[fieldPath(path, "(field name)")] ??= keyProblem;
        continue;
      }
      collectTextProblems(v, fieldPath(path, key), out, depth + 1);
    }
  }
}
