import { describe, expect, it } from "@atrium/test-kit";

import { registerStepUpHandler, requestStepUp } from "./step-up-gate.ts";

describe("step-up gate", () => {
  it("answers false when no prompt is mounted", async () => {
    expect(await requestStepUp({ lifetimeMinutes: 15 })).toBe(false);
  });

  it("shares one prompt between operations that hit the gate together", async () => {
    let calls = 0;
    let finish: (ok: boolean) => void = () => undefined;
    const off = registerStepUpHandler(() => {
      calls += 1;
      return new Promise<boolean>((resolve) => {
        finish = resolve;
      });
    });
    const a = requestStepUp({ lifetimeMinutes: 15 });
    const b = requestStepUp({ lifetimeMinutes: 15 });
    finish(true);
    expect(await Promise.all([a, b])).toEqual([true, true]);
    expect(calls).toBe(1);
    // A later hit asks again.
    const c = requestStepUp({ lifetimeMinutes: 15 });
    finish(false);
    expect(await c).toBe(false);
    expect(calls).toBe(2);
    off();
    expect(await requestStepUp({ lifetimeMinutes: 15 })).toBe(false);
  });
});
