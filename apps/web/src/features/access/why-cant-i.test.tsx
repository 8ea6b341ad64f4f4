/**
 * @jest-environment jsdom
 */
// "What can … do here?" (issue 48): one's own row has its own sentence ("What can you do here?"),
// not the word "you" put in for a name — the languages word the two differently — and each
// capability is named in the page's language, its ✓ / ✗ before it.
import { InMemoryCache } from "@apollo/client";
import { type MockLink } from "@apollo/client/testing";
import { MockedProvider } from "@apollo/client/testing/react";
import i18n from "i18next";
import { act } from "react";

import { describe, expect, it } from "@atrium/test-kit";

import esAccess from "../../i18n/locales/es/access.json" with { type: "json" };
import esCommon from "../../i18n/locales/es/common.json" with { type: "json" };
import { MeDocument } from "../../platform/session.tsx";
import { render, until } from "../../platform/testing/dom.tsx";
import { ExplainAccessDocument } from "./operations.ts";
import { CAPABILITIES, MemberAccessDialog } from "./why-cant-i.tsx";

const workspaceId = "w1";
const me = {
  __typename: "User" as const,
  id: "u-me",
  email: "me@example.com",
  name: "Mia Me",
  globalRole: "USER" as const,
  preferences: { __typename: "UserPreferences" as const, theme: "SYSTEM" as const, locale: null },
  memberships: [],
};

function signedIn(): InMemoryCache {
  const cache = new InMemoryCache();
  cache.writeQuery({ query: MeDocument, data: { __typename: "Query", me } as never });
  return cache;
}

/** Every capability answered for `userId`: allowed, except deleting the workspace. */
const answers = (userId: string): MockLink.MockedResponse[] =>
  CAPABILITIES.map(({ action, subject }) => ({
    request: { query: ExplainAccessDocument, variables: { workspaceId, action, subject, userId } },
    result: {
      data: {
        explainAccess: {
          __typename: "AccessExplanation",
          allowed: !(action === "delete" && subject === "Workspace"),
          reasons: ["Because."],
        },
      },
    },
  }));

async function open(userId: string, name: string): Promise<void> {
  await render(
    <MockedProvider cache={signedIn()} mocks={answers(userId)}>
      <MemberAccessDialog workspaceId={workspaceId} userId={userId} name={name} onClose={() => undefined} />
    </MockedProvider>,
  );
  await until(() => document.querySelectorAll('[data-testid="capability"] .muted').length === CAPABILITIES.length);
}

const title = () => document.querySelector(".dialog__title")?.textContent;
const rows = () => [...document.querySelectorAll('[data-testid="capability"] strong')].map((row) => row.textContent);

describe("what can … do here?", () => {
  it("names another member, and lists each capability with its mark", async () => {
    await open("u-ana", "Ana Admin");
    expect(title()).toBe("What can Ana Admin do here?");
    expect(rows()).toContain("✓ See leads");
    expect(rows()).toContain("✗ Delete the workspace");
  });

  it("asks about oneself in its own sentence, whatever name the caller passes", async () => {
    await open("u-me", "you");
    expect(title()).toBe("What can you do here?");
  });

  it("reads in Spanish, in the tú form for oneself", async () => {
    i18n.addResourceBundle("es", "access", esAccess, true, true);
    i18n.addResourceBundle("es", "common", esCommon, true, true);
    await i18n.changeLanguage("es");
    try {
      await open("u-me", "you");
      expect(title()).toBe("¿Qué puedes hacer aquí?");
      expect(rows()).toContain("✓ Ver clientes potenciales");
    } finally {
      await act(() => i18n.changeLanguage("en"));
    }
  });
});
