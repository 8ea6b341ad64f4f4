import { describe, expect, it } from "@atrium/test-kit";

import { POLICY_GRANTS } from "./ability.ts";
import {
  AGENT_FORBIDDEN_POLICIES,
  effectivePolicies,
  isPolicyKey,
  POLICY_CATALOG,
  POLICY_GROUPS,
  POLICY_KEYS,
  ROLE_POLICIES,
  toPolicyKeys,
  type MembershipRole,
} from "./catalog.ts";
import { PRESETS } from "./presets.ts";

const SPEC_M2_KEYS = [
  "workspace.settings",
  "workspace.members",
  "integration.manage",
  "apikey.manage",
  "lead.read",
  "lead.manage",
  "contact.read",
  "contact.manage",
  "conversation.read",
  "message.send",
  // Issue 47: the inbox and operator console.
  "conversation.assign",
  "conversation.manage",
  "review.read",
  "review.claim",
  "safety.manage",
  "campaign.read",
  "campaign.manage",
  "campaign.run",
  "phone_config.read",
  "phone_config.manage",
  "webhook.read",
  "webhook.manage",
  "billing.read",
  "billing.manage",
  "audit.read",
  "privacy.manage",
];

describe("policy catalog", () => {
  it("holds exactly the SPEC M2 policies, in that order", () => {
    expect(POLICY_KEYS).toEqual(SPEC_M2_KEYS);
  });

  it("has unique keys shaped <area>.<verb>", () => {
    expect(new Set(POLICY_KEYS).size).toBe(POLICY_KEYS.length);
    for (const key of POLICY_KEYS) expect(key).toMatch(/^[a-z_]+\.[a-z_]+$/);
  });

  it("describes every policy with a sentence and a known group", () => {
    for (const policy of POLICY_CATALOG) {
      expect(policy.description, policy.key).toMatch(/^[A-Z].{8,}\.$/);
      expect(POLICY_GROUPS, policy.key).toContain(policy.group);
    }
  });

  it("gives every catalog key a non-empty grant list, and grants nothing outside the catalog", () => {
    expect(Object.keys(POLICY_GRANTS).sort()).toEqual([...POLICY_KEYS].sort());
    for (const key of POLICY_KEYS) expect(POLICY_GRANTS[key].length, key).toBeGreaterThan(0);
  });

  it("never grants CASL's wildcard action or subject", () => {
    for (const key of POLICY_KEYS) {
      for (const grant of POLICY_GRANTS[key]) {
        expect(grant.action as string, key).not.toBe("manage");
        expect(grant.subject as string, key).not.toBe("all");
      }
    }
  });

  it("recognises catalog keys only", () => {
    expect(isPolicyKey("lead.read")).toBe(true);
    expect(isPolicyKey("workspace.admin")).toBe(false);
    expect(isPolicyKey("LEAD.READ")).toBe(false);
    expect(isPolicyKey("")).toBe(false);
  });

  it("normalises a policy list to known keys, deduplicated, in catalog order", () => {
    expect(toPolicyKeys(["message.send", "nonsense", "lead.read", "lead.read"])).toEqual(["lead.read", "message.send"]);
  });
});

describe("role policies", () => {
  it("gives owners and admins every policy and agents the SPEC M1 defaults", () => {
    expect(ROLE_POLICIES.OWNER).toEqual(POLICY_KEYS);
    expect(ROLE_POLICIES.ADMIN).toEqual(POLICY_KEYS);
    expect(ROLE_POLICIES.AGENT).toEqual([
      "lead.read",
      "contact.read",
      "conversation.read",
      "message.send",
      "conversation.manage",
    ]);
  });

  it("ignores stored policies for owners and admins", () => {
    expect(effectivePolicies("OWNER", [])).toEqual(POLICY_KEYS);
    expect(effectivePolicies("ADMIN", ["lead.read"])).toEqual(POLICY_KEYS);
  });

  it("keeps an agent's known policies in catalog order and drops unknown strings", () => {
    expect(effectivePolicies("AGENT", ["message.send", "workspace.admin", "lead.read", "lead.read"])).toEqual([
      "lead.read",
      "message.send",
    ]);
  });

  it("strips settings, integrations and API keys from an agent's stored policies", () => {
    expect(effectivePolicies("AGENT", [...AGENT_FORBIDDEN_POLICIES, "audit.read"])).toEqual(["audit.read"]);
    expect(effectivePolicies("AGENT", POLICY_KEYS)).toEqual(
      POLICY_KEYS.filter((key) => !(AGENT_FORBIDDEN_POLICIES as readonly string[]).includes(key)),
    );
  });

  it("gives nothing to a role string this build does not know", () => {
    expect(effectivePolicies("SUPERUSER" as MembershipRole, POLICY_KEYS)).toEqual([]);
  });
});

describe("presets", () => {
  const policiesOf = (id: string) => PRESETS.find((preset) => preset.id === id)?.policies;

  it("offers Viewer, Agent, Operator, Supervisor and Admin", () => {
    expect(PRESETS.map((preset) => [preset.id, preset.name, preset.role])).toEqual([
      ["viewer", "Viewer", "AGENT"],
      ["agent", "Agent", "AGENT"],
      ["operator", "Operator", "AGENT"],
      ["supervisor", "Supervisor", "AGENT"],
      ["admin", "Admin", "ADMIN"],
    ]);
  });

  it("only uses catalog keys the preset's role may hold, in catalog order, with a description", () => {
    for (const preset of PRESETS) {
      expect(preset.policies.every(isPolicyKey), preset.id).toBe(true);
      expect(effectivePolicies(preset.role, preset.policies), preset.id).toEqual(
        preset.role === "AGENT" ? preset.policies : POLICY_KEYS,
      );
      expect(toPolicyKeys(preset.policies), preset.id).toEqual(preset.policies);
      expect(preset.description, preset.id).toMatch(/^[A-Z].{8,}\.$/);
    }
  });

  it("makes Viewer every read policy an agent may hold", () => {
    expect(policiesOf("viewer")).toEqual([
      "lead.read",
      "contact.read",
      "conversation.read",
      "review.read",
      "campaign.read",
      "phone_config.read",
      "webhook.read",
      "billing.read",
      "audit.read",
    ]);
  });

  it("builds Agent ⊂ Operator ⊂ Supervisor as SPEC M3 and seeds/002 describe", () => {
    expect(policiesOf("agent")).toEqual(ROLE_POLICIES.AGENT);
    // Issue 47, seeds/002: view access plus joining calls, switching modes, sending guidance,
    // and claiming and reviewing queue items.
    expect(policiesOf("operator")).toEqual([
      "lead.read",
      "contact.read",
      "conversation.read",
      "message.send",
      "conversation.manage",
      "review.read",
      "review.claim",
      "campaign.read",
      "phone_config.read",
      "webhook.read",
      "billing.read",
      "audit.read",
    ]);
    expect(policiesOf("supervisor")).toEqual([
      "lead.read",
      "lead.manage",
      "contact.read",
      "contact.manage",
      "conversation.read",
      "message.send",
      "conversation.assign",
      "conversation.manage",
      "review.read",
      "review.claim",
      "safety.manage",
      "campaign.read",
      "campaign.manage",
      "campaign.run",
      "phone_config.read",
      "webhook.read",
      "billing.read",
      "audit.read",
    ]);
    expect(policiesOf("admin")).toEqual(POLICY_KEYS);
  });
});
