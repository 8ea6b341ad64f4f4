// `pnpm --filter @atrium/api emit-schema`: writes the committed contract, schema.graphql.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { printSchemaFile } from "./print-schema.ts";

const target = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../schema.graphql");
await writeFile(target, await printSchemaFile());
console.log(`wrote ${target}`);
