import { useQuery } from "@apollo/client/react";
import { Trans, useTranslation } from "react-i18next";

import { formatNumber, formatTime } from "../../platform/format.ts";
import { LoadError } from "../../platform/load-error.tsx";
import { RetentionPreviewDocument } from "./operations.ts";

/** SPEC W6: what the next sweep would delete under the saved setting (re-read after each save). */
export function RetentionPreview({ workspaceId }: { workspaceId: string }) {
  const { t } = useTranslation("settings");
  const { data, error, refetch, loading } = useQuery(RetentionPreviewDocument, {
    variables: { workspaceId },
    fetchPolicy: "cache-and-network",
  });
  const preview = data?.retentionPreview;
  return (
    <div className="retention-preview" data-testid="retention-preview" aria-live="polite">
      <h3 className="retention-preview__title">{t("retentionPreview.title")}</h3>
      {preview === undefined ? (
        error !== undefined ? (
          <LoadError error={error} onRetry={refetch} small />
        ) : (
          <p className="page-status">{t("retentionPreview.checking")}</p>
        )
      ) : preview.cutoff == null ? (
        <p className="muted">{t("retentionPreview.forever")}</p>
      ) : (
        <p>
          <Trans
            ns="settings"
            i18nKey="retentionPreview.wouldDelete"
            values={{ cutoff: formatTime(preview.cutoff) }}
            components={{
              leads: (
                <strong>
                  {t("retentionPreview.leads", { count: preview.leads, formatted: formatNumber(preview.leads) })}
                </strong>
              ),
              conversations: (
                <strong>
                  {t("retentionPreview.conversations", {
                    count: preview.conversations,
                    formatted: formatNumber(preview.conversations),
                  })}
                </strong>
              ),
              messages: (
                <strong>
                  {t("retentionPreview.messages", {
                    count: preview.messages,
                    formatted: formatNumber(preview.messages),
                  })}
                </strong>
              ),
              deliveries: (
                <strong>
                  {t("retentionPreview.deliveries", {
                    count: preview.webhookDeliveries,
                    formatted: formatNumber(preview.webhookDeliveries),
                  })}
                </strong>
              ),
            }}
          />
          {loading && <span className="muted"> {t("retentionPreview.updating")}</span>}
        </p>
      )}
    </div>
  );
}
