import { describe, expect, it } from "@atrium/test-kit";
import { mentionedIds } from "./composer.tsx";

describe("guidance mentions", () => {
  const ben = { id: "u-ben", name: "Ben Carter" };
  const chloe = { id: "u-chloe", name: "Chloé Martin" };

  it("notifies the teammates whose @name is still in the note", () => {
    expect(mentionedIds("@Ben Carter please check order #4411", [ben, chloe])).toEqual(["u-ben"]);
    expect(mentionedIds("Ask @Chloé Martin and @Ben Carter", [ben, chloe])).toEqual(["u-ben", "u-chloe"]);
  });

  it("drops a mention deleted from the text", () => {
    expect(mentionedIds("Ben will check", [ben])).toEqual([]);
    expect(mentionedIds("", [ben, chloe])).toEqual([]);
  });
});
