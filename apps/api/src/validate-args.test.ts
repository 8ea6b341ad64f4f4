// `validateArgs` (the schema's validateFn) answers exactly as type-graphql's own class-validator
// path with the options the schema used to pass it: same data, same errors and validation details.
import "reflect-metadata";

import { IsEmail, Matches, Max, Min, MinLength, ValidateNested } from "class-validator";
import { graphql, type GraphQLSchema } from "graphql";
import {
  Arg,
  Args,
  ArgsType,
  buildSchema,
  Field,
  getMetadataStorage,
  InputType,
  Int,
  Mutation,
  Query,
  Resolver,
} from "type-graphql";

import { describe, expect, it } from "@atrium/test-kit";

import { SubmitLeadInput } from "./modules/leads/leads.types.ts";
import { validateArgs } from "./platform/graphql/validate-args.ts";
import { resolvers } from "./schema.ts";

// Probes for each option of the default path: a field two rules refuse (stopAtFirstError), a
// field left out (skipMissingProperties), a class without any rule (forbidUnknownValues), nested
// inputs and lists of them, and an @Args() class.
@InputType()
class ProbeCode {
  @Field(() => String) @MinLength(3) @Matches(/^[a-z]+$/) code!: string;
}
@InputType()
class ProbeInput {
  @Field(() => String, { nullable: true }) @MinLength(4) @IsEmail() twice?: string | null;
  @Field(() => String, { nullable: true }) @MinLength(2) missing?: string | null;
  @Field(() => ProbeCode, { nullable: true }) @ValidateNested() nested?: ProbeCode | null;
  @Field(() => [ProbeCode], { nullable: true }) @ValidateNested({ each: true }) list?: ProbeCode[] | null;
}
@InputType()
class ProbeBare {
  @Field(() => String) note!: string;
}
@ArgsType()
class ProbePage {
  @Field(() => Int) @Min(1) @Max(50) first!: number;
}

@Resolver()
class ProbeResolver {
  @Query(() => String)
  ping(): string {
    return "pong";
  }

  @Mutation(() => String)
  one(
    @Arg("input", () => SubmitLeadInput) input: SubmitLeadInput,
    @Arg("note", () => String, { nullable: true }) note: string | null,
  ): string {
    return `${input.name}|${input.email ?? ""}|${note ?? ""}`;
  }

  @Mutation(() => String)
  probe(
    @Arg("input", () => ProbeInput) input: ProbeInput,
    @Arg("bare", () => ProbeBare, { nullable: true }) bare: ProbeBare | null,
  ): string {
    return `${input.twice ?? ""}|${bare?.note ?? ""}`;
  }

  @Query(() => Int)
  paged(@Args(() => ProbePage) { first }: ProbePage): number {
    return first;
  }

  @Mutation(() => Number)
  many(@Arg("inputs", () => [SubmitLeadInput]) inputs: SubmitLeadInput[]): number {
    return inputs.length;
  }
}

const documents: [string, Record<string, unknown>][] = [
  ["mutation($i: SubmitLeadInput!) { one(input: $i) }", { i: { name: "Ada", email: "ada@example.com" } }],
  ['mutation($i: SubmitLeadInput!) { one(input: $i, note: "hi") }', { i: { name: "Ada" } }],
  [
    "mutation($i: SubmitLeadInput!) { one(input: $i) }",
    { i: { name: "", email: "x".repeat(400), phone: "1".repeat(200), message: "m".repeat(20_000) } },
  ],
  ["mutation($i: SubmitLeadInput!) { one(input: $i) }", { i: { name: "   " } }],
  [
    "mutation($is: [SubmitLeadInput!]!) { many(inputs: $is) }",
    { is: [{ name: "Ada" }, { name: "" }, { name: "Grace", email: "y".repeat(400) }] },
  ],
  ["mutation($is: [SubmitLeadInput!]!) { many(inputs: $is) }", { is: [{ name: "Ada" }, { name: "Grace" }] }],
  ["mutation($is: [SubmitLeadInput!]!) { many(inputs: $is) }", { is: [] }],
  ["mutation($i: ProbeInput!) { probe(input: $i) }", { i: { twice: "ada@example.com" } }],
  ["mutation($i: ProbeInput!) { probe(input: $i) }", { i: { twice: "a" } }],
  ["mutation($i: ProbeInput!) { probe(input: $i) }", { i: {} }],
  ["mutation($i: ProbeInput!) { probe(input: $i) }", { i: { nested: { code: "A1" } } }],
  ["mutation($i: ProbeInput!) { probe(input: $i) }", { i: { list: [{ code: "abc" }, { code: "X" }] } }],
  ["mutation($i: ProbeInput!, $b: ProbeBare) { probe(input: $i, bare: $b) }", { i: {}, b: { note: "bare" } }],
  ["query { paged(first: 0) }", {}],
  ["query { paged(first: 10) }", {}],
];

async function answers(schema: GraphQLSchema) {
  const out = [];
  for (const [source, variableValues] of documents) {
    const r = await graphql({ schema, source, variableValues });
    out.push({
      data: r.data ?? null,
      errors:
        r.errors?.map((e) => ({
          message: e.message,
          path: e.path,
          extensions: JSON.parse(JSON.stringify(e.extensions)) as unknown,
        })) ?? [],
    });
  }
  return out;
}

describe("validateArgs", () => {
  it("gives the answers type-graphql's own validation gave, errors and their details included", async () => {
    const own = await buildSchema({
      resolvers: [ProbeResolver],
      validate: { forbidUnknownValues: false, stopAtFirstError: false },
    });
    const ours = await buildSchema({ resolvers: [ProbeResolver], validateFn: validateArgs });
    const [expected, actual] = [await answers(own), await answers(ours)];
    expect(actual).toEqual(expected);
    // The cases do what they are for: valid inputs pass, each invalid one is refused with details.
    expect(actual.map((a) => a.errors.length > 0)).toEqual([
      false,
      false,
      true,
      true,
      true,
      false,
      false,
      false,
      true,
      false,
      true,
      true,
      false,
      true,
      false,
    ]);
    const refused = actual[2]!.errors[0]!.extensions as { code: string; validationErrors: { property: string }[] };
    expect(refused.code).toBe("BAD_USER_INPUT");
    expect(refused.validationErrors.map((e) => e.property).sort()).toEqual(["email", "message", "name", "phone"]);
    // Both rules that refuse "a" are reported (stopAtFirstError off).
    const twice = actual[8]!.errors[0]!.extensions as {
      validationErrors: { property: string; constraints: Record<string, string> }[];
    };
    expect(Object.keys(twice.validationErrors[0]!.constraints).sort()).toEqual(["isEmail", "minLength"]);
  });

  it("is not overridden by any argument's own validate setting (a global validateFn would ignore it)", () => {
    expect(resolvers.length).toBeGreaterThan(0);
    const own = getMetadataStorage().params.filter(
      (p) =>
        ("validateSettings" in p && p.validateSettings !== undefined) ||
        ("validateFn" in p && p.validateFn !== undefined),
    );
    expect(own.map((p) => `${p.target.name}.${p.methodName}#${p.index}`)).toEqual([]);
  });
});
