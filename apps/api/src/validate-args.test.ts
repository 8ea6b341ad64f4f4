// `validateArgs` (the schema's validateFn) answers exactly as type-graphql's own class-validator
// path with the options the schema used to pass it: same data, same errors and validation details.
import "reflect-metadata";
import { describe, expect, it } from "@atrium/test-kit";
import { graphql, type GraphQLSchema } from "graphql";
import { Arg, buildSchema, Mutation, Query, Resolver } from "type-graphql";
import { SubmitLeadInput } from "./modules/leads/leads.types.ts";
import { validateArgs } from "./platform/graphql/validate-args.ts";

@Resolver()
class ProbeResolver {
  @Query(() => String)
  ping(): string {
    return "pong";
  }

  @Mutation(() => String)
  one(@Arg("input", () => SubmitLeadInput) input: SubmitLeadInput, @Arg("note", () => String, { nullable: true }) note: string | null): string {
    return `${input.name}|${input.email ?? ""}|${note ?? ""}`;
  }

  @Mutation(() => Number)
  many(@Arg("inputs", () => [SubmitLeadInput]) inputs: SubmitLeadInput[]): number {
    return inputs.length;
  }
}

const documents: [string, Record<string, unknown>][] = [
  ["mutation($i: SubmitLeadInput!) { one(input: $i) }", { i: { name: "Ada", email: "ada@example.com" } }],
  ["mutation($i: SubmitLeadInput!) { one(input: $i, note: \"hi\") }", { i: { name: "Ada" } }],
  ["mutation($i: SubmitLeadInput!) { one(input: $i) }", { i: { name: "", email: "x".repeat(400), phone: "1".repeat(200), message: "m".repeat(20_000) } }],
  ["mutation($i: SubmitLeadInput!) { one(input: $i) }", { i: { name: "   " } }],
  ["mutation($is: [SubmitLeadInput!]!) { many(inputs: $is) }", { is: [{ name: "Ada" }, { name: "" }, { name: "Grace", email: "y".repeat(400) }] }],
  ["mutation($is: [SubmitLeadInput!]!) { many(inputs: $is) }", { is: [{ name: "Ada" }, { name: "Grace" }] }],
  ["mutation($is: [SubmitLeadInput!]!) { many(inputs: $is) }", { is: [] }],
];

async function answers(schema: GraphQLSchema) {
  const out = [];
  for (const [source, variableValues] of documents) {
    const r = await graphql({ schema, source, variableValues });
    out.push({ data: r.data ?? null, errors: r.errors?.map((e) => ({ message: e.message, path: e.path, extensions: JSON.parse(JSON.stringify(e.extensions)) as unknown })) ?? [] });
  }
  return out;
}

describe("validateArgs", () => {
  it("gives the answers type-graphql's own validation gave, errors and their details included", async () => {
    const own = await buildSchema({ resolvers: [ProbeResolver], validate: { forbidUnknownValues: false, stopAtFirstError: false } });
    const ours = await buildSchema({ resolvers: [ProbeResolver], validateFn: validateArgs });
    const [expected, actual] = [await answers(own), await answers(ours)];
    expect(actual).toEqual(expected);
    // The cases do what they are for: valid inputs pass, each invalid one is refused with details.
    expect(actual.map((a) => a.errors.length > 0)).toEqual([false, false, true, true, true, false, false]);
    const refused = actual[2]!.errors[0]!.extensions as { code: string; validationErrors: { property: string }[] };
    expect(refused.code).toBe("BAD_USER_INPUT");
    expect(refused.validationErrors.map((e) => e.property).sort()).toEqual(["email", "message", "name", "phone"]);
  });
});
