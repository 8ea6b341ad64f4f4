/** "Try it": a sample message checked, as it is typed, against the rule being edited. */
import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";

import { Field } from "../../platform/form-controls.tsx";
import { tryRule, type RuleFormValues } from "./rule-form.ts";

export function TryIt({ values }: { values: Pick<RuleFormValues, "phrases" | "pattern" | "action"> }) {
  const { t } = useTranslation("safety");
  const [sample, setSample] = useState("");
  const result = tryRule(values, sample);
  return (
    <section className="try-it" aria-labelledby="try-it-title">
      <h3 id="try-it-title" className="try-it__title">
        {t("tryIt.title")}
      </h3>
      <Field label={t("tryIt.sampleLabel")} hint={t("tryIt.sampleHint")}>
        {(control) => (
          <textarea
            {...control}
            rows={2}
            value={sample}
            onChange={(event) => setSample(event.target.value)}
            placeholder={t("tryIt.samplePlaceholder")}
          />
        )}
      </Field>
      <p className={`try-it__result try-it__result--${result.kind}`} role="status" data-testid="try-it-result">
        {result.kind === "nothing-to-match" && t("tryIt.nothingToMatch")}
        {result.kind === "invalid-pattern" && t("tryIt.invalidPattern")}
        {result.kind === "no-sample" && t("tryIt.noSample")}
        {result.kind === "match" && (
          <Trans
            ns="safety"
            i18nKey={`tryIt.match.${values.action}`}
            components={{ strong: <strong />, mark: <mark>{result.matched}</mark> }}
          />
        )}
        {result.kind === "no-match" && (
          <Trans ns="safety" i18nKey="tryIt.noMatch" components={{ strong: <strong /> }} />
        )}
      </p>
    </section>
  );
}
