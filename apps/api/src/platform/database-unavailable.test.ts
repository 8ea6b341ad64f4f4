import { describe, expect, it } from "@atrium/test-kit";

import {
  databaseUnavailable,
  ErrorCode,
  httpStatusFor,
  isFkViolation,
  isUniqueViolation,
  lostRace,
  postgresErrorOf,
} from "./errors.ts";

describe("databaseUnavailable: the database away is a retryable 503, not an internal error", () => {
  it("recognises refused connections, shutdowns and Prisma's can't-reach, also inside `cause`", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:25432"), { code: "ECONNREFUSED" });
    const shutdown = Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" });
    const wrapped = Object.assign(new Error("DriverAdapterError"), {
      cause: { originalCode: "08006", message: "connection failure" },
    });
    const prisma = Object.assign(new Error("Can't reach database server at 127.0.0.1:25432"), { code: "P1001" });
    // What the resilience suite met right after a kill -9: Prisma's P2039 around the driver's 57P03.
    const recovering = Object.assign(new Error("Database error. Code: `57P03`."), {
      code: "P2039",
      meta: {
        driverAdapterError: {
          name: "DriverAdapterError",
          cause: { originalCode: "57P03", originalMessage: "the database system is not yet accepting connections" },
        },
      },
    });
    // What the start-up suite met on CI while a listener on the database's port accepted and
    // dropped each connection: a raw query's P2010 with no SQLSTATE.
    const dropped = Object.assign(
      new Error(
        "\nInvalid `prisma.$queryRaw()` invocation:\n\n\nRaw query failed. Code: `N/A`. Message: `Server has closed the connection.`",
      ),
      {
        code: "P2010",
        meta: { code: "N/A", message: "Server has closed the connection." },
      },
    );
    // Every instance reconnecting at once after a restart: the server's 53300, and the adapter's kind.
    const crowded = Object.assign(new Error("sorry, too many clients already"), { code: "53300" });
    const crowdedKind = Object.assign(new Error("Database error"), {
      code: "P2039",
      meta: { driverAdapterError: { name: "DriverAdapterError", cause: { kind: "TooManyConnections" } } },
    });
    const closedKind = Object.assign(new Error("DriverAdapterError"), { cause: { kind: "ConnectionClosed" } });
    // What a request-level hook threw (the mutation's up-front principal check), as Apollo hands it
    // to formatError: a GraphQLError whose own message says nothing, the driver's error behind it.
    const hooked = Object.assign(new Error("Unexpected error."), { originalError: refused });
    // A DATABASE_URL through a Unix socket (?host=/run/postgresql) while the server is stopped: the socket file is gone.
    const socketGone = Object.assign(new Error("connect ENOENT /tmp/.s.PGSQL.25432"), {
      code: "ENOENT",
      syscall: "connect",
    });
    for (const err of [
      socketGone,
      refused,
      shutdown,
      wrapped,
      prisma,
      recovering,
      dropped,
      crowded,
      crowdedKind,
      closedKind,
      hooked,
    ]) {
      const mapped = databaseUnavailable(err);
      expect(mapped?.code, err.message).toBe(ErrorCode.SERVICE_UNAVAILABLE);
      expect(mapped?.extensions).toEqual({ retryAfterSeconds: 2 });
    }
    expect(httpStatusFor(ErrorCode.SERVICE_UNAVAILABLE)).toBe(503);
  });

  it("answers work stopped at the request's deadline as SERVICE_UNAVAILABLE, reason DEADLINE_EXCEEDED", () => {
    const cancelled = Object.assign(new Error("DriverAdapterError"), {
      cause: { originalCode: "57014", originalMessage: "canceling statement due to statement timeout" },
    });
    const rawCancelled = Object.assign(new Error("Raw query failed. Code: `57014`."), {
      code: "P2010",
      meta: { code: "57014", message: "canceling statement due to statement timeout" },
    });
    const txTimeout = Object.assign(new Error("Transaction API error: Transaction already closed"), { code: "P2028" });
    const notStarted = Object.assign(new Error("the request's deadline passed"), { code: "DEADLINE_EXCEEDED" });
    for (const err of [cancelled, rawCancelled, txTimeout, notStarted]) {
      const mapped = databaseUnavailable(err);
      expect(mapped?.code, err.message).toBe(ErrorCode.SERVICE_UNAVAILABLE);
      expect(mapped?.extensions, err.message).toEqual({ reason: "DEADLINE_EXCEEDED", retryAfterSeconds: 2 });
    }
  });

  it("leaves other database errors alone (a unique violation, a syntax error, a plain bug)", () => {
    expect(databaseUnavailable(Object.assign(new Error("duplicate key"), { code: "P2002" }))).toBeNull();
    expect(databaseUnavailable(Object.assign(new Error("syntax error at or near"), { code: "42601" }))).toBeNull();
    expect(databaseUnavailable(new TypeError("x is undefined"))).toBeNull();
    // A missing file is not a missing database.
    expect(
      databaseUnavailable(
        Object.assign(new Error("ENOENT: no such file or directory, open 'x'"), { code: "ENOENT", syscall: "open" }),
      ),
    ).toBeNull();
    expect(databaseUnavailable("not an error")).toBeNull();
  });
});

describe("postgresErrorOf: the server's SQLSTATE and DETAIL behind Prisma's wrappers", () => {
  it("reads a DriverAdapterError's cause and a known request error's meta.driverAdapterError", () => {
    // As the owner check fails at COMMIT (seen in the members suite).
    const atCommit = Object.assign(new Error("a workspace must keep at least one owner"), {
      name: "DriverAdapterError",
      cause: {
        originalCode: "23514",
        originalMessage: "a workspace must keep at least one owner",
        kind: "postgres",
        code: "23514",
        detail: "memberships_keep_an_owner",
      },
    });
    expect(postgresErrorOf(atCommit)).toEqual({ code: "23514", detail: "memberships_keep_an_owner" });
    const known = Object.assign(new Error("Unique constraint failed"), {
      code: "P2002",
      meta: { driverAdapterError: { cause: { originalCode: "23505", kind: "UniqueConstraintViolation" } } },
    });
    expect(postgresErrorOf(known)).toEqual({ code: "23505" });
    // Prisma's own codes are not SQLSTATEs; a socket error is not from the server.
    expect(postgresErrorOf(Object.assign(new Error("x"), { code: "P2025" }))).toBeNull();
    expect(postgresErrorOf(new TypeError("x"))).toBeNull();
  });
});

describe("a lost race behind a raw statement (P2010) is the same race as Prisma's P2002/P2003", () => {
  // As Prisma 7 reports a plain-SQL write's unique violation (submitLead's one statement, when two
  // submissions create one new contact at once): P2010 with the server's SQLSTATE behind it.
  const raw = (sqlState: string, kind: string) =>
    Object.assign(new Error("Raw query failed."), {
      code: "P2010",
      meta: {
        code: sqlState,
        driverAdapterError: { name: "DriverAdapterError", cause: { originalCode: sqlState, kind } },
      },
    });
  it("is a unique or foreign-key violation, answered CONFLICT", () => {
    expect(isUniqueViolation(raw("23505", "UniqueConstraintViolation"))).toBe(true);
    expect(isFkViolation(raw("23503", "ForeignKeyConstraintViolation"))).toBe(true);
    expect(isUniqueViolation(raw("23503", "ForeignKeyConstraintViolation"))).toBe(false);
    expect(isUniqueViolation(Object.assign(new Error("unique"), { code: "P2002" }))).toBe(true);
    for (const state of ["23505", "23503"])
      expect(lostRace(raw(state, "postgres"))?.extensions).toMatchObject({ reason: "CONCURRENT_UPDATE" });
    expect(lostRace(raw("23505", "postgres"))?.code).toBe(ErrorCode.CONFLICT);
    expect(isUniqueViolation(raw("42601", "postgres"))).toBe(false);
  });
});
