/**
 * Forms on react-hook-form with @atrium/validation's schemas (decision 0020): a form checks what
 * the API checks, in the same words, and the API's own verdict — BAD_USER_INPUT with
 * `extensions.fields` — lands beside the same field, through `setError`. Both speak English (the
 * API's Contract); the form shows them in the page's language (`translateProblem`).
 */
import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm, type DefaultValues, type FieldValues, type Path, type UseFormReturn } from "react-hook-form";
import type * as z from "zod/mini";

import { type UserFacingError } from "./errors.ts";
import { translateProblem } from "./problems.ts";

/** Ends like a sentence: a message to show as it is (not a token such as "invalid" or "required"). */
const SENTENCE = /[.!?]$/;

/**
 * What to show beside `field` for a failed submission: the server's message for that field, or
 * — when the server named the field with a bare token ("required", "out of range") — the error's
 * own message. Undefined when the server did not name the field.
 */
export function serverFieldMessage(error: UserFacingError | undefined, field: string): string | undefined {
  const value = error?.fields[field];
  if (value === undefined) return undefined;
  const message = SENTENCE.test(value) ? value : error?.message;
  return message === undefined ? undefined : translateProblem(message);
}

/**
 * Every message of a resolver's errors (nested: arrays of fields, `root`) in the page's language,
 * in place. A field's DOM element (`ref`) is not walked.
 */
export function translateFieldErrors(errors: unknown): void {
  if (typeof errors !== "object" || errors === null) return;
  const node = errors as Record<string, unknown>;
  if (typeof node["message"] === "string") node["message"] = translateProblem(node["message"]);
  for (const [key, value] of Object.entries(node)) if (key !== "ref" && key !== "message") translateFieldErrors(value);
}

/**
 * Puts the server's field errors on the form's fields (those in `fields`, the ones it renders).
 * Each disappears as soon as its field is edited and passes the schema again.
 */
export function showServerFieldErrors<T extends FieldValues>(
  form: Pick<UseFormReturn<T>, "setError">,
  error: UserFacingError,
  fields: readonly Path<T>[],
): void {
  for (const field of fields) {
    const message = serverFieldMessage(error, field);
    if (message !== undefined) form.setError(field, { type: "server", message });
  }
}

export type SchemaForm<T extends FieldValues, R> = UseFormReturn<T, unknown, R> & {
  /** The last failed submission as the banner shows it (undefined before one, and after a retry starts). */
  readonly serverError: UserFacingError | undefined;
  /** Records a failed submission: the banner, and each field's message beside `fields`. */
  failed(error: UserFacingError, fields: readonly Path<T>[]): void;
  clearServerError(): void;
};

/**
 * `useForm` validated by `schema` on submit, then again as the user corrects a field. The form's
 * controls use `register`; their messages are `formState.errors[name].message`.
 */
export function useSchemaForm<S extends z.ZodMiniType<FieldValues, FieldValues>>(
  schema: S,
  defaultValues: DefaultValues<z.input<S>>,
): SchemaForm<z.input<S>, z.output<S>> {
  const resolve = zodResolver(schema);
  const form = useForm<z.input<S>, unknown, z.output<S>>({
    // The schema's verdicts, in the page's language (also those shown outside a <Field>).
    resolver: async (...args: Parameters<typeof resolve>) => {
      const result = await resolve(...args);
      translateFieldErrors(result.errors);
      return result;
    },
    defaultValues,
    mode: "onSubmit",
    reValidateMode: "onChange",
  });
  const [serverError, setServerError] = useState<UserFacingError>();
  return {
    ...form,
    serverError,
    failed(error, fields) {
      setServerError(error);
      showServerFieldErrors(form, error, fields);
    },
    clearServerError() {
      setServerError(undefined);
    },
  };
}

/** For `register(name, { setValueAs: trimmed })`: what the API receives is trimmed, so that is what is checked. */
export const trimmed = (value: unknown): unknown => (typeof value === "string" ? value.trim() : value);
