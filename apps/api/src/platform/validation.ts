// Input rules shared with the web app (@atrium/validation, decision 0020) on type-graphql inputs.
// `@Conforms(schema)` is a class-validator constraint: type-graphql runs it with the others, and
// formatError turns its message into BAD_USER_INPUT with `extensions.fields` as before. The
// message is the schema's first problem, word for word what the web form says beside the field.
import { ValidateBy, type ValidationOptions } from "class-validator";
import type * as z from "zod/mini";

import { problemOf } from "@atrium/validation";

export function Conforms(schema: z.ZodMiniType, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: "conforms",
      validator: {
        validate: (value: unknown) => problemOf(schema, value) === undefined,
        defaultMessage: (args) => problemOf(schema, args?.value) ?? "Invalid value.",
      },
    },
    options,
  );
}
