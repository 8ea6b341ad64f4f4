/**
 * The home page's wording and links (issue 48), kept out of the components so they are tested
 * alone: each onboarding step's label and where it is done (which depends on the channel), and
 * how a count reads beside the previous period's.
 */
import i18n from "i18next";

import { type Channel, type ChecklistItemKey } from "../../gql/graphql.ts";
import { currentLocale, formatNumber } from "../../platform/format.ts";

/** The home namespace's texts, in the language current when called. */
const t = i18n.getFixedT(null, "home");

export interface ChecklistStep {
  readonly key: ChecklistItemKey;
  readonly label: string;
  readonly hint: string;
  /** Where the step is done (an in-app path, with the settings section's anchor). */
  readonly href: string;
  readonly done: boolean;
}

/** The channel's provider: Twilio carries WhatsApp, Vapi places the calls (SPEC I1). */
export function channelProvider(channel: Channel): "Twilio" | "Vapi" {
  return channel === "VOICE" ? "Vapi" : "Twilio";
}

/** The settings page's section anchors (their ids on the page). */
export function settingsPath(slug: string, section: "integrations" | "persona" | "public-form"): string {
  return `/w/${slug}/settings#settings-${section}-title`;
}

export function checklistSteps(
  items: readonly { key: ChecklistItemKey; done: boolean }[],
  workspace: { slug: string; channel: Channel },
): ChecklistStep[] {
  const { slug } = workspace;
  const provider = channelProvider(workspace.channel);
  const text: Record<ChecklistItemKey, Omit<ChecklistStep, "key" | "done">> = {
    CHANNEL_CONNECTED: {
      label: t("steps.connect", { provider }),
      hint: workspace.channel === "VOICE" ? t("steps.voiceHint") : t("steps.whatsappHint"),
      href: settingsPath(slug, "integrations"),
    },
    PERSONA_SET: { label: t("steps.persona"), hint: t("steps.personaHint"), href: settingsPath(slug, "persona") },
    FIRST_LEAD: {
      label: t("steps.firstLead"),
      hint: t("steps.firstLeadHint"),
      href: settingsPath(slug, "public-form"),
    },
    TEAMMATE_INVITED: { label: t("steps.teammate"), hint: t("steps.teammateHint"), href: `/w/${slug}/members` },
    API_KEY_CREATED: { label: t("steps.apiKey"), hint: t("steps.apiKeyHint"), href: `/w/${slug}/api-keys` },
    FIRST_CAMPAIGN: { label: t("steps.campaign"), hint: t("steps.campaignHint"), href: `/w/${slug}/campaigns` },
  };
  return items.map((item) => ({ key: item.key, done: item.done, ...text[item.key] }));
}

export type Trend = "up" | "down" | "same";

/** "+3 vs the 24 h before", "−1 vs …", "Same as …"; the trend for its icon and colour. */
export function comparison(
  metric: { current: number; previous: number },
  format: (n: number) => string = (n) => formatNumber(n),
): { text: string; trend: Trend } {
  const delta = metric.current - metric.previous;
  if (delta === 0) return { text: t("comparison.same"), trend: "same" };
  return {
    text: t("comparison.delta", {
      delta: `${delta > 0 ? "+" : "−"}${format(Math.abs(delta))}`,
      previous: format(metric.previous),
    }),
    trend: delta > 0 ? "up" : "down",
  };
}

/** Whether a rise is good news: more leads and bookings are; more waiting conversations and failures are not. */
export const RISE_IS_GOOD = { newLeads: true, bookings: true, waitingForReply: false, sendsFailed: false } as const;

/** How a metric's change reads: good news, bad news, or no change (its colour). */
export function changeTone(trend: Trend, key: keyof typeof RISE_IS_GOOD): "good" | "bad" | "same" {
  if (trend === "same") return "same";
  return (trend === "up") === RISE_IS_GOOD[key] ? "good" : "bad";
}

/** "5 min ago", "3 h ago", "yesterday", or the date (in the page's language, through Intl). */
export function relativeTime(iso: string, now: Date = new Date()): string {
  const seconds = Math.round((Date.parse(iso) - now.getTime()) / 1000);
  const rtf = new Intl.RelativeTimeFormat(currentLocale(), { numeric: "auto" });
  const abs = Math.abs(seconds);
  if (abs < 60) return rtf.format(0, "second");
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), "minute");
  if (abs < 86_400) return rtf.format(Math.round(seconds / 3600), "hour");
  if (abs < 7 * 86_400) return rtf.format(Math.round(seconds / 86_400), "day");
  return new Intl.DateTimeFormat(currentLocale(), { dateStyle: "medium" }).format(new Date(iso));
}
