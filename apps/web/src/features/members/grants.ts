/**
 * What the invite and edit controls offer, given the caller's own role and policies. The rules
 * are @atrium/policies' `canGrant` (SPEC M7, no escalation) — called here, not re-implemented —
 * so the web app offers exactly what the API would accept. The API checks every change again.
 */
import {
  canGrant,
  effectivePolicies,
  isPolicyAllowedForRole,
  isPolicyKey,
  MEMBERSHIP_ROLES,
  POLICY_CATALOG,
  POLICY_GROUPS,
  toPolicyKeys,
  type MembershipRole,
  type PolicyGroup,
  type PolicyKey,
  type RoleAssignment,
} from "@atrium/policies";

export interface PolicyEntry {
  readonly key: string;
  readonly description: string;
  readonly group: string;
}

/** Roles the caller may give someone: only an owner offers OWNER; ADMIN needs every policy. */
export function grantableRoles(grantor: RoleAssignment): MembershipRole[] {
  return MEMBERSHIP_ROLES.filter((role) => canGrant(grantor, { role, policies: [] }));
}

export type PolicyUnavailableReason = "NOT_FOR_ROLE" | "NOT_HELD" | "UNKNOWN";

export interface PolicyOption extends PolicyEntry {
  /** Whether the caller may tick or untick it. */
  readonly enabled: boolean;
  readonly reason?: PolicyUnavailableReason;
}

/** One checkbox per catalog policy for an AGENT; only policies the caller holds are enabled. */
export function agentPolicyOptions(grantor: RoleAssignment, catalog: readonly PolicyEntry[]): PolicyOption[] {
  return catalog.map((entry) => {
    if (!isPolicyKey(entry.key)) return { ...entry, enabled: false, reason: "UNKNOWN" };
    if (!isPolicyAllowedForRole("AGENT", entry.key)) return { ...entry, enabled: false, reason: "NOT_FOR_ROLE" };
    if (!canGrant(grantor, { role: "AGENT", policies: [entry.key] }))
      return { ...entry, enabled: false, reason: "NOT_HELD" };
    return { ...entry, enabled: true };
  });
}

export interface PolicyGroupOptions {
  readonly group: string;
  readonly options: readonly PolicyOption[];
}

/** Options grouped by `group`, groups in the catalog's display order (unknown groups last). */
export function groupPolicyOptions(options: readonly PolicyOption[]): PolicyGroupOptions[] {
  const order = (group: string) => {
    const index = (POLICY_GROUPS as readonly string[]).indexOf(group);
    return index === -1 ? POLICY_GROUPS.length : index;
  };
  const groups = new Map<string, PolicyOption[]>();
  for (const option of options) groups.set(option.group, [...(groups.get(option.group) ?? []), option]);
  return [...groups.entries()]
    .sort(([a], [b]) => order(a) - order(b))
    .map(([group, grouped]) => ({ group, options: grouped }));
}

/** The catalog as the package knows it: the fallback while `policyCatalog` loads. */
export const LOCAL_CATALOG: readonly PolicyEntry[] = POLICY_CATALOG.map(({ key, description, group }) => ({
  key,
  description,
  group: group satisfies PolicyGroup,
}));

/** The assignment a form would send: OWNER and ADMIN store no policy list (they hold everything). */
export function normaliseAssignment(role: MembershipRole, policies: readonly string[]): RoleAssignment {
  return { role, policies: role === "AGENT" ? toPolicyKeys(policies) : [] };
}

/** Whether the caller may give `target` (the form's submit button). */
export function canSubmitAssignment(grantor: RoleAssignment, target: RoleAssignment): boolean {
  return canGrant(grantor, normaliseAssignment(target.role, target.policies));
}

export interface PresetLike {
  readonly id: string;
  readonly role: MembershipRole;
  readonly policies: readonly string[];
}

/** Whether the caller may grant a preset as a whole. */
export function canGrantPreset(grantor: RoleAssignment, preset: PresetLike): boolean {
  return canSubmitAssignment(grantor, { role: preset.role, policies: preset.policies });
}

/** The preset a role and policy list match exactly, if any (to show it selected). */
export function matchingPreset<P extends PresetLike>(
  presets: readonly P[],
  role: MembershipRole,
  policies: readonly string[],
): P | undefined {
  const wanted = normaliseAssignment(role, policies).policies.join(",");
  return presets.find(
    (preset) => preset.role === role && normaliseAssignment(preset.role, preset.policies).policies.join(",") === wanted,
  );
}

/**
 * Whether the caller may edit or remove a member holding `target`: the API refuses both unless
 * the caller could have granted the member's current access (only an owner changes an owner).
 */
export function canManageMember(grantor: RoleAssignment, target: RoleAssignment): boolean {
  return canGrant(grantor, target);
}

/** The effective policies of an assignment (what the member could actually do). */
export function effectiveOf(assignment: RoleAssignment): PolicyKey[] {
  return effectivePolicies(assignment.role, assignment.policies);
}
