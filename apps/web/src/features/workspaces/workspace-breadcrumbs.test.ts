import i18next from "i18next";

import { describe, expect, it } from "@atrium/test-kit";

import workspaces from "../../i18n/locales/en/workspaces.json";
import { crumbsFor as crumbsIn } from "./workspace-breadcrumbs.tsx";

// The English names, as the shell shows them.
const i18n = i18next.createInstance();
await i18n.init({
  lng: "en",
  ns: ["workspaces"],
  resources: { en: { workspaces } },
  interpolation: { escapeValue: false },
});
const t = i18n.getFixedT("en", "workspaces");
const crumbsFor = (pathname: string, slug: string, name: string) => crumbsIn(pathname, slug, name, t);

describe("workspace breadcrumbs", () => {
  it("trails from the workspaces through the section to the record", () => {
    expect(crumbsFor("/w/acme", "acme", "Acme")).toEqual([
      { label: "Workspaces", to: "/" },
      { label: "Acme", to: "/w/acme" },
    ]);
    expect(crumbsFor("/w/acme/leads/123", "acme", "Acme").map((c) => c.label)).toEqual([
      "Workspaces",
      "Acme",
      "Leads",
      "Lead",
    ]);
    expect(crumbsFor("/w/acme/contacts/5", "acme", "Acme").map((c) => c.label)).toEqual([
      "Workspaces",
      "Acme",
      "Contacts",
      "Contact",
    ]);
    expect(crumbsFor("/w/acme/conversations/9", "acme", "Acme").map((c) => c.label)).toEqual([
      "Workspaces",
      "Acme",
      "Inbox",
      "Conversation",
    ]);
    expect(crumbsFor("/w/acme/settings/whatsapp-templates", "acme", "Acme").map((c) => c.label)).toEqual([
      "Workspaces",
      "Acme",
      "Settings",
      "WhatsApp templates",
    ]);
    expect(crumbsFor("/w/acme/contacts", "acme", "Acme").at(-1)).toEqual({ label: "Contacts", to: "/w/acme/contacts" });
    // An unknown section or detail adds nothing made up.
    expect(crumbsFor("/w/acme/nope", "acme", "Acme")).toHaveLength(2);
    expect(crumbsFor("/w/acme/bookings/5", "acme", "Acme")).toHaveLength(3);
  });
});
