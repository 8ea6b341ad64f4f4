/**
 * The confirmation before Run (issue 56): what running now would do — recipients, who is skipped
 * and why, what the quota allows — and the message as the first recipient reads it, counted by
 * the API (campaignPreview) without writing anything.
 */
import { useMutation, useQuery } from "@apollo/client/react";
import { type FormEvent, useState } from "react";
import { type CampaignFieldsFragment } from "../../gql/graphql.ts";
import { type UserFacingError, describeError } from "../../platform/errors.ts";
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
      onStarted(`Started “${campaign.name}”.`);
    } catch (caught) {
      setError(describeError(caught));
    }
  };

  const shortfall = p === undefined ? undefined : quotaShortfall(p);
  return (
    <Dialog title={`Run “${campaign.name}” now?`} onClose={onClose}>
      <form className="form run-campaign" onSubmit={(event) => void onSubmit(event)} data-testid="run-confirmation">
        {p === undefined ? (
          preview.error !== undefined ? (
            <LoadError error={preview.error} onRetry={preview.refetch} small />
          ) : (
            <SkeletonList label="Counting the recipients…" rows={2} />
          )
        ) : (
          <>
            <p className="run-campaign__summary" data-testid="run-summary">
              {previewSummary(p)}
            </p>
            <p>
              <strong data-testid="run-will-send">{p.willSend === 0 ? "Nothing would be sent." : `${p.willSend} message${p.willSend === 1 ? "" : "s"} will be sent.`}</strong>
              {p.needTemplate > 0 && " Contacts who have not written in the last 24 hours need an approved WhatsApp template: edit the draft to choose one."}
            </p>
            {shortfall !== undefined && (
              <p className="banner banner--warning" role="status">
                {shortfall}
              </p>
            )}
            {p.recipients > 0 && (
              <div className="run-campaign__sample">
                <p className="run-campaign__sample-title">The first recipient reads</p>
                <p className="template-bubble" data-testid="run-sample">
                  {p.sample}
                </p>
              </div>
            )}
          </>
        )}
        <ErrorBanner error={error} />
        <FormActions submitLabel="Run now" pending={running.loading} pendingLabel="Starting…" disabled={p === undefined || p.willSend === 0} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
