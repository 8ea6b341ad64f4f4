/**
 * /w/:slug/conversations and /w/:slug/conversations/:id (issue 47): the inbox and the operator's
 * console. Where there is room the list stays on the left and the chosen conversation opens on
 * the right; on a phone it is one or the other, the console with a link back to the list (a
 * container query in styles.css, `.inbox`). One route renders both addresses, so opening a
 * conversation keeps the list — its filters, its scroll, its live subscription — as it was.
 */
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useLocation, useSearchParams } from "react-router";

import { useMe } from "../../platform/session.tsx";
import { Button, Icon, tabPanelProps } from "../../platform/ui/index.ts";
import { type CurrentWorkspace } from "../workspaces/workspace-shell.tsx";
import { ConversationConsole } from "./conversation-console.tsx";
import { DEFAULT_FILTERS, filtersFromParams, filtersToSearch, type InboxFilters } from "./inbox-filters.ts";
import { InboxList } from "./inbox-list.tsx";
import { InboxSettingsDialog } from "./inbox-settings-dialog.tsx";
import { InboxToolbar } from "./inbox-toolbar.tsx";
import { useInbox } from "./use-inbox.ts";

import "./inbox.css";

/** The clock the relative times ("5 min") are read against: once a minute, not per row. */
function useMinuteClock(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 60_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

export function InboxPage({ workspace, selectedId }: { workspace: CurrentWorkspace; selectedId: string | undefined }) {
  const { t } = useTranslation("conversations");
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const { search } = useLocation();
  const filters = useMemo(() => filtersFromParams(params), [params]);
  const setFilters = (next: InboxFilters) =>
    void setParams(new URLSearchParams(filtersToSearch(next)), { replace: true, preventScrollReset: true });
  const inbox = useInbox(workspace.id, filters);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const panelId = useId();
  const now = useMinuteClock();
  const listPath = `/w/${workspace.slug}/conversations${search}`;

  // One pane (a phone): the list and the console replace each other, and what had focus goes
  // with them. Opening a conversation focuses its heading (the console does it, asking
  // `singlePane`); coming back focuses the row it was opened from.
  const listPane = useRef<HTMLDivElement>(null);
  const singlePane = () => listPane.current !== null && listPane.current.offsetParent === null;
  const [previous, setPrevious] = useState(selectedId);
  const [returnTo, setReturnTo] = useState<string>();
  if (previous !== selectedId) {
    setPrevious(selectedId);
    setReturnTo(selectedId === undefined ? previous : undefined);
  }
  useEffect(() => {
    if (returnTo === undefined) return;
    const active = document.activeElement;
    if (active !== null && active !== document.body) return;
    const row = document.querySelector<HTMLElement>(`[data-conversation-id="${CSS.escape(returnTo)}"] a`);
    (row ?? document.querySelector<HTMLElement>(".inbox h1"))?.focus();
  }, [returnTo]);

  return (
    <section className="page inbox" data-selected={selectedId !== undefined ? "" : undefined}>
      {selectedId === undefined && <title>{t("page.documentTitle")}</title>}
      <div className="inbox__head">
        <h1 tabIndex={-1}>{t("page.title")}</h1>
        <Button size="small" className="inbox__settings" onClick={() => setSettingsOpen(true)}>
          <Icon name="settings" /> {t("page.settings")}
        </Button>
      </div>
      <div className="inbox__panes">
        <div className="inbox__list-pane" ref={listPane}>
          <InboxToolbar filters={filters} onChange={setFilters} panelId={panelId} />
          <div {...tabPanelProps(panelId, filters.assignee)} className="inbox__list">
            <InboxList
              workspace={workspace}
              inbox={inbox}
              filters={filters}
              selectedId={selectedId}
              search={search}
              viewerId={me.id}
              now={now}
              onClearFilters={() => setFilters(DEFAULT_FILTERS)}
            />
          </div>
        </div>
        <div className="inbox__detail-pane">
          {selectedId === undefined ? (
            <div className="inbox__placeholder">
              <Icon name="chat" />
              <p>{t("page.placeholder")}</p>
            </div>
          ) : (
            <ConversationConsole
              key={selectedId}
              workspace={workspace}
              conversationId={selectedId}
              backTo={listPath}
              takeFocus={singlePane}
            />
          )}
        </div>
      </div>
      {settingsOpen && <InboxSettingsDialog workspaceId={workspace.id} onClose={() => setSettingsOpen(false)} />}
    </section>
  );
}
