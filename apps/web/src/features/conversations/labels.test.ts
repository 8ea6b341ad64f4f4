import { describe, expect, it } from "@atrium/test-kit";

import {
  activityText,
  agentState,
  callActionStatusText,
  callStatusText,
  contactLabel,
  messageStatusLabel,
  previewText,
  problemText,
  senderLabel,
} from "./labels.ts";

describe("message labels", () => {
  it("marks a suppressed message as not sent (the line under it says why)", () => {
    expect(messageStatusLabel("SUPPRESSED")).toEqual({ text: "Not sent", problem: true });
    expect(messageStatusLabel("HELD_QUOTA")).toEqual({ text: "Held: monthly quota reached", problem: true });
  });

  it("marks failed messages as a problem and queued ones as pending", () => {
    expect(messageStatusLabel("FAILED")?.problem).toBe(true);
    expect(messageStatusLabel("QUEUED")).toEqual({ text: "Sending…", problem: false });
  });

  it("labels every outbound step, and says nothing about a received message", () => {
    expect(messageStatusLabel("SENT")).toEqual({ text: "Sent", problem: false });
    expect(messageStatusLabel("DELIVERED")).toEqual({ text: "Delivered", problem: false });
    expect(messageStatusLabel("READ")).toEqual({ text: "Read", problem: false });
    expect(messageStatusLabel("RECEIVED")).toBeUndefined();
  });

  it("marks a blocked reply as a problem and explains it, with the API's reason when there is one", () => {
    expect(messageStatusLabel("BLOCKED")).toEqual({ text: "Blocked by a safety rule", problem: true });
    expect(problemText({ status: "BLOCKED", errorMessage: "Blocked by the rule “Agent promises”." })).toBe(
      "Blocked by the rule “Agent promises”.",
    );
    expect(problemText({ status: "BLOCKED", errorMessage: null })).toMatch(
      /safety rule stopped this reply: it was never sent/,
    );
  });

  it("names the contact by name and other senders by role", () => {
    expect(senderLabel("CONTACT", "Ada")).toBe("Ada");
    expect(senderLabel("MEMBER", "Ada")).toBe("Team member");
    expect(senderLabel("AGENT", "Ada")).toBe("AI agent");
    expect(senderLabel("ROBOT", "Ada")).toBe("ROBOT");
  });

  it("explains a failed send with the provider's error code, and says nothing for delivered ones", () => {
    expect(problemText({ status: "FAILED", errorCode: "63016", errorMessage: "Outside the 24-hour window" })).toBe(
      "Outside the 24-hour window (provider error 63016)",
    );
    expect(problemText({ status: "FAILED", errorCode: "30008", errorMessage: null })).toBe(
      "The provider refused the message. (provider error 30008)",
    );
    expect(problemText({ status: "QUEUED", errorCode: null, errorMessage: "Twilio answered 503; retrying" })).toBe(
      "Twilio answered 503; retrying",
    );
    expect(problemText({ status: "DELIVERED", errorCode: "1", errorMessage: "x" })).toBeUndefined();
    expect(
      problemText({ status: "SUPPRESSED", errorCode: null, errorMessage: "Not sent: the campaign was cancelled." }),
    ).toBe("Not sent: the campaign was cancelled.");
    expect(problemText({ status: "SUPPRESSED", errorCode: null, errorMessage: null })).toBeUndefined();
    expect(problemText({ status: "FAILED", errorCode: null, errorMessage: null })).toBeUndefined();
    expect(
      problemText({
        status: "FAILED",
        errorCode: "63016",
        errorMessage: "Twilio answered HTTP 400, error 63016: outside the window.",
      }),
    ).toBe("Twilio answered HTTP 400, error 63016: outside the window.");
  });

  it("names a conversation by its contact's name, else the phone", () => {
    expect(contactLabel({ name: "Ada", phone: "+15550100" })).toBe("Ada");
    expect(contactLabel({ name: "  ", phone: "+15550100" })).toBe("+15550100");
    expect(contactLabel({ name: "", phone: null })).toBe("Unknown contact");
    expect(contactLabel(null)).toBe("Contact hidden");
  });

  it("previews the last message on one line, saying who wrote it when it was not the contact", () => {
    expect(previewText({ body: "Hi,\n  is Thursday ok?", sender: "CONTACT", status: "RECEIVED" }, "WHATSAPP")).toBe(
      "Hi, is Thursday ok?",
    );
    expect(previewText({ body: "Thursday 3 pm works.", sender: "AGENT", status: "SENT" }, "WHATSAPP")).toBe(
      "Agent: Thursday 3 pm works.",
    );
    expect(previewText({ body: "Calling you now", sender: "MEMBER", status: "QUEUED" }, "WHATSAPP")).toBe(
      "Team: Calling you now",
    );
    expect(previewText({ body: "We guarantee it", sender: "AGENT", status: "BLOCKED" }, "WHATSAPP")).toBe(
      "Blocked reply: We guarantee it",
    );
    expect(previewText(null, "WHATSAPP")).toBe("No messages yet");
    expect(previewText(null, "VOICE")).toBe("Voice call");
  });
});

describe("activity lines", () => {
  const ana = { id: "u-ana", name: "Ana" };
  const ben = { id: "u-ben", name: "Ben" };

  it('says who did what, and names the viewer "You"', () => {
    expect(activityText({ action: "conversation.takeover_started", actor: ana })).toBe(
      "Ana took over from the AI agent",
    );
    expect(activityText({ action: "conversation.takeover_ended", actor: ana }, "u-ana")).toBe(
      "You handed back to the AI agent",
    );
    expect(activityText({ action: "conversation.assigned", actor: ana, subject: ben })).toBe(
      "Ana assigned this to Ben",
    );
    expect(activityText({ action: "conversation.assigned", actor: ana, subject: ben }, "u-ben")).toBe(
      "Ana assigned this to you",
    );
    expect(activityText({ action: "conversation.assigned", actor: ana, subject: ana })).toBe(
      "Ana took this conversation",
    );
    expect(activityText({ action: "conversation.unassigned", actor: ben })).toBe("Ben unassigned this conversation");
    expect(activityText({ action: "conversation.closed", actor: ana })).toBe("Ana closed this conversation");
    expect(activityText({ action: "conversation.call_joined", actor: ana })).toBe("Ana joined the call");
  });

  it("words what the system did (no actor): round-robin, a new message reopening", () => {
    expect(activityText({ action: "conversation.assigned", actor: null, subject: ben })).toBe(
      "Assigned to Ben automatically",
    );
    expect(activityText({ action: "conversation.reopened", actor: null })).toBe("Reopened by a new message");
    expect(activityText({ action: "conversation.closed", actor: null })).toBe("Someone closed this conversation");
  });

  it("shows an unknown action as it is rather than hiding it", () => {
    expect(activityText({ action: "conversation.snoozed", actor: ana })).toBe("Ana: conversation.snoozed");
  });
});

describe("live call labels", () => {
  it("reports guidance and transfers to a call with their status, and a failure with its reason", () => {
    expect(callActionStatusText({ kind: "GUIDANCE", status: "QUEUED" })).toEqual({
      text: "Sending to the call…",
      problem: false,
    });
    expect(callActionStatusText({ kind: "GUIDANCE", status: "SENT" })).toEqual({
      text: "Sent to the call",
      problem: false,
    });
    expect(callActionStatusText({ kind: "GUIDANCE", status: "FAILED", errorMessage: "Vapi answered 404" })).toEqual({
      text: "Not sent to the call: Vapi answered 404",
      problem: true,
    });
    expect(callActionStatusText({ kind: "TRANSFER", status: "SENT" }).text).toBe("Call transferred");
    expect(callActionStatusText({ kind: "TRANSFER", status: "FAILED", errorMessage: "" })).toEqual({
      text: "The transfer failed",
      problem: true,
    });
  });

  it("words Vapi's call status", () => {
    expect(callStatusText("in-progress")).toBe("In progress");
    expect(callStatusText("ringing")).toBe("Ringing");
    expect(callStatusText(null)).toBe("Live");
  });
});

describe("who answers the contact: one state", () => {
  const cases = [
    // [agentPaused, mode, channel, callLive] → state, label
    [false, "AI", "WHATSAPP", false, "AI_REPLYING", "AI agent replying"],
    [true, "AI", "WHATSAPP", false, "PAUSED", "Agent paused"],
    [false, "HUMAN", "WHATSAPP", false, "HUMAN", "Human takeover"],
    [true, "HUMAN", "WHATSAPP", false, "HUMAN", "Human takeover"],
    [false, "AI", "VOICE", true, "AI_ON_CALL", "AI agent on the call"],
    [false, "AI", "VOICE", false, "AI_CALL_ENDED", "Call handled by the AI agent"],
    [true, "AI", "VOICE", true, "PAUSED", "Agent paused"],
    [true, "HUMAN", "VOICE", true, "HUMAN", "Human takeover"],
  ] as const;

  it.each(cases)("paused %s, mode %s, %s, live %s → %s", (agentPaused, mode, channel, callLive, kind, label) => {
    const state = agentState({ agentPaused, mode, channel, callLive });
    expect(state.kind).toBe(kind);
    expect(state.label).toBe(label);
  });

  it("never says the agent is replying while it is paused, nor paused while it replies", () => {
    for (const agentPaused of [true, false])
      for (const mode of ["AI", "HUMAN"] as const)
        for (const channel of ["WHATSAPP", "VOICE"] as const)
          for (const callLive of [true, false]) {
            const { label, detail } = agentState({ agentPaused, mode, channel, callLive });
            const words = `${label} ${detail}`;
            expect(/agent (is )?replying|agent on the call/i.test(words) && /paused/i.test(words)).toBe(false);
            if (agentPaused && mode === "AI") expect(words).not.toMatch(/AI agent (is )?replying|on the call/i);
          }
  });
});
