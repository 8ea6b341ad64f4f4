// `pnpm test:resilience`: the load, fault and two-instance suite (src/resilience), not part of
// `pnpm test`. It starts its own API processes and database (no globalSetup needed).
import { jestConfig } from "../../jest.base.js";

export default jestConfig({
  rootDir: import.meta.dirname,
  testMatch: ["<rootDir>/src/resilience/**/*.resilience.ts"],
  testTimeout: 600_000,
  maxWorkers: 1,
  esmOnlyRequired: [
    { requiredBy: ["@fastify/static"], module: "content-disposition" },
    { requiredBy: ["fastify", "light-my-request"], module: "cookie" },
  ],
});
