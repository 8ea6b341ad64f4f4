import { describe, expect, it } from "@atrium/test-kit";

import { bellLabel, notificationTarget, unreadBadge } from "./notification-target.ts";

describe("notification centre", () => {
  it("opens the conversation of an assignment or a mention", () => {
    expect(notificationTarget({ kind: "ASSIGNED", conversationId: "c1" }, "acme", true)).toBe(
      "/w/acme/conversations/c1",
    );
    expect(notificationTarget({ kind: "MENTION", conversationId: "c1", reviewItemId: null }, "acme", true)).toBe(
      "/w/acme/conversations/c1",
    );
  });

  it("opens the review queue for an escalation, or its conversation for a reader without the queue", () => {
    expect(notificationTarget({ kind: "ESCALATION", conversationId: "c1", reviewItemId: "r1" }, "acme", true)).toBe(
      "/w/acme/review",
    );
    expect(notificationTarget({ kind: "ESCALATION", conversationId: "c1", reviewItemId: "r1" }, "acme", false)).toBe(
      "/w/acme/conversations/c1",
    );
    expect(
      notificationTarget({ kind: "ESCALATION", conversationId: null, reviewItemId: "r1" }, "acme", false),
    ).toBeNull();
  });

  it("names the bell with its unread count, and caps the badge", () => {
    expect(bellLabel(0)).toBe("Notifications, none unread");
    expect(bellLabel(3)).toBe("Notifications, 3 unread");
    expect(unreadBadge(0)).toBeUndefined();
    expect(unreadBadge(7)).toBe("7");
    expect(unreadBadge(120)).toBe("99+");
  });
});

describe("notification centre in Spanish", () => {
  it("names the bell in the page's language", async () => {
    const i18n = (await import("i18next")).default;
    const es = (await import("../../i18n/locales/es/notifications.json", { with: { type: "json" } })).default;
    i18n.addResourceBundle("es", "notifications", es, true, true);
    await i18n.changeLanguage("es");
    try {
      expect(bellLabel(0)).toBe("Notificaciones, ninguna sin leer");
      expect(bellLabel(1200)).toBe("Notificaciones, 1200 sin leer");
    } finally {
      await i18n.changeLanguage("en");
    }
    expect(bellLabel(1200)).toBe("Notifications, 1,200 unread");
  });
});
