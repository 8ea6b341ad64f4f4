/**
 * @jest-environment jsdom
 */
// The confirmation before Run (issue 56): the counts campaignPreview gives — recipients, who is
// skipped and why, what the quota allows — the sample message, and Run only from the dialog.
import { type MockLink } from "@apollo/client/testing";
import i18next from "i18next";

import { describe, expect, it } from "@atrium/test-kit";

import { type CampaignFieldsFragment } from "../../gql/graphql.ts";
import campaigns from "../../i18n/locales/en/campaigns.json";
import { button, renderWithApi, until } from "../../platform/testing/dom.tsx";
import { CampaignPreviewDocument } from "./operations.ts";
import { RunCampaignDialog } from "./run-campaign-dialog.tsx";
import { previewSummary, quotaShortfall, type CampaignPreview } from "./run-preview.ts";

// The English texts, as the page shows them (the counts' words are the campaigns namespace's).
const i18n = i18next.createInstance();
await i18n.init({
  lng: "en",
  ns: ["campaigns"],
  resources: { en: { campaigns } },
  interpolation: { escapeValue: false },
});
const t = i18n.getFixedT("en", "campaigns");

const campaign: CampaignFieldsFragment = {
  __typename: "Campaign",
  id: "c1",
  name: "Spring check-up",
  message: "Hi {{firstName}}",
  status: "DRAFT",
  tag: "vip",
  contactIds: [],
  templateId: null,
  scheduledAt: null,
  startedAt: null,
  completedAt: null,
  createdAt: "2026-11-27T10:00:00.000Z",
  total: 0,
  queued: 0,
  sent: 0,
  failed: 0,
  suppressed: 0,
  held: 0,
  cancelled: 0,
};

const preview = (over: Partial<CampaignPreview> = {}): CampaignPreview => ({
  __typename: "CampaignPreview",
  recipients: 12,
  optedOut: 2,
  noPhone: 1,
  needTemplate: 3,
  willSend: 6,
  quotaRemaining: 4,
  sample: "Hi Ada",
  ...over,
});

describe("the Run confirmation's counts", () => {
  it("names every skipped group and the quota", () => {
    expect(previewSummary(preview(), t)).toBe(
      "12 recipients · 6 skipped (opted out 2, no phone 1, need a template 3) · quota allows 4",
    );
    expect(
      previewSummary(
        preview({ recipients: 1, optedOut: 0, noPhone: 0, needTemplate: 0, willSend: 1, quotaRemaining: null }),
        t,
      ),
    ).toBe("1 recipient · 0 skipped (opted out 0, no phone 0, need a template 0) · no monthly quota");
  });

  it("says what waits when the quota allows fewer than would be sent", () => {
    expect(quotaShortfall(preview(), t)).toMatch(/^4 messages go out now; the other 2 wait \(held\)/);
    expect(quotaShortfall(preview({ quotaRemaining: 6 }), t)).toBeUndefined();
    expect(quotaShortfall(preview({ quotaRemaining: null }), t)).toBeUndefined();
  });
});

describe("the Run confirmation dialog", () => {
  const mock = (p: CampaignPreview): MockLink.MockedResponse => ({
    request: { query: CampaignPreviewDocument, variables: { workspaceId: "w1", id: "c1" } },
    result: { data: { campaignPreview: p } },
  });

  it("shows the API's counts, the sample message and the Run button", async () => {
    await renderWithApi(
      <RunCampaignDialog workspaceId="w1" campaign={campaign} onClose={() => undefined} onStarted={() => undefined} />,
      [mock(preview())],
    );
    await until(() => document.querySelector('[data-testid="run-summary"]') !== null);
    expect(document.querySelector('[data-testid="run-summary"]')?.textContent).toBe(
      "12 recipients · 6 skipped (opted out 2, no phone 1, need a template 3) · quota allows 4",
    );
    expect(document.querySelector('[data-testid="run-will-send"]')?.textContent).toBe("6 messages will be sent.");
    expect(document.querySelector('[data-testid="run-sample"]')?.textContent).toBe("Hi Ada");
    expect(document.body.textContent).toContain("need an approved WhatsApp template");
    expect(button("Run now").disabled).toBe(false);
  });

  it("offers no Run when nothing would be sent", async () => {
    await renderWithApi(
      <RunCampaignDialog workspaceId="w1" campaign={campaign} onClose={() => undefined} onStarted={() => undefined} />,
      [mock(preview({ recipients: 2, optedOut: 2, noPhone: 0, needTemplate: 0, willSend: 0, quotaRemaining: null }))],
    );
    await until(() => document.querySelector('[data-testid="run-summary"]') !== null);
    expect(document.querySelector('[data-testid="run-will-send"]')?.textContent).toBe("Nothing would be sent.");
    expect(button("Run now").disabled).toBe(true);
  });
});
