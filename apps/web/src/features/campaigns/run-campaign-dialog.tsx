/**
 * The confirmation before Run (issue 56): what running now would do — recipients, who is skipped
 * and why, what the quota allows — and the message as the first recipient reads it, counted by
 * the API (campaignPreview) without writing anything.
 */
import { useMutation, useQuery } from "@apollo/client/react";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { type CampaignFieldsFragment } from "../../gql/graphql.ts";
import { describeError, type UserFacingError } from "../../platform/errors.ts";
import { ErrorBanner } from "../../platform/form-controls.tsx";
import { LoadError } from "../../platform/load-error.tsx";
import { Dialog, FormActions, SkeletonList } from "../../platform/ui/index.ts";
import { CampaignPreviewDocument, RunCampaignDocument } from "./operations.ts";
import { previewSummary, quotaShortfall } from "./run-preview.ts";

interface RunCampaignDialogProps {
  readonly workspaceId: string;
  readonly campaign: CampaignFieldsFragment;
  readonly onClose: () => void;
  readonly onStarted: (message: string) => void;
}

export function RunCampaignDialog({ workspaceId, campaign, onClose, onStarted }: RunCampaignDialogProps) {
  const { t } = useTranslation("campaigns");
  const vars = { workspaceId, id: campaign.id };
  const preview = useQuery(CampaignPreviewDocument, { variables: vars, fetchPolicy: "network-only" });
  const [run, running] = useMutation(RunCampaignDocument);
  const [error, setError] = useState<UserFacingError>();
  const p = preview.data?.campaignPreview;

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(undefined);
    try {
      await run({ variables: vars });
      onStarted(t("runDialog.started", { name: campaign.name }));
    } catch (caught) {
      setError(describeError(caught));
    }
  };

  const shortfall = p === undefined ? undefined : quotaShortfall(p, t);
  return (
    <Dialog title={t("runDialog.title", { name: campaign.name })} onClose={onClose}>
      <form className="form run-campaign" onSubmit={(event) => void onSubmit(event)} data-testid="run-confirmation">
        {p === undefined ? (
          preview.error !== undefined ? (
            <LoadError error={preview.error} onRetry={preview.refetch} small />
          ) : (
            <SkeletonList label={t("runDialog.counting")} rows={2} />
          )
        ) : (
          <>
            <p className="run-campaign__summary" data-testid="run-summary">
              {previewSummary(p, t)}
            </p>
            <p>
              <strong data-testid="run-will-send">
                {p.willSend === 0 ? t("runDialog.nothing") : t("runDialog.willSend", { count: p.willSend })}
              </strong>
              {p.needTemplate > 0 && ` ${t("runDialog.needTemplate")}`}
            </p>
            {shortfall !== undefined && (
              <p className="banner banner--warning" role="status">
                {shortfall}
              </p>
            )}
            {p.recipients > 0 && (
              <div className="run-campaign__sample">
                <p className="run-campaign__sample-title">{t("runDialog.sampleTitle")}</p>
                <p className="template-bubble" data-testid="run-sample">
                  {p.sample}
                </p>
              </div>
            )}
          </>
        )}
        <ErrorBanner error={error} />
        <FormActions
          submitLabel={t("runDialog.submit")}
          pending={running.loading}
          pendingLabel={t("runDialog.pending")}
          disabled={p === undefined || p.willSend === 0}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}
