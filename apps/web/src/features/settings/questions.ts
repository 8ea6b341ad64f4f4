/**
 * The agent's qualification questions (SPEC W10): an ordered list the settings page edits in
 * place. Pure functions, so the ordering rules are tested without a browser.
 */
import { MAX_QUALIFICATION_QUESTIONS } from "@atrium/validation";

export { MAX_QUALIFICATION_QUESTIONS };

/** Moves the question at `index` one place up (-1) or down (+1); out-of-range moves change nothing. */
export function moveQuestion(questions: readonly string[], index: number, direction: -1 | 1): string[] {
  const target = index + direction;
  if (index < 0 || index >= questions.length || target < 0 || target >= questions.length) return [...questions];
  const next = [...questions];
  const moved = next[index] as string;
  next[index] = next[target] as string;
  next[target] = moved;
  return next;
}

export function removeQuestion(questions: readonly string[], index: number): string[] {
  return questions.filter((_, position) => position !== index);
}

/** Adds an empty question at the end, unless the list is full. */
export function addQuestion(questions: readonly string[]): string[] {
  return questions.length >= MAX_QUALIFICATION_QUESTIONS ? [...questions] : [...questions, ""];
}

export function replaceQuestion(questions: readonly string[], index: number, text: string): string[] {
  return questions.map((question, position) => (position === index ? text : question));
}

/** What is sent: trimmed, blank ones dropped, order kept. */
export function questionsToSave(questions: readonly string[]): string[] {
  return questions.map((question) => question.trim()).filter((question) => question !== "");
}
