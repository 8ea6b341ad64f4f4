import { useQuery } from "@apollo/client/react";
import { RetentionPreviewDocument } from "./operations.ts";
import { LoadError } from "../../platform/load-error.tsx";

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

function count(value: number, one: string, many: string): string {
  return `${value.toLocaleString()} ${value === 1 ? one : many}`;
}

/** SPEC W6: what the next sweep would delete under the saved setting (re-read after each save). */
export function RetentionPreview({ workspaceId }: { workspaceId: string }) {
  const { data, error, refetch, loading } = useQuery(RetentionPreviewDocument, {
    variables: { workspaceId },
    fetchPolicy: "cache-and-network",
  });
  const preview = data?.retentionPreview;
  return (
    <div className="retention-preview" data-testid="retention-preview" aria-live="polite">
      <h3 className="retention-preview__title">Next sweep</h3>
      {preview === undefined ? (
        error !== undefined ? (
          <LoadError error={error} onRetry={refetch} small />
        ) : (
          <p className="page-status">Checking what the next sweep would delete…</p>
        )
      ) : preview.cutoff == null ? (
        <p className="muted">Nothing is deleted: retention is forever.</p>
      ) : (
        <p>
          Would delete what was created before {dateTime.format(new Date(preview.cutoff))}:{" "}
          <strong>{count(preview.leads, "lead", "leads")}</strong>,{" "}
          <strong>{count(preview.conversations, "conversation", "conversations")}</strong>,{" "}
          <strong>{count(preview.messages, "message", "messages")}</strong> and{" "}
          <strong>{count(preview.webhookDeliveries, "settled webhook delivery", "settled webhook deliveries")}</strong>.
          {loading && <span className="muted"> Updating…</span>}
        </p>
      )}
    </div>
  );
}
