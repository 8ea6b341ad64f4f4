import { buildSchema, getOperationAST, parse } from "graphql";

import { describe, expect, it } from "@atrium/test-kit";

import { argumentTextProblems } from "./argument-text.ts";

const schema = buildSchema(`
  input Address { street: String!, lines: [String!], id: ID }
  input Profile { name: String!, addresses: [Address!] }
  enum Mode { A B }
  type Thing { id: ID!, child(label: String): Thing }
  type Query { thing(id: ID!, tag: String, mode: Mode): Thing, many(ids: [ID!]!): Int }
  type Mutation { save(profile: Profile!): Int }
`);

const problems = (source: string, variables?: Record<string, unknown>) => {
  const document = parse(source);
  return argumentTextProblems(schema, document, getOperationAST(document)!, variables);
};

describe("argumentTextProblems", () => {
  it("checks every request's variables anew on one parsed document (its walk is kept per operation)", () => {
    const document = parse(`query($t: String) { thing(id: "1", tag: $t) { child(label: $t) { id } } }`);
    const operation = getOperationAST(document)!;
    expect(argumentTextProblems(schema, document, operation, { t: "clean" })).toEqual({});
    expect(argumentTextProblems(schema, document, operation, { t: "a\u0000b" })).toEqual({
      tag: expect.stringMatching(/NUL/) as unknown,
      label: expect.stringMatching(/NUL/) as unknown,
    });
    expect(argumentTextProblems(schema, document, operation, { t: "clean again" })).toEqual({});
  });

  it("finds nothing in clean arguments", () => {
    expect(problems(`query($t: String) { thing(id: "1", tag: $t, mode: A) { id } }`, { t: "fine 🎉" })).toEqual({});
  });

  it("checks inline literals and variables alike", () => {
    expect(problems(`{ thing(id: "1", tag: "a\\u0000b") { id } }`)).toEqual({
      tag: expect.stringMatching(/NUL/) as unknown,
    });
    expect(problems(`query($t: String) { thing(id: "1", tag: $t) { id } }`, { t: "w\ud800" })).toEqual({
      tag: expect.stringMatching(/surrogate/) as unknown,
    });
  });

  it("applies the ID cap to IDs, also inside lists", () => {
    expect(problems(`query($i: [ID!]!) { many(ids: $i) }`, { i: ["1", "x".repeat(129)] })).toEqual({
      ids: expect.stringMatching(/^Item 2: .*at most 128/) as unknown,
    });
  });

  it("walks nested input objects and lists, naming the field path", () => {
    const p = problems(`mutation($p: Profile!) { save(profile: $p) }`, {
      p: { name: "ok", addresses: [{ street: "ok", lines: ["a", "b\u0000"] }, { street: "x".repeat(10_001) }] },
    });
    expect(p).toEqual({
      "profile.addresses.lines": expect.stringMatching(/^Item 2: .*NUL/) as unknown,
      "profile.addresses.street": expect.stringMatching(/at most/) as unknown,
    });
  });

  it("checks arguments of nested fields and fields inside fragments", () => {
    expect(problems(`{ thing(id: "1") { child(label: "a\\u0000") { id } } }`)).toEqual({
      label: expect.stringMatching(/NUL/) as unknown,
    });
    expect(
      problems(
        `query($t: String) { ...F } fragment F on Query { thing(id: "1", tag: $t) { ...G } } fragment G on Thing { child(label: "${"x".repeat(10_001)}") { id } }`,
        { t: "\u0000" },
      ),
    ).toEqual({
      tag: expect.stringMatching(/NUL/) as unknown,
      label: expect.stringMatching(/at most/) as unknown,
    });
    // (A GraphQL string literal cannot even spell a lone surrogate: the parser refuses it.)
  });

  it("leaves variables that do not coerce to execution (which answers BAD_USER_INPUT itself)", () => {
    expect(problems(`query($t: String) { thing(id: "1", tag: $t) { id } }`, { t: { not: "a string\u0000" } })).toEqual(
      {},
    );
  });
});
