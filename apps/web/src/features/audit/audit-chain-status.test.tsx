/**
 * @jest-environment jsdom
 */
// The audit page's chain line (issue 50, decision 0053) in a DOM: verified up to a checkpoint with
// newer entries waiting, the offline-verification commands, a chain that does not verify as a
// warning naming the row, and the same in Spanish (whose numbers group from five digits: seq 1238).
import { type MockLink } from "@apollo/client/testing";
import i18n from "i18next";
import { act } from "react";

import { describe, expect, it } from "@atrium/test-kit";

import esAudit from "../../i18n/locales/es/audit.json" with { type: "json" };
import esCommon from "../../i18n/locales/es/common.json" with { type: "json" };
import { renderWithApi, until } from "../../platform/testing/dom.tsx";
import { AuditChainStatus, AuditChainStatusDocument } from "./audit-chain-status.tsx";

const workspaceId = "6f1c2d3e-0000-4000-8000-000000000001";
const KEYS_URL = "https://atrium.example.com/.well-known/atrium-audit-keys.json";
const verified = {
  __typename: "AuditChainStatus" as const,
  rows: 1_250,
  headSeq: 1_250,
  verifiedThrough: {
    __typename: "AuditCheckpoint" as const,
    seq: 1_238,
    signedAt: "2026-11-28T10:00:00.000Z",
    keyId: "2026-11",
  },
  unsignedRows: 12,
  problem: null as string | null,
  signing: true,
  publicKeysUrl: KEYS_URL,
};
const mock = (auditChainStatus: typeof verified): MockLink.MockedResponse => ({
  request: { query: AuditChainStatusDocument, variables: { workspaceId } },
  result: { data: { auditChainStatus } },
});

async function show(status: typeof verified) {
  await renderWithApi(<AuditChainStatus workspaceId={workspaceId} />, [mock(status)]);
  await until(() => document.querySelector("[data-testid=audit-chain]") !== null);
  return document.querySelector("[data-testid=audit-chain]")!;
}

describe("audit chain status", () => {
  it("says how far the chain is verified and how many newer entries wait, links the keys and gives the two commands", async () => {
    const card = await show(verified);
    const line = card.querySelector("p")!.textContent;
    expect(line).toMatch(/^Verified Chain verified up to .*2026.* \(seq 1,238\) · 12 newer entries not yet signed$/);
    expect(card.querySelector("[role=alert]")).toBeNull();
    const link = card.querySelector("a")!;
    expect(link.getAttribute("href")).toBe(KEYS_URL);
    expect(link.textContent).toBe("Public keys of the signatures");
    const details = card.querySelector("details")!;
    expect(details.open).toBe(false);
    expect(details.querySelector("summary")!.textContent).toBe("How to verify offline");
    expect(details.querySelector("code")!.textContent).toBe(
      `pnpm atrium audit export ${workspaceId} --out audit.jsonl\npnpm atrium audit verify audit.jsonl --key ${KEYS_URL}`,
    );
  });

  it("one newer entry reads in the singular", async () => {
    expect((await show({ ...verified, unsignedRows: 1 })).querySelector("p")!.textContent).toContain(
      "· 1 newer entry not yet signed",
    );
  });

  it("before the first checkpoint, says nothing is signed yet (no verified badge)", async () => {
    const card = await show({ ...verified, verifiedThrough: null as never, unsignedRows: 5 });
    expect(card.querySelector("p")!.textContent.trim()).toBe("No signed checkpoint yet: 5 entries not yet signed");
    expect(card.querySelector(".badge")).toBeNull();
  });

  it("a chain that does not verify is a warning naming the row, and a server without a key says it signs nothing", async () => {
    const card = await show({
      ...verified,
      problem: "row 0b0e… at seq 1240 was edited: its content no longer matches its hash",
      signing: false,
    });
    const alert = card.querySelector("[role=alert]")!;
    expect(alert.textContent).toContain("The audit log does not verify:");
    expect(alert.textContent).toContain("seq 1240 was edited");
    expect(card.textContent).not.toContain("Chain verified up to");
    expect(card.textContent).toContain("Checkpoints are not being signed on this server");
  });

  it("speaks Spanish", async () => {
    i18n.addResourceBundle("es", "audit", esAudit, true, true);
    i18n.addResourceBundle("es", "common", esCommon, true, true);
    await act(() => i18n.changeLanguage("es"));
    try {
      const card = await show(verified);
      expect(card.querySelector("p")!.textContent).toMatch(
        /^Verificado Cadena verificada hasta .* \(seq 1238\) · 12 entradas más recientes aún sin firmar$/,
      );
      expect(card.querySelector("summary")!.textContent).toBe("Cómo verificarlo sin conexión");
    } finally {
      await act(() => i18n.changeLanguage("en"));
    }
  });
});
