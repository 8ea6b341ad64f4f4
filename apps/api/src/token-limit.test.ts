// The GraphQL token limit (S4) checked before Apollo, with the documents within it remembered: the
// same answers as lexing every time, for documents seen again, documents over the limit and past
// the number of documents it remembers; and what it remembers stays within its bounds.
import { describe, expect, it } from "@atrium/test-kit";

import { tokenLimit } from "./server.ts";

/** A document of exactly `n` tokens: braces around n - 2 names. */
const doc = (n: number, name = "a") => `{ ${Array.from({ length: n - 2 }, (_, i) => `${name}${i}`).join(" ")} }`;

describe("the token limit", () => {
  it("answers a document the same every time it is seen, within the limit or over it, and remembers only those within", () => {
    const over = tokenLimit(10);
    for (let seen = 0; seen < 3; seen++) {
      expect(over(doc(10)), `10 tokens, time ${seen + 1}`).toBe(false);
      expect(over(doc(11)), `11 tokens, time ${seen + 1}`).toBe(true);
      // A remembered document followed by more tokens is another document.
      expect(over(`${doc(10)} { b }`), `10 + 3 tokens, time ${seen + 1}`).toBe(true);
    }
    expect(over.remembered, "the one document within the limit, once").toBe(1);
  });

  it("remembers at most 1,000 documents, and keeps answering once older ones are dropped", () => {
    const over = tokenLimit(10);
    for (let i = 0; i < 1_500; i++) expect(over(doc(10, `f${i}_`))).toBe(false);
    expect(over.remembered).toBe(1_000);
    // The first ones were dropped to make room: lexed again, the same answer.
    expect(over(doc(10, "f0_"))).toBe(false);
    expect(over(doc(12, "f0_"))).toBe(true);
    expect(over.remembered).toBe(1_000);
  });

  it("leaves a lexing error to the parser, and does not remember a document longer than 4,096 characters", () => {
    const over = tokenLimit(5_000);
    expect(over(`{ "unterminated }`)).toBe(false);
    const before = over.remembered;
    // 16,384 characters: V8 hashes a string that long by its length alone.
    for (const length of [4_097, 16_384]) {
      const long = `{ ${"x".repeat(length - 4)} }`;
      expect(long).toHaveLength(length);
      expect(over(long)).toBe(false);
      expect(over(long)).toBe(false);
    }
    expect(over.remembered, "neither long document").toBe(before);
    const short = `{ ${"x".repeat(4_092)} }`;
    expect(short).toHaveLength(4_096);
    expect(over(short)).toBe(false);
    expect(over.remembered).toBe(before + 1);
    expect(over(doc(5_001))).toBe(true);
  });
});
