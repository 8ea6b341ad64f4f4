import base from "../eslint.config.js";

// The root config exempts "bench/**" from the process.env rule, but its patterns resolve against
// this directory when ESLint runs here.
export default [...base, { files: ["**/*.ts"], rules: { "no-restricted-properties": "off" } }];
