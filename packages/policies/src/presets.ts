/**
 * Named policy sets offered when inviting or editing a member (SPEC M3), modelled on the
 * "typical permission sets" of seeds/002 (Operator / Agent, Supervisor, Workspace Admin) and
 * adapted to Atrium's catalog and roles:
 * - Viewer: every `*.read` policy an agent may hold — read-only access to all workspace data.
 * - Agent: the AGENT role's defaults (SPEC M1).
 * - Operator (issue 47, as seeds/002 describes it): view access (every `*.read` an agent may
 *   hold) plus joining calls, switching modes and sending guidance (conversation.manage),
 *   replying by hand (message.send), and claiming and resolving review items (review.claim).
 * - Supervisor: Operator + assigning conversations, safety rules, contact.manage, lead.manage,
 *   campaign.manage + campaign.run (seeds/002's supervisor, with the audit log among its reads).
 * - Admin: the ADMIN role. Its list is the whole catalog because that is what ADMIN holds
 *   (effectivePolicies ignores an admin's stored list); the UI shows it all ticked.
 *
 * A preset is only a starting point: the stored membership keeps the role and the policy
 * list, not the preset id. Every list is in catalog order.
 */
import {
  isPolicyAllowedForRole,
  POLICY_KEYS,
  ROLE_POLICIES,
  toPolicyKeys,
  type MembershipRole,
  type PolicyKey,
} from "./catalog.ts";

export type PresetId = "viewer" | "agent" | "operator" | "supervisor" | "admin";

export interface PolicyPreset {
  readonly id: PresetId;
  readonly name: string;
  readonly description: string;
  readonly role: MembershipRole;
  readonly policies: readonly PolicyKey[];
}

const viewerPolicies = POLICY_KEYS.filter((key) => key.endsWith(".read") && isPolicyAllowedForRole("AGENT", key));
const agentPolicies = ROLE_POLICIES.AGENT;
const operatorPolicies = toPolicyKeys([...viewerPolicies, "message.send", "conversation.manage", "review.claim"]);
const supervisorPolicies = toPolicyKeys([
  ...operatorPolicies,
  "conversation.assign",
  "safety.manage",
  "contact.manage",
  "lead.manage",
  "campaign.manage",
  "campaign.run",
]);

export const PRESETS: readonly PolicyPreset[] = [
  {
    id: "viewer",
    name: "Viewer",
    description:
      "Read-only access to leads, contacts, conversations, campaigns, phone numbers, webhooks, billing and the audit log.",
    role: "AGENT",
    policies: viewerPolicies,
  },
  {
    id: "agent",
    name: "Agent",
    description: "Reads leads, contacts and conversations, and replies by hand when a conversation is taken over.",
    role: "AGENT",
    policies: toPolicyKeys(agentPolicies),
  },
  {
    id: "operator",
    name: "Operator",
    description:
      "Sees everything an agent may read; takes conversations over and hands them back, replies, guides the agent, joins live calls, and claims and resolves review items.",
    role: "AGENT",
    policies: operatorPolicies,
  },
  {
    id: "supervisor",
    name: "Supervisor",
    description:
      "An operator who also assigns conversations, manages safety rules, keeps leads and contacts up to date, and creates and runs campaigns.",
    role: "AGENT",
    policies: supervisorPolicies,
  },
  {
    id: "admin",
    name: "Admin",
    description: "Everything except deleting the workspace and transferring ownership.",
    role: "ADMIN",
    policies: ROLE_POLICIES.ADMIN,
  },
];

export function findPreset(id: string): PolicyPreset | undefined {
  return PRESETS.find((preset) => preset.id === id);
}
