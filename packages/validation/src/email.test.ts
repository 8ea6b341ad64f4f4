import { createRequire } from "node:module";

import { describe, expect, it } from "@atrium/test-kit";

import {
  EMAIL_MESSAGES,
  emailAddress,
  isContactEmail,
  isEmailAddress,
  normaliseEmail,
  optionalContactEmail,
} from "./email.ts";
import { problemOf } from "./problems.ts";

// What the API used before (class-validator's @IsEmail()): validator.js isEmail, default options.
const validatorIsEmail = createRequire(import.meta.url)("validator/lib/isEmail") as (address: string) => boolean;

const local64 = "a".repeat(64);
const label63 = "b".repeat(63);
/** 254 characters in all: 64 + "@" + 63 + "." + 63 + "." + 57 + ".com". */
const longest = `${local64}@${label63}.${label63}.${"c".repeat(57)}.com`;

const CASES: readonly [string, boolean][] = [
  ["ada@example.com", true],
  ["Ada.Lovelace+tag@Example.COM", true],
  ["o'brien@example.ie", true],
  ["x@ab.co", true],
  ["x@a.co", true],
  ["x@b.c", false], // one-letter top-level domain
  ["x@example.123", false], // numeric top-level domain
  ["x@example.xn--p1ai", true], // punycode top-level domain
  ["josé@exämple.de", true], // letters of any script
  ['"john doe"@example.com', true], // quoted local part
  ['"@example.com', true], // validator.js's own quirk, kept
  ["a..b@example.com", false],
  [".a@example.com", false],
  ["a.@example.com", false],
  ["a@example..com", false],
  ["a@-example.com", false],
  ["a@example-.com", false],
  ["a@ex_ample.com", false],
  ["a@example.com.", false],
  ["a@localhost", false],
  ["a@[127.0.0.1]", false],
  ["a@127.0.0.1", false],
  ["Ada <ada@example.com>", false],
  [" ada@example.com", false], // not trimmed: the form trims before sending
  ["ada@example.com ", false],
  ["ada@@example.com", false],
  ["ada", false],
  ["@example.com", false],
  ["ada@", false],
  ["", false],
  [`${local64}@example.com`, true],
  [`${local64}a@example.com`, false], // local part over 64
  [`${"é".repeat(32)}@example.com`, true], // 64 bytes in UTF-8
  [`${"é".repeat(32)}a@example.com`, false], // 65 bytes
  [`a@${label63}.com`, true],
  [`a@${label63}b.com`, false], // label over 63
  [longest, true],
  [`${longest}m`, false], // 255 characters
  ["ａ@example.com", true], // full-width letters are letters in the local part…
  ["a@ｅxample.com", false], // …but not in the domain
];

describe("isEmailAddress", () => {
  it.each(CASES)("judges %j as %j", (address, valid) => {
    expect(isEmailAddress(address)).toBe(valid);
  });

  it("agrees with validator.js isEmail (the API's rule before) on every case", () => {
    for (const [address] of CASES) expect(isEmailAddress(address), address).toBe(validatorIsEmail(address));
  });

  it("agrees with validator.js isEmail on 20,000 generated addresses", () => {
    // A fixed seed: the same addresses on every run. Mostly well-formed pieces with odd
    // characters mixed in, so that both verdicts are common.
    let seed = 20;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pick = (list: readonly string[]) => list[Math.floor(random() * list.length)] ?? "";
    const common = ["a", "b", "Z", "0", "9", "-", "é", "日"];
    const odd = [
      ".",
      "_",
      "+",
      "'",
      "!",
      "@",
      '"',
      " ",
      "\\",
      "ｅ",
      "[",
      "]",
      "(",
      ",",
      ";",
      ":",
      "<",
      ">",
      "\t",
      "\u0000",
    ];
    const run = (max: number) =>
      Array.from({ length: 1 + Math.floor(random() * max) }, () => (random() < 0.03 ? pick(odd) : pick(common))).join(
        "",
      );
    const tlds = ["com", "co", "c", "1", "xn--p1ai", "日本", "ｃｏｍ", "c0m", "-com"];
    let valid = 0;
    const disagreements: string[] = [];
    for (let n = 0; n < 20_000; n++) {
      let local = Array.from({ length: 1 + Math.floor(random() * 3) }, () => run(random() < 0.05 ? 70 : 8)).join(".");
      if (random() < 0.1) local = `"${local}"`;
      const labels = Array.from({ length: Math.floor(random() * 3) }, () => run(random() < 0.05 ? 70 : 10));
      const address = `${local}@${[...labels, pick(tlds)].join(".")}`;
      const expected = validatorIsEmail(address);
      if (expected) valid++;
      if (isEmailAddress(address) !== expected) disagreements.push(address);
    }
    expect(valid, "the generator should produce valid addresses too").toBeGreaterThan(1_500);
    expect(disagreements.slice(0, 5), `${disagreements.length} disagreements`).toEqual([]);
  });
});

describe("emailAddress", () => {
  it("says why an address is refused", () => {
    expect(problemOf(emailAddress, "ada@example.com")).toBeUndefined();
    expect(problemOf(emailAddress, "not-an-email")).toBe(EMAIL_MESSAGES.invalid);
    expect(problemOf(emailAddress, "")).toBe(EMAIL_MESSAGES.invalid);
    expect(problemOf(emailAddress, longest)).toBeUndefined();
    expect(problemOf(emailAddress, `${longest}m`)).toBe(EMAIL_MESSAGES.tooLong);
  });
});

describe("contact e-mail addresses", () => {
  it.each([
    ["ada@example.com", true],
    ["x@b.c", true], // looser than the account rule…
    ["a..b@example.com", true],
    ["ada@example", false], // …but a dot after the @ is required
    ["ada@@example.com", false],
    ["ada example@example.com", false],
    ["@example.com", false],
    [`${"a".repeat(242)}@example.com`, true], // 254 characters
    [`${"a".repeat(243)}@example.com`, false],
  ])("judges %j as %j", (address, valid) => expect(isContactEmail(address)).toBe(valid));

  it("takes blank as none and checks the normalised address", () => {
    expect(problemOf(optionalContactEmail, "")).toBeUndefined();
    expect(problemOf(optionalContactEmail, "   ")).toBeUndefined();
    expect(problemOf(optionalContactEmail, "  ADA@Example.com ")).toBeUndefined();
    expect(problemOf(optionalContactEmail, "nope")).toBe(EMAIL_MESSAGES.invalid);
    expect(problemOf(optionalContactEmail, "nope@example")).toBe(EMAIL_MESSAGES.invalid);
  });

  it("normalises to trimmed lower case", () => {
    expect(normaliseEmail("  ADA@Example.com ")).toBe("ada@example.com");
  });
});
