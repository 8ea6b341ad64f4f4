// "Why can't I?" in sentences a person reads as an answer (issue 56, item 12): who, what, where,
// why not, and whom to ask — "You can't delete contacts in Acme: your role Agent doesn't include
// contact.manage (create, edit and delete contacts). Ask an owner or admin (Jane Doe) to give it
// to you." — instead of a dump of the policy model.
//
// Invariant: `allowed` is @atrium/policies' `explainAccess` decision, which its own tests hold
// equal to the ability factory's for every role, policy, action and subject; this file only
// words it, from the same grants. It never decides.
import {
  AGENT_FORBIDDEN_POLICIES,
  API_KEY_BASELINE_GRANTS,
  describeConditions,
  describePolicy,
  effectivePolicies,
  explainAccess,
  MEMBER_BASELINE_GRANTS,
  OWNER_ONLY_GRANTS,
  policiesGranting,
  POLICY_GRANTS,
  toPolicyKeys,
  type AccessExplanation,
  type Action,
  type ExplainPrincipal,
  type MembershipRole,
  type PolicyGrant,
  type PolicyKey,
  type SubjectName,
} from "@atrium/policies";

/** Where the question is asked: the workspace's name and who can change a member's access. */
export interface ExplainPlace {
  readonly workspaceName: string;
  /** The workspace's owners and admins (display names), owners first. */
  readonly grantors: readonly { readonly name: string; readonly role: MembershipRole }[];
}

/** The caller (`name` unset) or another member (`name` set), or an API key. */
export type ExplainWho = ExplainPrincipal;

const SUBJECT_WORDS: Readonly<Record<SubjectName, string>> = {
  Workspace: "the workspace",
  Member: "members",
  Invitation: "invitations",
  ApiKey: "API keys",
  Integration: "integrations",
  Lead: "leads",
  Contact: "contacts",
  Conversation: "conversations",
  Message: "messages",
  Campaign: "campaigns",
  PhoneConfig: "phone numbers",
  Webhook: "webhooks",
  Billing: "billing",
  AuditEvent: "the audit log",
  ReviewItem: "review items",
  SafetyRule: "safety rules",
  SingleSignOn: "single sign-on",
  DataSubjectRequest: "data-subject requests",
};

const ACTION_WORDS: Readonly<Record<Exclude<Action, "manage">, string>> = {
  read: "see",
  create: "create",
  update: "change",
  delete: "delete",
  send: "send",
  run: "run",
  transfer: "transfer",
  assign: "assign",
  claim: "claim",
};

/** Pairs people name differently from "<verb> <things>"; `{ws}` is the workspace's name. */
const PHRASES: Readonly<Partial<Record<`${Action} ${SubjectName}`, string>>> = {
  "read Workspace": "see {ws}",
  "update Workspace": "change the settings of {ws}",
  "delete Workspace": "delete {ws}",
  "transfer Workspace": "transfer the ownership of {ws}",
  "read SingleSignOn": "see the single sign-on settings of {ws}",
  "update SingleSignOn": "change the single sign-on settings of {ws}",
  "create Invitation": "invite people to {ws}",
  "update Member": "change members' roles and policies in {ws}",
  "delete Member": "remove members from {ws}",
  "send Conversation": "reply by hand in conversations in {ws}",
  "update Conversation": "take over, hand back, close or guide conversations in {ws}",
  "read AuditEvent": "read the audit log of {ws}",
  "read Billing": "see the plan and usage of {ws}",
  "update Billing": "change the plan of {ws}",
};

const ROLE_NAMES: Readonly<Record<MembershipRole, string>> = { OWNER: "Owner", ADMIN: "Admin", AGENT: "Agent" };

/** "reply by hand in conversations in Acme" */
export function doingPhrase(action: Action, subject: SubjectName, workspaceName: string): string {
  const phrase = PHRASES[`${action} ${subject}`];
  if (phrase) return phrase.replace("{ws}", workspaceName);
  const verb = action === "manage" ? "manage" : ACTION_WORDS[action];
  return `${verb} ${SUBJECT_WORDS[subject]} in ${workspaceName}`;
}

const grantsOf = (list: readonly PolicyGrant[], action: Action, subject: SubjectName) =>
  list.filter((g) => g.action === action && g.subject === subject);

/** "lead.manage (create, edit and delete leads)" */
function policyWithMeaning(key: PolicyKey): string {
  const description = describePolicy(key).description.replace(/\.$/, "");
  return `${key} (${description.charAt(0).toLowerCase()}${description.slice(1)})`;
}

function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} or ${items.at(-1)!}`;
}

/** "Jane Doe", "Jane Doe, Sam Lee and 2 others" — at most three names. */
function names(people: readonly { name: string }[]): string {
  const shown = people.slice(0, 3).map((p) => p.name);
  const more = people.length - shown.length;
  if (more > 0) return `${shown.join(", ")} and ${more} other${more === 1 ? "" : "s"}`;
  if (shown.length <= 1) return shown.join("");
  return `${shown.slice(0, -1).join(", ")} and ${shown.at(-1)!}`;
}

/** "an owner or admin (Jane Doe)", or without names when none is known. */
function askWhom(place: ExplainPlace, except?: string): string {
  const people = place.grantors.filter((p) => p.name !== except);
  return people.length > 0 ? `an owner or admin (${names(people)})` : "an owner or admin";
}

/** ", only on a conversation under human takeover (the agent is not replying)" for a conditional grant. */
function conditionOf(key: PolicyKey, action: Action, subject: SubjectName): string {
  const words = describeConditions(grantsOf(POLICY_GRANTS[key], action, subject)[0]?.conditions);
  return words ? `, ${words}` : "";
}

function memberReasons(
  who: Extract<ExplainWho, { kind: "member" }>,
  action: Action,
  subject: SubjectName,
  place: ExplainPlace,
  allowed: boolean,
): string[] {
  const self = who.name === undefined;
  const person = who.name ?? "You";
  const their = self ? "your" : "their";
  const doing = doingPhrase(action, subject, place.workspaceName);
  const role = `${their} role ${ROLE_NAMES[who.role]}`;
  const roleIs = `${their} role is ${ROLE_NAMES[who.role]}`;

  if (action === "manage")
    return [
      "“manage” is not something anyone is given: ask about a concrete action, such as read, create, update or delete.",
    ];
  if (grantsOf(MEMBER_BASELINE_GRANTS, action, subject).length > 0)
    return [`${person} can ${doing}: every member of a workspace can.`];
  if (grantsOf(OWNER_ONLY_GRANTS, action, subject).length > 0) {
    if (allowed)
      return [`${person} can ${doing}: only its owner can, and ${self ? "you are" : `${who.name} is`} the owner.`];
    const owners = place.grantors.filter((p) => p.role === "OWNER" && p.name !== who.name);
    const owner = owners.length > 0 ? `the owner (${names(owners)})` : "the owner";
    return [
      `${person} can't ${doing}: only its owner can, and ${roleIs}. ${self ? `Ask ${owner} if it needs doing.` : `Only ${owner} can.`}`,
    ];
  }

  const granting = policiesGranting(action, subject);
  const held = effectivePolicies(who.role, who.policies);
  const hits = held.filter((k) => granting.includes(k));
  if (allowed && hits.length > 0) {
    const key = hits[0]!;
    if (who.role === "AGENT")
      return [
        `${person} can ${doing}: ${self ? "you were" : `${who.name} was`} given the policy ${policyWithMeaning(key)}${conditionOf(key, action, subject)}.`,
      ];
    return [
      `${person} can ${doing}: ${role} includes every policy, ${key} among them${conditionOf(key, action, subject)}.`,
    ];
  }
  if (granting.length === 0) return [`Nobody can ${doing}: no role or policy allows it.`];
  if (who.role !== "AGENT") return [`${person} can't ${doing}.`];

  const never = granting.filter((k) => (AGENT_FORBIDDEN_POLICIES as readonly string[]).includes(k));
  if (never.length === granting.length) {
    const ask = self
      ? `Ask ${askWhom(place)} to make you an admin, or to do it for you.`
      : `${capitalise(askWhom(place, who.name))} can make them an admin.`;
    return [
      `${person} can't ${doing}: it needs ${orList(never)}, which only an owner or admin can hold, and ${roleIs}. ${ask}`,
    ];
  }
  const reasons: string[] = [];
  const stored = new Set(who.policies);
  for (const k of granting.filter((g) => stored.has(g) && never.includes(g)))
    reasons.push(`The policy ${k} stored for ${self ? "you" : who.name} is ignored: agents can't hold it.`);
  const possible = granting.filter((k) => !never.includes(k));
  const it = possible.length === 1 ? "it" : "one of them";
  const ask = self
    ? `Ask ${askWhom(place)} to give ${it} to you.`
    : `${capitalise(askWhom(place, who.name))} can give ${it} to them.`;
  reasons.unshift(
    `${person} can't ${doing}: ${role} doesn't include ${orList(possible.map(policyWithMeaning))}, the policy that allows it. ${ask}`,
  );
  return reasons;
}

function apiKeyReasons(
  who: Extract<ExplainWho, { kind: "apiKey" }>,
  action: Action,
  subject: SubjectName,
  place: ExplainPlace,
  allowed: boolean,
): string[] {
  const doing = doingPhrase(action, subject, place.workspaceName);
  if (action === "manage")
    return [
      "“manage” is not something anyone is given: ask about a concrete action, such as read, create, update or delete.",
    ];
  if (grantsOf(API_KEY_BASELINE_GRANTS, action, subject).length > 0)
    return [`This API key can ${doing}: every key may read the workspace it belongs to.`];
  const granting = policiesGranting(action, subject);
  const creatorHeld = new Set<PolicyKey>(effectivePolicies(who.creatorRole, who.creatorPolicies));
  const scopes = toPolicyKeys(who.scopes);
  const hits = scopes.filter((k) => creatorHeld.has(k) && granting.includes(k));
  if (allowed && hits.length > 0) {
    const key = hits[0]!;
    return [
      `This API key can ${doing}: its scope ${key} allows it${conditionOf(key, action, subject)}, and the member who created the key still holds that policy.`,
    ];
  }
  if (granting.length === 0) return [`API keys can't ${doing}: only a member's role allows it.`];
  const lapsed = scopes.filter((k) => granting.includes(k) && !creatorHeld.has(k));
  if (lapsed.length > 0) {
    return [
      `This API key can't ${doing}: its scope ${orList(lapsed)} no longer counts, because the member who created the key no longer holds that policy (a key never has more power than its creator). Ask ${askWhom(place)} to give it back to them, or use a key created by someone who holds it.`,
    ];
  }
  return [
    `This API key can't ${doing}: none of its scopes allows it; it needs ${orList(granting)}. Create a key with that scope (a key can only have policies its creator holds).`,
  ];
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The answer to "why can('t) <who> <action> <subject> here?" — the decision of @atrium/policies, worded for a person. */
export function readableExplanation(
  who: ExplainWho,
  action: Action,
  subject: SubjectName,
  place: ExplainPlace,
): AccessExplanation {
  const { allowed } = explainAccess(who, action, subject);
  const reasons =
    who.kind === "apiKey"
      ? apiKeyReasons(who, action, subject, place, allowed)
      : memberReasons(who, action, subject, place, allowed);
  return { allowed, reasons };
}
