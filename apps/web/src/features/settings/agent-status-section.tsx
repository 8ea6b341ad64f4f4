import { WhyCantI } from "../access/why-cant-i.tsx";
import { Switch } from "../../platform/ui/index.ts";
import { useMutation } from "@apollo/client/react";
import { type WorkspaceSettingsFieldsFragment } from "../../gql/graphql.ts";
import { SetAgentPausedDocument } from "./operations.ts";
import { SaveStatus, SettingsSection, useSave } from "./section.tsx";

/** SPEC W4: the kill switch. Saves as soon as it is flipped. */
export function AgentStatusSection({ workspace, canUpdate }: { workspace: WorkspaceSettingsFieldsFragment; canUpdate: boolean }) {
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
      next ? "The agent is paused. No messages or calls will be sent." : "The agent is running again.",
    );

  return (
    <SettingsSection
      id="agent-status"
      title="Agent status"
      description={
        <p className="muted">
          The kill switch. While the agent is paused, leads still arrive (public form and API) and are saved, but no
          message or call is sent: every send is recorded as suppressed instead.
        </p>
      }
    >
      <p className="settings-status">
        Status:{" "}
        <span className={paused ? "badge badge--warning" : "badge"} data-testid="agent-status">
          {paused ? "Paused" : "Running"}
        </span>
      </p>
      {!canUpdate && <WhyCantI workspaceId={workspace.id} action="update" subject="Workspace" label="Why can't I pause it?" />}
      {canUpdate && (
        <Switch checked={paused} disabled={save.saving} onCheckedChange={toggle}>
          {save.saving ? "Saving…" : "Pause the agent"}
        </Switch>
      )}
      <SaveStatus save={save} />
    </SettingsSection>
  );
}
