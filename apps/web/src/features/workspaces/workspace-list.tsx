import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { useMe } from "../../platform/session.tsx";

/** The workspaces the user belongs to, from `me.memberships`. */
export function WorkspaceList() {
  const { t } = useTranslation("workspaces");
  const me = useMe();
  if (me.memberships.length === 0) {
    return (
      <div className="empty-state">
        <p>{t("list.notMember")}</p>
        <p>{t("list.createOrAsk")}</p>
        <Link className="button button--primary" to="/workspaces/new">
          {t("list.create")}
        </Link>
      </div>
    );
  }
  return (
    <ul className="card-list" aria-label={t("list.label")}>
      {me.memberships.map(({ role, workspace }) => (
        <li key={workspace.id} className="card">
          <Link to={`/w/${workspace.slug}`} className="card__title">
            {workspace.name}
          </Link>
          <p className="card__meta">
            <span>/{workspace.slug}</span>
            <span className="badge">{t(`channels.${workspace.channel}`)}</span>
            <span className="badge">{t(`environments.${workspace.environment}`)}</span>
            <span className="badge badge--muted">{t(`roles.${role}`)}</span>
          </p>
        </li>
      ))}
    </ul>
  );
}
