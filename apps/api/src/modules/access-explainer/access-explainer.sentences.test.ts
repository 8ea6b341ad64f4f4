// "Why can't I?" answers read as answers (issue 56, item 12): who, what, in which workspace, why
// not, and whom to ask — never the policy model's vocabulary ("update Integration", "role
// preset"). The decision itself is @atrium/policies' (its tests hold it equal to the ability).
import { ACTIONS, POLICY_KEYS, SUBJECTS, type SubjectName } from "@atrium/policies";
import { describe, expect, it } from "@atrium/test-kit";

import { doingPhrase, readableExplanation, type ExplainPlace } from "./access-explainer.sentences.ts";

const acme: ExplainPlace = {
  workspaceName: "Acme",
  grantors: [
    { name: "Jane Doe", role: "OWNER" },
    { name: "Sam Lee", role: "ADMIN" },
  ],
};
const NAMES = SUBJECTS.filter((s): s is SubjectName => s !== "all");

describe("explainAccess reasons are sentences a person reads", () => {
  it("an agent without the policy: what, where, which policy, whom to ask", () => {
    expect(
      readableExplanation({ kind: "member", role: "AGENT", policies: ["contact.read"] }, "delete", "Contact", acme),
    ).toEqual({
      allowed: false,
      reasons: [
        "You can't delete contacts in Acme: your role Agent doesn't include contact.manage (create, edit and delete contacts), the policy that allows it. Ask an owner or admin (Jane Doe and Sam Lee) to give it to you.",
      ],
    });
  });

  it("settings are never an agent's: it says so and suggests the way forward", () => {
    const e = readableExplanation(
      { kind: "member", role: "AGENT", policies: ["lead.read"] },
      "update",
      "Workspace",
      acme,
    );
    expect(e.allowed).toBe(false);
    expect(e.reasons).toEqual([
      "You can't change the settings of Acme: it needs workspace.settings, which only an owner or admin can hold, and your role is Agent. Ask an owner or admin (Jane Doe and Sam Lee) to make you an admin, or to do it for you.",
    ]);
  });

  it("allowed: names the policy it comes from, and the condition a grant puts on the row", () => {
    const reply = readableExplanation(
      { kind: "member", role: "AGENT", policies: ["message.send"] },
      "send",
      "Conversation",
      acme,
    );
    expect(reply.allowed).toBe(true);
    expect(reply.reasons[0]).toBe(
      "You can reply by hand in conversations in Acme: you were given the policy message.send (send manual replies in conversations that are under human takeover), only on a conversation under human takeover (the agent is not replying).",
    );
    expect(
      readableExplanation({ kind: "member", role: "ADMIN", policies: [] }, "update", "Integration", acme).reasons,
    ).toEqual([
      "You can change integrations in Acme: your role Admin includes every policy, integration.manage among them.",
    ]);
  });

  it("owner-only powers name the owner", () => {
    expect(readableExplanation({ kind: "member", role: "ADMIN", policies: [] }, "delete", "Workspace", acme)).toEqual({
      allowed: false,
      reasons: [
        "You can't delete Acme: only its owner can, and your role is Admin. Ask the owner (Jane Doe) if it needs doing.",
      ],
    });
    expect(
      readableExplanation({ kind: "member", role: "OWNER", policies: [] }, "transfer", "Workspace", acme).reasons[0],
    ).toBe("You can transfer the ownership of Acme: only its owner can, and you are the owner.");
  });

  it("about another member: in the third person, without asking them to ask themselves", () => {
    const ana = readableExplanation(
      { kind: "member", role: "AGENT", policies: [], name: "Ana" },
      "create",
      "Lead",
      acme,
    );
    expect(ana.reasons[0]).toMatch(
      /^Ana can't create leads in Acme: their role Agent doesn't include lead\.manage \(create, edit and delete leads\), the policy that allows it\. An owner or admin \(Jane Doe and Sam Lee\) can give it to them\.$/,
    );
    const jane = readableExplanation(
      { kind: "member", role: "OWNER", policies: [], name: "Jane Doe" },
      "read",
      "Lead",
      acme,
    );
    expect(jane).toEqual({
      allowed: true,
      reasons: ["Jane Doe can see leads in Acme: their role Owner includes every policy, lead.read among them."],
    });
  });

  it("an API key: its scopes, and its creator's current policies", () => {
    expect(
      readableExplanation(
        { kind: "apiKey", scopes: ["lead.manage"], creatorRole: "ADMIN", creatorPolicies: [] },
        "create",
        "Lead",
        acme,
      ).reasons,
    ).toEqual([
      "This API key can create leads in Acme: its scope lead.manage allows it, and the member who created the key still holds that policy.",
    ]);
    const lapsed = readableExplanation(
      { kind: "apiKey", scopes: ["lead.manage"], creatorRole: "AGENT", creatorPolicies: ["lead.read"] },
      "create",
      "Lead",
      acme,
    );
    expect(lapsed.allowed).toBe(false);
    expect(lapsed.reasons[0]).toMatch(
      /^This API key can't create leads in Acme: its scope lead\.manage no longer counts, because the member who created the key no longer holds that policy/,
    );
  });

  it("every answer, for every role, action and subject, is plain sentences: no CASL words, no curly-quoted keys, no 'role preset'", () => {
    const members = [
      { kind: "member" as const, role: "OWNER" as const, policies: [] },
      { kind: "member" as const, role: "ADMIN" as const, policies: [] },
      ...POLICY_KEYS.map((k) => ({ kind: "member" as const, role: "AGENT" as const, policies: [k as string] })),
    ];
    for (const who of members)
      for (const action of ACTIONS.filter((a) => a !== "manage"))
        for (const subject of NAMES) {
          const { reasons } = readableExplanation(who, action, subject, acme);
          expect(reasons.length).toBeGreaterThan(0);
          for (const reason of reasons) {
            expect(reason).toMatch(/^[A-Z“].*[.)]$/);
            expect(reason).not.toMatch(/role preset|“|\b(update|read) [A-Z][a-zA-Z]+\b/);
            expect(reason).not.toContain(`${action} ${subject}`);
          }
        }
  });

  it("words every action and subject pair", () => {
    expect(doingPhrase("read", "AuditEvent", "Acme")).toBe("read the audit log of Acme");
    expect(doingPhrase("assign", "Conversation", "Acme")).toBe("assign conversations in Acme");
    expect(doingPhrase("update", "PhoneConfig", "Acme")).toBe("change phone numbers in Acme");
  });
});
