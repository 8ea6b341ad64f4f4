import { GraphQLError } from "graphql";

import { describe, expect, it } from "@atrium/test-kit";

import { AppError, ErrorCode } from "../errors.ts";
import { formatError } from "./format-error.ts";

const wrap = (original: Error) => new GraphQLError(original.message, { originalError: original, path: ["x"] });

describe("formatError", () => {
  it("masks unknown errors and logs the original", () => {
    const logged: unknown[] = [];
    const secret = new Error('duplicate key value violates unique constraint "users_email_key" at SELECT * FROM users');
    const out = formatError({ message: secret.message, path: ["x"] }, wrap(secret), (e) => logged.push(e));
    expect(out).toEqual({
      message: "Internal server error.",
      path: ["x"],
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    });
    expect(logged).toEqual([secret]);
  });

  it("keeps an AppError's code, message and safe extensions", () => {
    const err = new AppError(ErrorCode.CONFLICT, "Taken.", { fields: { slug: "taken" } });
    const out = formatError({ message: "Taken." }, wrap(err), () => undefined);
    expect(out.extensions).toEqual({ code: "CONFLICT", fields: { slug: "taken" } });
    expect(out.message).toBe("Taken.");
  });

  it("answers the database away as 503 also when a request-level hook threw it (no path: Apollo's wrapper, the cause behind it)", () => {
    // A mutation's up-front principal check failing on a closed circuit: the wrapper's own
    // message would say nothing the classifier knows.
    const refused = Object.assign(new Error("circuit open"), { code: "ECONNREFUSED" });
    const logged: unknown[] = [];
    const out = formatError(
      { message: "Unexpected error value" },
      new GraphQLError("Unexpected error value", { originalError: refused }),
      (e) => logged.push(e),
    );
    expect(out.extensions).toEqual({ code: ErrorCode.SERVICE_UNAVAILABLE, retryAfterSeconds: 2 });
    expect(logged).toEqual([]);
  });

  it("maps GraphQL parse and validation failures to BAD_USER_INPUT", () => {
    for (const code of ["GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED"]) {
      const out = formatError({ message: "bad", extensions: { code } }, new GraphQLError("bad"), () => undefined);
      expect(out.extensions).toEqual({ code: "BAD_USER_INPUT", reason: code });
    }
  });

  it("maps a lost race centrally: record gone → NOT_FOUND, unique/serialization conflicts → CONFLICT", () => {
    const prismaError = (code: string, meta: Record<string, unknown> = {}) =>
      Object.assign(new Error(`Invalid invocation: ${code} in /work/app/x.ts`), {
        name: "PrismaClientKnownRequestError",
        code,
        meta,
      });
    const logged: unknown[] = [];
    const gone = formatError(
      { message: "x", path: ["removeMember"] },
      wrap(prismaError("P2025", { modelName: "Membership" })),
      (e) => logged.push(e),
    );
    expect(gone).toMatchObject({ message: "Member not found.", extensions: { code: "NOT_FOUND" } });
    for (const code of ["P2002", "P2003", "P2034"]) {
      expect(formatError({ message: "x" }, wrap(prismaError(code)), (e) => logged.push(e)).extensions).toMatchObject({
        code: "CONFLICT",
        reason: "CONCURRENT_UPDATE",
      });
    }
    const serialization = Object.assign(new Error("could not serialize access"), { cause: { originalCode: "40001" } });
    expect(formatError({ message: "x" }, wrap(serialization), (e) => logged.push(e)).extensions).toMatchObject({
      code: "CONFLICT",
    });
    expect(logged).toEqual([]);
  });

  it("turns graphql-js's uncoded request-level refusals (variable error limit, missing root type) into BAD_USER_INPUT, but not a resolver's", () => {
    // What graphql-js (16) answers, with nothing behind it, past 50 invalid variable values.
    const limit = new GraphQLError("Too many errors processing variables, error limit reached. Execution aborted.");
    expect(
      formatError({ message: limit.message, extensions: { code: "INTERNAL_SERVER_ERROR" } }, limit, () => undefined),
    ).toEqual({ message: limit.message, extensions: { code: "BAD_USER_INPUT" } });
    const noRoot = new GraphQLError("Schema is not configured to execute subscription operation.");
    expect(
      formatError({ message: noRoot.message, extensions: { code: "INTERNAL_SERVER_ERROR" } }, noRoot, () => undefined)
        .extensions,
    ).toEqual({ code: "BAD_USER_INPUT" });
    // The same text from a resolver (a path, an error behind it) stays masked.
    const thrown = new Error(limit.message);
    expect(formatError({ message: thrown.message, path: ["x"] }, wrap(thrown), () => undefined).extensions).toEqual({
      code: "INTERNAL_SERVER_ERROR",
    });
  });

  it("turns Apollo's uncoded 4xx request refusals into BAD_USER_INPUT, but masks an uncoded error without a status", () => {
    const refused = new GraphQLError("provided sha does not match query", { extensions: { http: { status: 400 } } });
    expect(
      formatError({ message: refused.message, extensions: { code: "INTERNAL_SERVER_ERROR" } }, refused, () => undefined)
        .extensions,
    ).toEqual({ code: "BAD_USER_INPUT", reason: "BAD_REQUEST" });
    const unknown = new GraphQLError("something broke");
    expect(
      formatError({ message: unknown.message, extensions: { code: "INTERNAL_SERVER_ERROR" } }, unknown, () => undefined)
        .extensions,
    ).toEqual({ code: "INTERNAL_SERVER_ERROR" });
  });
});
