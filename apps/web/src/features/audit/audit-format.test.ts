// The audit log's words (issue 56, item 12): names, never ids; an import as its counts.
import { describe, expect, it } from "@atrium/test-kit";

import { actionText, actorText, detailsText, targetText } from "./audit-format.ts";

const event = (over: Partial<Parameters<typeof actorText>[0]> = {}) => ({
  action: "contact.created",
  actorUserId: "u-ana",
  actor: { kind: "MEMBER" as const, name: "Ana Admin", email: "ana@example.com" },
  targetType: "Contact",
  targetLabel: "Carla Contact",
  data: "{}",
  ...over,
});

describe("who did it", () => {
  it("a member by name and e-mail, the viewer as You", () => {
    expect(actorText(event(), "u-me")).toEqual({ name: "Ana Admin", detail: "ana@example.com" });
    expect(actorText(event(), "u-ana")).toEqual({ name: "You", detail: "ana@example.com" });
  });

  it("an API key by its name, someone who left as a former member, nobody as the system", () => {
    expect(
      actorText(event({ actorUserId: null, actor: { kind: "API_KEY", name: "Zapier sync", email: null } }), "u-me"),
    ).toEqual({ name: "Zapier sync", detail: "API key" });
    expect(actorText(event({ actor: { kind: "FORMER_MEMBER", name: "Former member", email: null } }), "u-me")).toEqual({
      name: "Former member",
      detail: "no longer in the workspace",
    });
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
    expect(
      targetText(
        event({ action: "contact.imported", targetType: "Contact", targetLabel: "Contacts import: 1,003 rows" }),
      ),
    ).toEqual({ label: "Contacts import: 1,003 rows", kind: "Contact" });
  });

  it("an import as its counts, other details as words", () => {
    expect(
      detailsText(
        "contact.imported",
        JSON.stringify({ created: 1001, updated: 1, skipped: 1, failed: 0, onConflict: "KEEP_EXISTING" }),
      ),
    ).toBe("1,001 created · 1 merged · 1 skipped");
    expect(
      detailsText(
        "api_key.created",
        JSON.stringify({ name: "k", scopes: ["lead.read", "lead.manage"], expiresAt: null }),
      ),
    ).toBe("name: k · scopes: lead.read, lead.manage");
    expect(
      detailsText(
        "access.denied",
        JSON.stringify({
          operation: "Mutation.createLead",
          required: "create:Lead",
          message: "You do not have permission to do this.",
        }),
      ),
    ).toBe("You do not have permission to do this. (Mutation.createLead)");
  });
});

describe("in Spanish", () => {
  it("words the actor, the action, the target's kind and an import's counts in the page's language", async () => {
    const i18n = (await import("i18next")).default;
    const es = (await import("../../i18n/locales/es/audit.json", { with: { type: "json" } })).default;
    i18n.addResourceBundle("es", "audit", es, true, true);
    await i18n.changeLanguage("es");
    try {
      expect(actorText(event(), "u-ana").name).toBe("Tú");
      expect(
        actorText(event({ actor: { kind: "FORMER_MEMBER", name: "Former member", email: null } }), "u-me"),
      ).toEqual({ name: "Antiguo miembro", detail: "ya no está en el espacio de trabajo" });
      expect(actionText("contact.imported")).toBe("Contactos importados");
      expect(actionText("agent.paused")).toBe("Agente en pausa");
      // An action the namespace does not know: its noun in words, then its code.
      expect(actionText("lead.archived")).toBe("Cliente potencial: archived");
      expect(targetText(event({ targetType: "ApiKey", targetLabel: null }))).toEqual({ label: "Clave de API" });
      expect(
        detailsText("contact.imported", JSON.stringify({ created: 1001, updated: 1, skipped: 2, failed: 1 })),
      ).toBe("1001 creados · 1 combinado · 2 omitidos · 1 rechazado");
    } finally {
      await i18n.changeLanguage("en");
    }
  });

  it("keeps an unknown action's English shape", () => {
    expect(actionText("lead.archived")).toBe("Lead archived");
    expect(actionText("gadget.spun_up")).toBe("Gadget spun up");
  });
});
