import { defineAbilityFor, packAbility, ROLE_POLICIES, type MembershipRole } from "@atrium/policies";
import { describe, expect, it } from "@atrium/test-kit";

import { abilityFromPacked } from "../../platform/ability.tsx";
import { visibleSections } from "./workspace-sections.ts";

/** The ability as the web app gets it: packed by the API, unpacked in the browser. */
function abilityOf(role: MembershipRole, policies: readonly string[] = ROLE_POLICIES[role]) {
  return abilityFromPacked(packAbility(defineAbilityFor({ workspaceId: "ws-1", role, policies })));
}

const labels = (role: MembershipRole, policies?: readonly string[]) =>
  visibleSections(abilityOf(role, policies)).map((section) => section.label);

describe("workspace navigation", () => {
  it("shows an owner every section", () => {
    expect(labels("OWNER")).toEqual([
      "Leads",
      "Contacts",
      "Inbox",
      "Review",
      "Bookings",
      "Campaigns",
      "Analytics",
      "Phone numbers",
      "Webhooks",
      "Safety rules",
      "Usage and plan",
      "Members",
      "API keys",
      "Settings",
      "Audit log",
    ]);
  });

  it("shows an admin every section", () => {
    expect(labels("ADMIN")).toEqual([
      "Leads",
      "Contacts",
      "Inbox",
      "Review",
      "Bookings",
      "Campaigns",
      "Analytics",
      "Phone numbers",
      "Webhooks",
      "Safety rules",
      "Usage and plan",
      "Members",
      "API keys",
      "Settings",
      "Audit log",
    ]);
  });

  it("hides settings, API keys and the audit log from a default agent", () => {
    expect(labels("AGENT")).toEqual(["Leads", "Contacts", "Inbox", "Bookings", "Analytics", "Members"]);
  });

  it("shows an agent without lead.read no Leads or Bookings section", () => {
    expect(labels("AGENT", ["conversation.read"])).toEqual(["Inbox", "Members"]);
  });

  it("shows phone numbers and webhooks to an agent granted their read policies", () => {
    expect(labels("AGENT", ["phone_config.read", "webhook.read"])).toEqual(["Phone numbers", "Webhooks", "Members"]);
  });

  it("shows campaigns with campaign.read or campaign.run, usage with billing.read", () => {
    expect(labels("AGENT", ["campaign.read"])).toEqual(["Campaigns", "Members"]);
    expect(labels("AGENT", ["campaign.run"])).toEqual(["Campaigns", "Members"]);
    expect(labels("AGENT", ["billing.read"])).toEqual(["Usage and plan", "Members"]);
  });

  it("shows the review queue with review.read or review.claim, safety rules with safety.manage", () => {
    expect(labels("AGENT", ["review.read"])).toEqual(["Review", "Members"]);
    expect(labels("AGENT", ["review.claim"])).toEqual(["Review", "Members"]);
    expect(labels("AGENT", ["safety.manage"])).toEqual(["Safety rules", "Members"]);
    expect(labels("AGENT", ["conversation.manage"])).not.toContain("Safety rules");
  });

  it("shows the audit log to an agent granted audit.read", () => {
    expect(labels("AGENT", ["audit.read"])).toContain("Audit log");
  });

  it("shows nothing when the packed rules cannot be read", () => {
    expect(visibleSections(abilityFromPacked("not json"))).toEqual([]);
    expect(visibleSections(abilityFromPacked('[["fly","Lead"]]'))).toEqual([]);
  });
});
