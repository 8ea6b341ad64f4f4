import { describe, expect, it } from "@atrium/test-kit";
import { messageStatusLabel, problemText, senderLabel } from "./labels.ts";

describe("message labels", () => {
  it("marks a suppressed message as not sent (the line under it says why)", () => {
    expect(messageStatusLabel("SUPPRESSED")).toEqual({ text: "Not sent", problem: true });
    expect(messageStatusLabel("HELD_QUOTA")).toEqual({ text: "Held: monthly quota reached", problem: true });
  });

  it("marks failed messages as a problem and queued ones as pending", () => {
    expect(messageStatusLabel("FAILED")?.problem).toBe(true);
    expect(messageStatusLabel("QUEUED")).toEqual({ text: "Sending…", problem: false });
  });

  it("says nothing about delivered or received messages", () => {
    expect(messageStatusLabel("SENT")).toBeUndefined();
    expect(messageStatusLabel("RECEIVED")).toBeUndefined();
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
    expect(problemText({ status: "FAILED", errorCode: "30008", errorMessage: null })).toBe("The provider refused the message. (provider error 30008)");
    expect(problemText({ status: "QUEUED", errorCode: null, errorMessage: "Twilio answered 503; retrying" })).toBe("Twilio answered 503; retrying");
    expect(problemText({ status: "DELIVERED", errorCode: "1", errorMessage: "x" })).toBeUndefined();
    expect(problemText({ status: "SUPPRESSED", errorCode: null, errorMessage: "Not sent: the campaign was cancelled." })).toBe("Not sent: the campaign was cancelled.");
    expect(problemText({ status: "SUPPRESSED", errorCode: null, errorMessage: null })).toBeUndefined();
    expect(problemText({ status: "FAILED", errorCode: null, errorMessage: null })).toBeUndefined();
    expect(problemText({ status: "FAILED", errorCode: "63016", errorMessage: "Twilio answered HTTP 400, error 63016: outside the window." })).toBe(
      "Twilio answered HTTP 400, error 63016: outside the window.",
    );
  });
});
