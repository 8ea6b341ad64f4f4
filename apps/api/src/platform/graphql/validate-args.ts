// class-validator on every object argument, as type-graphql's own `validate` setting does it,
// with class-validator imported once. type-graphql 2.0.0-rc.4's default path runs
// `await import("class-validator")` for every argument it validates: a trip through the ESM loader
// per request (under a loader such as tsx, a round trip to the loader's thread: ~70 µs per
// submitLead in bench:request-path).
import { validateOrReject, type ValidationError, type ValidatorOptions } from "class-validator";
import { ArgumentValidationError, type ValidatorFn } from "type-graphql";

/** The options `validate: { forbidUnknownValues: false, stopAtFirstError: false }` gave type-graphql's default path (it adds skipMissingProperties). */
export const VALIDATOR_OPTIONS: Readonly<ValidatorOptions> = Object.freeze({
  forbidUnknownValues: false,
  stopAtFirstError: false,
  skipMissingProperties: true,
});

const validated = (v: unknown): v is object => v !== null && typeof v === "object";

/**
 * type-graphql's default validation (validate-arg.js), for `buildSchema({ validateFn })`.
 * A global validateFn takes precedence over an argument's own `validate` setting
 * (`@Arg(..., { validate: false })`, groups): no argument may set one (validate-args.test.ts
 * fails if one does).
 */
export const validateArgs: ValidatorFn = async (value: unknown) => {
  if (!validated(value)) return;
  try {
    if (Array.isArray(value))
      await Promise.all(value.filter(validated).map((item) => validateOrReject(item, { ...VALIDATOR_OPTIONS })));
    else await validateOrReject(value, { ...VALIDATOR_OPTIONS });
  } catch (err) {
    throw new ArgumentValidationError(err as ValidationError[]);
  }
};
