import { PublicFormLink } from "../features/leads/public-form-link.tsx";
import { WorkspaceHome } from "../features/home/workspace-home.tsx";
import { CHANNEL_LABELS, ENVIRONMENT_LABELS, ROLE_LABELS } from "../features/workspaces/labels.ts";
import { useCurrentWorkspace } from "../features/workspaces/workspace-shell.tsx";
import { Page } from "../platform/page.tsx";

/** The workspace's Overview: its home (issue 48), then the workspace's own facts. */
export function WorkspaceOverviewPage() {
  const workspace = useCurrentWorkspace();
  return (
    <Page title={workspace.name}>
      {workspace.description != null && workspace.description !== "" && <p className="muted">{workspace.description}</p>}
      <WorkspaceHome workspace={workspace} />
      <section className="section" aria-labelledby="home-share-title">
        <h2 id="home-share-title">Share</h2>
        <PublicFormLink slug={workspace.slug} />
      </section>
      <section className="section" aria-labelledby="home-about-title">
        <h2 id="home-about-title">About this workspace</h2>
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
      </section>
    </Page>
  );
}
