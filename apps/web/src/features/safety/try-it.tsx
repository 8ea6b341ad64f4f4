/** "Try it": a sample message checked, as it is typed, against the rule being edited. */
import { type SafetyAction } from "@atrium/validation";
import { useState } from "react";
import { Field } from "../../platform/form-controls.tsx";
import { type RuleFormValues, tryRule } from "./rule-form.ts";

const WOULD: Record<SafetyAction, string> = {
  FLAG: "it would be flagged for review.",
  HAND_OVER: "it would be flagged and the conversation handed to a person.",
  BLOCK: "it would be flagged, the conversation handed to a person, and the agent's reply held, never sent.",
};

export function TryIt({ values }: { values: Pick<RuleFormValues, "phrases" | "pattern" | "action"> }) {
  const [sample, setSample] = useState("");
  const result = tryRule(values, sample);
  return (
    <section className="try-it" aria-labelledby="try-it-title">
      <h3 id="try-it-title" className="try-it__title">
        Try it
      </h3>
      <Field label="Sample message" hint="Nothing is sent or stored: the rule is checked here, the way the server checks it.">
        {(control) => <textarea {...control} rows={2} value={sample} onChange={(event) => setSample(event.target.value)} placeholder="e.g. Please stop texting me" />}
      </Field>
      <p className={`try-it__result try-it__result--${result.kind}`} role="status" data-testid="try-it-result">
        {result.kind === "nothing-to-match" && "Add a phrase or a pattern, then type a message to try the rule."}
        {result.kind === "invalid-pattern" && "Fix the pattern to try the rule."}
        {result.kind === "no-sample" && "Type a message to see whether the rule catches it."}
        {result.kind === "match" && (
          <>
            <strong>Matches</strong> on “<mark>{result.matched}</mark>”: {WOULD[values.action]}
          </>
        )}
        {result.kind === "no-match" && (
          <>
            <strong>No match</strong>: the rule lets this message through.
          </>
        )}
      </p>
    </section>
  );
}
