// `pnpm --filter @atrium/api emit-openapi`: writes the committed contract of the public REST API,
// openapi.json (the document GET /api/v1/openapi.json serves; a test fails when it is stale).
import "reflect-metadata";

import { writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { openApiDocument } from "./modules/public-api/openapi.ts";

const target = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../openapi.json");
await writeFile(target, `${JSON.stringify(openApiDocument(), null, 2)}\n`);
console.log(`wrote ${target}`);
