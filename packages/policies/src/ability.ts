/**
 * Policies → CASL abilities. The API builds one ability per request (in the GraphQL context)
 * and checks `[action, subject]` twice: on the resolver field with the subject type, and in
 * the service on the concrete row via `subject("Lead", row)`. The web app receives the same
 * rules packed (`packAbility` / `unpackAbility`) and hides what the API would refuse.
 *
 * Invariants:
 * - Every rule carries `{ workspaceId }`: a row of another workspace, or a row without a
 *   `workspaceId`, never matches. (A check on a bare subject type such as `can("read",
 *   "Lead")` ignores conditions, as CASL always does; that is the resolver-level guard.)
 * - Only allow-rules are emitted; anything not granted is denied (fail closed).
 * - CASL's wildcard action `manage` is never granted. In CASL, `manage` matches every action,
 *   including `send`, `run`, `transfer` and any verb added later, so a `*.manage` policy is
 *   spelled out as read/create/update/delete instead. Consequently `can("manage", X)` is false
 *   for everyone: guards must name the concrete action.
 * - The subject `all` is never granted either.
 */
import {
  createMongoAbility,
  type ForcedSubject,
  type MongoAbility,
  type MongoQuery,
  type RawRuleOf,
} from "@casl/ability";
import { packRules, unpackRules, type PackRule } from "@casl/ability/extra";

import {
  effectivePolicies,
  isMembershipRole,
  isPolicyAllowedForRole,
  isPolicyKey,
  type MembershipRole,
  type PolicyKey,
} from "./catalog.ts";

export const ACTIONS = [
  "read",
  "create",
  "update",
  "delete",
  "manage",
  "send",
  "run",
  "transfer",
  "assign",
  "claim",
] as const;
export type Action = (typeof ACTIONS)[number];

export const SUBJECTS = [
  "Workspace",
  "Member",
  "Invitation",
  "ApiKey",
  "Integration",
  "Lead",
  "Contact",
  "Conversation",
  "Message",
  "Campaign",
  "PhoneConfig",
  "Webhook",
  "Billing",
  "AuditEvent",
  "ReviewItem",
  "SafetyRule",
  "SingleSignOn",
  "DataSubjectRequest",
  "all",
] as const;
export type Subject = (typeof SUBJECTS)[number];

/** A subject type that rules can name: everything but CASL's `all` wildcard. */
export type SubjectName = Exclude<Subject, "all">;

/** A row tagged with its subject type, as produced by CASL's `subject("Lead", row)`. */
export type ForcedSubjectRecord = ForcedSubject<SubjectName>;

export type AppAbility = MongoAbility<[Action, Subject | ForcedSubjectRecord]>;

type AppRawRule = RawRuleOf<AppAbility>;

/**
 * Extra conditions a grant puts on the row, on top of `{ workspaceId }`. They are matched
 * against the instance the service passes to `can`, so the field must exist on that row.
 */
export type GrantConditions = Readonly<Record<string, string | number | boolean>>;

export interface PolicyGrant {
  readonly action: Exclude<Action, "manage">;
  readonly subject: SubjectName;
  readonly conditions?: GrantConditions;
}

const crud = (subject: SubjectName): PolicyGrant[] => [
  { action: "read", subject },
  { action: "create", subject },
  { action: "update", subject },
  { action: "delete", subject },
];

/**
 * What each policy allows. `*.manage` includes `read` (nobody edits what they cannot see).
 *
 * `message.send` is modelled on the conversation, not the message: the rule is
 * `send Conversation { workspaceId, humanTakeover: true }`. The service loads the conversation
 * and checks `can("send", subject("Conversation", conversation))`, so a reply outside human
 * takeover is refused by the ability itself rather than by a separate `if`. It deliberately
 * does not include `read Conversation` (that is `conversation.read`).
 */
export const POLICY_GRANTS: Readonly<Record<PolicyKey, readonly PolicyGrant[]>> = {
  "workspace.settings": [{ action: "update", subject: "Workspace" }],
  "workspace.members": [...crud("Member"), ...crud("Invitation")],
  "integration.manage": crud("Integration"),
  "apikey.manage": crud("ApiKey"),
  "lead.read": [{ action: "read", subject: "Lead" }],
  "lead.manage": crud("Lead"),
  "contact.read": [{ action: "read", subject: "Contact" }],
  "contact.manage": crud("Contact"),
  "conversation.read": [
    { action: "read", subject: "Conversation" },
    { action: "read", subject: "Message" },
  ],
  // Issue 47: replying by hand no longer includes taking over (that is conversation.manage).
  "message.send": [{ action: "send", subject: "Conversation", conditions: { humanTakeover: true } }],
  "conversation.assign": [
    { action: "read", subject: "Conversation" },
    { action: "assign", subject: "Conversation" },
  ],
  "conversation.manage": [
    { action: "read", subject: "Conversation" },
    { action: "update", subject: "Conversation" },
  ],
  "review.read": [{ action: "read", subject: "ReviewItem" }],
  "review.claim": [
    { action: "read", subject: "ReviewItem" },
    { action: "claim", subject: "ReviewItem" },
  ],
  "safety.manage": crud("SafetyRule"),
  "campaign.read": [{ action: "read", subject: "Campaign" }],
  "campaign.manage": crud("Campaign"),
  "campaign.run": [
    { action: "read", subject: "Campaign" },
    { action: "run", subject: "Campaign" },
  ],
  "phone_config.read": [{ action: "read", subject: "PhoneConfig" }],
  "phone_config.manage": crud("PhoneConfig"),
  "webhook.read": [{ action: "read", subject: "Webhook" }],
  "webhook.manage": crud("Webhook"),
  "billing.read": [{ action: "read", subject: "Billing" }],
  "billing.manage": crud("Billing"),
  "audit.read": [{ action: "read", subject: "AuditEvent" }],
  // Issue 50: export and erasure of one person's data (owners and admins hold it by role).
  "privacy.manage": [
    { action: "read", subject: "DataSubjectRequest" },
    { action: "create", subject: "DataSubjectRequest" },
  ],
};

/** Every member of a workspace sees the workspace and who else is in it, whatever its policies. */
export const MEMBER_BASELINE_GRANTS: readonly PolicyGrant[] = [
  { action: "read", subject: "Workspace" },
  { action: "read", subject: "Member" },
];

/**
 * An API key is bound to one workspace and may always read that workspace's record; listing
 * members (emails) needs the `workspace.members` scope.
 */
export const API_KEY_BASELINE_GRANTS: readonly PolicyGrant[] = [{ action: "read", subject: "Workspace" }];

/** Powers of the OWNER role that are not policies: admins and API keys never get them (SPEC M1, W9, M6). */
export const OWNER_ONLY_GRANTS: readonly PolicyGrant[] = [
  { action: "delete", subject: "Workspace" },
  { action: "transfer", subject: "Workspace" },
  // Single sign-on (issue 49): who may sign in to the workspace, and how, is the owner's call.
  { action: "read", subject: "SingleSignOn" },
  { action: "update", subject: "SingleSignOn" },
];

/**
 * Turns grants into CASL rules, one rule per (subject, conditions) with its actions merged,
 * deduplicated and in a fixed order (SUBJECTS, then ACTIONS), so the same input always
 * packs to the same string.
 */
function rulesFromGrants(workspaceId: string, grants: readonly PolicyGrant[]): AppRawRule[] {
  if (workspaceId === "") throw new Error("An ability needs the id of the workspace it is scoped to");
  const byTarget = new Map<string, { subject: SubjectName; conditions: GrantConditions; actions: Set<Action> }>();
  for (const grant of grants) {
    const conditions = grant.conditions ?? {};
    const id = `${grant.subject}\u0000${JSON.stringify(Object.entries(conditions).sort(([a], [b]) => a.localeCompare(b)))}`;
    const target = byTarget.get(id) ?? { subject: grant.subject, conditions, actions: new Set<Action>() };
    target.actions.add(grant.action);
    byTarget.set(id, target);
  }
  return [...byTarget.entries()]
    .sort(([idA, a], [idB, b]) => SUBJECTS.indexOf(a.subject) - SUBJECTS.indexOf(b.subject) || idA.localeCompare(idB))
    .map(([, target]) => ({
      action: ACTIONS.filter((action) => target.actions.has(action)),
      subject: target.subject,
      // `workspaceId` last so a grant's own conditions can never override the tenant.
      conditions: { ...target.conditions, workspaceId } satisfies MongoQuery,
    }));
}

function grantsOf(policies: readonly PolicyKey[]): PolicyGrant[] {
  return policies.flatMap((key) => POLICY_GRANTS[key]);
}

export interface MemberAbilityInput {
  readonly workspaceId: string;
  readonly role: MembershipRole;
  /** The membership's stored policies; unknown strings are ignored. */
  readonly policies: readonly string[];
}

/** The ability of a workspace member, scoped to that workspace. */
export function defineAbilityFor(input: MemberAbilityInput): AppAbility {
  const grants = [
    ...MEMBER_BASELINE_GRANTS,
    ...grantsOf(effectivePolicies(input.role, input.policies)),
    ...(input.role === "OWNER" ? OWNER_ONLY_GRANTS : []),
  ];
  return createMongoAbility<AppAbility>(rulesFromGrants(input.workspaceId, grants));
}

export interface ApiKeyAbilityInput {
  readonly workspaceId: string;
  /** The creator's current membership: a creator who loses a policy takes it from the key (SPEC A1). */
  readonly creatorRole: MembershipRole;
  readonly creatorPolicies: readonly string[];
  readonly scopes: readonly string[];
}

/**
 * The ability of an API key: its scopes ∩ its creator's current effective policies, never
 * the owner-only powers and never the member baseline (only `read Workspace`). A creator
 * who is no longer a member should get no key ability at all: the caller must not build one.
 */
export function defineAbilityForApiKey(input: ApiKeyAbilityInput): AppAbility {
  const scopes = new Set(input.scopes);
  const policies = effectivePolicies(input.creatorRole, input.creatorPolicies).filter((key) => scopes.has(key));
  const grants = [...API_KEY_BASELINE_GRANTS, ...grantsOf(policies)];
  return createMongoAbility<AppAbility>(rulesFromGrants(input.workspaceId, grants));
}

/** Serialises an ability's rules (CASL's compact packed form) for the web app. */
export function packAbility(ability: AppAbility): string {
  return JSON.stringify(packRules(ability.rules));
}

const ACTION_SET: ReadonlySet<string> = new Set(ACTIONS);
const SUBJECT_SET: ReadonlySet<string> = new Set(SUBJECTS);

function isPackedRule(value: unknown): value is PackRule<AppRawRule> {
  if (!Array.isArray(value) || value.length < 2 || value.length > 6) return false;
  const [actions, subjects, conditions] = value as unknown[];
  return (
    typeof actions === "string" &&
    typeof subjects === "string" &&
    actions.split(",").every((action) => ACTION_SET.has(action)) &&
    subjects.split(",").every((name) => SUBJECT_SET.has(name)) &&
    (conditions === undefined || conditions === 0 || (typeof conditions === "object" && conditions !== null))
  );
}

/**
 * Rebuilds the ability `packAbility` produced. Throws on anything that is not a list of
 * packed rules over known actions and subjects, rather than guessing at a partial ability.
 */
export function unpackAbility(packed: string): AppAbility {
  const parsed: unknown = JSON.parse(packed);
  if (!Array.isArray(parsed) || !parsed.every(isPackedRule)) {
    throw new Error("Not a packed Atrium ability");
  }
  return createMongoAbility<AppAbility>(unpackRules<AppRawRule>(parsed));
}

export interface RoleAssignment {
  readonly role: MembershipRole;
  readonly policies: readonly string[];
}

/**
 * Whether `grantor` may give a member the role and policies of `target` (SPEC M7, no
 * escalation). True only when all hold:
 * - the grantor holds `workspace.members`;
 * - only an OWNER assigns the OWNER role (an admin cannot create owners);
 * - every policy the target would hold is one the grantor holds. For an ADMIN target that is
 *   the whole catalog, so an agent with `workspace.members` cannot make admins;
 * - every stored target policy is a catalog key the target's role may hold (an agent is
 *   never given settings, integrations or API keys, even as a dead entry).
 *
 * To change an existing member, check both their current and their new assignment (see
 * `canChangeMember`): that is what stops anyone but an owner from changing an owner.
 */
export function canGrant(grantor: RoleAssignment, target: RoleAssignment): boolean {
  if (!isMembershipRole(grantor.role) || !isMembershipRole(target.role)) return false;
  const held = new Set(effectivePolicies(grantor.role, grantor.policies));
  if (!held.has("workspace.members")) return false;
  if (target.role === "OWNER" && grantor.role !== "OWNER") return false;
  const storedOk = target.policies.every((value) => isPolicyKey(value) && isPolicyAllowedForRole(target.role, value));
  if (!storedOk) return false;
  return effectivePolicies(target.role, target.policies).every((key) => held.has(key));
}

/** Whether `grantor` may move a member from `current` to `next` (role and policies). */
export function canChangeMember(grantor: RoleAssignment, current: RoleAssignment, next: RoleAssignment): boolean {
  return canGrant(grantor, current) && canGrant(grantor, next);
}
