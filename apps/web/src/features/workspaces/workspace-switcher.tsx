import { useMatch, useNavigate } from "react-router";
import { useMe } from "../../platform/session.tsx";

/** Top-bar switcher between the workspaces the user belongs to (SPEC W13). */
export function WorkspaceSwitcher() {
  const me = useMe();
  const navigate = useNavigate();
  const current = useMatch("/w/:slug/*")?.params.slug ?? "";
  const workspaces = me.memberships.map((membership) => membership.workspace);
  const known = workspaces.some((workspace) => workspace.slug === current);

  return (
    <div className="switcher">
      <label htmlFor="workspace-switcher" className="visually-hidden">
        Switch workspace
      </label>
      <select
        id="workspace-switcher"
        value={known ? current : ""}
        onChange={(event) => {
          const slug = event.target.value;
          void navigate(slug === "" ? "/" : `/w/${slug}`);
        }}
      >
        <option value="">{workspaces.length === 0 ? "No workspaces yet" : "All workspaces"}</option>
        {workspaces.map((workspace) => (
          <option key={workspace.id} value={workspace.slug}>
            {workspace.name} ({workspace.slug})
          </option>
        ))}
      </select>
    </div>
  );
}
