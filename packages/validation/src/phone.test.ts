import { describe, expect, it } from "@atrium/test-kit";

import { E164_RE, optionalPhoneNumber, PHONE_INPUT_MAX, PHONE_MESSAGES, phoneNumber, toE164 } from "./phone.ts";
import { problemOf } from "./problems.ts";

describe("toE164", () => {
  it.each([
    ["+44 20 7946-0958", "+442079460958"],
    ["0044 (20) 79460958", "+442079460958"],
    ["+1.415.555.0100", "+14155550100"],
    ["  +15551234567  ", "+15551234567"],
    ["+1234567", "+1234567"], // 7 digits: the shortest
    ["+123456789012345", "+123456789012345"], // 15 digits: the longest
  ])("normalises %j to %j", (raw, expected) => expect(toE164(raw)).toBe(expected));

  it.each([
    "",
    "   ",
    "12345",
    "020 7946 0958",
    "+0 555 123 4567",
    "+123456",
    "+1234567890123456",
    "+44 20 7946 0958 ext 1",
    "++4420794609",
  ])("refuses %j (a country code is required)", (raw) => expect(toE164(raw)).toBeUndefined());

  it("stores only what E164_RE accepts", () => {
    expect(E164_RE.test("+442079460958")).toBe(true);
    expect(E164_RE.test("442079460958")).toBe(false);
  });
});

describe("phone number schemas", () => {
  it("optional: blank is none, otherwise an international number", () => {
    expect(problemOf(optionalPhoneNumber, "")).toBeUndefined();
    expect(problemOf(optionalPhoneNumber, "  ")).toBeUndefined();
    expect(problemOf(optionalPhoneNumber, "+44 20 7946 0958")).toBeUndefined();
    expect(problemOf(optionalPhoneNumber, "12345")).toBe(PHONE_MESSAGES.invalid);
  });

  it("required: says it is missing before saying it is malformed", () => {
    expect(problemOf(phoneNumber, "")).toBe(PHONE_MESSAGES.required);
    expect(problemOf(phoneNumber, "555")).toBe(PHONE_MESSAGES.invalid);
    expect(problemOf(phoneNumber, "+1 555 000 9999")).toBeUndefined();
  });

  it("refuses more than 32 characters as typed", () => {
    const padded = `+44 ${"2 ".repeat(5)}7946 0958`.padEnd(PHONE_INPUT_MAX, " ");
    expect(padded).toHaveLength(PHONE_INPUT_MAX);
    expect(problemOf(phoneNumber, padded)).toBeUndefined();
    expect(problemOf(phoneNumber, `${padded} `)).toBe(PHONE_MESSAGES.tooLong);
    expect(problemOf(optionalPhoneNumber, `${padded} `)).toBe(PHONE_MESSAGES.tooLong);
  });
});
