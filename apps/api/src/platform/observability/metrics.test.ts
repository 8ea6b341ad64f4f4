// The bound on GraphQL operation labels (decision 0036): whatever names clients send, the labels
// are the manifest's names, a few others, and "other".
import { describe, expect, it } from "@atrium/test-kit";

import {
  MAX_OPERATION_NAME,
  OperationLabels,
  processRegistry,
  recordJobsProcessHealth,
  registerJobsProcessMetrics,
} from "./metrics.ts";

/** Labels as "type/operation", each made once (the counter proves children are cached). */
function labels(known: string[], maxOthers: number) {
  let made = 0;
  const ops = new OperationLabels(
    new Set(known),
    (type, operation) => {
      made++;
      return `${type}/${operation}`;
    },
    maxOthers,
  );
  return { ops, made: () => made };
}

describe("GraphQL operation labels", () => {
  it("names unnamed operations anonymous, per operation type", () => {
    const { ops } = labels([], 2);
    expect(ops.childFor("query", null)).toBe("query/anonymous");
    expect(ops.childFor("query", "")).toBe("query/anonymous");
    expect(ops.childFor("mutation", undefined)).toBe("mutation/anonymous");
  });

  it("gives manifest names a label always, other names until the bound, then other", () => {
    const { ops } = labels(["Me", "Leads"], 2);
    expect(ops.childFor("query", "First")).toBe("query/First");
    expect(ops.childFor("query", "Second")).toBe("query/Second");
    expect(ops.childFor("query", "Third")).toBe("query/other");
    expect(ops.childFor("mutation", "Fourth")).toBe("mutation/other");
    // The manifest's names and the admitted ones keep their label past the bound, in any type.
    expect(ops.childFor("query", "Me")).toBe("query/Me");
    expect(ops.childFor("query", "Leads")).toBe("query/Leads");
    expect(ops.childFor("mutation", "First")).toBe("mutation/First");
    // Reserved labels never use up the bound.
    const { ops: fresh } = labels([], 1);
    expect(fresh.childFor("query", "other")).toBe("query/other");
    expect(fresh.childFor("query", "unresolved")).toBe("query/unresolved");
    expect(fresh.childFor("query", "anonymous")).toBe("query/anonymous");
    expect(fresh.childFor("query", "Named")).toBe("query/Named");
  });

  it("counts a name longer than the limit as other without using up the bound", () => {
    const { ops } = labels([], 1);
    expect(ops.childFor("query", "L".repeat(MAX_OPERATION_NAME + 1))).toBe("query/other");
    expect(ops.childFor("query", "L".repeat(MAX_OPERATION_NAME))).toBe(`query/${"L".repeat(MAX_OPERATION_NAME)}`);
  });

  it("makes each label's child once, and remembers no name it counts as other", () => {
    const { ops, made } = labels(["Me"], 1);
    for (let i = 0; i < 5; i++) ops.childFor("query", "Me");
    ops.childFor("query", "Admitted");
    for (let i = 0; i < 1_000; i++) ops.childFor("query", `Spray${i}`);
    expect(made()).toBe(3); // Me, Admitted, other
    expect((ops as unknown as { byType: Map<string, Map<string, unknown>> }).byType.get("query")!.size).toBe(3);
  });
});

describe("the jobs process's health on the API's /metrics", () => {
  const value = async (name: string) =>
    Number(new RegExp(`^atrium_jobs_process_${name} (\\S+)$`, "m").exec(await processRegistry.metrics())?.[1]);

  it("records what the jobs process reports, and leaves out a value that is not a sane number", async () => {
    registerJobsProcessMetrics();
    recordJobsProcessHealth({ rss: 200e6, heapUsed: 80e6, cpuSeconds: 12.5, eventLoopDelayP99Seconds: 0.021 });
    expect(await value("resident_memory_bytes")).toBe(200e6);
    expect(await value("heap_used_bytes")).toBe(80e6);
    expect(await value("cpu_seconds_total")).toBe(12.5);
    expect(await value("event_loop_delay_p99_seconds")).toBe(0.021);
    // Over IPC anything can arrive: a string, NaN, a negative number, nothing.
    recordJobsProcessHealth({ rss: "1e9", heapUsed: Number.NaN, cpuSeconds: -1 });
    expect(await value("resident_memory_bytes")).toBe(200e6);
    expect(await value("heap_used_bytes")).toBe(80e6);
    expect(await value("cpu_seconds_total")).toBe(12.5);
    expect(await value("event_loop_delay_p99_seconds")).toBe(0.021);
  });
});
