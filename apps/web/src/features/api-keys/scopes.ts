/**
 * What the API key dialog offers and how a key's state reads (SPEC A1). A key's scopes must be
 * a subset of its creator's policies, so the checklist lists only the policies the user holds
 * in this workspace (`Workspace.myPolicies`), in catalog order and grouped like the members
 * dialogs. The API checks the subset again.
 */
import i18next from "i18next";

import { groupPolicyOptions, type PolicyEntry, type PolicyGroupOptions } from "../members/grants.ts";

/** The catalog entries the user may put on a key: exactly their own policies. */
export function apiKeyScopeOptions(
  myPolicies: readonly string[],
  catalog: readonly PolicyEntry[],
): PolicyGroupOptions[] {
  const held = new Set(myPolicies);
  return groupPolicyOptions(
    catalog.filter((entry) => held.has(entry.key)).map((entry) => ({ ...entry, enabled: true })),
  );
}

/** Scopes to send: the ticked ones the user still holds, in catalog order, without duplicates. */
export function selectedScopes(
  ticked: ReadonlySet<string>,
  myPolicies: readonly string[],
  catalog: readonly PolicyEntry[],
): string[] {
  const held = new Set(myPolicies);
  return catalog.map((entry) => entry.key).filter((key) => ticked.has(key) && held.has(key));
}

/**
 * An optional expiry date from a date input (`YYYY-MM-DD`) as the end of that day in the
 * user's time zone. Empty: never expires. Not a date, or not in the future: an error message (in
 * the current language).
 */
export function expiryFromDateInput(
  value: string,
  now: Date = new Date(),
): { expiresAt: string | null } | { error: string } {
  if (value.trim() === "") return { expiresAt: null };
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  if (match === null) return { error: i18next.t("expiry.enterDate", { ns: "api-keys" }) };
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const end = new Date(year, month - 1, day, 23, 59, 59, 999);
  if (end.getFullYear() !== year || end.getMonth() !== month - 1 || end.getDate() !== day)
    return { error: i18next.t("expiry.invalidDate", { ns: "api-keys" }) };
  if (end.getTime() <= now.getTime()) return { error: i18next.t("expiry.futureDate", { ns: "api-keys" }) };
  return { expiresAt: end.toISOString() };
}

export type ApiKeyState = "ACTIVE" | "EXPIRED" | "REVOKED";

export function apiKeyState(
  key: { revokedAt?: string | null; expiresAt?: string | null },
  now: Date = new Date(),
): ApiKeyState {
  if (key.revokedAt != null) return "REVOKED";
  if (key.expiresAt != null && new Date(key.expiresAt).getTime() <= now.getTime()) return "EXPIRED";
  return "ACTIVE";
}

/** The translation key (namespace "api-keys") of each state's label. */
export const API_KEY_STATE_LABELS = {
  ACTIVE: "keyState.active",
  EXPIRED: "keyState.expired",
  REVOKED: "keyState.revoked",
} as const satisfies Record<ApiKeyState, string>;
