import { subject } from "@casl/ability";

import { describe, expect, it } from "@atrium/test-kit";

import {
  ACTIONS,
  canChangeMember,
  canGrant,
  defineAbilityFor,
  defineAbilityForApiKey,
  packAbility,
  SUBJECTS,
  unpackAbility,
  type Action,
  type AppAbility,
  type SubjectName,
} from "./ability.ts";
import { POLICY_KEYS, ROLE_POLICIES, type MembershipRole } from "./catalog.ts";

const A = "11111111-1111-4111-8111-111111111111";
const B = "22222222-2222-4222-8222-222222222222";

const owner = () => defineAbilityFor({ workspaceId: A, role: "OWNER", policies: [] });
const admin = () => defineAbilityFor({ workspaceId: A, role: "ADMIN", policies: [] });
const agent = (policies: readonly string[] = ROLE_POLICIES.AGENT) =>
  defineAbilityFor({ workspaceId: A, role: "AGENT", policies });

/** Instance-level check on a row of workspace `workspaceId` (what a service does). */
const canOnRow = (ability: AppAbility, action: Action, name: SubjectName, workspaceId = A, extra: object = {}) =>
  ability.can(action, subject(name, { id: "row-1", workspaceId, ...extra }));

const CONCRETE_SUBJECTS = SUBJECTS.filter((name): name is SubjectName => name !== "all");

/** Every (action, subject) pair that a resolver guard could ask about. */
const ALL_PAIRS = ACTIONS.flatMap((action) => CONCRETE_SUBJECTS.map((name) => [action, name] as const));

const allowedPairs = (ability: AppAbility) =>
  ALL_PAIRS.filter(([action, name]) => ability.can(action, name)).map(([action, name]) => `${action} ${name}`);

describe("agent with the default policies", () => {
  it("may exactly read the workspace, members, leads, contacts, conversations and messages, take over and send in takeover", () => {
    expect(allowedPairs(agent())).toEqual([
      "read Workspace",
      "read Member",
      "read Lead",
      "read Contact",
      "read Conversation",
      "read Message",
      "update Conversation",
      "send Conversation",
    ]);
  });

  it("sends a manual reply only while the conversation is under human takeover", () => {
    const ability = agent();
    expect(canOnRow(ability, "send", "Conversation", A, { humanTakeover: true })).toBe(true);
    expect(canOnRow(ability, "send", "Conversation", A, { humanTakeover: false })).toBe(false);
    expect(canOnRow(ability, "send", "Conversation", A)).toBe(false);
    expect(canOnRow(ability, "send", "Conversation", B, { humanTakeover: true })).toBe(false);
  });

  it("cannot rename the workspace, invite, or touch integrations and API keys", () => {
    const ability = agent();
    expect(ability.can("update", "Workspace")).toBe(false);
    expect(ability.can("create", "Invitation")).toBe(false);
    expect(ability.can("update", "Member")).toBe(false);
    expect(ability.can("read", "Integration")).toBe(false);
    expect(ability.can("create", "ApiKey")).toBe(false);
    expect(ability.can("update", "Lead")).toBe(false);
    expect(ability.can("read", "AuditEvent")).toBe(false);
  });
});

describe("agent whose stored policies include forbidden ones", () => {
  it("still cannot manage API keys, integrations or settings", () => {
    const ability = agent(["apikey.manage", "integration.manage", "workspace.settings", "lead.read"]);
    for (const action of ["read", "create", "update", "delete", "manage"] as const) {
      expect(ability.can(action, "ApiKey"), `${action} ApiKey`).toBe(false);
      expect(ability.can(action, "Integration"), `${action} Integration`).toBe(false);
    }
    expect(ability.can("update", "Workspace")).toBe(false);
    expect(ability.can("read", "Lead")).toBe(true);
  });

  it("ignores unknown policy strings", () => {
    expect(allowedPairs(agent(["workspace.admin", "lead.*", "*"]))).toEqual(["read Workspace", "read Member"]);
  });
});

describe("agent with extra policies", () => {
  it("gets what those policies grant, e.g. lead.manage edits leads and workspace.members invites", () => {
    const ability = agent(["lead.manage", "workspace.members"]);
    expect(canOnRow(ability, "update", "Lead")).toBe(true);
    expect(canOnRow(ability, "delete", "Lead")).toBe(true);
    expect(canOnRow(ability, "create", "Invitation")).toBe(true);
    expect(canOnRow(ability, "delete", "Member")).toBe(true);
    expect(ability.can("send", "Conversation")).toBe(false);
  });

  it("runs a campaign only with campaign.run, not with campaign.manage", () => {
    expect(agent(["campaign.manage"]).can("run", "Campaign")).toBe(false);
    expect(agent(["campaign.run"]).can("run", "Campaign")).toBe(true);
  });
});

describe("admin", () => {
  it("cannot read or change single sign-on (the owner's call)", () => {
    expect(admin().can("read", "SingleSignOn")).toBe(false);
    expect(admin().can("update", "SingleSignOn")).toBe(false);
    expect(canOnRow(owner(), "update", "SingleSignOn")).toBe(true);
  });

  it("cannot delete the workspace or transfer ownership", () => {
    const ability = admin();
    expect(canOnRow(ability, "delete", "Workspace")).toBe(false);
    expect(canOnRow(ability, "transfer", "Workspace")).toBe(false);
    expect(ability.can("delete", "Workspace")).toBe(false);
    expect(ability.can("transfer", "Workspace")).toBe(false);
  });

  it("can do everything else an owner can", () => {
    const ownerOnly = ["delete Workspace", "transfer Workspace", "read SingleSignOn", "update SingleSignOn"];
    const ownerPairs = allowedPairs(owner()).filter((pair) => !ownerOnly.includes(pair));
    expect(allowedPairs(admin())).toEqual(ownerPairs);
    expect(canOnRow(admin(), "update", "Workspace")).toBe(true);
    expect(canOnRow(admin(), "create", "ApiKey")).toBe(true);
    expect(canOnRow(admin(), "update", "Integration")).toBe(true);
  });
});

describe("owner", () => {
  it("can delete the workspace and transfer ownership", () => {
    expect(canOnRow(owner(), "delete", "Workspace")).toBe(true);
    expect(canOnRow(owner(), "transfer", "Workspace")).toBe(true);
  });

  it("is never granted CASL's wildcard action or subject", () => {
    expect(owner().rules.some((rule) => rule.subject === "all" || [rule.action].flat().includes("manage"))).toBe(false);
    expect(owner().can("manage", "Lead")).toBe(false);
  });
});

describe("workspace isolation", () => {
  it("refuses every action on a row of another workspace, even for the owner", () => {
    for (const ability of [owner(), admin(), agent(POLICY_KEYS)]) {
      for (const [action, name] of ALL_PAIRS) {
        expect(canOnRow(ability, action, name, B, { humanTakeover: true }), `${action} ${name}`).toBe(false);
      }
    }
  });

  it("refuses a Lead of workspace B to an ability for workspace A and allows A's own", () => {
    const ability = owner();
    expect(ability.can("read", subject("Lead", { workspaceId: B }))).toBe(false);
    expect(ability.can("read", subject("Lead", { workspaceId: A }))).toBe(true);
  });

  it("refuses a row that carries no workspaceId", () => {
    expect(owner().can("read", subject("Lead", { id: "x" }))).toBe(false);
  });

  it("puts { workspaceId } on every rule", () => {
    for (const ability of [
      owner(),
      agent(),
      defineAbilityForApiKey({ workspaceId: A, creatorRole: "OWNER", creatorPolicies: [], scopes: POLICY_KEYS }),
    ]) {
      for (const rule of ability.rules) expect(rule.conditions).toMatchObject({ workspaceId: A });
    }
  });

  it("refuses to build an ability without a workspace", () => {
    expect(() => defineAbilityFor({ workspaceId: "", role: "OWNER", policies: [] })).toThrow();
  });
});

describe("API key ability", () => {
  const keyFor = (creatorRole: MembershipRole, creatorPolicies: readonly string[], scopes: readonly string[]) =>
    defineAbilityForApiKey({ workspaceId: A, creatorRole, creatorPolicies, scopes });

  it("is the intersection of its scopes and its creator's current policies", () => {
    const key = keyFor(
      "AGENT",
      ["lead.read", "lead.manage", "contact.read"],
      ["lead.manage", "audit.read", "contact.read"],
    );
    expect(allowedPairs(key)).toEqual([
      "read Workspace",
      "read Lead",
      "read Contact",
      "create Lead",
      "update Lead",
      "delete Lead",
    ]);
    // audit.read is in scope but the creator lacks it; lead.read is held but not in scope
    // (read Lead comes from lead.manage).
    expect(key.can("read", "AuditEvent")).toBe(false);
  });

  it("loses a scope when the creator loses the policy", () => {
    expect(keyFor("ADMIN", [], ["apikey.manage"]).can("create", "ApiKey")).toBe(true);
    expect(keyFor("AGENT", ["apikey.manage"], ["apikey.manage"]).can("create", "ApiKey")).toBe(false);
  });

  it("never gets the owner's delete or transfer, even with every scope", () => {
    const key = keyFor("OWNER", [], POLICY_KEYS);
    expect(canOnRow(key, "delete", "Workspace")).toBe(false);
    expect(canOnRow(key, "transfer", "Workspace")).toBe(false);
  });

  it("does not list or manage members and invitations without the workspace.members scope", () => {
    const key = keyFor("OWNER", [], ["lead.read"]);
    for (const action of ["read", "create", "update", "delete"] as const) {
      expect(key.can(action, "Member"), `${action} Member`).toBe(false);
      expect(key.can(action, "Invitation"), `${action} Invitation`).toBe(false);
    }
    expect(canOnRow(key, "read", "Workspace")).toBe(true);
    expect(keyFor("OWNER", [], ["workspace.members"]).can("create", "Invitation")).toBe(true);
  });

  it("ignores unknown scopes", () => {
    expect(allowedPairs(keyFor("OWNER", [], ["workspace.admin", "*"]))).toEqual(["read Workspace"]);
  });
});

describe("packAbility / unpackAbility", () => {
  const abilities: Array<[string, AppAbility]> = [
    ["owner", owner()],
    ["admin", admin()],
    ["default agent", agent()],
    ["agent with everything", agent(POLICY_KEYS)],
    [
      "api key",
      defineAbilityForApiKey({
        workspaceId: A,
        creatorRole: "ADMIN",
        creatorPolicies: [],
        scopes: ["lead.manage", "message.send"],
      }),
    ],
  ];

  it.each(abilities)("rebuilds the same answers for %s", (_name, original) => {
    const rebuilt = unpackAbility(packAbility(original));
    // unpackRules normalises shapes (arrays, `inverted: false`), so compare the packed form.
    expect(packAbility(rebuilt)).toBe(packAbility(original));
    for (const [action, name] of ALL_PAIRS) {
      const label = `${action} ${name}`;
      expect(rebuilt.can(action, name), label).toBe(original.can(action, name));
      for (const workspaceId of [A, B]) {
        for (const humanTakeover of [true, false]) {
          expect(
            canOnRow(rebuilt, action, name, workspaceId, { humanTakeover }),
            `${label} ${workspaceId} ${humanTakeover}`,
          ).toBe(canOnRow(original, action, name, workspaceId, { humanTakeover }));
        }
      }
    }
  });

  it("packs deterministically", () => {
    expect(packAbility(agent(["message.send", "lead.read", "lead.manage"]))).toBe(
      packAbility(agent(["lead.manage", "lead.read", "message.send"])),
    );
  });

  it("rejects input that is not a packed ability", () => {
    expect(() => unpackAbility("{}")).toThrow();
    expect(() => unpackAbility("not json")).toThrow();
    expect(() => unpackAbility(JSON.stringify([["read", "Secret"]]))).toThrow();
    expect(() => unpackAbility(JSON.stringify([["launch", "Lead"]]))).toThrow();
  });
});

describe("canGrant (no escalation, SPEC M7)", () => {
  const OWNER = { role: "OWNER", policies: [] } as const;
  const ADMIN = { role: "ADMIN", policies: [] } as const;
  const recruiter = {
    role: "AGENT",
    policies: ["workspace.members", "lead.read", "lead.manage", "contact.read"],
  } as const;

  it("lets an owner assign any role, including OWNER", () => {
    expect(canGrant(OWNER, { role: "OWNER", policies: [] })).toBe(true);
    expect(canGrant(OWNER, { role: "ADMIN", policies: [] })).toBe(true);
    expect(canGrant(OWNER, { role: "AGENT", policies: ["billing.manage", "audit.read"] })).toBe(true);
  });

  it("does not let an admin create owners, but lets it create admins and agents", () => {
    expect(canGrant(ADMIN, { role: "OWNER", policies: [] })).toBe(false);
    expect(canGrant(ADMIN, { role: "ADMIN", policies: [] })).toBe(true);
    expect(canGrant(ADMIN, { role: "AGENT", policies: ROLE_POLICIES.AGENT })).toBe(true);
  });

  it("lets an agent with workspace.members grant only policies it holds", () => {
    expect(canGrant(recruiter, { role: "AGENT", policies: ["lead.read", "contact.read"] })).toBe(true);
    expect(canGrant(recruiter, { role: "AGENT", policies: ["lead.read", "conversation.read"] })).toBe(false);
    expect(canGrant(recruiter, { role: "AGENT", policies: ["workspace.members"] })).toBe(true);
  });

  it("does not let an agent make admins or owners, since those hold every policy", () => {
    expect(canGrant(recruiter, { role: "ADMIN", policies: [] })).toBe(false);
    expect(canGrant(recruiter, { role: "OWNER", policies: [] })).toBe(false);
  });

  it("refuses a grantor without workspace.members, even for a subset of its policies", () => {
    expect(
      canGrant({ role: "AGENT", policies: ["lead.read", "contact.read"] }, { role: "AGENT", policies: ["lead.read"] }),
    ).toBe(false);
  });

  it("does not count forbidden policies stored on an agent grantor", () => {
    const grantor = { role: "AGENT", policies: ["workspace.members", "apikey.manage"] } as const;
    expect(canGrant(grantor, { role: "AGENT", policies: [] })).toBe(true);
    expect(canGrant(grantor, { role: "AGENT", policies: ["apikey.manage"] })).toBe(false);
  });

  it("refuses unknown policies and policies an agent may never hold", () => {
    expect(canGrant(OWNER, { role: "AGENT", policies: ["workspace.admin"] })).toBe(false);
    expect(canGrant(OWNER, { role: "AGENT", policies: ["integration.manage"] })).toBe(false);
    expect(canGrant(OWNER, { role: "ADMIN", policies: ["nonsense"] })).toBe(false);
  });

  it("refuses unknown roles", () => {
    expect(canGrant({ role: "ROOT" as MembershipRole, policies: POLICY_KEYS }, { role: "AGENT", policies: [] })).toBe(
      false,
    );
    expect(canGrant(OWNER, { role: "ROOT" as MembershipRole, policies: [] })).toBe(false);
  });

  it("lets only an owner change an owner", () => {
    const anOwner = { role: "OWNER", policies: [] } as const;
    const demoted = { role: "ADMIN", policies: [] } as const;
    expect(canChangeMember(ADMIN, anOwner, demoted)).toBe(false);
    expect(canChangeMember(OWNER, anOwner, demoted)).toBe(true);
  });

  it("does not let an agent with workspace.members demote an admin", () => {
    expect(
      canChangeMember(recruiter, { role: "ADMIN", policies: [] }, { role: "AGENT", policies: ["lead.read"] }),
    ).toBe(false);
    expect(
      canChangeMember(recruiter, { role: "AGENT", policies: [] }, { role: "AGENT", policies: ["lead.read"] }),
    ).toBe(true);
  });
});
