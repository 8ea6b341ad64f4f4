/** What the Run confirmation says about campaignPreview's counts, apart from React. */
import { type CampaignPreviewQuery } from "../../gql/graphql.ts";

export type CampaignPreview = CampaignPreviewQuery["campaignPreview"];

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "5 recipients · 2 skipped (opted out 1, no phone 1, need a template 0) · quota allows 100". */
export function previewSummary(p: CampaignPreview): string {
  const skipped = p.optedOut + p.noPhone + p.needTemplate;
  const quota = p.quotaRemaining === null ? "no monthly quota" : `quota allows ${p.quotaRemaining}`;
  return `${plural(p.recipients, "recipient")} · ${skipped} skipped (opted out ${p.optedOut}, no phone ${p.noPhone}, need a template ${p.needTemplate}) · ${quota}`;
}

/** What goes out now and what waits, when the quota allows fewer than would be sent; undefined when all fits. */
export function quotaShortfall(p: CampaignPreview): string | undefined {
  if (p.quotaRemaining === null || p.willSend <= p.quotaRemaining) return undefined;
  const held = p.willSend - p.quotaRemaining;
  return `${plural(p.quotaRemaining, "message")} go${p.quotaRemaining === 1 ? "es" : ""} out now; the other ${held} wait (held) until the quota allows more — next month or a plan change.`;
}
