import { useApolloClient, useMutation } from "@apollo/client/react";
import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";

import {
  type Environment,
  type PreviewEnvironmentChangeQuery,
  type WorkspaceSettingsFieldsFragment,
} from "../../gql/graphql.ts";
import { describeError } from "../../platform/errors.ts";
import { MeDocument } from "../../platform/session.tsx";
import { Button, ConfirmDialog, Select } from "../../platform/ui/index.ts";
import { WhyCantI } from "../access/why-cant-i.tsx";
import { ChangeEnvironmentDocument, PreviewEnvironmentChangeDocument } from "./operations.ts";
import { SaveStatus, SettingsSection, useSave } from "./section.tsx";

const ENVIRONMENTS: readonly Environment[] = ["DEVELOPMENT", "STAGING", "PRODUCTION"];

type Preview = PreviewEnvironmentChangeQuery["previewEnvironmentChange"];

/** The CASL subject the settings need. */
const WORKSPACE = "Workspace";

/**
 * SPEC W7: choosing another environment first asks the API what changes (the compliance
 * warnings), lists them in a dialog, and converts only once they are confirmed.
 */
export function EnvironmentSection({
  workspace,
  canUpdate,
}: {
  workspace: WorkspaceSettingsFieldsFragment;
  canUpdate: boolean;
}) {
  const { t } = useTranslation("settings");
  const label = (environment: Environment) => t(`environment.names.${environment}`);
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
      title={t("environment.title")}
      description={
        <p className="muted">
          <Trans
            ns="settings"
            i18nKey="environment.description"
            components={{ current: <strong data-testid="environment-current">{label(workspace.environment)}</strong> }}
          />
        </p>
      }
    >
      {!canUpdate && (
        <WhyCantI workspaceId={workspace.id} action="update" subject={WORKSPACE} label={t("environment.whyCantMove")} />
      )}
      {canUpdate && (
        <div className="form form--inline">
          <Select
            label={t("environment.moveLabel")}
            value={target}
            onChange={(event) => {
              setTarget(event.target.value as Environment);
              save.reset();
            }}
          >
            {ENVIRONMENTS.map((value) => (
              <option key={value} value={value}>
                {value === workspace.environment ? t("environment.current", { name: label(value) }) : label(value)}
              </option>
            ))}
          </Select>
          <div className="form__actions">
            <Button disabled={target === workspace.environment || checking} onClick={() => void review()}>
              {checking ? t("environment.checking") : t("environment.review")}
            </Button>
          </div>
        </div>
      )}
      <SaveStatus save={save} />
      {preview !== undefined && (
        <ConfirmDialog
          title={t("environment.confirmTitle", { name: label(preview.to) })}
          confirmLabel={t("environment.confirm", { name: label(preview.to) })}
          onClose={() => setPreview(undefined)}
          onConfirm={async () => {
            await changeEnvironment({
              variables: { workspaceId: workspace.id, environment: preview.to, confirm: true },
            });
            setPreview(undefined);
            save.succeed(t("environment.moved", { name: label(preview.to) }));
          }}
        >
          <p>{t("environment.fromTo", { from: label(preview.from), to: label(preview.to) })}</p>
          {preview.warnings.length === 0 ? (
            <p className="muted">{t("environment.nothingElse")}</p>
          ) : (
            <ul className="warning-list" aria-label={t("environment.whatChanges")}>
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
