// The documented reasons (@atrium/validation's ERROR_REASONS, docs/api/errors.md) against the code:
// the error constructors take an ErrorReason, so an undocumented reason does not compile; this
// test is the other direction — a reason the API no longer emits must leave the documentation.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "@atrium/test-kit";
import { ERROR_REASONS } from "@atrium/validation";

const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

async function sourceText(): Promise<string> {
  const files = (await readdir(src, { recursive: true })).filter(
    (f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.startsWith("test/"),
  );
  return (await Promise.all(files.map((f) => readFile(path.join(src, f), "utf8")))).join("\n");
}

describe("error reasons", () => {
  it("every documented reason is one the API can emit (a string literal in apps/api/src)", async () => {
    const text = await sourceText();
    const unused = Object.keys(ERROR_REASONS).filter((reason) => !text.includes(`"${reason}"`));
    expect(unused).toEqual([]);
  });
});
