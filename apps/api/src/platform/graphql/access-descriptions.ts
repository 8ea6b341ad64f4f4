// Every root operation's description ends with who may call it, written from the `auth` extension
// its guard declares (platform/authz/guards.ts) and the policy catalog: the schema states the
// permission the code enforces, so the two cannot drift (decision 0049).
import type { GraphQLSchema } from "graphql";

import {
  API_KEY_BASELINE_GRANTS,
  isAction,
  isSubjectName,
  MEMBER_BASELINE_GRANTS,
  OWNER_ONLY_GRANTS,
  policiesGranting,
  type PolicyGrant,
} from "@atrium/policies";

const ROOT_DESCRIPTIONS = {
  Query:
    "Reads. Each operation's description ends with what it requires (owners and admins hold every policy); a workspace the caller cannot see answers NOT_FOUND.",
  Mutation:
    "Changes. Each operation's description ends with what it requires (owners and admins hold every policy); a workspace the caller cannot see answers NOT_FOUND.",
  Subscription:
    "Live updates, over WebSocket at /graphql (graphql-ws) only. Each operation's description ends with what it requires.",
} as const;

const includes = (grants: readonly PolicyGrant[], action: string, subject: string) =>
  grants.some((g) => g.action === action && g.subject === subject);
const orList = (items: readonly string[]) =>
  items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;

/** The sentence for one guard's `auth` extension (and `principal: "user"`: refused to API keys). */
export function accessSentence(auth: string, principal?: unknown): string {
  if (auth === "public") return "Requires nothing: public.";
  if (auth === "authenticated") return "Requires a signed-in user.";
  if (auth === "platform-admin") return "Requires a platform administrator.";
  const apiKeyOnly = auth.startsWith("api-key ");
  const required = auth.replace(/^api-key /, "");
  const [action = "", subject = ""] = required.split(":");
  if (!isAction(action) || !isSubjectName(subject)) throw new Error(`Unknown auth extension "${auth}"`);
  const policies = orList(policiesGranting(action, subject).map((key) => `“${key}”`));
  const signedInOnly = principal === "user";
  if (apiKeyOnly) return `Requires ${required}: an API key with the scope ${policies} (API keys only).`;
  if (includes(OWNER_ONLY_GRANTS, action, subject))
    return `Requires ${required}: the workspace's owner, signed in (never an API key).`;
  if (includes(MEMBER_BASELINE_GRANTS, action, subject)) {
    const keys = signedInOnly
      ? "never an API key"
      : includes(API_KEY_BASELINE_GRANTS, action, subject)
        ? "or any of its API keys"
        : `API keys need the scope ${policies}`;
    return `Requires ${required}: any member of the workspace; ${keys}.`;
  }
  return `Requires ${required}: the policy ${policies}, ${signedInOnly ? "signed-in members only (never an API key)" : "held by the member or the API key"}.`;
}

/** Describes the root types and appends each root field's access sentence, in place. */
export function describeAccess(schema: GraphQLSchema): GraphQLSchema {
  for (const type of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    if (!type) continue;
    type.description = ROOT_DESCRIPTIONS[type.name as keyof typeof ROOT_DESCRIPTIONS];
    for (const field of Object.values(type.getFields())) {
      const { auth, principal } = field.extensions as { auth?: unknown; principal?: unknown };
      if (typeof auth !== "string") continue; // schema-contract.test.ts fails on a field without a guard.
      const sentence = accessSentence(auth, principal);
      field.description = field.description ? `${field.description.trim()} ${sentence}` : sentence;
    }
  }
  return schema;
}
