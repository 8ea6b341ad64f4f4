/**
 * @jest-environment jsdom
 */
// Inbox settings in a DOM (jsdom): each control saves as it changes (updateInboxSettings, and
// setAutoAssign for the workspace), says so, and the workspace switch is there only for members
// who may assign conversations.
import { type MockLink } from "@apollo/client/testing";
import { GraphQLError } from "graphql";

import { defineAbilityFor, packAbility, ROLE_POLICIES, type MembershipRole } from "@atrium/policies";
import { describe, expect, it } from "@atrium/test-kit";

import { AbilityContext, abilityFromPacked } from "../../platform/ability.tsx";
import { click, renderWithApi, until } from "../../platform/testing/dom.tsx";
import { InboxSettingsDialog } from "./inbox-settings-dialog.tsx";
import { InboxSettingsDocument, SetAutoAssignDocument, UpdateInboxSettingsDocument } from "./operations.ts";

const workspaceId = "w1";
const settings = (over: Partial<{ available: boolean; emailNotifications: string; autoAssign: boolean }> = {}) => ({
  __typename: "InboxSettings" as const,
  available: false,
  emailNotifications: "IMMEDIATE",
  autoAssign: false,
  ...over,
});
const settingsQuery: MockLink.MockedResponse = {
  request: { query: InboxSettingsDocument, variables: { workspaceId } },
  result: { data: { inboxSettings: settings() } },
};

const abilityOf = (role: MembershipRole, policies: readonly string[] = ROLE_POLICIES[role]) =>
  abilityFromPacked(packAbility(defineAbilityFor({ workspaceId, role, policies })));

async function renderDialog(role: MembershipRole, policies?: readonly string[], mocks: MockLink.MockedResponse[] = []) {
  await renderWithApi(
    <AbilityContext.Provider value={abilityOf(role, policies)}>
      <InboxSettingsDialog workspaceId={workspaceId} onClose={() => undefined} />
    </AbilityContext.Provider>,
    [settingsQuery, ...mocks],
  );
  await until(() => switchNamed("Available for assignment") !== undefined);
}

const switchNamed = (label: string) => {
  const text = [...document.querySelectorAll("label")].find((element) => element.textContent === label);
  return text === undefined ? undefined : (document.getElementById(text.htmlFor) ?? undefined);
};
const status = () => document.querySelector(".inbox-settings__status")?.textContent ?? "";

describe("inbox settings", () => {
  it("shows the viewer's settings, without the workspace switch for an agent who cannot assign", async () => {
    await renderDialog("AGENT");
    expect(switchNamed("Available for assignment")?.getAttribute("aria-checked")).toBe("false");
    expect(document.querySelector<HTMLInputElement>('input[value="IMMEDIATE"]')?.checked).toBe(true);
    expect(switchNamed("Assign new conversations automatically (round-robin)")).toBeUndefined();
  });

  it("saves availability as it is switched on, and says so", async () => {
    const update: MockLink.MockedResponse = {
      request: { query: UpdateInboxSettingsDocument, variables: { workspaceId, input: { available: true } } },
      result: { data: { updateInboxSettings: settings({ available: true }) } },
    };
    await renderDialog("AGENT", undefined, [update]);
    await click(switchNamed("Available for assignment")!, () => false);
    await until(() => status() !== "");
    expect(status()).toBe("You're available for assignment.");
    expect(switchNamed("Available for assignment")?.getAttribute("aria-checked")).toBe("true");
  });

  it("turns round-robin on for a member who can assign, and shows a refusal in the API's words", async () => {
    const refused: MockLink.MockedResponse = {
      request: { query: SetAutoAssignDocument, variables: { workspaceId, enabled: true } },
      result: {
        errors: [
          new GraphQLError("You cannot assign conversations here (conversation.assign).", {
            extensions: { code: "FORBIDDEN" },
          }),
        ],
      },
    };
    await renderDialog("AGENT", ["conversation.read", "conversation.assign"], [refused]);
    await click(switchNamed("Assign new conversations automatically (round-robin)")!, () => false);
    await until(() => document.querySelector('[role="alert"]') !== null);
    expect(document.querySelector('[role="alert"]')?.getAttribute("data-error-code")).toBe("FORBIDDEN");
    expect(switchNamed("Assign new conversations automatically (round-robin)")?.getAttribute("aria-checked")).toBe(
      "false",
    );
  });
});
