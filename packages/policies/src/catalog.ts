/**
 * The policy catalog (SPEC M2): the one list of fine-grained workspace permissions that the
 * API, the web app and the docs all read. A policy is a stable string stored on memberships,
 * invitations and API-key scopes, so keys are never renamed — add new ones instead.
 *
 * Invariants (asserted in catalog.test.ts):
 * - keys are unique and shaped `<area>.<verb>` (`/^[a-z_]+\.[a-z_]+$/`);
 * - every key has a human description (shown in the UI and docs) and a group;
 * - the array order is the canonical order: every list of policies this package returns
 *   follows it, so stored and displayed policy lists are deterministic.
 */

export type MembershipRole = "OWNER" | "ADMIN" | "AGENT";

/** Highest to lowest privilege; mirrors the `membership_role` database enum. */
export const MEMBERSHIP_ROLES = ["OWNER", "ADMIN", "AGENT"] as const satisfies readonly MembershipRole[];

export function isMembershipRole(value: string): value is MembershipRole {
  return (MEMBERSHIP_ROLES as readonly string[]).includes(value);
}

/** UI sections of the policy picker, in display order. */
export const POLICY_GROUPS = [
  "Workspace",
  "Leads and contacts",
  "Conversations",
  "Review and safety",
  "Campaigns",
  "Phone numbers",
  "Webhooks",
  "Billing",
  "Audit",
  "Privacy",
] as const;

export type PolicyGroup = (typeof POLICY_GROUPS)[number];

export const POLICY_CATALOG = [
  {
    key: "workspace.settings",
    description: "Edit the workspace name, slug, description, agent status, persona, environment and data retention.",
    group: "Workspace",
  },
  {
    key: "workspace.members",
    description: "Invite, edit and remove members and manage pending invitations.",
    group: "Workspace",
  },
  {
    key: "integration.manage",
    description: "Add, replace and remove integration credentials such as Twilio, Vapi, Cal.com and OpenAI.",
    group: "Workspace",
  },
  {
    key: "apikey.manage",
    description: "Create, list and revoke API keys for this workspace.",
    group: "Workspace",
  },
  { key: "lead.read", description: "View leads.", group: "Leads and contacts" },
  { key: "lead.manage", description: "Create, edit and delete leads.", group: "Leads and contacts" },
  { key: "contact.read", description: "View contacts.", group: "Leads and contacts" },
  { key: "contact.manage", description: "Create, edit and delete contacts.", group: "Leads and contacts" },
  {
    key: "conversation.read",
    description: "View conversations and their messages.",
    group: "Conversations",
  },
  {
    key: "message.send",
    description: "Send manual replies in conversations that are under human takeover.",
    group: "Conversations",
  },
  {
    key: "conversation.assign",
    description: "Assign conversations to members (and unassign them).",
    group: "Conversations",
  },
  {
    key: "conversation.manage",
    description:
      "Take conversations over from the AI agent and hand them back, close and reopen them, send guidance to the agent, and join live calls.",
    group: "Conversations",
  },
  { key: "review.read", description: "View the review queue.", group: "Review and safety" },
  { key: "review.claim", description: "Claim review queue items and resolve them.", group: "Review and safety" },
  {
    key: "safety.manage",
    description: "Create, edit and delete the workspace's safety rules.",
    group: "Review and safety",
  },
  { key: "campaign.read", description: "View campaigns.", group: "Campaigns" },
  { key: "campaign.manage", description: "Create, edit and delete campaigns.", group: "Campaigns" },
  { key: "campaign.run", description: "Run campaigns, sending their messages or calls.", group: "Campaigns" },
  { key: "phone_config.read", description: "View phone numbers and phone configurations.", group: "Phone numbers" },
  {
    key: "phone_config.manage",
    description: "Create, edit and delete phone numbers and phone configurations.",
    group: "Phone numbers",
  },
  { key: "webhook.read", description: "View outbound webhooks and their delivery log.", group: "Webhooks" },
  { key: "webhook.manage", description: "Create, edit and delete outbound webhooks.", group: "Webhooks" },
  { key: "billing.read", description: "View the billing plan and usage.", group: "Billing" },
  { key: "billing.manage", description: "Change the billing plan and manage subscriptions.", group: "Billing" },
  { key: "audit.read", description: "View the workspace audit log.", group: "Audit" },
  {
    key: "privacy.manage",
    description: "Export or erase everything the workspace holds about one person (data-subject requests).",
    group: "Privacy",
  },
] as const satisfies readonly PolicyDescriptor[];

export interface PolicyDescriptor {
  readonly key: string;
  readonly description: string;
  readonly group: PolicyGroup;
}

export type PolicyKey = (typeof POLICY_CATALOG)[number]["key"];

export const POLICY_KEYS: readonly PolicyKey[] = POLICY_CATALOG.map((policy) => policy.key);

const POLICY_KEY_SET: ReadonlySet<string> = new Set(POLICY_KEYS);

export function isPolicyKey(value: string): value is PolicyKey {
  return POLICY_KEY_SET.has(value);
}

/** The catalog entry of a key, for UIs that show descriptions beside stored policies. */
export function describePolicy(key: PolicyKey): (typeof POLICY_CATALOG)[number] {
  const policy = POLICY_CATALOG.find((entry) => entry.key === key);
  // Unreachable for a PolicyKey; kept as a guard against a catalog edit that breaks the type.
  if (policy === undefined) throw new Error(`Policy ${key} is not in the catalog`);
  return policy;
}

/**
 * Keeps the catalog keys among `values`, without duplicates, in catalog order. Unknown
 * strings are dropped (fail closed: a policy this build does not know grants nothing).
 */
export function toPolicyKeys(values: readonly string[]): PolicyKey[] {
  const wanted = new Set(values);
  return POLICY_KEYS.filter((key) => wanted.has(key));
}

/**
 * Policies an AGENT never holds, whatever its stored policy list says (SPEC M1: "never
 * settings, integrations or API keys"). Stripped in `effectivePolicies`, so a stale or
 * hand-edited membership row cannot smuggle them in.
 */
export const AGENT_FORBIDDEN_POLICIES = [
  "workspace.settings",
  "integration.manage",
  "apikey.manage",
] as const satisfies readonly PolicyKey[];

const AGENT_FORBIDDEN_SET: ReadonlySet<PolicyKey> = new Set(AGENT_FORBIDDEN_POLICIES);

/** Policies a member of a role may hold at all. */
export function isPolicyAllowedForRole(role: MembershipRole, key: PolicyKey): boolean {
  return role !== "AGENT" || !AGENT_FORBIDDEN_SET.has(key);
}

/**
 * What each role holds. OWNER and ADMIN hold every policy whatever is stored on their
 * membership; AGENT's list is the default offered when inviting an agent (SPEC M1: read
 * leads, contacts and conversations, and send manual replies during human takeover).
 * The owner's extra powers (delete the workspace, transfer ownership) are not policies;
 * see OWNER_ONLY_GRANTS in ability.ts.
 */
export const ROLE_POLICIES: Readonly<Record<MembershipRole, readonly PolicyKey[]>> = {
  OWNER: POLICY_KEYS,
  ADMIN: POLICY_KEYS,
  // Issue 47: taking over (conversation.manage) was part of message.send before; agents keep it.
  AGENT: ["lead.read", "contact.read", "conversation.read", "message.send", "conversation.manage"],
};

/**
 * The policies a membership actually confers, in catalog order.
 * - OWNER / ADMIN: every policy (stored policies are ignored).
 * - AGENT: stored ∩ catalog, minus AGENT_FORBIDDEN_POLICIES. Unknown strings are ignored.
 * - Any other role string (e.g. a database enum value this build does not know): nothing.
 */
export function effectivePolicies(role: MembershipRole, storedPolicies: readonly string[]): PolicyKey[] {
  switch (role) {
    case "OWNER":
    case "ADMIN":
      return [...POLICY_KEYS];
    case "AGENT":
      return toPolicyKeys(storedPolicies).filter((key) => !AGENT_FORBIDDEN_SET.has(key));
    default:
      // Reachable only when an unchecked string reaches us at runtime: fail closed.
      return [];
  }
}
