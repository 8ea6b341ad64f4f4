// Jest for this package: the shared configuration in jest.base.js (decision 0009).
import { jestConfig } from "../../jest.base.js";

export default jestConfig({
  rootDir: import.meta.dirname,
  database: true,
  // CommonJS dependencies that require ESM-only packages (see jest.base.js).
  esmOnlyRequired: [
    { requiredBy: ["@fastify/static"], module: "content-disposition" },
    { requiredBy: ["fastify", "light-my-request"], module: "cookie" },
  ],
});
