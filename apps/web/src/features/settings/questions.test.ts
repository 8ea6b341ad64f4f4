import { describe, expect, it } from "@atrium/test-kit";

import {
  addQuestion,
  MAX_QUALIFICATION_QUESTIONS,
  moveQuestion,
  questionsToSave,
  removeQuestion,
  replaceQuestion,
} from "./questions.ts";

const list = ["Budget?", "Timeline?", "Decision maker?"];

describe("qualification questions", () => {
  it("moves a question up and down, keeping the others in order", () => {
    expect(moveQuestion(list, 1, -1)).toEqual(["Timeline?", "Budget?", "Decision maker?"]);
    expect(moveQuestion(list, 1, 1)).toEqual(["Budget?", "Decision maker?", "Timeline?"]);
  });

  it("does not move past either end", () => {
    expect(moveQuestion(list, 0, -1)).toEqual(list);
    expect(moveQuestion(list, 2, 1)).toEqual(list);
    expect(moveQuestion(list, 5, -1)).toEqual(list);
  });

  it("never changes the list it was given", () => {
    const original = [...list];
    moveQuestion(list, 0, 1);
    removeQuestion(list, 0);
    replaceQuestion(list, 0, "x");
    addQuestion(list);
    expect(list).toEqual(original);
  });

  it("removes and replaces by position", () => {
    expect(removeQuestion(list, 1)).toEqual(["Budget?", "Decision maker?"]);
    expect(replaceQuestion(list, 2, "Who decides?")).toEqual(["Budget?", "Timeline?", "Who decides?"]);
  });

  it("adds an empty question at the end, up to the limit", () => {
    expect(addQuestion(list)).toEqual([...list, ""]);
    const full = Array.from({ length: MAX_QUALIFICATION_QUESTIONS }, (_, index) => `Q${index}`);
    expect(addQuestion(full)).toHaveLength(MAX_QUALIFICATION_QUESTIONS);
  });

  it("saves trimmed, non-blank questions in order", () => {
    expect(questionsToSave(["  Budget? ", "", "   ", "Timeline?"])).toEqual(["Budget?", "Timeline?"]);
  });
});
