// Jest resolver (see jest.base.js, writeCommonJsCopies): resolves as Jest always does, then
// answers the CommonJS copy of the few ESM-only files that CommonJS dependencies require.
const { readFileSync } = require("node:fs");

let copies;
function copiesOf() {
  if (copies === undefined) {
    const manifest = process.env.ATRIUM_JEST_COMMONJS_COPIES;
    copies = manifest ? JSON.parse(readFileSync(manifest, "utf8")) : {};
  }
  return copies;
}

const swap = (resolved) => copiesOf()[resolved] ?? resolved;

module.exports = {
  sync: (request, options) => swap(options.defaultResolver(request, options)),
  async: async (request, options) => swap(await options.defaultAsyncResolver(request, options)),
};
