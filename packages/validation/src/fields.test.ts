import type * as z from "zod/mini";

import { describe, expect, it } from "@atrium/test-kit";

import {
  AGENT_TONES,
  agentName,
  agentRole,
  agentTone,
  apiKeyName,
  bookingCancelReason,
  contactName,
  currentPassword,
  leadMessage,
  leadName,
  newPassword,
  normaliseTags,
  PASSWORD_MESSAGES,
  PERSONA_MESSAGES,
  personName,
  phoneLabel,
  planName,
  qualificationQuestions,
  replyBody,
  splitTags,
  STEP_UP_CODE_MESSAGES,
  stepUpCode,
  TAG_MESSAGES,
  tagList,
  workspaceDescription,
  workspaceName,
} from "./fields.ts";
import { fieldProblems, problemOf } from "./problems.ts";

/** A required line of text: blank and one-too-many are refused, empty-ish and the longest accepted. */
function requiredText(schema: z.ZodMiniType, max: number, blank: string, tooLong: string) {
  expect(problemOf(schema, "x")).toBeUndefined();
  expect(problemOf(schema, " x ")).toBeUndefined();
  expect(problemOf(schema, "x".repeat(max))).toBeUndefined();
  expect(problemOf(schema, "x".repeat(max + 1))).toBe(tooLong);
  expect(problemOf(schema, "")).toBe(blank);
  expect(problemOf(schema, " \t\n")).toBe(blank);
}

describe("names and labels", () => {
  it.each([
    ["personName", personName, 100, "Enter your name.", "Names are at most 100 characters."],
    ["workspaceName", workspaceName, 80, "Enter a name.", "Names are at most 80 characters."],
    ["leadName", leadName, 120, "Enter a name.", "Names are at most 120 characters."],
    ["contactName", contactName, 200, "Enter a name.", "Names are at most 200 characters."],
    ["phoneLabel", phoneLabel, 80, "Enter a label.", "At most 80 characters."],
    ["agentName", agentName, 60, "Name the agent.", "At most 60 characters."],
    ["agentRole", agentRole, 200, "Describe the agent's role.", "At most 200 characters."],
    ["apiKeyName", apiKeyName, 80, "Name the key.", "Names are at most 80 characters."],
    ["planName", planName, 60, "Enter a plan name.", "Plan names are at most 60 characters."],
    ["replyBody", replyBody, 4096, "Write a message.", "Messages are at most 4096 characters."],
  ] as const)("%s", (_name, schema, max, blank, tooLong) => requiredText(schema, max, blank, tooLong));

  it("descriptions and messages are optional text with a cap", () => {
    expect(problemOf(workspaceDescription, "")).toBeUndefined();
    expect(problemOf(workspaceDescription, "d".repeat(500))).toBeUndefined();
    expect(problemOf(workspaceDescription, "d".repeat(501))).toBe("Descriptions are at most 500 characters.");
    expect(problemOf(leadMessage, "m".repeat(4000))).toBeUndefined();
    expect(problemOf(leadMessage, "m".repeat(4001))).toBe("Messages are at most 4000 characters.");
  });
});

describe("passwords", () => {
  it("a new password is 10–256 characters", () => {
    expect(problemOf(newPassword, "p".repeat(10))).toBeUndefined();
    expect(problemOf(newPassword, "p".repeat(256))).toBeUndefined();
    expect(problemOf(newPassword, "p".repeat(9))).toBe(PASSWORD_MESSAGES.tooShort);
    expect(problemOf(newPassword, "")).toBe(PASSWORD_MESSAGES.tooShort);
    expect(problemOf(newPassword, "p".repeat(257))).toBe(PASSWORD_MESSAGES.tooLong);
  });

  it("signing in takes any password that is there (white space counts)", () => {
    expect(problemOf(currentPassword, "p")).toBeUndefined();
    expect(problemOf(currentPassword, " ")).toBeUndefined();
    expect(problemOf(currentPassword, "")).toBe(PASSWORD_MESSAGES.required);
    expect(problemOf(currentPassword, "p".repeat(257))).toBe(PASSWORD_MESSAGES.tooLong);
  });
});

describe("bookings", () => {
  it("a cancel reason is optional, at most 500 characters", () => {
    expect(problemOf(bookingCancelReason, "")).toBeUndefined();
    expect(problemOf(bookingCancelReason, "r".repeat(500))).toBeUndefined();
    expect(problemOf(bookingCancelReason, "r".repeat(501))).toBe("At most 500 characters.");
  });
});

describe("second-factor codes", () => {
  it("a TOTP or recovery code: something, at most 32 characters once trimmed", () => {
    expect(problemOf(stepUpCode, "123456")).toBeUndefined();
    expect(problemOf(stepUpCode, " 123456 ")).toBeUndefined();
    expect(problemOf(stepUpCode, "abcd-efgh-ijkl")).toBeUndefined();
    expect(problemOf(stepUpCode, ` ${"c".repeat(32)} `)).toBeUndefined();
    expect(problemOf(stepUpCode, "c".repeat(33))).toBe(STEP_UP_CODE_MESSAGES.invalid);
    expect(problemOf(stepUpCode, "")).toBe(STEP_UP_CODE_MESSAGES.invalid);
    expect(problemOf(stepUpCode, "  ")).toBe("Enter the 6-digit code from your authenticator app, or a recovery code.");
  });
});

describe("agent persona", () => {
  it("tone is one of four", () => {
    for (const tone of AGENT_TONES) expect(problemOf(agentTone, tone)).toBeUndefined();
    expect(problemOf(agentTone, "friendly")).toBe(PERSONA_MESSAGES.tone);
    expect(problemOf(agentTone, "")).toBe("Tone must be one of FRIENDLY, PROFESSIONAL, CONCISE, ENTHUSIASTIC.");
  });

  it("questions: at most 20, each not blank and at most 300 characters, reported by position", () => {
    expect(problemOf(qualificationQuestions, [])).toBeUndefined();
    expect(
      problemOf(
        qualificationQuestions,
        Array.from({ length: 20 }, (_, i) => `Q${i}?`),
      ),
    ).toBeUndefined();
    expect(
      problemOf(
        qualificationQuestions,
        Array.from({ length: 21 }, (_, i) => `Q${i}?`),
      ),
    ).toBe(PERSONA_MESSAGES.tooManyQuestions);
    expect(fieldProblems(qualificationQuestions, ["Budget?", " ", "q".repeat(301), "q".repeat(300)])).toEqual({
      "1": PERSONA_MESSAGES.questionBlank,
      "2": PERSONA_MESSAGES.questionTooLong,
    });
  });
});

describe("contact tags", () => {
  it("normalises: lower case, collapsed spaces, blanks and repeats dropped", () => {
    expect(normaliseTags(["VIP", " london ", "vip", "", "Key   Account"])).toEqual({
      tags: ["vip", "london", "key account"],
    });
  });

  it("refuses a malformed tag, naming it, and more than 20", () => {
    expect(normaliseTags(["ok", "<script>"])).toEqual({ problem: TAG_MESSAGES.invalid("<script>") });
    expect(normaliseTags(["-lead"])).toEqual({ problem: TAG_MESSAGES.invalid("-lead") });
    expect(normaliseTags(["t".repeat(40)])).toEqual({ tags: ["t".repeat(40)] });
    expect(normaliseTags(["t".repeat(41)])).toEqual({ problem: TAG_MESSAGES.invalid("t".repeat(41)) });
    expect(normaliseTags(Array.from({ length: 20 }, (_, k) => `t${k}`))).toHaveProperty("tags");
    expect(normaliseTags(Array.from({ length: 21 }, (_, k) => `t${k}`))).toEqual({ problem: TAG_MESSAGES.tooMany });
  });

  it("reads a comma-separated line like the contact form", () => {
    expect(splitTags(" vip, London ,, ")).toEqual(["vip", "London"]);
    expect(problemOf(tagList, "")).toBeUndefined();
    expect(problemOf(tagList, "vip, london")).toBeUndefined();
    expect(problemOf(tagList, "vip, <b>")).toBe('"<b>" is not a valid tag: use 1–40 letters, digits, spaces, - or _.');
  });
});
