import { describe, expect, it } from "vitest";
import { messageStatusLabel, senderLabel } from "./labels.ts";

describe("message labels", () => {
  it("marks a suppressed message as not sent because the agent is paused", () => {
    expect(messageStatusLabel("SUPPRESSED")).toEqual({ text: "Not sent: agent paused", problem: true });
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
});
