/**
 * The rule's phrases as removable chips above one text box: Enter (or the Add button, or leaving
 * the box) adds what was typed; a pasted list adds a phrase per line. Each chip's button removes
 * it and puts focus back in the box; a status line says what was added or removed.
 */
import { useState, type ClipboardEvent, type KeyboardEvent, type Ref } from "react";
import { useTranslation } from "react-i18next";

import { Button, Input } from "../../platform/ui/index.ts";
import { addPhrases } from "./rule-form.ts";

/** The clipboard format a pasted list of phrases is read in. */
const PLAIN_TEXT = "text";

interface PhraseInputProps {
  /** From `Field`: ties the box to its label, hint and error. */
  readonly control: { id: string; "aria-describedby"?: string; "aria-invalid"?: boolean };
  readonly phrases: readonly string[];
  readonly onChange: (phrases: string[]) => void;
  /** A phrase that cannot be added (too long, too many), or undefined once the box is edited again. */
  readonly onProblem: (problem: string | undefined) => void;
  /** For react-hook-form: where focus goes when the phrases are refused on submit. */
  readonly inputRef?: Ref<HTMLInputElement>;
  readonly onBlur?: () => void;
}

export function PhraseInput({ control, phrases, onChange, onProblem, inputRef, onBlur }: PhraseInputProps) {
  const { t } = useTranslation("safety");
  const [typed, setTyped] = useState("");
  const [said, setSaid] = useState("");
  const [box, setBox] = useState<HTMLInputElement | null>(null);

  const add = (text: string) => {
    const result = addPhrases(phrases, text);
    onProblem(result.problem);
    const added = result.phrases.slice(phrases.length);
    if (added.length > 0) {
      onChange(result.phrases);
      setSaid(
        added.length === 1
          ? t("phraseInput.addedOne", { phrase: added[0] ?? "", count: result.phrases.length })
          : t("phraseInput.addedMany", { added: added.length, count: result.phrases.length }),
      );
    }
    // What could not be added stays in the box, to be corrected.
    if (result.problem === undefined) setTyped("");
  };
  const remove = (index: number) => {
    const phrase = phrases[index] ?? "";
    onChange(phrases.filter((_, i) => i !== index));
    setSaid(t("phraseInput.removed", { phrase, count: phrases.length - 1 }));
    box?.focus();
  };

  return (
    <div className="phrase-input">
      {phrases.length > 0 && (
        <ul className="phrase-input__chips" aria-label={t("phraseInput.listLabel")}>
          {phrases.map((phrase, index) => (
            <li key={`${index}:${phrase}`} className="phrase-input__chip">
              <span>{phrase}</span>
              <Button
                variant="bare"
                className="phrase-input__remove"
                aria-label={t("phraseInput.remove", { phrase })}
                onClick={() => remove(index)}
              >
                ×
              </Button>
            </li>
          ))}
        </ul>
      )}
      <div className="phrase-input__entry">
        <Input
          {...control}
          ref={(element) => {
            setBox(element);
            if (typeof inputRef === "function") inputRef(element);
            else if (inputRef != null) inputRef.current = element;
          }}
          type="text"
          autoComplete="off"
          enterKeyHint="done"
          value={typed}
          onChange={(event) => {
            setTyped(event.target.value);
            onProblem(undefined);
          }}
          onKeyDown={(event: KeyboardEvent<HTMLInputElement>) => {
            // Enter adds the phrase; it must not submit the rule half-typed.
            if (event.key === "Enter") {
              event.preventDefault();
              add(typed);
            }
          }}
          onPaste={(event: ClipboardEvent<HTMLInputElement>) => {
            const text = event.clipboardData.getData(PLAIN_TEXT);
            if (!text.includes("\n")) return;
            event.preventDefault();
            add(`${typed}${text}`);
          }}
          onBlur={() => {
            if (typed.trim() !== "") add(typed);
            onBlur?.();
          }}
        />
        <Button onClick={() => add(typed)} disabled={typed.trim() === ""}>
          {t("phraseInput.add")}
        </Button>
      </div>
      <p className="visually-hidden" role="status">
        {said}
      </p>
    </div>
  );
}
