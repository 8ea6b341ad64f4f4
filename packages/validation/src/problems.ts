/**
 * Reading a schema's verdict the way the Contract reports it: one sentence per field, the first
 * problem found (BAD_USER_INPUT's `extensions.fields`, the web app's error beside the field).
 */
import type * as z from "zod/mini";

/** The first problem with `value`, or undefined when the schema accepts it. */
export function problemOf(schema: z.ZodMiniType, value: unknown): string | undefined {
  const result = schema.safeParse(value);
  return result.success ? undefined : result.error.issues[0]?.message;
}

/**
 * The first problem of each field, keyed by the field's path (`email`, `qualificationQuestions.2`);
 * empty when the schema accepts `value`.
 */
export function fieldProblems(schema: z.ZodMiniType, value: unknown): Record<string, string> {
  const result = schema.safeParse(value);
  if (result.success) return {};
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.map(String).join(".");
    fields[key] ??= issue.message;
  }
  return fields;
}
