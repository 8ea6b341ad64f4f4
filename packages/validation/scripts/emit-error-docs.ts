// `pnpm --filter @atrium/validation docs:errors`: writes docs/api/errors.md from ERROR_REASONS
// (error-reasons.test.ts fails while the checked-in page is stale).
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { renderErrorReasonsDoc } from "../src/error-reasons-doc.ts";

const target = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../docs/api/errors.md");
await mkdir(path.dirname(target), { recursive: true });
await writeFile(target, renderErrorReasonsDoc());
console.log(`wrote ${target}`);
