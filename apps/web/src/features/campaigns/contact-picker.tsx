/**
 * The campaign's hand-picked contacts: a search over every contact (the API's `contacts`, a page
 * at a time with "Load more"), a checkbox per result, and the chosen ones as removable chips
 * above — so a list of a thousand contacts is searched, not scrolled.
 */
import { useQuery } from "@apollo/client/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { formatTime, formatTotal } from "../../platform/format.ts";
import { useDebounced } from "../../platform/live.ts";
import { Button, Checkbox, Input } from "../../platform/ui/index.ts";
import { CampaignContactsDocument } from "./operations.ts";

const PAGE = 25;

export interface PickedContact {
  readonly id: string;
  readonly name: string;
  readonly phone?: string | null;
}

interface ContactPickerProps {
  readonly workspaceId: string;
  /** Chosen contacts by id; a name is known once the contact has been seen in a result (or when chosen here). */
  readonly chosen: ReadonlyMap<string, PickedContact | null>;
  readonly onChange: (chosen: Map<string, PickedContact | null>) => void;
  readonly error?: string | undefined;
}

export function ContactPicker({ workspaceId, chosen, onChange, error }: ContactPickerProps) {
  const { t } = useTranslation("campaigns");
  const [typed, setTyped] = useState("");
  const [search, setSearch] = useState("");
  const applySearch = useDebounced(() => setSearch(typed.trim()), 250);
  const { data, loading, fetchMore } = useQuery(CampaignContactsDocument, {
    variables: { workspaceId, first: PAGE, ...(search !== "" ? { search } : {}) },
    fetchPolicy: "cache-and-network",
    notifyOnNetworkStatusChange: true,
  });
  const results = data?.contacts.edges.map((e) => e.node) ?? [];
  // Names of chosen contacts met in the results (a draft being edited knows only their ids).
  const named = new Map([...chosen].map(([id, c]) => [id, c ?? results.find((r) => r.id === id) ?? null]));
  const unnamed = [...named].filter(([, c]) => c === null).map(([id]) => id);

  const set = (next: Map<string, PickedContact | null>) => onChange(next);
  const toggle = (c: PickedContact) => {
    const next = new Map(named);
    if (next.has(c.id)) next.delete(c.id);
    else next.set(c.id, c);
    set(next);
  };
  const remove = (ids: readonly string[]) => {
    const next = new Map(named);
    for (const id of ids) next.delete(id);
    set(next);
  };

  return (
    <fieldset className="campaign-picker" data-testid="contact-picker">
      <legend>{t("contactPicker.legend", { count: chosen.size })}</legend>
      {chosen.size > 0 && (
        <ul className="campaign-picker__chips" aria-label={t("contactPicker.chosenList")}>
          {[...named].flatMap(([id, c]) =>
            c === null
              ? []
              : [
                  <li key={id} className="campaign-picker__chip">
                    <span>{c.name}</span>
                    <Button
                      variant="bare"
                      className="campaign-picker__remove"
                      aria-label={t("contactPicker.remove", { name: c.name })}
                      onClick={() => remove([id])}
                    >
                      ×
                    </Button>
                  </li>,
                ],
          )}
          {unnamed.length > 0 && (
            <li className="campaign-picker__chip">
              <span>{t("contactPicker.chosenEarlier", { count: unnamed.length })}</span>
              <Button
                variant="bare"
                className="campaign-picker__remove"
                aria-label={t("contactPicker.removeEarlier", { count: unnamed.length })}
                onClick={() => remove(unnamed)}
              >
                ×
              </Button>
            </li>
          )}
        </ul>
      )}
      {error !== undefined && <p className="field__error">{error}</p>}
      <div className="field">
        <label htmlFor={`${workspaceId}-contact-search`}>{t("contactPicker.find")}</label>
        <Input
          id={`${workspaceId}-contact-search`}
          type="search"
          placeholder={t("contactPicker.findPlaceholder")}
          value={typed}
          onChange={(event) => {
            setTyped(event.target.value);
            applySearch();
          }}
        />
      </div>
      {data === undefined ? (
        <p className="muted">{t("contactPicker.loading")}</p>
      ) : results.length === 0 ? (
        <p className="muted">{search !== "" ? t("contactPicker.noMatch", { search }) : t("contactPicker.empty")}</p>
      ) : (
        <>
          <p className="muted small" aria-live="polite">
            {search !== ""
              ? t("contactPicker.showingMatching", { shown: results.length, total: formatTotal(data.contacts), search })
              : t("contactPicker.showing", { shown: results.length, total: formatTotal(data.contacts) })}
          </p>
          <Button
            size="small"
            onClick={() => {
              const allShown = results.every((r) => named.has(r.id));
              const next = new Map(named);
              for (const r of results) {
                if (allShown) next.delete(r.id);
                else next.set(r.id, r);
              }
              set(next);
            }}
          >
            {results.every((r) => named.has(r.id))
              ? t("contactPicker.unchooseShown")
              : t("contactPicker.chooseAllShown")}
          </Button>
          <ul className="checklist campaign-picker__results">
            {results.map((c) => (
              <li key={c.id}>
                <label>
                  <Checkbox checked={named.has(c.id)} onChange={() => toggle(c)} /> {c.name}{" "}
                  <span className="muted small">{c.phone ?? t("contactPicker.noPhone")}</span>
                  {c.optedOutAt != null && (
                    <span
                      className="badge badge--warning"
                      title={t("contactPicker.optedOutTitle", { date: formatTime(c.optedOutAt) })}
                    >
                      {t("contactPicker.optedOut")}
                    </span>
                  )}
                </label>
              </li>
            ))}
          </ul>
          {data.contacts.pageInfo.hasNextPage && (
            <Button
              variant="bare"
              className="pager"
              disabled={loading}
              onClick={() => void fetchMore({ variables: { after: data.contacts.pageInfo.endCursor } })}
            >
              {loading ? t("contactPicker.loadingMore") : t("contactPicker.loadMore")}
            </Button>
          )}
        </>
      )}
    </fieldset>
  );
}
