import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "@atrium/test-kit";

import { ERROR_CODE_DOCS, ERROR_CODES } from "./error-codes.ts";
import { renderErrorReasonsDoc } from "./error-reasons-doc.ts";
import { ERROR_REASON_LIST, ERROR_REASONS, isErrorReason } from "./error-reasons.ts";

const docFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../docs/api/errors.md");

describe("error reasons", () => {
  it("document each reason: a code of the Contract, when it happens and what to do, in sentences", () => {
    for (const [reason, doc] of Object.entries(ERROR_REASONS)) {
      expect(reason).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
      expect(ERROR_CODES).toContain(doc.code);
      for (const text of [doc.when, doc.whatToDo]) expect(text, `${reason}: "${text}"`).toMatch(/^\S.{10,}[.)]$/);
    }
  });

  it("lists every reason once, grouped by code in the Contract's order", () => {
    expect(ERROR_REASON_LIST.map((r) => r.reason).sort()).toEqual(Object.keys(ERROR_REASONS).sort());
    const codeOrder = ERROR_REASON_LIST.map((r) => ERROR_CODES.indexOf(r.code));
    expect(codeOrder).toEqual([...codeOrder].sort((a, b) => a - b));
  });

  it("recognises a reason", () => {
    expect(isErrorReason("CONCURRENT_UPDATE")).toBe(true);
    expect(isErrorReason("toString")).toBe(false);
    expect(isErrorReason(undefined)).toBe(false);
  });

  it("docs/api/errors.md is up to date (run `pnpm --filter @atrium/validation docs:errors`)", async () => {
    const page = renderErrorReasonsDoc();
    expect(await readFile(docFile, "utf8")).toBe(page);
    for (const reason of Object.keys(ERROR_REASONS)) expect(page).toContain(`| \`${reason}\` |`);
    // Every code is explained under its heading, with its HTTP status.
    for (const [code, doc] of Object.entries(ERROR_CODE_DOCS))
      expect(page).toContain(`## ${code}\n\nHTTP ${doc.status}. ${doc.when}`);
  });
});
