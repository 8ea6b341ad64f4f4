// What the text rule at the boundary (issue 9, decision 0008) costs per request: the GraphQL walk
// over coerced arguments (argumentTextProblems, run once per operation before any resolver) and
// the REST walk (collectTextProblems) — on the real schema, in-process, no I/O.
//
//   cd bench && pnpm bench:input-boundary        (ITERATIONS=20000 by default)
import os from "node:os";
import { getOperationAST, parse, validate } from "graphql";

// (schema.ts loads reflect-metadata for the resolvers' decorators.)
import { argumentTextProblems } from "../apps/api/src/platform/graphql/argument-text.ts";
import { collectTextProblems } from "../apps/api/src/platform/text-input.ts";
import { getSchema } from "../apps/api/src/schema.ts";
import { intEnv } from "./lib.ts";

const iterations = intEnv("ITERATIONS", 20_000);
const schema = await getSchema();
const uuid = "0b7c6f0e-8f9e-4a57-9b1a-3c2d1e0f9a8b";

const cases: { name: string; query: string; variables: Record<string, unknown> }[] = [
  {
    name: "leads(first, after) — 2 ID/String args",
    query: `query($w: ID!, $a: String) { leads(workspaceId: $w, first: 50, after: $a) { totalCount } }`,
    variables: { w: uuid, a: "eyJjIjoiMjAyNi0wMS0wMSJ9" },
  },
  {
    name: "submitLead — 4-field input, 4000-char message",
    query: `mutation($i: SubmitLeadInput!) { submitLead(input: $i) { id } }`,
    variables: {
      i: { name: "Grace Hopper", email: "grace@example.com", phone: "+14155550100", message: "x".repeat(4000) },
    },
  },
  {
    name: "updateAgentPersona — 20 questions × 300 chars",
    query: `mutation($w: ID!, $i: AgentPersonaInput!) { updateAgentPersona(workspaceId: $w, input: $i) { id } }`,
    variables: {
      w: uuid,
      i: {
        agentName: "Ava",
        agentRole: "Receptionist",
        tone: "FRIENDLY",
        qualificationQuestions: Array.from({ length: 20 }, (_, i) => `${i} ${"q".repeat(296)}?`),
      },
    },
  },
  {
    name: "workspace(slug) — 1 MB string (refused)",
    query: `query($s: String!) { workspace(slug: $s) { id } }`,
    variables: { s: "a".repeat(1_000_000) },
  },
];

function time(fn: () => void): number {
  for (let i = 0; i < Math.min(2_000, iterations); i++) fn(); // warm-up
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn();
  return Number(process.hrtime.bigint() - start) / 1_000 / iterations; // µs per call
}

const cpu = os.cpus()[0]?.model ?? "unknown CPU";
console.log(
  `input-boundary bench — ${iterations} iterations each — ${os.cpus().length}× ${cpu}, load ${os.loadavg()[0]!.toFixed(1)}, Node ${process.version}`,
);
// For scale: graphql-js validation of the same document, which Apollo runs on every request whose
// document is not yet in its cache.
console.log("| case | text rule µs/request | for scale: validate() µs | problems found |");
console.log("|---|---:|---:|---|");
for (const c of cases) {
  const document = parse(c.query);
  const operation = getOperationAST(document)!;
  const found = argumentTextProblems(schema, document, operation, c.variables);
  const us = time(() => argumentTextProblems(schema, document, operation, c.variables));
  const validateUs = time(() => validate(schema, document));
  console.log(
    `| GraphQL ${c.name} | ${us.toFixed(2)} | ${validateUs.toFixed(2)} | ${Object.keys(found).join(", ") || "none"} |`,
  );
}
const formBody = {
  name: "Grace Hopper",
  email: "grace@example.com",
  phone: "+14155550100",
  message: "x".repeat(4000),
  website: "",
};
const restUs = time(() => collectTextProblems({ params: { slug: "acme-co" }, body: formBody }, "", {}));
console.log(`| REST POST /forms/<slug> — 5 body fields + slug | ${restUs.toFixed(2)} | – | none |`);
