import { canGrant, PRESETS, ROLE_POLICIES } from "@atrium/policies";
import { describe, expect, it } from "@atrium/test-kit";

import {
  agentPolicyOptions,
  canGrantPreset,
  canManageMember,
  canSubmitAssignment,
  grantableRoles,
  groupPolicyOptions,
  LOCAL_CATALOG,
  matchingPreset,
  normaliseAssignment,
} from "./grants.ts";

const owner = { role: "OWNER", policies: [] } as const;
const admin = { role: "ADMIN", policies: [] } as const;
const memberManager = { role: "AGENT", policies: ["workspace.members", "lead.read", "audit.read"] } as const;
const viewer = { role: "AGENT", policies: ["lead.read", "contact.read"] } as const;

const enabledKeys = (grantor: Parameters<typeof agentPolicyOptions>[0]) =>
  agentPolicyOptions(grantor, LOCAL_CATALOG)
    .filter((option) => option.enabled)
    .map((option) => option.key);

describe("grantableRoles", () => {
  it("offers an owner every role, OWNER included", () => {
    expect(grantableRoles(owner)).toEqual(["OWNER", "ADMIN", "AGENT"]);
  });

  it("never offers an admin the OWNER role", () => {
    expect(grantableRoles(admin)).toEqual(["ADMIN", "AGENT"]);
  });

  it("offers an agent with workspace.members only AGENT (it cannot make admins)", () => {
    expect(grantableRoles(memberManager)).toEqual(["AGENT"]);
  });

  it("offers nothing to an agent without workspace.members", () => {
    expect(grantableRoles(viewer)).toEqual([]);
  });
});

describe("agentPolicyOptions", () => {
  it("lists the whole catalog, in catalog order", () => {
    expect(agentPolicyOptions(owner, LOCAL_CATALOG).map((option) => option.key)).toEqual(
      LOCAL_CATALOG.map((e) => e.key),
    );
  });

  it("enables for an owner everything an agent may hold, and marks the rest as not for agents", () => {
    const options = agentPolicyOptions(owner, LOCAL_CATALOG);
    const disabled = options.filter((option) => !option.enabled);
    expect(disabled.map((option) => [option.key, option.reason])).toEqual([
      ["workspace.settings", "NOT_FOR_ROLE"],
      ["integration.manage", "NOT_FOR_ROLE"],
      ["apikey.manage", "NOT_FOR_ROLE"],
    ]);
  });

  it("enables for an agent manager only the policies it holds", () => {
    expect(enabledKeys(memberManager)).toEqual(["workspace.members", "lead.read", "audit.read"]);
    const contactRead = agentPolicyOptions(memberManager, LOCAL_CATALOG).find(
      (option) => option.key === "contact.read",
    );
    expect(contactRead).toMatchObject({ enabled: false, reason: "NOT_HELD" });
  });

  it("enables nothing for a caller without workspace.members", () => {
    expect(enabledKeys(viewer)).toEqual([]);
  });

  it("agrees with canGrant for every role and every single policy", () => {
    for (const grantor of [owner, admin, memberManager, viewer]) {
      for (const option of agentPolicyOptions(grantor, LOCAL_CATALOG)) {
        expect(option.enabled, `${grantor.role} ${option.key}`).toBe(
          canGrant(grantor, { role: "AGENT", policies: [option.key] }),
        );
      }
    }
  });

  it("disables a policy the server knows but this build does not", () => {
    const options = agentPolicyOptions(owner, [{ key: "teleport.run", description: "New.", group: "Future" }]);
    expect(options[0]).toMatchObject({ enabled: false, reason: "UNKNOWN" });
  });
});

describe("groupPolicyOptions", () => {
  it("groups by the catalog's groups in display order, unknown groups last", () => {
    const options = agentPolicyOptions(owner, [
      { key: "audit.read", description: "", group: "Audit" },
      { key: "x.y", description: "", group: "Future" },
      { key: "workspace.members", description: "", group: "Workspace" },
      { key: "lead.read", description: "", group: "Leads and contacts" },
    ]);
    expect(groupPolicyOptions(options).map((group) => group.group)).toEqual([
      "Workspace",
      "Leads and contacts",
      "Audit",
      "Future",
    ]);
  });
});

describe("presets", () => {
  const byId = (id: string) => PRESETS.find((preset) => preset.id === id)!;

  it("lets an owner and an admin grant every preset", () => {
    for (const preset of PRESETS) {
      expect(canGrantPreset(owner, preset)).toBe(true);
      expect(canGrantPreset(admin, preset)).toBe(true);
    }
  });

  it("refuses an agent manager presets with policies it lacks, and the admin preset", () => {
    expect(canGrantPreset(memberManager, byId("viewer"))).toBe(false);
    expect(canGrantPreset(memberManager, byId("admin"))).toBe(false);
    const full = { role: "AGENT", policies: ["workspace.members", ...ROLE_POLICIES.AGENT] } as const;
    expect(canGrantPreset(full, byId("agent"))).toBe(true);
  });

  it("recognises a preset from its role and policies, in any order", () => {
    const viewerPreset = byId("viewer");
    expect(matchingPreset(PRESETS, "AGENT", [...viewerPreset.policies].reverse())?.id).toBe("viewer");
    expect(matchingPreset(PRESETS, "ADMIN", [])?.id).toBe("admin");
    expect(matchingPreset(PRESETS, "AGENT", ["lead.read"])).toBeUndefined();
  });
});

describe("assignments", () => {
  it("stores no policy list for owners and admins", () => {
    expect(normaliseAssignment("ADMIN", ["lead.read"])).toEqual({ role: "ADMIN", policies: [] });
    expect(normaliseAssignment("AGENT", ["lead.read", "nope", "lead.read"])).toEqual({
      role: "AGENT",
      policies: ["lead.read"],
    });
  });

  it("refuses an agent manager granting a policy it does not hold", () => {
    expect(canSubmitAssignment(memberManager, { role: "AGENT", policies: ["lead.read"] })).toBe(true);
    expect(canSubmitAssignment(memberManager, { role: "AGENT", policies: ["lead.read", "billing.read"] })).toBe(false);
  });

  it("lets only an owner manage an owner", () => {
    expect(canManageMember(owner, owner)).toBe(true);
    expect(canManageMember(admin, owner)).toBe(false);
    expect(canManageMember(admin, admin)).toBe(true);
    expect(canManageMember(memberManager, admin)).toBe(false);
    expect(canManageMember(memberManager, viewer)).toBe(false);
    expect(canManageMember(memberManager, { role: "AGENT", policies: ["lead.read"] })).toBe(true);
  });
});
