import { CHANNEL_LABELS, ENVIRONMENT_LABELS, ROLE_LABELS } from "../features/workspaces/labels.ts";
import { useCurrentWorkspace } from "../features/workspaces/workspace-shell.tsx";
import { PublicFormLink } from "../features/leads/public-form-link.tsx";
import { Page } from "../platform/page.tsx";

export function WorkspaceOverviewPage() {
  const workspace = useCurrentWorkspace();
  return (
    <Page title={workspace.name}>
      {workspace.description != null && workspace.description !== "" && <p>{workspace.description}</p>}
      <dl className="details">
        <dt>Slug</dt>
        <dd>
          <code>{workspace.slug}</code>
        </dd>
        <dt>Channel</dt>
        <dd>{CHANNEL_LABELS[workspace.channel]} (permanent)</dd>
        <dt>Environment</dt>
        <dd>{ENVIRONMENT_LABELS[workspace.environment]}</dd>
        <dt>Agent</dt>
        <dd>{workspace.agentPaused ? "Paused" : "Running"}</dd>
        <dt>Your role</dt>
        <dd>{ROLE_LABELS[workspace.myRole]}</dd>
        <dt>Workspace ID</dt>
        <dd>
          <code>{workspace.id}</code>
        </dd>
      </dl>
      <section className="section">
        <h2>Share</h2>
        <PublicFormLink slug={workspace.slug} />
      </section>
    </Page>
  );
}
