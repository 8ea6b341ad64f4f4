// schema.prisma as Prisma's own parser reads it (getDMMF, the WASM engine `prisma generate` uses),
// for the tests that compare it with the database or check a rule over every model.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { getDMMF } from "@prisma/get-dmmf";

import { MIGRATIONS_DIR } from "../migrate.ts";

export const SCHEMA_PATH = path.join(path.dirname(MIGRATIONS_DIR), "schema.prisma");

export type Dmmf = Exclude<ReturnType<typeof getDMMF>, { type: "wasm-error" | "parse-json" }>;

/** Parses `source` (default: the repository's schema.prisma); throws when it does not parse. */
export async function readDmmf(source?: string): Promise<{ dmmf: Dmmf; text: string }> {
  const text = source ?? (await readFile(SCHEMA_PATH, "utf8"));
  const dmmf = getDMMF({ datamodel: text });
  if ("type" in dmmf && (dmmf.type === "wasm-error" || dmmf.type === "parse-json")) {
    throw new Error(`schema.prisma did not parse: ${dmmf.reason}`);
  }
  return { dmmf: dmmf as Dmmf, text };
}
