// The audit log's words (issue 56, item 12): names, never ids; an import as its counts.
import { describe, expect, it } from "@atrium/test-kit";
import { actionText, actorText, detailsText, targetText } from "./audit-format.ts";

const event = (over: Partial<Parameters<typeof actorText>[0]> = {}) => ({ action: "contact.created", actorUserId: "u-ana", actor: { kind: "MEMBER" as const, name: "Ana Admin", email: "ana@example.com" }, targetType: "Contact", targetLabel: "Carla Contact", data: "{}", ...over });

describe("who did it", () => {
  it("a member by name and e-mail, the viewer as You", () => {
    expect(actorText(event(), "u-me")).toEqual({ name: "Ana Admin", detail: "ana@example.com" });
    expect(actorText(event(), "u-ana")).toEqual({ name: "You", detail: "ana@example.com" });
  });

  it("an API key by its name, someone who left as a former member, nobody as the system", () => {
    expect(actorText(event({ actorUserId: null, actor: { kind: "API_KEY", name: "Zapier sync", email: null } }), "u-me")).toEqual({ name: "Zapier sync", detail: "API key" });
    expect(actorText(event({ actor: { kind: "FORMER_MEMBER", name: "Former member", email: null } }), "u-me")).toEqual({ name: "Former member", detail: "no longer in the workspace" });
    expect(actorText(event({ actorUserId: null, actor: null }), "u-me").name).toBe("System");
  });
});

describe("what, to what, and how", () => {
  it("actions in words", () => {
    expect(actionText("contact.imported")).toBe("Contacts imported");
    expect(actionText("api_key.created")).toBe("API key created");
    expect(actionText("member.updated")).toBe("Member updated");
    expect(actionText("conversation.takeover_started")).toBe("Conversation takeover started");
  });

  it("the target's label with its kind; without a label, the kind only — never the id", () => {
    expect(targetText(event())).toEqual({ label: "Carla Contact", kind: "Contact" });
    expect(targetText(event({ targetType: "ApiKey", targetLabel: null }))).toEqual({ label: "API key" });
    expect(targetText(event({ targetType: null, targetLabel: null }))).toBeUndefined();
    expect(targetText(event({ action: "contact.imported", targetType: "Contact", targetLabel: "Contacts import: 1,003 rows" }))).toEqual({ label: "Contacts import: 1,003 rows", kind: "Contact" });
  });

  it("an import as its counts, other details as words", () => {
    expect(detailsText("contact.imported", JSON.stringify({ created: 1001, updated: 1, skipped: 1, failed: 0, onConflict: "KEEP_EXISTING" }))).toBe("1,001 created · 1 merged · 1 skipped");
    expect(detailsText("api_key.created", JSON.stringify({ name: "k", scopes: ["lead.read", "lead.manage"], expiresAt: null }))).toBe("name: k · scopes: lead.read, lead.manage");
    expect(detailsText("access.denied", JSON.stringify({ operation: "Mutation.createLead", required: "create:Lead", message: "You do not have permission to do this." }))).toBe("You do not have permission to do this. (Mutation.createLead)");
  });
});
