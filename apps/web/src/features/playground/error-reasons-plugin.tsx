/**
 * The playground's "Error reasons" panel (issue 51): every `extensions.reason` the API may send,
 * grouped by its code, with when it happens and what to do — the list in @atrium/validation
 * that the API's errors are typed from (and docs/api/errors.md is generated from). The texts
 * are the API reference's, in English, like the schema's own documentation beside them.
 */
import { type GraphiQLPlugin } from "@graphiql/react";
import { CircleAlert } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { ERROR_REASON_LIST } from "@atrium/validation";

import { Input } from "../../platform/ui/index.ts";

function ErrorReasonsPanel() {
  const { t } = useTranslation("playground");
  const [filter, setFilter] = useState("");
  const wanted = filter.trim().toUpperCase();
  const shown = ERROR_REASON_LIST.filter(
    (entry) => wanted === "" || entry.reason.includes(wanted) || entry.code.includes(wanted),
  );
  return (
    <section className="playground-reasons" aria-labelledby="playground-reasons-title">
      <h2 id="playground-reasons-title" className="graphiql-doc-explorer-title">
        {t("reasons.title")}
      </h2>
      <p>{t("reasons.intro")}</p>
      <label className="playground-reasons__filter">
        <span>{t("reasons.filter")}</span>
        <Input type="search" value={filter} onChange={(event) => setFilter(event.target.value)} />
      </label>
      {shown.length === 0 ? (
        <p>{t("reasons.none")}</p>
      ) : (
        <dl>
          {shown.map((entry) => (
            <div key={entry.reason} data-testid="error-reason">
              <dt>
                <code>{entry.reason}</code> <span className="muted">{entry.code}</span>
              </dt>
              <dd>
                <p>{entry.when}</p>
                <p>
                  <strong>{t("reasons.whatToDo")}</strong> {entry.whatToDo}
                </p>
              </dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

export function errorReasonsPlugin(title: string): GraphiQLPlugin {
  return { title, icon: () => <CircleAlert aria-hidden="true" size={20} />, content: ErrorReasonsPanel };
}
