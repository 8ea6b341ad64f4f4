// Issue 51: the schema documents itself. Every type, field, argument, input field and enum value
// has a description (what it is, its units, limits and formats); each kind must stay at 98 % or
// more, counted over the whole schema as clients see it (introspection and built-in scalars aside).
import {
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
  type GraphQLSchema,
} from "graphql";

import { describe, expect, it } from "@atrium/test-kit";

import { getSchema } from "./schema.ts";

const MIN_COVERAGE = 0.98;
const KINDS = ["types", "fields", "arguments", "inputFields", "enumValues"] as const;
type Kind = (typeof KINDS)[number];

/** Every element of each kind, by schema coordinate, and whether it has a description. */
function elements(schema: GraphQLSchema): Record<Kind, { coordinate: string; described: boolean }[]> {
  const out: Record<Kind, { coordinate: string; described: boolean }[]> = {
    types: [],
    fields: [],
    arguments: [],
    inputFields: [],
    enumValues: [],
  };
  const add = (kind: Kind, coordinate: string, description: string | null | undefined) =>
    out[kind].push({ coordinate, described: Boolean(description?.trim()) });
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    add("types", type.name, type.description);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        add("fields", `${type.name}.${field.name}`, field.description);
        for (const arg of field.args) add("arguments", `${type.name}.${field.name}(${arg.name}:)`, arg.description);
      }
    }
    if (isInputObjectType(type))
      for (const field of Object.values(type.getFields()))
        add("inputFields", `${type.name}.${field.name}`, field.description);
    if (isEnumType(type))
      for (const value of type.getValues()) add("enumValues", `${type.name}.${value.name}`, value.description);
  }
  return out;
}

describe("schema descriptions", () => {
  it.each(KINDS)("at least 98 %% of the schema's %s have a description", async (kind) => {
    const all = elements(await getSchema())[kind];
    const missing = all
      .filter((e) => !e.described)
      .map((e) => e.coordinate)
      .sort();
    const coverage = (all.length - missing.length) / all.length;
    expect(all.length).toBeGreaterThan(0);
    // On failure the message lists what to describe: a description in the decorator
    // (@ObjectType/@InputType/@Field/@Arg, or registerEnumType's valuesConfig), then `pnpm emit-schema`.
    if (coverage < MIN_COVERAGE) {
      throw new Error(
        `${kind}: ${(coverage * 100).toFixed(1)} % described (${all.length - missing.length} of ${all.length}); undocumented:\n  ${missing.join("\n  ")}`,
      );
    }
  });

  it("counts a described and a bare element of each kind apart (the measure itself)", () => {
    const schema = buildSchema(`
      "A" type A { "x" x("a" a: Int, b: Int): Int  y: Int }
      type Query { a(i: I): A  e: E }
      "E" enum E { "one" ONE TWO }
      input I { "p" p: Int  q: Int }
    `);
    const counted = elements(schema);
    const described = (kind: Kind) => counted[kind].filter((e) => e.described).map((e) => e.coordinate);
    expect(described("types")).toEqual(["A", "E"]);
    expect(counted.types.map((e) => e.coordinate).sort()).toEqual(["A", "E", "I", "Query"]);
    expect(described("fields")).toEqual(["A.x"]);
    expect(described("arguments")).toEqual(["A.x(a:)"]);
    expect(counted.arguments).toHaveLength(3);
    expect(described("inputFields")).toEqual(["I.p"]);
    expect(counted.enumValues).toEqual([
      { coordinate: "E.ONE", described: true },
      { coordinate: "E.TWO", described: false },
    ]);
  });
});
