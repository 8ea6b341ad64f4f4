// Jest setupFilesAfterEnv for every package with a database (jest.base.js, which also sets
// ATRIUM_SCOPE_WITNESS=1): after each test, no unit of work may have run inside a request without
// that request's scope (clients.ts, `checkScope`). The witness refuses such a unit of work as it
// happens; this also catches one whose error was swallowed (a fire-and-forget).
import { afterEach } from "@atrium/test-kit";

import { takeScopeViolations } from "./index.ts";

afterEach(() => {
  const violations = takeScopeViolations();
  if (violations.length > 0)
    throw new Error(
      `units of work ran inside a request without its scope (packages/db/README.md, "The request scope"):\n  ${violations.join("\n  ")}`,
    );
});
