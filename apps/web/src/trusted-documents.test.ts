// The API runs the trusted-documents manifest committed at apps/api/trusted-documents.json
// (SPEC A3). It must be exactly what codegen makes of the web app's current operations:
// regenerate it with `pnpm manifest` when this fails.
import { describe, expect, it } from "@atrium/test-kit";

import committed from "../../api/trusted-documents.json" with { type: "json" };
import generated from "./gql/persisted-documents.json" with { type: "json" };

describe("trusted-documents manifest", () => {
  it("apps/api/trusted-documents.json matches the web app's operations (run `pnpm manifest`)", () => {
    expect(Object.keys(generated).length).toBeGreaterThan(10);
    expect(committed).toEqual(generated);
  });
});
