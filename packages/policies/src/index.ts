/**
 * @atrium/policies — the policy catalog, role defaults, presets and CASL abilities shared by
 * the API, the web app and the docs (SPEC M1–M3, M7, A1). Environment-neutral: no Node-only
 * imports, so Vite bundles it as-is.
 */
export {
  AGENT_FORBIDDEN_POLICIES,
  MEMBERSHIP_ROLES,
  POLICY_CATALOG,
  POLICY_GROUPS,
  POLICY_KEYS,
  ROLE_POLICIES,
  describePolicy,
  effectivePolicies,
  isMembershipRole,
  isPolicyAllowedForRole,
  isPolicyKey,
  toPolicyKeys,
  type MembershipRole,
  type PolicyDescriptor,
  type PolicyGroup,
  type PolicyKey,
} from "./catalog.ts";
export { PRESETS, findPreset, type PolicyPreset, type PresetId } from "./presets.ts";
export {
  ACTIONS,
  API_KEY_BASELINE_GRANTS,
  MEMBER_BASELINE_GRANTS,
  OWNER_ONLY_GRANTS,
  POLICY_GRANTS,
  SUBJECTS,
  canChangeMember,
  canGrant,
  defineAbilityFor,
  defineAbilityForApiKey,
  packAbility,
  unpackAbility,
  type Action,
  type ApiKeyAbilityInput,
  type AppAbility,
  type ForcedSubjectRecord,
  type GrantConditions,
  type MemberAbilityInput,
  type PolicyGrant,
  type RoleAssignment,
  type Subject,
  type SubjectName,
} from "./ability.ts";
export {
  describeConditions,
  explainAccess,
  isAction,
  isSubjectName,
  policiesGranting,
  type AccessExplanation,
  type ExplainPrincipal,
} from "./explain.ts";
