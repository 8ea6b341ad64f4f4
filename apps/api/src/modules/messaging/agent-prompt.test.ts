import { describe, expect, it } from "@atrium/test-kit";
import { openingMessage, systemPrompt } from "./agent-prompt.ts";

const persona = { workspaceName: "Acme Dental", agentName: "Ava", agentRole: "patient coordinator", agentTone: "warm", qualificationQuestions: ["Is this for a check-up or a treatment?", "Which days suit you?"] };

describe("agent prompt", () => {
  it("puts the persona's name, role, tone and ordered questions in the system prompt", () => {
    const p = systemPrompt(persona);
    expect(p).toContain("You are Ava, patient coordinator at Acme Dental");
    expect(p).toContain("Tone: warm.");
    expect(p.indexOf("1. Is this for a check-up or a treatment?")).toBeLessThan(p.indexOf("2. Which days suit you?"));
  });

  it("opens with the lead's first name and the first qualification question", () => {
    expect(openingMessage(persona, "Jane Doe")).toBe("Hi Jane, this is Ava, patient coordinator at Acme Dental. Thanks for getting in touch! Is this for a check-up or a treatment?");
    expect(openingMessage({ ...persona, agentName: null, qualificationQuestions: [] }, "Jo")).toBe("Hi Jo, this is Acme Dental. Thanks for getting in touch! How can we help?");
  });
});
