import { type TFunction } from "i18next";
import { useId } from "react";
import { useTranslation } from "react-i18next";

import {
  isPolicyKey,
  POLICY_GROUPS,
  type MembershipRole,
  type PolicyGroup,
  type RoleAssignment,
} from "@atrium/policies";

import { type MemberAccessOptionsQuery } from "../../gql/graphql.ts";
import { Checkbox, Select } from "../../platform/ui/index.ts";
import {
  agentPolicyOptions,
  canGrantPreset,
  grantableRoles,
  groupPolicyOptions,
  matchingPreset,
  normaliseAssignment,
} from "./grants.ts";

export type AccessOptions = MemberAccessOptionsQuery;
export type Preset = AccessOptions["rolePresets"][number];

/**
 * The catalog and the presets come from the API in English; the ones this app knows are worded
 * by the members namespace (`policies.<key>`, `policyGroups.*`, `presets.<id>.*`), others as sent.
 */
const GROUP_KEYS = {
  Workspace: "workspace",
  "Leads and contacts": "leadsAndContacts",
  Conversations: "conversations",
  "Review and safety": "reviewAndSafety",
  Campaigns: "campaigns",
  "Phone numbers": "phoneNumbers",
  Webhooks: "webhooks",
  Billing: "billing",
  Audit: "audit",
  Privacy: "privacy",
} as const satisfies Record<PolicyGroup, string>;
const isPolicyGroup = (group: string): group is PolicyGroup => (POLICY_GROUPS as readonly string[]).includes(group);
const PRESET_IDS = ["viewer", "agent", "operator", "supervisor", "admin"] as const;
const isPresetId = (id: string): id is (typeof PRESET_IDS)[number] => (PRESET_IDS as readonly string[]).includes(id);

export function groupLabel(group: string, t: TFunction<"members">): string {
  return isPolicyGroup(group) ? t(`policyGroups.${GROUP_KEYS[group]}`) : group;
}

export function policyDescription(
  policy: { readonly key: string; readonly description: string },
  t: TFunction<"members">,
): string {
  return isPolicyKey(policy.key) ? t(`policies.${policy.key}`) : policy.description;
}

function presetName(preset: Preset, t: TFunction<"members">): string {
  return isPresetId(preset.id) ? t(`presets.${preset.id}.name`) : preset.name;
}

function presetDescription(preset: Preset, t: TFunction<"members">): string {
  return isPresetId(preset.id) ? t(`presets.${preset.id}.description`) : preset.description;
}

export interface Access {
  readonly role: MembershipRole;
  readonly policies: readonly string[];
}

/** The access a new invitation starts from: the Agent preset when the caller may grant it. */
export function initialAccess(grantor: RoleAssignment, presets: readonly Preset[]): Access {
  const agent = presets.find((preset) => preset.id === "agent");
  if (agent !== undefined && canGrantPreset(grantor, agent)) return { role: agent.role, policies: agent.policies };
  const role = grantableRoles(grantor).includes("AGENT") ? "AGENT" : (grantableRoles(grantor)[0] ?? "AGENT");
  return { role, policies: [] };
}

/**
 * Preset picker, role select and — for an agent — the per-policy checklist from the catalog,
 * grouped, with descriptions. Only what the caller may grant is enabled (SPEC M3, M7).
 */
export function MemberAccessFields({
  grantor,
  value,
  onChange,
  options,
  error,
}: {
  grantor: RoleAssignment;
  value: Access;
  onChange: (next: Access) => void;
  options: AccessOptions;
  error?: string | undefined;
}) {
  const { t } = useTranslation("members");
  const { t: tw } = useTranslation("workspaces");
  const hintId = useId();
  const roles = grantableRoles(grantor);
  const offeredRoles = roles.includes(value.role) ? roles : [value.role, ...roles];
  const preset = matchingPreset(options.rolePresets, value.role, value.policies);
  const policyOptions = agentPolicyOptions(grantor, options.policyCatalog);
  const selected = new Set(normaliseAssignment(value.role, value.policies).policies);

  const toggle = (key: string, checked: boolean) => {
    const next = checked ? [...selected, key] : [...selected].filter((existing) => existing !== key);
    onChange({ role: value.role, policies: normaliseAssignment("AGENT", next).policies });
  };

  return (
    <>
      <Select
        label={t("access.preset")}
        hint={preset !== undefined ? presetDescription(preset, t) : t("access.customHint")}
        value={preset?.id ?? ""}
        onChange={(event) => {
          const chosen = options.rolePresets.find((candidate) => candidate.id === event.target.value);
          if (chosen !== undefined)
            onChange({ role: chosen.role, policies: normaliseAssignment(chosen.role, chosen.policies).policies });
        }}
      >
        <option value="" disabled={preset !== undefined}>
          {t("access.custom")}
        </option>
        {options.rolePresets.map((candidate) => {
          const allowed = canGrantPreset(grantor, candidate);
          return (
            <option key={candidate.id} value={candidate.id} disabled={!allowed}>
              {allowed ? presetName(candidate, t) : t("access.presetLocked", { name: presetName(candidate, t) })}
            </option>
          );
        })}
      </Select>

      <Select
        label={t("access.role")}
        hint={t(`roleHints.${value.role}`)}
        value={value.role}
        onChange={(event) => {
          const role = event.target.value as MembershipRole;
          onChange({ role, policies: role === "AGENT" ? [...selected] : [] });
        }}
      >
        {offeredRoles.map((role) => (
          <option key={role} value={role} disabled={!roles.includes(role)}>
            {tw(`roles.${role}`)}
          </option>
        ))}
      </Select>

      {value.role === "AGENT" ? (
        <fieldset
          className={error !== undefined ? "field field--invalid" : "field"}
          aria-describedby={error !== undefined ? `${hintId} ${hintId}-error` : hintId}
        >
          <legend>{t("access.policies")}</legend>
          <p className="field__hint" id={hintId}>
            {t("access.policiesHint")}
          </p>
          {groupPolicyOptions(policyOptions).map((group) => (
            <fieldset key={group.group} className="policy-group">
              <legend>{groupLabel(group.group, t)}</legend>
              {group.options.map((option) => (
                <label key={option.key} className={option.enabled ? "choice" : "choice choice--disabled"}>
                  <Checkbox
                    name="policies"
                    value={option.key}
                    checked={selected.has(option.key)}
                    disabled={!option.enabled}
                    onChange={(event) => toggle(option.key, event.target.checked)}
                  />
                  <span>
                    <code>{option.key}</code> — {policyDescription(option, t)}
                    {option.reason !== undefined && <span className="muted"> {t(`unavailable.${option.reason}`)}</span>}
                  </span>
                </label>
              ))}
            </fieldset>
          ))}
          {error !== undefined && (
            <p className="field__error" id={`${hintId}-error`}>
              {error}
            </p>
          )}
        </fieldset>
      ) : (
        <p className="note">{t(`access.holdAll.${value.role}`)}</p>
      )}
    </>
  );
}
