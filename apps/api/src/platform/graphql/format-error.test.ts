import { GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import { AppError, ErrorCode } from "../errors.ts";
import { formatError } from "./format-error.ts";

const wrap = (original: Error) => new GraphQLError(original.message, { originalError: original, path: ["x"] });

describe("formatError", () => {
  it("masks unknown errors and logs the original", () => {
    const logged: unknown[] = [];
    const secret = new Error('duplicate key value violates unique constraint "users_email_key" at SELECT * FROM users');
    const out = formatError({ message: secret.message, path: ["x"] }, wrap(secret), (e) => logged.push(e));
    expect(out).toEqual({ message: "Internal server error.", path: ["x"], extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } });
    expect(logged).toEqual([secret]);
  });

  it("keeps an AppError's code, message and safe extensions", () => {
    const err = new AppError(ErrorCode.CONFLICT, "Taken.", { fields: { slug: "taken" } });
    const out = formatError({ message: "Taken." }, wrap(err), () => undefined);
    expect(out.extensions).toEqual({ code: "CONFLICT", fields: { slug: "taken" } });
    expect(out.message).toBe("Taken.");
  });

  it("maps GraphQL parse and validation failures to BAD_USER_INPUT", () => {
    for (const code of ["GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED"]) {
      const out = formatError({ message: "bad", extensions: { code } }, new GraphQLError("bad"), () => undefined);
      expect(out.extensions).toEqual({ code: "BAD_USER_INPUT", reason: code });
    }
  });
});
