// Jest for this package: the shared configuration in jest.base.js (decision 0009). Component tests
// choose jsdom with a `@jest-environment jsdom` docblock (decision 0020).
import { jestConfig } from "../../jest.base.js";

export default { ...jestConfig({ rootDir: import.meta.dirname, tsx: true }), setupFiles: ["<rootDir>/jest.setup.js"] };
