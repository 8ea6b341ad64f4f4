import { useTranslation } from "react-i18next";

import { WorkspaceHome } from "../features/home/workspace-home.tsx";
import { PublicFormLink } from "../features/leads/public-form-link.tsx";
import { useCurrentWorkspace } from "../features/workspaces/workspace-shell.tsx";
import { Page } from "../platform/page.tsx";

/** The workspace's Overview: its home (issue 48), then the workspace's own facts. */
export function WorkspaceOverviewPage() {
  const { t } = useTranslation("common");
  const workspace = useCurrentWorkspace();
  return (
    <Page title={workspace.name}>
      {workspace.description != null && workspace.description !== "" && (
        <p className="muted">{workspace.description}</p>
      )}
      <WorkspaceHome workspace={workspace} />
      <section className="section" aria-labelledby="home-share-title">
        <h2 id="home-share-title">{t("overview.share")}</h2>
        <PublicFormLink slug={workspace.slug} />
      </section>
      <section className="section" aria-labelledby="home-about-title">
        <h2 id="home-about-title">{t("overview.about")}</h2>
        <dl className="details">
          <dt>{t("overview.slug")}</dt>
          <dd>
            <code>{workspace.slug}</code>
          </dd>
          <dt>{t("overview.channel")}</dt>
          <dd>{t("overview.channelValue", { channel: t(`labels.channel.${workspace.channel}`) })}</dd>
          <dt>{t("overview.environment")}</dt>
          <dd>{t(`labels.environment.${workspace.environment}`)}</dd>
          <dt>{t("overview.agent")}</dt>
          <dd>{workspace.agentPaused ? t("overview.paused") : t("overview.running")}</dd>
          <dt>{t("overview.role")}</dt>
          <dd>{t(`labels.role.${workspace.myRole}`)}</dd>
          <dt>{t("overview.id")}</dt>
          <dd>
            <code>{workspace.id}</code>
          </dd>
        </dl>
      </section>
    </Page>
  );
}
