// Jest for this package: the shared configuration in jest.base.js (decision 0009).
import { jestConfig } from "../../jest.base.js";

export default jestConfig({ rootDir: import.meta.dirname });
