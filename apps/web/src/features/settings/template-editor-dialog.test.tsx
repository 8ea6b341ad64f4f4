/**
 * @jest-environment jsdom
 */
// The WhatsApp template editor in a DOM (jsdom): one field select per {{n}} placeholder of the
// pasted text (choices kept, extra ones dropped), the preview filled with the sample contact as
// it is typed, the shared rules said before anything is sent, and the input the API receives.
import { type MockLink } from "@apollo/client/testing";

import { describe, expect, it } from "@atrium/test-kit";
import { WHATSAPP_MESSAGES } from "@atrium/validation";

import { button, click, field, renderWithApi, type, until } from "../../platform/testing/dom.tsx";
import { TemplateEditorDialog } from "./template-editor-dialog.tsx";
import { placeholderCount, variablesFor, type MessageTemplate } from "./template-form.ts";
import { CreateMessageTemplateDocument } from "./template-operations.ts";

// Radix Switch measures its thumb with ResizeObserver, which jsdom lacks: a no-op stands in.
globalThis.ResizeObserver ??= class {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
};

const SID = `HX${"0123456789abcdef".repeat(2)}`;

async function renderEditor(mocks: MockLink.MockedResponse[] = []) {
  const saved: MessageTemplate[] = [];
  await renderWithApi(
    <TemplateEditorDialog
      workspaceId="w1"
      business="Smile Dental"
      agentName="Sam"
      onClose={() => undefined}
      onSaved={(t) => saved.push(t)}
    />,
    mocks,
  );
  return { saved };
}

const variableLabels = () =>
  [...document.querySelectorAll('[data-testid="template-variables"] label')].map((l) => l.textContent);
const preview = () => document.querySelector('[data-testid="template-preview"]')?.textContent;

describe("the variables a template's text needs", () => {
  it("one per placeholder up to the highest, the choices made kept and extra ones dropped", () => {
    expect(placeholderCount("Hi {{1}}, this is {{2}}.")).toBe(2);
    expect(placeholderCount("No placeholder")).toBe(0);
    expect(variablesFor("Hi {{1}}, this is {{2}}.", [])).toEqual(["firstName", "business"]);
    expect(variablesFor("Hi {{1}}, {{2}} and {{3}}", ["email", "name"])).toEqual(["email", "name", "agent"]);
    expect(variablesFor("Hi {{1}}", ["email", "name"])).toEqual(["email"]);
  });
});

describe("the WhatsApp template editor", () => {
  it("shows a field select per placeholder of the pasted text and previews it with sample values", async () => {
    await renderEditor();
    expect(variableLabels()).toEqual([]);
    await type(field("Template text"), "Hi {{1}}, thanks for contacting {{2}}. Reply to continue.");
    expect(variableLabels()).toEqual(["{{1}} is filled with", "{{2}} is filled with"]);
    expect(field("{{1}} is filled with").value).toBe("firstName");
    expect(preview()).toBe("Hi Jane, thanks for contacting Smile Dental. Reply to continue.");
    // Another field for {{2}}: the preview follows.
    await type(field("{{2}} is filled with"), "agent");
    expect(preview()).toBe("Hi Jane, thanks for contacting Sam. Reply to continue.");
    // A placeholder removed from the text takes its select with it.
    await type(field("Template text"), "Hi {{1}}!");
    expect(variableLabels()).toEqual(["{{1}} is filled with"]);
    expect(preview()).toBe("Hi Jane!");
  });

  it("says the shared rules before anything is sent (no mock: a request would fail)", async () => {
    const { saved } = await renderEditor();
    await type(field("Name"), "Welcome");
    await type(field("Content SID"), "HX123");
    await type(field("Template text"), "Hi {{2}}");
    await click(button("Add template"), () => false);
    await until(() => document.querySelector(".field__error") !== null);
    const errors = [...document.querySelectorAll(".field__error")].map((e) => e.textContent);
    expect(errors).toContain(WHATSAPP_MESSAGES.contentSid);
    expect(errors).toContain(WHATSAPP_MESSAGES.placeholders);
    expect(saved).toEqual([]);
  });

  it("sends the name, SID, text, one field per placeholder and the opening switch", async () => {
    const input = {
      name: "Welcome",
      contentSid: SID,
      body: "Hi {{1}}, this is {{2}}.",
      variables: ["name", "business"],
      useForOpening: true,
    };
    const created: MockLink.MockedResponse = {
      request: { query: CreateMessageTemplateDocument, variables: { workspaceId: "w1", input } },
      result: {
        data: {
          createMessageTemplate: {
            __typename: "MessageTemplate",
            id: "t1",
            ...input,
            createdAt: "2026-11-27T10:00:00.000Z",
          },
        },
      },
    };
    const { saved } = await renderEditor([created]);
    await type(field("Name"), "Welcome");
    await type(field("Content SID"), SID);
    await type(field("Template text"), "Hi {{1}}, this is {{2}}.");
    await type(field("{{1}} is filled with"), "name");
    await click(document.querySelector<HTMLButtonElement>('[role="switch"]')!, () => false);
    await click(button("Add template"));
    await until(() => saved.length > 0);
    expect(saved[0]?.id).toBe("t1");
    expect(saved[0]?.useForOpening).toBe(true);
  });
});
