// The export's archive (issue 50): one zip with, per entity, a JSON file (the rows as stored) and
// a CSV file (the same rows, one column per field, formula-safe), and a README saying what each
// file is. Built in memory: one person's rows are small.
import { strToU8, zipSync } from "fflate";

import { csvRecord } from "@atrium/validation";

import { ENTITIES, type Entity } from "./privacy.repository.ts";

export const ENTITY_DESCRIPTIONS: Readonly<Record<Entity, string>> = {
  contacts: "The person's contact records (name, e-mail, phone, tags, opt-in and opt-out).",
  leads: "Leads submitted by or for the person (form, API or import), with the agent's qualification answers.",
  conversations: "Conversations with the person, including voice call transcripts and recording links.",
  messages: "Every message in those conversations (both directions).",
  calls: "Outbound voice call attempts to the person.",
  bookings: "Consultations booked by or for the person (Cal.com).",
  campaign_sends: "Campaign messages addressed to the person (sent, skipped or cancelled).",
  webhook_deliveries: "Outbound webhook deliveries whose payload carried the person's data (the payload included).",
  audit_entries: "Audit log entries that name the person or one of their records.",
};

function cell(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  return JSON.stringify(v);
}

function toCsv(rows: Record<string, unknown>[]): string {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return `\uFEFF${csvRecord(columns)}${rows.map((r) => csvRecord(columns.map((c) => cell(r[c])))).join("")}`;
}

export function buildExportArchive(
  data: Record<Entity, Record<string, unknown>[]>,
  meta: { requestId: string; createdAt: Date },
): Uint8Array<ArrayBuffer> {
  const files: Record<string, Uint8Array> = {};
  const readme = [
    "Data export",
    "===========",
    "",
    `Request ${meta.requestId}, made ${meta.createdAt.toISOString()}.`,
    "Everything this workspace holds about the person, one entity per pair of files:",
    "<entity>.json holds the rows as stored (times in UTC, ISO 8601); <entity>.csv the same rows as a table.",
    "",
    ...ENTITIES.map((e) => `${e}.json / ${e}.csv (${data[e].length} rows): ${ENTITY_DESCRIPTIONS[e]}`),
    "",
  ].join("\n");
  files["README.txt"] = strToU8(readme);
  for (const e of ENTITIES) {
    files[`${e}.json`] = strToU8(
      JSON.stringify(data[e], (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2),
    );
    files[`${e}.csv`] = strToU8(toCsv(data[e]));
  }
  return new Uint8Array(zipSync(files, { level: 6 }));
}
