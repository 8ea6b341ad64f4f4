/**
 * What every test file imports: Jest's own globals, and an `expect` that also takes a message
 * (`expect(value, "what went wrong")`), printed above the matcher's report when the assertion
 * fails — the form our tests were written in (Vitest has it built in; Jest does not).
 */
import { expect as jestExpect } from "@jest/globals";

export { afterAll, afterEach, beforeAll, beforeEach, describe, it, jest, test } from "@jest/globals";

type JestExpect = typeof jestExpect;

function withMessage(error: unknown, message: string): Error {
  if (error instanceof Error) {
    error.message = `${message}\n\n${error.message}`;
    return error;
  }
  return new Error(`${message}\n\n${String(error)}`);
}

/** The matchers, each rethrowing its failure with `message` in front (also under .not/.resolves/.rejects). */
function labelled<T extends object>(target: T, message: string): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value === "function") {
        return (...args: unknown[]) => {
          try {
            const result: unknown = Reflect.apply(value, object, args);
            if (result instanceof Promise)
              return result.catch((error: unknown) => Promise.reject(withMessage(error, message)));
            return result;
          } catch (error) {
            throw withMessage(error, message);
          }
        };
      }
      if (typeof value === "object" && value !== null) return labelled(value, message);
      return value;
    },
  });
}

function expectWithMessage<T>(actual: T, message?: string): ReturnType<typeof jestExpect<T>> {
  const matchers = jestExpect(actual);
  return message === undefined ? matchers : labelled(matchers, message);
}

/** Jest's `expect` (asymmetric matchers, `expect.assertions`, …) plus the optional message. */
export const expect: JestExpect & (<T>(actual: T, message?: string) => ReturnType<typeof jestExpect<T>>) =
  Object.assign(expectWithMessage, jestExpect);
