/**
 * @jest-environment jsdom
 */
// The safety rule editor in a DOM (jsdom): phrases added with Enter, the API's sentences before
// anything is sent, the pattern judged as it is typed, "Try it" on a sample, a template filling
// the form, and the API's verdicts (a name taken) beside the field they are about.
import { type MockLink } from "@apollo/client/testing";
import { GraphQLError } from "graphql";
import { act } from "react";

import { describe, expect, it } from "@atrium/test-kit";
import { SAFETY_MESSAGES, SAFETY_TEMPLATES, safetyPatternProblem } from "@atrium/validation";

import { button, click, describedBy, field, renderWithApi, type } from "../../platform/testing/dom.tsx";
import { CreateSafetyRuleDocument } from "./operations.ts";
import { RuleEditorDialog } from "./rule-editor-dialog.tsx";
import { type SafetyRule, type SafetyTemplate } from "./rule-form.ts";

// Radix Switch measures its thumb with ResizeObserver, which jsdom lacks: a no-op stands in.
globalThis.ResizeObserver ??= class {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
};

const templates: SafetyTemplate[] = SAFETY_TEMPLATES.map((t) => ({
  __typename: "SafetyRuleTemplate",
  ...t,
  phrases: [...t.phrases],
  appliesTo: [...t.appliesTo],
}));

async function renderEditor(
  mocks: MockLink.MockedResponse[] = [],
): Promise<{ saved: { rule: SafetyRule; created: boolean }[] }> {
  const saved: { rule: SafetyRule; created: boolean }[] = [];
  await renderWithApi(
    <RuleEditorDialog
      workspaceId="w1"
      templates={templates}
      onClose={() => undefined}
      onSaved={(rule, created) => saved.push({ rule, created })}
    />,
    mocks,
  );
  return { saved };
}

async function press(control: HTMLElement, key: string): Promise<void> {
  await act(async () => {
    control.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
}

const chips = () => [...document.querySelectorAll(".phrase-input__chip > span")].map((chip) => chip.textContent);
const tryResult = () => document.querySelector('[data-testid="try-it-result"]')?.textContent;

describe("the safety rule editor", () => {
  it("adds a phrase with Enter without sending the rule, and removes it with its button", async () => {
    // No mocks: a request would fail.
    const { saved } = await renderEditor();
    await type(field("Words and phrases"), "  stop ");
    await press(field("Words and phrases"), "Enter");
    expect(chips()).toEqual(["stop"]);
    expect(field("Words and phrases").value).toBe("");
    await click(button("Add"), () => false);
    await click(document.querySelector<HTMLElement>('[aria-label="Remove “stop”"]') ?? document.body, () => false);
    expect(chips()).toEqual([]);
    expect(document.activeElement).toBe(field("Words and phrases"));
    expect(saved).toEqual([]);
  });

  it("refuses a rule without a name or anything to match, in the API's words, and sends nothing", async () => {
    const { saved } = await renderEditor();
    await click(button("Add rule"));
    expect(describedBy(field("Name")).error).toBe(SAFETY_MESSAGES.nameBlank);
    expect(describedBy(field("Words and phrases")).error).toBe(SAFETY_MESSAGES.nothingToMatch);
    expect(saved).toEqual([]);
  });

  it("says what is wrong with a pattern as it is typed", async () => {
    await renderEditor();
    await type(field("Pattern (optional)"), "(unclosed");
    expect(describedBy(field("Pattern (optional)")).error).toBe(safetyPatternProblem("(unclosed"));
    await type(field("Pattern (optional)"), "\\brefund\\b");
    expect(describedBy(field("Pattern (optional)")).error).toBeUndefined();
  });

  it("tries the rule on a sample and says which word matched", async () => {
    await renderEditor();
    expect(tryResult()).toMatch(/Add a phrase or a pattern/);
    await type(field("Words and phrases"), "lawyer");
    await press(field("Words and phrases"), "Enter");
    await type(field("Sample message"), "My LAWYER will call you");
    expect(tryResult()).toBe("Matches on “lawyer”: it would be flagged for review.");
    await type(field("Sample message"), "My lawyers will call you");
    expect(tryResult()).toBe("No match: the rule lets this message through.");
  });

  it("fills the form from a template in one click", async () => {
    await renderEditor();
    await click(button(`${templates[0]?.name ?? ""}${templates[0]?.description ?? ""}`), () => false);
    expect(field("Name").value).toBe("Opt-out words");
    expect(chips()).toEqual([...(SAFETY_TEMPLATES[0]?.phrases ?? [])]);
    const checked = (selector: string) =>
      [...document.querySelectorAll<HTMLInputElement>(selector)]
        .filter((control) => control.checked)
        .map((control) => control.value);
    expect(checked('input[type="radio"]')).toEqual(["HAND_OVER"]);
    expect(checked('input[name="appliesTo"]')).toEqual(["INBOUND", "CALL_TRANSCRIPT"]);
  });

  it("sends the rule as typed, and a taken name comes back beside the name", async () => {
    const variables = {
      workspaceId: "w1",
      input: {
        name: "Legal",
        phrases: ["lawyer"],
        pattern: null,
        appliesTo: ["INBOUND"],
        action: "FLAG",
        enabled: true,
        template: null,
      },
    };
    const { saved } = await renderEditor([
      {
        request: { query: CreateSafetyRuleDocument, variables },
        delay: 0,
        result: {
          errors: [
            new GraphQLError("A rule with this name exists already.", {
              extensions: { code: "CONFLICT", fields: { name: "taken" } },
            }),
          ],
        },
      },
    ]);
    await type(field("Name"), " Legal ");
    await type(field("Words and phrases"), "lawyer");
    await press(field("Words and phrases"), "Enter");
    await click(button("Add rule"));
    expect(describedBy(field("Name")).error).toBe("A rule with this name exists already.");
    expect(document.querySelector('[role="alert"]')?.textContent).toBe("Please correct the highlighted fields.");
    expect(saved).toEqual([]);
  });
});
