// The GraphQL token limit (S4) checked before Apollo, with the documents within it remembered
// (decision 0014, addendum 29): the same answers as lexing every time, for documents seen again,
// documents over the limit and past the number of documents it remembers.
import { describe, expect, it } from "@atrium/test-kit";
import { tokenLimit } from "./server.ts";

/** A document of exactly `n` tokens: braces around n - 2 names. */
const doc = (n: number, name = "a") => `{ ${Array.from({ length: n - 2 }, (_, i) => `${name}${i}`).join(" ")} }`;

describe("the token limit", () => {
  it("answers a document the same every time it is seen, within the limit or over it", () => {
    const over = tokenLimit(10);
    for (let seen = 0; seen < 3; seen++) {
      expect(over(doc(10)), `10 tokens, time ${seen + 1}`).toBe(false);
      expect(over(doc(11)), `11 tokens, time ${seen + 1}`).toBe(true);
      // A remembered document followed by more tokens is another document.
      expect(over(`${doc(10)} { b }`), `10 + 3 tokens, time ${seen + 1}`).toBe(true);
    }
  });

  it("keeps answering after it has remembered its most documents, and leaves a lexing error to the parser", () => {
    const over = tokenLimit(10);
    for (let i = 0; i < 1_500; i++) expect(over(doc(10, `f${i}_`))).toBe(false);
    // The first ones were dropped to make room: lexed again, the same answer.
    expect(over(doc(10, "f0_"))).toBe(false);
    expect(over(doc(12, "f0_"))).toBe(true);
    expect(over(`{ "unterminated }`)).toBe(false);
  });

  it("answers documents longer than it remembers (16 KB)", () => {
    const over = tokenLimit(5_000);
    const long = `{ ${"x".repeat(20_000)} }`;
    expect(over(long)).toBe(false);
    expect(over(long)).toBe(false);
    expect(over(doc(5_001))).toBe(true);
  });
});
