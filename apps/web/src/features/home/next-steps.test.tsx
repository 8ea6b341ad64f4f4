/**
 * @jest-environment jsdom
 */
// The empty inbox's next step follows the workspace's state: not connected → "Connect <provider>"
// linking to the integration card; connected → share the form; a member who cannot read the
// setup (no workspace.settings) is told an admin connects it, and nothing is asked of the API.
import { type MockLink } from "@apollo/client/testing";
import { MemoryRouter } from "react-router";

import { defineAbilityFor, packAbility, ROLE_POLICIES, type MembershipRole } from "@atrium/policies";
import { describe, expect, it } from "@atrium/test-kit";

import { AbilityContext, abilityFromPacked } from "../../platform/ability.tsx";
import { renderWithApi, until } from "../../platform/testing/dom.tsx";
import { ConversationsNextStep } from "./next-steps.tsx";
import { WorkspaceSetupDocument } from "./operations.ts";

const workspaceId = "w1";
const setup = (channelConnected: boolean): MockLink.MockedResponse => ({
  request: { query: WorkspaceSetupDocument, variables: { workspaceId } },
  result: {
    data: {
      workspaceHome: {
        __typename: "WorkspaceHomeView",
        checklist: {
          __typename: "OnboardingChecklistView",
          items: [
            { __typename: "ChecklistItemView", key: "CHANNEL_CONNECTED", done: channelConnected },
            { __typename: "ChecklistItemView", key: "FIRST_LEAD", done: false },
          ],
        },
      },
    },
  },
});

const abilityOf = (role: MembershipRole) =>
  abilityFromPacked(packAbility(defineAbilityFor({ workspaceId, role, policies: ROLE_POLICIES[role] })));

async function renderEmpty(role: MembershipRole, channel: "WHATSAPP" | "VOICE", mocks: MockLink.MockedResponse[]) {
  const container = await renderWithApi(
    <MemoryRouter>
      <AbilityContext.Provider value={abilityOf(role)}>
        <ConversationsNextStep workspace={{ id: workspaceId, slug: "acme", channel }} />
      </AbilityContext.Provider>
    </MemoryRouter>,
    mocks,
  );
  return container;
}

describe("the empty inbox's next step", () => {
  it("Twilio not connected: says so and links to the integration card", async () => {
    const c = await renderEmpty("OWNER", "WHATSAPP", [setup(false)]);
    await until(() => c.textContent?.includes("Twilio is not connected.") === true);
    const link = [...c.querySelectorAll("a")].find((a) => a.textContent === "Connect Twilio");
    expect(link?.getAttribute("href")).toBe("/w/acme/settings#settings-integrations-title");
    expect(c.querySelector('[data-testid="public-form-link"]')).toBeNull();
  });

  it("connected: offers the form to share", async () => {
    const c = await renderEmpty("OWNER", "WHATSAPP", [setup(true)]);
    await until(() => c.textContent?.includes("Twilio is connected.") === true);
    expect(c.querySelector('[data-testid="public-form-link"]')).not.toBeNull();
    expect([...c.querySelectorAll("a")].some((a) => a.textContent === "Connect Twilio")).toBe(false);
  });

  it("a voice workspace's provider is Vapi", async () => {
    const c = await renderEmpty("ADMIN", "VOICE", [setup(false)]);
    await until(() => c.textContent?.includes("Vapi is not connected.") === true);
    expect([...c.querySelectorAll("a")].some((a) => a.textContent === "Connect Vapi")).toBe(true);
  });

  it("an agent (no workspace.settings) is told an admin connects it; the setup is not queried", async () => {
    // No mock: a query would fail and leave the loading text; the agent's text shows at once.
    const c = await renderEmpty("AGENT", "WHATSAPP", []);
    expect(c.textContent).toContain("an admin connects Twilio in Settings");
    expect(c.querySelector('[data-testid="public-form-link"]')).not.toBeNull();
  });
});
