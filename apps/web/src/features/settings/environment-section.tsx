import { WhyCantI } from "../access/why-cant-i.tsx";
import { useApolloClient, useMutation } from "@apollo/client/react";
import { useState } from "react";
import {
  type Environment,
  type PreviewEnvironmentChangeQuery,
  type WorkspaceSettingsFieldsFragment,
} from "../../gql/graphql.ts";
import { ConfirmDialog } from "../../platform/ui/index.ts";
import { describeError } from "../../platform/errors.ts";
import { Field } from "../../platform/form-controls.tsx";
import { MeDocument } from "../../platform/session.tsx";
import { ENVIRONMENT_LABELS } from "../workspaces/labels.ts";
import { ChangeEnvironmentDocument, PreviewEnvironmentChangeDocument } from "./operations.ts";
import { SaveStatus, SettingsSection, useSave } from "./section.tsx";

const ENVIRONMENTS: readonly Environment[] = ["DEVELOPMENT", "STAGING", "PRODUCTION"];

type Preview = PreviewEnvironmentChangeQuery["previewEnvironmentChange"];

/**
 * SPEC W7: choosing another environment first asks the API what changes (the compliance
 * warnings), lists them in a dialog, and converts only once they are confirmed.
 */
export function EnvironmentSection({ workspace, canUpdate }: { workspace: WorkspaceSettingsFieldsFragment; canUpdate: boolean }) {
  const client = useApolloClient();
  const [target, setTarget] = useState<Environment>(workspace.environment);
  const [preview, setPreview] = useState<Preview>();
  const [changeEnvironment] = useMutation(ChangeEnvironmentDocument, { refetchQueries: [MeDocument] });
  const save = useSave();
  const [checking, setChecking] = useState(false);

  const review = async () => {
    setChecking(true);
    save.reset();
    try {
      const { data } = await client.query({
        query: PreviewEnvironmentChangeDocument,
        variables: { workspaceId: workspace.id, environment: target },
        fetchPolicy: "network-only",
      });
      if (data !== undefined) setPreview(data.previewEnvironmentChange);
    } catch (caught) {
      save.fail(describeError(caught));
    } finally {
      setChecking(false);
    }
  };

  return (
    <SettingsSection
      id="environment"
      title="Environment"
      description={
        <p className="muted">
          Currently <strong data-testid="environment-current">{ENVIRONMENT_LABELS[workspace.environment]}</strong>. Production
          enforces a 15-minute idle timeout and long audit retention; staging and development relax them.
        </p>
      }
    >
      {!canUpdate && <WhyCantI workspaceId={workspace.id} action="update" subject="Workspace" label="Why can't I move it?" />}
      {canUpdate && (
        <div className="form form--inline">
          <Field label="Move to environment">
            {(control) => (
              <select
                {...control}
                value={target}
                onChange={(event) => {
                  setTarget(event.target.value as Environment);
                  save.reset();
                }}
              >
                {ENVIRONMENTS.map((value) => (
                  <option key={value} value={value}>
                    {ENVIRONMENT_LABELS[value]}
                    {value === workspace.environment ? " (current)" : ""}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <div className="form__actions">
            <button
              type="button"
              className="button"
              disabled={target === workspace.environment || checking}
              onClick={() => void review()}
            >
              {checking ? "Checking…" : "Review change"}
            </button>
          </div>
        </div>
      )}
      <SaveStatus save={save} />
      {preview !== undefined && (
        <ConfirmDialog
          title={`Move to ${ENVIRONMENT_LABELS[preview.to]}?`}
          confirmLabel={`Move to ${ENVIRONMENT_LABELS[preview.to]}`}
          onClose={() => setPreview(undefined)}
          onConfirm={async () => {
            await changeEnvironment({ variables: { workspaceId: workspace.id, environment: preview.to, confirm: true } });
            setPreview(undefined);
            save.succeed(`Moved to ${ENVIRONMENT_LABELS[preview.to]}.`);
          }}
        >
          <p>
            From {ENVIRONMENT_LABELS[preview.from]} to {ENVIRONMENT_LABELS[preview.to]}. What changes:
          </p>
          {preview.warnings.length === 0 ? (
            <p className="muted">Nothing else changes.</p>
          ) : (
            <ul className="warning-list" aria-label="What changes">
              {preview.warnings.map((warning) => (
                <li key={warning}>{warning}</li>
              ))}
            </ul>
          )}
        </ConfirmDialog>
      )}
    </SettingsSection>
  );
}
