// Jest for this package: the shared configuration in jest.base.js (decision 0009). Component tests
// choose jsdom with a `@jest-environment jsdom` docblock (decision 0020).
import { jestConfig } from "../../jest.base.js";

// A component's own stylesheet (`import "./x.css"`) is an empty module under Jest.
export default {
  ...jestConfig({ rootDir: import.meta.dirname, tsx: true }),
  setupFiles: ["<rootDir>/jest.setup.js"],
  moduleNameMapper: { "\\.css$": "<rootDir>/jest.style-stub.js" },
};
