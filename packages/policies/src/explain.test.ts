import { subject } from "@casl/ability";

import { describe, expect, it } from "@atrium/test-kit";

import {
  ACTIONS,
  defineAbilityFor,
  defineAbilityForApiKey,
  POLICY_GRANTS,
  SUBJECTS,
  type Action,
  type AppAbility,
  type SubjectName,
} from "./ability.ts";
import { POLICY_KEYS, type MembershipRole } from "./catalog.ts";
import { explainAccess, policiesGranting } from "./explain.ts";

const W = "11111111-1111-4111-8111-111111111111";
const NAMES = SUBJECTS.filter((s): s is SubjectName => s !== "all");

/** What the ability says for a row of this workspace that meets any condition a grant sets. */
function abilitySays(ability: AppAbility, action: Action, name: SubjectName): boolean {
  const conditionSets = [
    {},
    ...POLICY_KEYS.flatMap((k) =>
      POLICY_GRANTS[k].filter((g) => g.subject === name && g.action === action).map((g) => g.conditions ?? {}),
    ),
  ];
  return conditionSets.some((c) => ability.can(action, subject(name, { ...c, workspaceId: W })));
}

const members: { role: MembershipRole; policies: string[] }[] = [
  { role: "OWNER", policies: [] },
  { role: "ADMIN", policies: [] },
  { role: "AGENT", policies: [] },
  ...POLICY_KEYS.map((k) => ({ role: "AGENT" as const, policies: [k as string] })),
];

describe("explainAccess agrees with the ability factory", () => {
  it.each(members.map((m) => [`${m.role} ${m.policies.join(",")}`, m] as const))(
    "member %s: every action × subject",
    (_l, m) => {
      const ability = defineAbilityFor({ workspaceId: W, ...m });
      for (const action of ACTIONS) {
        for (const name of NAMES) {
          const e = explainAccess({ kind: "member", ...m }, action, name);
          expect({ action, name, allowed: e.allowed }).toEqual({
            action,
            name,
            allowed: abilitySays(ability, action, name),
          });
          expect(e.reasons.length).toBeGreaterThan(0);
        }
      }
    },
  );

  it.each(POLICY_KEYS.map((k) => [k] as const))(
    "API key scoped %s, creator AGENT without it and ADMIN with it",
    (k) => {
      for (const creatorRole of ["AGENT", "ADMIN"] as const) {
        const input = { scopes: [k], creatorRole, creatorPolicies: [] };
        const ability = defineAbilityForApiKey({ workspaceId: W, ...input });
        for (const action of ACTIONS) {
          for (const name of NAMES) {
            expect({
              action,
              name,
              allowed: explainAccess({ kind: "apiKey", ...input }, action, name).allowed,
            }).toEqual({ action, name, allowed: abilitySays(ability, action, name) });
          }
        }
      }
    },
  );
});

describe("explainAccess sentences", () => {
  it("names the granting policy and the human-takeover condition for an agent's reply", () => {
    const e = explainAccess({ kind: "member", role: "AGENT", policies: ["message.send"] }, "send", "Conversation");
    expect(e.allowed).toBe(true);
    expect(e.reasons.join(" ")).toContain("“message.send”");
    expect(e.reasons.join(" ")).toContain("only on a conversation under human takeover");
  });

  it("tells an agent who can grant what is missing, and that settings are never for agents", () => {
    const lead = explainAccess({ kind: "member", role: "AGENT", policies: [], name: "Ana" }, "create", "Lead");
    expect(lead).toEqual({
      allowed: false,
      reasons: [expect.stringContaining("Ana does not hold a policy that allows create Lead")],
    });
    expect(lead.reasons[0]).toContain("“lead.manage”");
    const settings = explainAccess(
      { kind: "member", role: "AGENT", policies: ["integration.manage"] },
      "update",
      "Integration",
    );
    expect(settings.allowed).toBe(false);
    expect(settings.reasons.join(" ")).toMatch(/Agents can never update Integration/);
  });

  it("names the role preset for an admin, and owner-only powers", () => {
    expect(explainAccess({ kind: "member", role: "ADMIN", policies: [] }, "update", "Integration").reasons[0]).toMatch(
      /role preset of an admin.*“integration.manage”/,
    );
    expect(explainAccess({ kind: "member", role: "ADMIN", policies: [] }, "delete", "Workspace")).toEqual({
      allowed: false,
      reasons: ["Only the workspace owner can delete Workspace; you are an admin."],
    });
  });

  it("explains a key's scopes ∩ its creator's current policies", () => {
    const lapsed = explainAccess(
      { kind: "apiKey", scopes: ["lead.manage"], creatorRole: "AGENT", creatorPolicies: ["lead.read"] },
      "create",
      "Lead",
    );
    expect(lapsed.allowed).toBe(false);
    expect(lapsed.reasons[0]).toMatch(/creator no longer holds that policy/);
    const ok = explainAccess(
      { kind: "apiKey", scopes: ["lead.manage"], creatorRole: "ADMIN", creatorPolicies: [] },
      "create",
      "Lead",
    );
    expect(ok).toEqual({ allowed: true, reasons: [expect.stringMatching(/scope “lead.manage”.*creator still holds/)] });
  });

  it("refuses the wildcard manage", () => {
    expect(explainAccess({ kind: "member", role: "OWNER", policies: [] }, "manage", "Lead").allowed).toBe(false);
    expect(policiesGranting("read", "Lead")).toEqual(["lead.read", "lead.manage"]);
  });
});
