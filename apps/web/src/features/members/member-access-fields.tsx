import { type MembershipRole, type RoleAssignment } from "@atrium/policies";
import { useId } from "react";
import { type MemberAccessOptionsQuery } from "../../gql/graphql.ts";
import { Field } from "../../platform/form-controls.tsx";
import { ROLE_LABELS } from "../workspaces/labels.ts";
import {
  type PolicyUnavailableReason,
  agentPolicyOptions,
  canGrantPreset,
  grantableRoles,
  groupPolicyOptions,
  matchingPreset,
  normaliseAssignment,
} from "./grants.ts";

export type AccessOptions = MemberAccessOptionsQuery;
export type Preset = AccessOptions["rolePresets"][number];

export const ROLE_HINTS: Record<MembershipRole, string> = {
  OWNER: "Everything, including deleting the workspace and transferring ownership.",
  ADMIN: "Everything except deleting the workspace and transferring ownership. Holds every policy.",
  AGENT: "Only the policies ticked below.",
};

const UNAVAILABLE: Record<PolicyUnavailableReason, string> = {
  NOT_FOR_ROLE: "Agents can never hold this.",
  NOT_HELD: "You don't hold this policy, so you can't grant it.",
  UNKNOWN: "Not supported by this version of the app.",
};

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
      <Field label="Preset" hint={preset?.description ?? "A custom set of policies."}>
        {(control) => (
          <select
            {...control}
            value={preset?.id ?? ""}
            onChange={(event) => {
              const chosen = options.rolePresets.find((candidate) => candidate.id === event.target.value);
              if (chosen !== undefined) onChange({ role: chosen.role, policies: normaliseAssignment(chosen.role, chosen.policies).policies });
            }}
          >
            <option value="" disabled={preset !== undefined}>
              Custom
            </option>
            {options.rolePresets.map((candidate) => {
              const allowed = canGrantPreset(grantor, candidate);
              return (
                <option key={candidate.id} value={candidate.id} disabled={!allowed}>
                  {candidate.name}
                  {allowed ? "" : " (needs access you don't have)"}
                </option>
              );
            })}
          </select>
        )}
      </Field>

      <Field label="Role" hint={ROLE_HINTS[value.role]}>
        {(control) => (
          <select
            {...control}
            value={value.role}
            onChange={(event) => {
              const role = event.target.value as MembershipRole;
              onChange({ role, policies: role === "AGENT" ? [...selected] : [] });
            }}
          >
            {offeredRoles.map((role) => (
              <option key={role} value={role} disabled={!roles.includes(role)}>
                {ROLE_LABELS[role]}
              </option>
            ))}
          </select>
        )}
      </Field>

      {value.role === "AGENT" ? (
        <fieldset className={error !== undefined ? "field field--invalid" : "field"} aria-describedby={error !== undefined ? `${hintId} ${hintId}-error` : hintId}>
          <legend>Policies</legend>
          <p className="field__hint" id={hintId}>
            What this agent may do. You can only grant policies you hold yourself.
          </p>
          {groupPolicyOptions(policyOptions).map((group) => (
            <fieldset key={group.group} className="policy-group">
              <legend>{group.group}</legend>
              {group.options.map((option) => (
                <label key={option.key} className={option.enabled ? "choice" : "choice choice--disabled"}>
                  <input
                    type="checkbox"
                    name="policies"
                    value={option.key}
                    checked={selected.has(option.key)}
                    disabled={!option.enabled}
                    onChange={(event) => toggle(option.key, event.target.checked)}
                  />
                  <span>
                    <code>{option.key}</code> — {option.description}
                    {option.reason !== undefined && <span className="muted"> {UNAVAILABLE[option.reason]}</span>}
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
        <p className="note">{ROLE_LABELS[value.role]}s hold every policy; there is nothing to tick.</p>
      )}
    </>
  );
}
