// The OpenAPI 3.1 document of /api/v1 (decision 0046), generated from the operations table
// (api-v1.routes.ts) and its zod schemas with zod's own JSON Schema output (draft 2020-12, the
// dialect OpenAPI 3.1 uses): the schemas the API validates with are the ones it publishes. A thin
// builder rather than a generator library: the libraries that wrap zod for OpenAPI want zod's
// full API (methods on schemas), while the shared schemas are zod/mini's.
import * as z from "zod/mini";

import { API_V1_OPERATIONS, API_V1_PREFIX, type ApiOperation } from "./api-v1.routes.ts";
import { apiSchemas } from "./api-v1.schemas.ts";

type JsonSchema = Record<string, unknown>;
const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

/** A schema's JSON Schema: `$ref`s to the named ones, no `$schema` / `$id` (the document sets the dialect). */
function jsonSchema(schema: z.ZodMiniType, io: "input" | "output"): JsonSchema {
  const named = apiSchemas.get(schema);
  if (named) return ref(named.id);
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io,
    unrepresentable: "any",
  }) as JsonSchema;
  return rest;
}

function components(): Record<string, JsonSchema> {
  const all = z.toJSONSchema(apiSchemas, {
    target: "draft-2020-12",
    metadata: apiSchemas,
    io: "input",
    unrepresentable: "any",
    uri: (id) => `#/components/schemas/${id}`,
  }) as { schemas: Record<string, JsonSchema> };
  return Object.fromEntries(
    Object.entries(all.schemas).map(([id, s]) => {
      const { $schema: _dialect, $id: _id, id: _name, ...rest } = s;
      return [id, rest];
    }),
  );
}

const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: ref("Problem") } },
});

function operationObject(op: ApiOperation): JsonSchema {
  const parameters: JsonSchema[] = [];
  if (op.path.includes(":id"))
    parameters.push({
      name: "id",
      in: "path",
      required: true,
      description: "Another workspace's, an unknown or a malformed id answers 404, as GraphQL's NOT_FOUND.",
      schema: { type: "string" },
    });
  for (const [name, schema] of Object.entries(op.query ?? {})) {
    const s = jsonSchema(schema, "input");
    const optional = schema._zod.optin === "optional";
    parameters.push({ name, in: "query", required: !optional, schema: s });
  }
  const responses: JsonSchema = {};
  const success = op.status === 201 ? "Created." : op.status === 204 ? "Done; no content." : "OK.";
  responses[String(op.status)] = op.response
    ? { description: success, content: { "application/json": { schema: jsonSchema(op.response, "output") } } }
    : { description: success };
  responses["400"] = problem("Invalid input (BAD_USER_INPUT); `fields` names each field at fault.");
  responses["401"] = problem(
    "No API key, or one that is invalid, expired or revoked (UNAUTHENTICATED; `reason` says which).",
  );
  responses["403"] = problem(`The key's scopes do not allow this (FORBIDDEN). Needs ${op.scopes.join(", ")}.`);
  if (op.path.includes(":id")) responses["404"] = problem("No such resource in the key's workspace (NOT_FOUND).");
  if (op.conflicts) responses["409"] = problem("A conflict (CONFLICT): a duplicate, or a limit reached.");
  responses["429"] = problem(
    "The key's rate limit (RATE_LIMITED); `Retry-After` and `retryAfterSeconds` say when to retry.",
  );
  return {
    operationId: op.operationId,
    tags: [op.tag],
    summary: op.summary,
    description: `${op.description ? `${op.description}\n\n` : ""}Scope: ${op.scopes.map((s) => `\`${s}\``).join(", ")}.`,
    ...(parameters.length ? { parameters } : {}),
    ...(op.body
      ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(op.body, "input") } } } }
      : {}),
    responses,
    "x-required-scopes": op.scopes,
  };
}

/** The document, as GET /api/v1/openapi.json serves it (and `pnpm emit-openapi` writes it). */
export function openApiDocument(): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const op of API_V1_OPERATIONS) {
    const path = op.path.replace(/:([A-Za-z]+)/g, "{$1}");
    (paths[path] ??= {})[op.method.toLowerCase()] = operationObject(op);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Atrium public API",
      version: "1.0.0",
      description:
        "The public API of an Atrium workspace: leads, contacts, conversations, manual replies and webhook endpoints. Authenticate with an API key of the workspace (`Authorization: Bearer atr_…`); its scopes, rate limit and audit trail are the same as for GraphQL. Lists are pages: pass `pageInfo.nextCursor` as `cursor`. Errors are RFC 9457 problem details whose `code` is GraphQL's `extensions.code`.",
    },
    servers: [{ url: API_V1_PREFIX }],
    security: [{ apiKey: [] }],
    tags: [
      { name: "Leads", description: "Leads and their status." },
      { name: "Contacts", description: "Contacts, deduplicated by e-mail and phone." },
      {
        name: "Conversations",
        description: "Conversations, their transcripts, and manual replies under human takeover.",
      },
      { name: "Webhooks", description: "Outbound webhook endpoints (Standard Webhooks v1)." },
    ],
    paths,
    components: {
      schemas: components(),
      securitySchemes: {
        apiKey: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "atr_<env>_<id>_<secret>",
          description: "An API key of the workspace, created in its settings; its scopes decide what it may do.",
        },
      },
    },
  };
}
