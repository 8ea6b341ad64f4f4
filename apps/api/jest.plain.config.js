// The plain lane of `pnpm test`: the suites that read and write through the engine's fast paths
// (lists, timelines, home, submitted leads, API keys), run again with ATRIUM_DB_PIPELINES=off —
// every unit of work through the plain tenant transaction (pg's public API only), as the engine
// runs when a pg upgrade removes an internal its pipelines use (packages/db/README.md). They
// assert answers, not statements, so the same assertions must hold: slower, never wrong.
import { jestConfig } from "../../jest.base.js";

process.env["ATRIUM_DB_PIPELINES"] = "off";

export default jestConfig({
  rootDir: import.meta.dirname,
  database: true,
  testMatch: [
    "<rootDir>/src/modules/leads/leads.int.test.ts",
    "<rootDir>/src/modules/leads/list-order.int.test.ts",
    "<rootDir>/src/modules/leads/public-form.int.test.ts",
    "<rootDir>/src/modules/leads/lead-timeline.int.test.ts",
    "<rootDir>/src/modules/contacts/contact-timeline.int.test.ts",
    "<rootDir>/src/modules/home/home.int.test.ts",
    "<rootDir>/src/modules/audit/audit.int.test.ts",
    "<rootDir>/src/modules/api-keys/api-keys.int.test.ts",
  ],
  esmOnlyRequired: [
    { requiredBy: ["@fastify/static"], module: "content-disposition" },
    { requiredBy: ["fastify", "light-my-request"], module: "cookie" },
  ],
});
