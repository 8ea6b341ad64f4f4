/**
 * The inbox's filters: Mine / Unassigned / All (tabs over the list), status, "Needs review", and
 * a search that waits for the typing to pause and for three characters (the API's minimum).
 */
import { useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

import { Input, SelectInput, Switch, Tabs } from "../../platform/ui/index.ts";
import {
  ASSIGNEE_TABS,
  SEARCH_MAX,
  searchState,
  STATUS_CHOICES,
  type InboxFilters,
  type StatusChoice,
} from "./inbox-filters.ts";

const SEARCH_DELAY_MS = 350;

function SearchBox({ value, onSearch }: { value: string; onSearch: (text: string) => void }) {
  const { t } = useTranslation("conversations");
  const id = useId();
  const [text, setText] = useState(value);
  // The filters were changed elsewhere ("Clear filters", the back button): show what applies.
  const [applied, setApplied] = useState(value);
  if (applied !== value) {
    setApplied(value);
    // Not while typing past it (the applied search is trimmed: "ana " is still "ana").
    if (value.trim() !== text.trim()) setText(value);
  }
  const latest = useRef(onSearch);
  useEffect(() => {
    latest.current = onSearch;
  });
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const change = (next: string) => {
    setText(next);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => latest.current(next), SEARCH_DELAY_MS);
  };
  const state = searchState(text);
  return (
    <div className="inbox-search">
      <label htmlFor={id} className="visually-hidden">
        {t("toolbar.searchLabel")}
      </label>
      <Input
        id={id}
        type="search"
        placeholder={t("toolbar.searchPlaceholder")}
        autoComplete="off"
        maxLength={SEARCH_MAX}
        value={text}
        aria-describedby={`${id}-hint`}
        onChange={(event) => change(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter") {
            clearTimeout(timer.current);
            latest.current(text);
          }
        }}
      />
      <p id={`${id}-hint`} className="field__hint inbox-search__hint" aria-live="polite">
        {state.kind === "short" ? state.message : ""}
      </p>
    </div>
  );
}

export function InboxToolbar({
  filters,
  onChange,
  panelId,
}: {
  filters: InboxFilters;
  onChange: (next: InboxFilters) => void;
  panelId: string;
}) {
  const { t } = useTranslation("conversations");
  const statusId = useId();
  const tabs = ASSIGNEE_TABS.map((value) => ({ value, label: t(`filters.assignee.${value}`) }));
  return (
    <div className="inbox-toolbar">
      <Tabs
        label={t("toolbar.tabsLabel")}
        items={tabs}
        value={filters.assignee}
        onValueChange={(assignee) => onChange({ ...filters, assignee })}
        panelId={panelId}
        className="tabs--fill"
      />
      <div className="inbox-toolbar__row">
        <div className="toolbar__field">
          <label htmlFor={statusId}>{t("toolbar.status")}</label>
          <SelectInput
            id={statusId}
            value={filters.status}
            onChange={(event) => onChange({ ...filters, status: event.target.value as StatusChoice })}
          >
            {STATUS_CHOICES.map((choice) => (
              <option key={choice} value={choice}>
                {t(`filters.status.${choice}`)}
              </option>
            ))}
          </SelectInput>
        </div>
        <Switch checked={filters.needsReview} onCheckedChange={(needsReview) => onChange({ ...filters, needsReview })}>
          {t("toolbar.needsReview")}
        </Switch>
      </div>
      <SearchBox value={filters.search} onSearch={(search) => onChange({ ...filters, search })} />
    </div>
  );
}
