/**
 * The command palette (issue 48, decision 0042), ⌘K / Ctrl+K: jump to any page the viewer may open,
 * find leads, contacts and conversations by name or phone (the API's `search`, per kind as the
 * viewer may read), run a common action. cmdk inside the kit's dialog; loaded on first use only.
 */
import { useQuery } from "@apollo/client/react";
import { Command } from "cmdk";
import { ArrowRight, Contact, FileText, Inbox, Plus, UserRound, type LucideIcon } from "lucide-react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

import { type AppAbility } from "@atrium/policies";

import { type SearchHitKind } from "../../gql/graphql.ts";
import { Dialog } from "../../platform/ui/index.ts";
import { shellActions, shellPages, type ShellAction } from "./shell-commands.ts";
import { ShellSearchDocument } from "./shell-operations.ts";

const SEARCH_MIN = 3;
/** Each kind of record's icon and page; its name is the workspaces namespace's `palette.kinds.<kind>`. */
const KIND: Readonly<
  Record<SearchHitKind, { icon: LucideIcon; path: (slug: string, id: string, title: string) => string }>
> = {
  LEAD: { icon: UserRound, path: (slug, id) => `/w/${slug}/leads/${id}` },
  CONTACT: { icon: Contact, path: (slug) => `/w/${slug}/contacts` },
  CONVERSATION: { icon: Inbox, path: (slug, id) => `/w/${slug}/conversations/${id}` },
};

function matches(label: string, query: string): boolean {
  const q = query.trim().toLowerCase();
  return q === "" || label.toLowerCase().includes(q);
}

interface Props {
  readonly slug: string | undefined;
  readonly workspaceId: string | undefined;
  readonly ability: AppAbility;
  readonly admin: boolean;
  readonly workspaces: readonly { readonly slug: string; readonly name: string }[];
  readonly onClose: () => void;
  readonly onNavigate: (to: string) => void;
  readonly onAction: (action: ShellAction) => void;
}

export function CommandPalette({
  slug,
  workspaceId,
  ability,
  admin,
  workspaces,
  onClose,
  onNavigate,
  onAction,
}: Props) {
  const { t } = useTranslation("workspaces");
  const [query, setQuery] = useState("");
  const [debounced, setDebounced] = useState("");
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(query.trim()), 200);
    return () => clearTimeout(timer);
  }, [query]);
  const searching = slug !== undefined && workspaceId !== undefined && debounced.length >= SEARCH_MIN;
  const { data, loading } = useQuery(ShellSearchDocument, {
    variables: { workspaceId: workspaceId ?? "", query: debounced },
    skip: !searching,
  });
  const hits = searching ? (data?.search ?? []) : [];

  const pages = shellPages(slug, ability, admin, t).filter((page) => matches(page.label, query));
  const actions = shellActions(slug, ability, t).filter((action) => matches(action.label, query));
  const switchTo = workspaces.filter((w) => w.slug !== slug && matches(w.name, query)).slice(0, 5);

  return (
    <Dialog title={t("palette.title")} onClose={onClose}>
      <Command label={t("palette.label")} shouldFilter={false} loop className="palette">
        <Command.Input
          value={query}
          onValueChange={setQuery}
          placeholder={slug === undefined ? t("palette.placeholderNoWorkspace") : t("palette.placeholder")}
          className="palette__input"
        />
        <Command.List className="palette__list" label={t("palette.results")}>
          <Command.Empty>
            {loading || query.trim() !== debounced ? t("palette.searching") : t("palette.nothing")}
          </Command.Empty>
          {hits.length > 0 && (
            <Command.Group heading={t("palette.records")}>
              {hits.map((hit) => {
                const kind = KIND[hit.kind];
                const Icon = kind.icon;
                return (
                  <Command.Item
                    key={`${hit.kind}-${hit.id}`}
                    value={`${hit.kind}-${hit.id}`}
                    onSelect={() => onNavigate(kind.path(slug!, hit.id, hit.title))}
                    className="palette__item"
                    data-testid="palette-hit"
                  >
                    <Icon className="icon" width={16} height={16} aria-hidden="true" />
                    <span className="palette__title">{hit.title}</span>
                    {hit.subtitle !== null && <span className="palette__hint">{hit.subtitle}</span>}
                    <span className="palette__kind">{t(`palette.kinds.${hit.kind}`)}</span>
                  </Command.Item>
                );
              })}
            </Command.Group>
          )}
          {actions.length > 0 && (
            <Command.Group heading={t("palette.actions")}>
              {actions.map((action) => (
                <Command.Item
                  key={action.id}
                  value={`action-${action.id}`}
                  onSelect={() => onAction(action)}
                  className="palette__item"
                >
                  <Plus className="icon" width={16} height={16} aria-hidden="true" />
                  <span className="palette__title">{action.label}</span>
                </Command.Item>
              ))}
            </Command.Group>
          )}
          {pages.length > 0 && (
            <Command.Group heading={t("palette.pages")}>
              {pages.map((page) => (
                <Command.Item
                  key={page.id}
                  value={`page-${page.id}`}
                  onSelect={() => onNavigate(page.to)}
                  className="palette__item"
                >
                  <FileText className="icon" width={16} height={16} aria-hidden="true" />
                  <span className="palette__title">{page.label}</span>
                  <span className="palette__kind">{t(`palette.groups.${page.group}`)}</span>
                </Command.Item>
              ))}
            </Command.Group>
          )}
          {switchTo.length > 0 && (
            <Command.Group heading={t("palette.workspaces")}>
              {switchTo.map((w) => (
                <Command.Item
                  key={w.slug}
                  value={`workspace-${w.slug}`}
                  onSelect={() => onNavigate(`/w/${w.slug}`)}
                  className="palette__item"
                >
                  <ArrowRight className="icon" width={16} height={16} aria-hidden="true" />
                  <span className="palette__title">{t("palette.switchTo", { name: w.name })}</span>
                </Command.Item>
              ))}
            </Command.Group>
          )}
        </Command.List>
      </Command>
    </Dialog>
  );
}
