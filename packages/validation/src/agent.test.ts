import { describe, expect, it } from "@atrium/test-kit";

import {
  agentKnowledgeForm,
  DEFAULT_OPENING_MESSAGE_TEMPLATE,
  OPENING_MESSAGE_EXAMPLE,
  OPENING_MESSAGE_MAX,
  openingMessageTemplateProblem,
  openingMessageValues,
  renderOpeningMessage,
  testChatProblem,
} from "./agent.ts";
import { fieldProblems } from "./problems.ts";

const values = (over: Partial<Parameters<typeof openingMessageValues>[0]> = {}) =>
  openingMessageValues({
    leadName: "Jane Doe",
    leadMessage: null,
    businessName: "Smile Dental",
    agentName: "Ava",
    agentRole: "Front-desk assistant for Smile Dental",
    firstQuestion: "Is this for a check-up or a treatment?",
    ...over,
  });

describe("opening message template", () => {
  it("the default names the business once and asks the first question when the lead wrote nothing", () => {
    const text = renderOpeningMessage(DEFAULT_OPENING_MESSAGE_TEMPLATE, values());
    expect(text).toBe(
      "Hi Jane, this is Ava from Smile Dental. Thanks for getting in touch! Is this for a check-up or a treatment?",
    );
    expect(text.split("Smile Dental")).toHaveLength(2);
  });

  it("the default acknowledges what the lead wrote instead of asking again", () => {
    const text = renderOpeningMessage(
      DEFAULT_OPENING_MESSAGE_TEMPLATE,
      values({ leadMessage: "  I need a check-up\nnext week " }),
    );
    expect(text).toBe(
      'Hi Jane, this is Ava from Smile Dental. Thanks for your message: "I need a check-up next week" I\'m happy to help with that.',
    );
    expect(text).not.toContain("Is this for a check-up");
  });

  it("falls back for missing values and shortens a long form message", () => {
    const v = values({ leadName: " ", agentName: null, firstQuestion: null, leadMessage: "x".repeat(500) });
    expect(v["lead.firstName"]).toBe("there");
    expect(v["agent.name"]).toBe("the team");
    expect(v["agent.firstQuestion"]).toBe("How can we help?");
    expect(v["lead.message"]).toHaveLength(200);
    expect(renderOpeningMessage("Hello {{lead.firstName}} {{agent.role}}!", values({ agentRole: null }))).toBe(
      "Hello Jane!",
    );
  });

  it("renders nested and inverted sections", () => {
    const t =
      "A{{#lead.message}} B{{^agent.role}} C{{/agent.role}}{{/lead.message}}{{^lead.message}} D{{/lead.message}}";
    expect(renderOpeningMessage(t, values({ leadMessage: "m", agentRole: "" }))).toBe("A B C");
    expect(renderOpeningMessage(t, values({ leadMessage: "m" }))).toBe("A B");
    expect(renderOpeningMessage(t, values())).toBe("A D");
  });

  it("refuses unknown variables, unbalanced braces, unclosed sections, blank and overlong templates with a clear sentence", () => {
    expect(openingMessageTemplateProblem("Hi {{lead.first_name}}")).toMatch(
      /^Unknown variable \{\{lead\.first_name\}\}\. Use one of \{\{lead\.firstName\}\}, /,
    );
    expect(openingMessageTemplateProblem("Hi {{name}}")).toMatch(/^Unknown variable \{\{name\}\}/);
    expect(openingMessageTemplateProblem("Hi {{lead.firstName}")).toMatch(/not closed or not opened/);
    expect(openingMessageTemplateProblem("Hi }} there")).toMatch(/not closed or not opened/);
    expect(openingMessageTemplateProblem("{{#lead.message}}x")).toMatch(
      /is not closed: end it with \{\{\/lead\.message\}\}/,
    );
    expect(openingMessageTemplateProblem("x{{/lead.message}}")).toMatch(/closes a section that was not opened/);
    expect(openingMessageTemplateProblem("   ")).toMatch(/Write the opening message/);
    expect(openingMessageTemplateProblem("x".repeat(OPENING_MESSAGE_MAX + 1))).toMatch(/at most 1000 characters/);
    expect(openingMessageTemplateProblem(DEFAULT_OPENING_MESSAGE_TEMPLATE)).toBeUndefined();
    expect(() => renderOpeningMessage("{{nope}}", OPENING_MESSAGE_EXAMPLE)).toThrow(/Unknown variable/);
  });

  it("limits each knowledge field and names it", () => {
    const ok = {
      openingMessageTemplate: DEFAULT_OPENING_MESSAGE_TEMPLATE,
      hours: "Mon–Fri 9–17",
      services: "",
      prices: "",
      faqs: "",
    };
    expect(fieldProblems(agentKnowledgeForm, ok)).toEqual({});
    expect(fieldProblems(agentKnowledgeForm, { ...ok, hours: "x".repeat(2001), faqs: "x".repeat(8001) })).toEqual({
      hours: "Opening hours are at most 2,000 characters.",
      faqs: "FAQs are at most 8,000 characters.",
    });
  });
});

describe("test chat", () => {
  it("needs at least one message, the last from the lead, none blank or too long, at most 30", () => {
    expect(testChatProblem([])).toMatch(/Write a message/);
    expect(
      testChatProblem([
        { role: "USER", content: "Hi" },
        { role: "ASSISTANT", content: "Hello" },
      ]),
    ).toMatch(/last message must be the lead's/);
    expect(testChatProblem([{ role: "USER", content: " " }])).toBe("Messages cannot be empty.");
    expect(testChatProblem([{ role: "USER", content: "x".repeat(2001) }])).toMatch(/at most 2000/);
    expect(testChatProblem(Array.from({ length: 31 }, () => ({ role: "USER", content: "Hi" })))).toMatch(
      /at most 30 messages/,
    );
    expect(testChatProblem([{ role: "USER", content: "When are you open?" }])).toBeUndefined();
  });
});
