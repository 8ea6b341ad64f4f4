import { describe, expect, it } from "@atrium/test-kit";

import { collectTextProblems, TEXT_MAX_LENGTH, textProblem } from "./text-input.ts";

describe("the text rule", () => {
  it("accepts ordinary text, including surrogate pairs (emoji) and other control characters", () => {
    for (const ok of [
      "",
      "Ada Lovelace",
      "Zoë — ünïcödé",
      "Open 🎉",
      "tab\tand\nnewline",
      "a".repeat(TEXT_MAX_LENGTH),
    ]) {
      expect(textProblem(ok), JSON.stringify(ok.slice(0, 20))).toBeNull();
    }
  });

  it("refuses NUL, lone high and low surrogates, and over-long text", () => {
    expect(textProblem("a\u0000b")).toMatch(/NUL/);
    expect(textProblem("w\ud800")).toMatch(/surrogate/);
    expect(textProblem("\ud800x")).toMatch(/surrogate/);
    expect(textProblem("x\udc00")).toMatch(/surrogate/);
    expect(textProblem("\udc00\ud800")).toMatch(/surrogate/); // reversed pair
    expect(textProblem("a".repeat(TEXT_MAX_LENGTH + 1))).toMatch(/at most/);
    expect(textProblem("abc", 2)).toMatch(/at most 2/);
  });

  it("names every bad field of plain data by its path, list items by index, and bad keys", () => {
    const out: Record<string, string> = {};
    collectTextProblems(
      { name: "ok", contact: { email: "a\u0000" }, tags: ["fine", "bad\ud800"], ["k\u0000"]: "v" },
      "",
      out,
    );
    expect(out).toEqual({
      "contact.email": expect.stringMatching(/NUL/) as unknown,
      tags: expect.stringMatching(/^Item 2: .*surrogate/) as unknown,
      "(field name)": expect.stringMatching(/NUL/) as unknown,
    });
    const top: Record<string, string> = {};
    collectTextProblems("raw\u0000body", "", top);
    expect(top).toEqual({ body: expect.stringMatching(/NUL/) as unknown });
  });
});
