/**
 * "Why can't I?" — explains an ability decision in sentences a person can read: the role, the
 * policy that grants it, for an API key its scopes ∩ its creator's current policies, and any
 * condition the grant puts on the row (e.g. "only in human takeover").
 *
 * Invariant (asserted in explain.test.ts for every role, policy, action and subject): `allowed`
 * equals what `defineAbilityFor` / `defineAbilityForApiKey` answer for a row of the workspace
 * that meets the grant's conditions. The explainer never decides on its own.
 */
import {
  ACTIONS,
  API_KEY_BASELINE_GRANTS,
  MEMBER_BASELINE_GRANTS,
  OWNER_ONLY_GRANTS,
  POLICY_GRANTS,
  SUBJECTS,
  type Action,
  type GrantConditions,
  type PolicyGrant,
  type SubjectName,
} from "./ability.ts";
import {
  AGENT_FORBIDDEN_POLICIES,
  describePolicy,
  effectivePolicies,
  POLICY_KEYS,
  toPolicyKeys,
  type MembershipRole,
  type PolicyKey,
} from "./catalog.ts";

export interface AccessExplanation {
  readonly allowed: boolean;
  readonly reasons: readonly string[];
}

export type ExplainPrincipal =
  | {
      readonly kind: "member";
      readonly role: MembershipRole;
      readonly policies: readonly string[];
      readonly name?: string;
    }
  | {
      readonly kind: "apiKey";
      readonly scopes: readonly string[];
      readonly creatorRole: MembershipRole;
      readonly creatorPolicies: readonly string[];
    };

/** Readable words for a grant's row conditions. Every condition used in POLICY_GRANTS has one. */
const CONDITION_WORDS: Readonly<Record<string, (value: string | number | boolean) => string>> = {
  humanTakeover: (v) =>
    v
      ? "only on a conversation under human takeover (the agent is not replying)"
      : "only on a conversation the agent is handling",
};

export function describeConditions(conditions: GrantConditions | undefined): string | null {
  if (!conditions || Object.keys(conditions).length === 0) return null;
  return Object.entries(conditions)
    .map(([field, value]) => CONDITION_WORDS[field]?.(value) ?? `only where ${field} is ${String(value)}`)
    .join(" and ");
}

const ROLE_WORDS: Readonly<Record<MembershipRole, string>> = {
  OWNER: "an owner",
  ADMIN: "an admin",
  AGENT: "an agent",
};

const grants = (list: readonly PolicyGrant[], action: Action, subject: SubjectName) =>
  list.filter((g) => g.action === action && g.subject === subject);

export function isAction(value: string): value is Action {
  return (ACTIONS as readonly string[]).includes(value);
}
export function isSubjectName(value: string): value is SubjectName {
  return value !== "all" && (SUBJECTS as readonly string[]).includes(value);
}

/** Which catalog policies grant `action` on `subject`, in catalog order. */
export function policiesGranting(action: Action, subject: SubjectName): PolicyKey[] {
  return POLICY_KEYS.filter((key) => grants(POLICY_GRANTS[key], action, subject).length > 0);
}

function policyPhrase(key: PolicyKey): string {
  return `“${key}” (${describePolicy(key).description.replace(/\.$/, "")})`;
}

export function explainAccess(who: ExplainPrincipal, action: Action, subject: SubjectName): AccessExplanation {
  const reasons: string[] = [];
  const doing = `${action} ${subject}`;
  if (action === "manage") {
    return {
      allowed: false,
      reasons: [
        "Nobody is granted the wildcard action “manage”: ask about a concrete action such as read, create, update or delete.",
      ],
    };
  }
  const granting = policiesGranting(action, subject);

  if (who.kind === "apiKey") {
    if (grants(API_KEY_BASELINE_GRANTS, action, subject).length > 0) {
      return { allowed: true, reasons: ["Every API key may read the workspace it belongs to."] };
    }
    const creatorHeld = new Set<PolicyKey>(effectivePolicies(who.creatorRole, who.creatorPolicies));
    const scopes = toPolicyKeys(who.scopes);
    const effective = scopes.filter((k) => creatorHeld.has(k));
    const hits = effective.filter((k) => granting.includes(k));
    if (hits.length > 0) {
      for (const k of hits) {
        const cond = describeConditions(grants(POLICY_GRANTS[k], action, subject)[0]?.conditions);
        reasons.push(
          `The key's scope ${policyPhrase(k)} allows ${doing}, and the key's creator still holds that policy${cond ? `; ${cond}` : ""}.`,
        );
      }
      return { allowed: true, reasons };
    }
    const lapsed = scopes.filter((k) => granting.includes(k) && !creatorHeld.has(k));
    for (const k of lapsed)
      reasons.push(
        `The key has the scope “${k}”, but its creator no longer holds that policy, so the key lost it too (a key's power is its scopes ∩ its creator's current policies).`,
      );
    if (lapsed.length === 0) {
      reasons.push(
        granting.length > 0
          ? `No scope of this key allows ${doing}. It needs one of: ${granting.map(policyPhrase).join(", ")}.`
          : `API keys cannot ${action} ${subject}: no policy grants it, only a member's role can.`,
      );
    }
    return { allowed: false, reasons };
  }

  const subjectWho = who.name ? who.name : "You";
  const roleWords = ROLE_WORDS[who.role] ?? "a member";
  if (grants(MEMBER_BASELINE_GRANTS, action, subject).length > 0) {
    return { allowed: true, reasons: [`${subjectWho} can ${doing}: every member of a workspace may.`] };
  }
  if (grants(OWNER_ONLY_GRANTS, action, subject).length > 0) {
    return who.role === "OWNER"
      ? {
          allowed: true,
          reasons: [
            `${subjectWho} can ${doing}: only the owner may, and ${who.name ? "they are" : "you are"} the owner.`,
          ],
        }
      : {
          allowed: false,
          reasons: [`Only the workspace owner can ${doing}; ${who.name ? `${who.name} is` : "you are"} ${roleWords}.`],
        };
  }
  const held = effectivePolicies(who.role, who.policies);
  const hits = held.filter((k) => granting.includes(k));
  if (hits.length > 0) {
    // An owner or admin holds every policy: one reason says it; an agent's are each named.
    for (const k of who.role === "AGENT" ? hits : hits.slice(0, 1)) {
      const cond = describeConditions(grants(POLICY_GRANTS[k], action, subject)[0]?.conditions);
      const source =
        who.role === "AGENT"
          ? `the policy ${policyPhrase(k)} was given to ${who.name ?? "you"}`
          : `the role preset of ${roleWords} includes every policy, among them ${policyPhrase(k)}`;
      reasons.push(`Allowed because ${source}${cond ? `; ${cond}` : ""}.`);
    }
    return { allowed: true, reasons };
  }
  if (granting.length === 0) {
    return { allowed: false, reasons: [`No policy allows ${doing} in a workspace.`] };
  }
  if (who.role === "AGENT") {
    const never = granting.filter((k) => (AGENT_FORBIDDEN_POLICIES as readonly string[]).includes(k));
    if (never.length === granting.length) {
      reasons.push(
        `Agents can never ${doing}: it needs ${granting.map(policyPhrase).join(" or ")}, which only an owner or admin holds.`,
      );
    } else {
      const stored = new Set(who.policies);
      const droppedStored = granting.filter((k) => stored.has(k) && never.includes(k));
      for (const k of droppedStored) reasons.push(`The stored policy “${k}” is ignored: agents cannot hold it.`);
      reasons.push(
        `${subjectWho} ${who.name ? "does" : "do"} not hold a policy that allows ${doing}. An owner or admin can give ${who.name ? "them" : "you"} ${granting
          .filter((k) => !never.includes(k))
          .map(policyPhrase)
          .join(" or ")}.`,
      );
    }
  } else {
    reasons.push(`${subjectWho} cannot ${doing}.`);
  }
  return { allowed: false, reasons };
}
