import { useTranslation } from "react-i18next";
import { Link, useMatch, useNavigate } from "react-router";

import { useMe } from "../../platform/session.tsx";
import { SearchMenu } from "../../platform/ui/index.ts";

/** Everything the user belongs to: the list of workspaces, not one of them. */
const ALL = "";

/**
 * Top-bar switcher between the workspaces the user belongs to (SPEC W13): a searchable menu
 * (type to filter by name or slug, arrows, Enter), the current workspace marked, "Create
 * workspace" under the list.
 */
export function WorkspaceSwitcher() {
  const { t } = useTranslation("workspaces");
  const me = useMe();
  const navigate = useNavigate();
  const slug = useMatch("/w/:slug/*")?.params.slug ?? ALL;
  const workspaces = me.memberships.map((membership) => membership.workspace);
  const current = workspaces.find((workspace) => workspace.slug === slug);
  const allLabel = workspaces.length === 0 ? t("switcher.noWorkspaces") : t("switcher.allWorkspaces");
  const shown = current?.name ?? allLabel;

  return (
    <div className="switcher">
      <SearchMenu
        label={t("switcher.label", { current: shown })}
        listLabel={t("switcher.list")}
        value={shown}
        triggerProps={{ "data-current": current?.slug ?? ALL }}
        items={[
          { id: ALL, label: allLabel },
          ...workspaces.map((workspace) => ({ id: workspace.slug, label: workspace.name, hint: workspace.slug })),
        ]}
        currentId={current?.slug ?? ALL}
        onSelect={(next) => void navigate(next === ALL ? "/" : `/w/${next}`)}
        searchLabel={t("switcher.find")}
        emptyText={t("switcher.noMatch")}
        footer={(close) => (
          <Link to="/workspaces/new" className="search-menu__action" onClick={close}>
            <span aria-hidden="true">+ </span>
            {t("switcher.create")}
          </Link>
        )}
      />
    </div>
  );
}
