import { Link } from "react-router";
import { useMe } from "../../platform/session.tsx";
import { CHANNEL_LABELS, ENVIRONMENT_LABELS, ROLE_LABELS } from "./labels.ts";

/** The workspaces the user belongs to, from `me.memberships`. */
export function WorkspaceList() {
  const me = useMe();
  if (me.memberships.length === 0) {
    return (
      <div className="empty-state">
        <p>You are not a member of any workspace yet.</p>
        <p>Create one for your team, or ask a workspace owner to invite you.</p>
        <Link className="button button--primary" to="/workspaces/new">
          Create a workspace
        </Link>
      </div>
    );
  }
  return (
    <ul className="card-list" aria-label="Your workspaces">
      {me.memberships.map(({ role, workspace }) => (
        <li key={workspace.id} className="card">
          <Link to={`/w/${workspace.slug}`} className="card__title">
            {workspace.name}
          </Link>
          <p className="card__meta">
            <span>/{workspace.slug}</span>
            <span className="badge">{CHANNEL_LABELS[workspace.channel]}</span>
            <span className="badge">{ENVIRONMENT_LABELS[workspace.environment]}</span>
            <span className="badge badge--muted">{ROLE_LABELS[role]}</span>
          </p>
        </li>
      ))}
    </ul>
  );
}
