import { useMutation } from "@apollo/client/react";
import { useTranslation } from "react-i18next";

import { type WorkspaceSettingsFieldsFragment } from "../../gql/graphql.ts";
import { Switch } from "../../platform/ui/index.ts";
import { WhyCantI } from "../access/why-cant-i.tsx";
import { SetAgentPausedDocument } from "./operations.ts";
import { SaveStatus, SettingsSection, useSave } from "./section.tsx";

/** SPEC W4: the kill switch. Saves as soon as it is flipped. */
/** The CASL subject the settings need. */
const WORKSPACE = "Workspace";

export function AgentStatusSection({
  workspace,
  canUpdate,
}: {
  workspace: WorkspaceSettingsFieldsFragment;
  canUpdate: boolean;
}) {
  const { t } = useTranslation("settings");
  const [setAgentPaused] = useMutation(SetAgentPausedDocument);
  const save = useSave();
  const paused = workspace.agentPaused;

  const toggle = (next: boolean) =>
    void save.run(
      () =>
        setAgentPaused({
          variables: { workspaceId: workspace.id, paused: next },
          // The switch flips at once (and flips back if the API refuses).
          optimisticResponse: { __typename: "Mutation", setAgentPaused: { ...workspace, agentPaused: next } },
        }),
      next ? t("agentStatus.paused") : t("agentStatus.resumed"),
    );

  return (
    <SettingsSection
      id="agent-status"
      title={t("agentStatus.title")}
      description={<p className="muted">{t("agentStatus.description")}</p>}
    >
      <p className="settings-status">
        {t("agentStatus.status")}{" "}
        <span className={paused ? "badge badge--warning" : "badge"} data-testid="agent-status">
          {paused ? t("agentStatus.statusPaused") : t("agentStatus.statusRunning")}
        </span>
      </p>
      {!canUpdate && (
        <WhyCantI
          workspaceId={workspace.id}
          action="update"
          subject={WORKSPACE}
          label={t("agentStatus.whyCantPause")}
        />
      )}
      {canUpdate && (
        <Switch checked={paused} disabled={save.saving} onCheckedChange={toggle}>
          {save.saving ? t("saving") : t("agentStatus.pause")}
        </Switch>
      )}
      <SaveStatus save={save} />
    </SettingsSection>
  );
}
