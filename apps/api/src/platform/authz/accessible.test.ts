import { defineAbilityFor } from "@atrium/policies";
import { describe, expect, it } from "@atrium/test-kit";

import { AppError } from "../errors.ts";
import { accessibleWhere } from "./accessible.ts";

const W = "11111111-1111-4111-8111-111111111111";

describe("accessibleWhere", () => {
  it("turns the allowing rules into a where on the workspace (and the grant's own conditions)", () => {
    const agent = defineAbilityFor({ workspaceId: W, role: "AGENT", policies: ["message.send", "lead.read"] });
    expect(accessibleWhere(agent, "read", "Lead")).toEqual({ AND: [{ OR: [{ workspaceId: W }] }] });
    expect(accessibleWhere(agent, "send", "Conversation")).toEqual({
      AND: [{ OR: [{ humanTakeover: true, workspaceId: W }] }],
    });
  });

  it("refuses with FORBIDDEN when no rule allows the action (fail closed)", () => {
    const agent = defineAbilityFor({ workspaceId: W, role: "AGENT", policies: [] });
    expect(() => accessibleWhere(agent, "read", "ApiKey")).toThrow(AppError);
    try {
      accessibleWhere(agent, "read", "AuditEvent");
    } catch (err) {
      expect((err as AppError).code).toBe("FORBIDDEN");
    }
  });
});
