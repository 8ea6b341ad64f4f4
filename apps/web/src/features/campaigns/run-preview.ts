/** What the Run confirmation says about campaignPreview's counts, apart from React. */
import { type TFunction } from "i18next";

import { type CampaignPreviewQuery } from "../../gql/graphql.ts";

export type CampaignPreview = CampaignPreviewQuery["campaignPreview"];

/** "5 recipients · 2 skipped (opted out 1, no phone 1, need a template 0) · quota allows 100". */
export function previewSummary(p: CampaignPreview, t: TFunction<"campaigns">): string {
  const skipped = p.optedOut + p.noPhone + p.needTemplate;
  const quota =
    p.quotaRemaining === null ? t("runPreview.noQuota") : t("runPreview.quotaAllows", { remaining: p.quotaRemaining });
  return t("runPreview.summary", {
    recipients: t("runPreview.recipients", { count: p.recipients }),
    skipped,
    optedOut: p.optedOut,
    noPhone: p.noPhone,
    needTemplate: p.needTemplate,
    quota,
  });
}

/** What goes out now and what waits, when the quota allows fewer than would be sent; undefined when all fits. */
export function quotaShortfall(p: CampaignPreview, t: TFunction<"campaigns">): string | undefined {
  if (p.quotaRemaining === null || p.willSend <= p.quotaRemaining) return undefined;
  const held = p.willSend - p.quotaRemaining;
  return t("runPreview.shortfall", { count: p.quotaRemaining, held });
}
