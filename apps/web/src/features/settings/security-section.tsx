/** S7: whether members need a recent second factor here, and how long one lasts. Needs workspace.settings. */
import { useMutation } from "@apollo/client/react";
import { type FormEvent, useState } from "react";
import { Link } from "react-router";
import { type WorkspaceSettingsFieldsFragment } from "../../gql/graphql.ts";
import { Field } from "../../platform/form-controls.tsx";
import { WhyCantI } from "../access/why-cant-i.tsx";
import { SetWorkspaceSecurityDocument } from "./operations.ts";
import { SaveStatus, SettingsSection, inputProblem, useSave } from "./section.tsx";

export function SecuritySection({ workspace, canUpdate }: { workspace: WorkspaceSettingsFieldsFragment; canUpdate: boolean }) {
  const [requireStepUp, setRequireStepUp] = useState(workspace.requireStepUp);
  const [lifetime, setLifetime] = useState(String(workspace.stepUpLifetimeMinutes));
  const [mutate] = useMutation(SetWorkspaceSecurityDocument);
  const save = useSave();

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const minutes = Number(lifetime);
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440) {
      save.fail(inputProblem({ stepUpLifetimeMinutes: "Enter whole minutes between 1 and 1440." }));
      return;
    }
    await save.run(
      () => mutate({ variables: { workspaceId: workspace.id, input: { requireStepUp, stepUpLifetimeMinutes: minutes } } }),
      requireStepUp ? `Saved. Members confirm a second factor every ${minutes} minutes here.` : "Saved. No second verification is asked here.",
    );
  };

  return (
    <SettingsSection
      id="security"
      title="Security"
      description={
        <p className="muted">
          Ask members for a second verification (authenticator code, recovery code or passkey) before they use this workspace, when the
          platform has step-up switched on. API keys are not affected. Set up your own factors in <Link to="/account/security">account security</Link>.
        </p>
      }
    >
      <form className="form" onSubmit={(event) => void onSubmit(event)} noValidate>
        <label className="choice">
          <input type="checkbox" checked={requireStepUp} disabled={!canUpdate} onChange={(event) => setRequireStepUp(event.target.checked)} />
          <span>Require step-up verification</span>
        </label>
        <Field label="A verification lasts (minutes)" error={save.error?.fields["stepUpLifetimeMinutes"]}>
          {(control) => (
            <input {...control} type="number" min={1} max={1440} inputMode="numeric" disabled={!canUpdate} value={lifetime} onChange={(event) => setLifetime(event.target.value)} />
          )}
        </Field>
        <SaveStatus save={save} fieldsShown={["stepUpLifetimeMinutes"]} />
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={!canUpdate || save.saving}>
            Save security
          </button>
          {!canUpdate && <WhyCantI workspaceId={workspace.id} action="update" subject="Workspace" />}
        </div>
      </form>
    </SettingsSection>
  );
}
