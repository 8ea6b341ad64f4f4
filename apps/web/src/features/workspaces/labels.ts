/**
 * English names of the workspace enums (SPEC W2, W7, M1), for code outside this folder that still
 * reads them. What a page shows is the workspaces namespace's `channels.*`, `environments.*` and
 * `roles.*` (e.g. `t("roles.OWNER", { ns: "workspaces" })`), whose English equals these.
 */
import { type Channel, type Environment, type MembershipRole } from "../../gql/graphql.ts";

export const CHANNEL_LABELS: Record<Channel, string> = { WHATSAPP: "WhatsApp", VOICE: "Voice" };

export const ENVIRONMENT_LABELS: Record<Environment, string> = {
  DEVELOPMENT: "Development",
  STAGING: "Staging",
  PRODUCTION: "Production",
};

export const ROLE_LABELS: Record<MembershipRole, string> = { OWNER: "Owner", ADMIN: "Admin", AGENT: "Agent" };
