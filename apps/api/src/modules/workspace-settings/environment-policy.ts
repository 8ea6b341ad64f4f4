// W7: what each environment enforces. Production is strict; staging and development relax.
import { Environment } from "../workspaces/workspaces.types.ts";

export interface EnvironmentPolicy {
  /** Idle minutes after which a session may no longer act in the workspace; null = no limit. */
  idleTimeoutMinutes: number | null;
  auditRetentionDays: number;
}

export const ENVIRONMENT_POLICIES: Record<Environment, EnvironmentPolicy> = {
  PRODUCTION: { idleTimeoutMinutes: 15, auditRetentionDays: 365 * 6 },
  STAGING: { idleTimeoutMinutes: null, auditRetentionDays: 90 },
  DEVELOPMENT: { idleTimeoutMinutes: null, auditRetentionDays: 30 },
};

export function environmentWarnings(from: Environment, to: Environment): string[] {
  if (from === to) return [];
  const a = ENVIRONMENT_POLICIES[from];
  const b = ENVIRONMENT_POLICIES[to];
  const warnings: string[] = [];
  if (a.idleTimeoutMinutes !== b.idleTimeoutMinutes) {
    warnings.push(
      b.idleTimeoutMinutes === null
        ? "Sessions will no longer be signed out of this workspace after idle time."
        : `Members idle for ${b.idleTimeoutMinutes} minutes will have to sign in again to use this workspace.`,
    );
  }
  if (a.auditRetentionDays !== b.auditRetentionDays) {
    warnings.push(
      b.auditRetentionDays > a.auditRetentionDays
        ? `Audit events will be kept for ${b.auditRetentionDays} days instead of ${a.auditRetentionDays}.`
        : `Audit retention drops to ${b.auditRetentionDays} days (today: ${a.auditRetentionDays} days); older events become eligible for deletion.`,
    );
  }
  if (to === Environment.PRODUCTION)
    warnings.push("Treat data here as live customer data: test changes in a staging workspace first.");
  warnings.push("API keys created from now on carry the new environment in their prefix; existing keys keep working.");
  return warnings;
}
