import { describe, expect, it } from "@atrium/test-kit";

import { parseStartScript, startCommand } from "./start-command.ts";

describe("apps/api's start script", () => {
  it("parses into the environment, node's flags and the entry point", () => {
    expect(parseStartScript("A_B=1 C=x=y node --one --two=2 dist/main.js")).toEqual({
      env: { A_B: "1", C: "x=y" },
      nodeArgs: ["--one", "--two=2"],
      entry: "dist/main.js",
    });
    expect(parseStartScript("node dist/main.js")).toEqual({ env: {}, nodeArgs: [], entry: "dist/main.js" });
  });

  it("refuses a script of another shape rather than starting the product otherwise", () => {
    expect(() => parseStartScript("tsx src/main.ts")).toThrow(/does not run node/);
    expect(() => parseStartScript("node --flag dist/main.js && echo done")).toThrow(/is not/);
    expect(() => parseStartScript("node --flag")).toThrow(/is not/);
  });

  it("is what package.json says: the memory settings of decision 0055 and the bundle", () => {
    const c = startCommand();
    expect(c.entry).toBe("dist/main.js");
    expect(c.env.MALLOC_MMAP_THRESHOLD_).toBe("2097152");
    expect(c.nodeArgs).toEqual(expect.arrayContaining(["--max-semi-space-size=32", "--heap-growing-percent=30"]));
  });
});
