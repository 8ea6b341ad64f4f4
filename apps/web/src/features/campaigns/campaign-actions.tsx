/**
 * A campaign card's buttons, as its status and the viewer's abilities allow: Edit a draft, Run
 * (after the confirmation), schedule, send a test, pause / resume / cancel, delete.
 */
import { useMutation } from "@apollo/client/react";
import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";

import { type CampaignFieldsFragment } from "../../gql/graphql.ts";
import { useAbility } from "../../platform/ability.tsx";
import { describeError } from "../../platform/errors.ts";
import { Button, Input } from "../../platform/ui/index.ts";
import { type CurrentWorkspace } from "../workspaces/workspace-shell.tsx";
import {
  CampaignsDocument,
  CancelCampaignDocument,
  DeleteCampaignDocument,
  PauseCampaignDocument,
  ResumeCampaignDocument,
  ScheduleCampaignDocument,
} from "./operations.ts";
import { RunCampaignDialog } from "./run-campaign-dialog.tsx";
import { TestSendDialog } from "./test-send-dialog.tsx";

interface CampaignActionsProps {
  readonly workspace: CurrentWorkspace;
  readonly c: CampaignFieldsFragment;
  readonly onNotice: (n: string) => void;
  readonly onEdit: () => void;
}

export function CampaignActions({ workspace, c, onNotice, onEdit }: CampaignActionsProps) {
  const { t } = useTranslation("campaigns");
  const ability = useAbility();
  const canRun = ability.can("run", "Campaign");
  const canEdit = ability.can("update", "Campaign");
  const canDelete = ability.can("delete", "Campaign");
  const [at, setAt] = useState("");
  const [error, setError] = useState<string>();
  const [open, setOpen] = useState<"run" | "test">();
  const vars = { workspaceId: workspace.id, id: c.id };
  const [schedule] = useMutation(ScheduleCampaignDocument);
  const [pause] = useMutation(PauseCampaignDocument);
  const [resume] = useMutation(ResumeCampaignDocument);
  const [cancel] = useMutation(CancelCampaignDocument);
  const [remove] = useMutation(DeleteCampaignDocument, { refetchQueries: [CampaignsDocument] });
  const act = async (fn: () => Promise<unknown>, notice: string) => {
    setError(undefined);
    try {
      await fn();
      onNotice(notice);
    } catch (caught) {
      setError(describeError(caught).message);
    }
  };
  const startable = c.status === "DRAFT" || c.status === "SCHEDULED";
  return (
    <div className="campaign-actions">
      {canEdit && c.status === "DRAFT" && (
        <Button size="small" onClick={onEdit}>
          <Trans
            ns="campaigns"
            i18nKey="actions.edit"
            values={{ name: c.name }}
            components={{ hidden: <span className="visually-hidden" /> }}
          />
        </Button>
      )}
      {canRun && startable && (
        <>
          <Button variant="primary" size="small" onClick={() => setOpen("run")}>
            {t("actions.runNow")}
          </Button>
          <span className="campaign-actions__schedule">
            <label className="inline-field">
              <span className="visually-hidden">{t("actions.startAt")}</span>
              <Input
                type="datetime-local"
                value={at}
                onChange={(event) => setAt(event.target.value)}
                aria-label={t("actions.startAtLabel", { name: c.name })}
              />
            </label>
            <Button
              size="small"
              disabled={at === ""}
              onClick={() =>
                void act(
                  () => schedule({ variables: { ...vars, at: new Date(at).toISOString() } }),
                  t("actions.scheduled", { name: c.name }),
                )
              }
            >
              {t("actions.schedule")}
            </Button>
          </span>
        </>
      )}
      {canRun && c.status !== "CANCELLED" && (
        <Button size="small" onClick={() => setOpen("test")}>
          {t("actions.sendTest")}
        </Button>
      )}
      {canRun && c.status === "RUNNING" && (
        <Button
          size="small"
          onClick={() => void act(() => pause({ variables: vars }), t("actions.paused", { name: c.name }))}
        >
          {t("actions.pause")}
        </Button>
      )}
      {canRun && c.status === "PAUSED" && (
        <Button
          size="small"
          onClick={() => void act(() => resume({ variables: vars }), t("actions.resumed", { name: c.name }))}
        >
          {t("actions.resume")}
        </Button>
      )}
      {canRun && ["DRAFT", "SCHEDULED", "RUNNING", "PAUSED"].includes(c.status) && (
        <Button
          variant="danger"
          size="small"
          onClick={() => void act(() => cancel({ variables: vars }), t("actions.cancelled", { name: c.name }))}
        >
          {t("actions.cancel")}
        </Button>
      )}
      {canDelete && ["DRAFT", "COMPLETED", "CANCELLED"].includes(c.status) && (
        <Button
          variant="danger"
          size="small"
          onClick={() => void act(() => remove({ variables: vars }), t("actions.deleted", { name: c.name }))}
        >
          {t("actions.delete")}
        </Button>
      )}
      {error !== undefined && (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
      {open === "run" && (
        <RunCampaignDialog
          workspaceId={workspace.id}
          campaign={c}
          onClose={() => setOpen(undefined)}
          onStarted={(notice) => {
            setOpen(undefined);
            onNotice(notice);
          }}
        />
      )}
      {open === "test" && (
        <TestSendDialog
          workspaceId={workspace.id}
          campaign={c}
          whatsapp={workspace.channel === "WHATSAPP"}
          onClose={() => setOpen(undefined)}
        />
      )}
    </div>
  );
}
