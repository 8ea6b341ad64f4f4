// How many statements a request ran, as its request log line counts them (the request's
// `RequestScope.statements`: a pipeline adds its settings statement and its statements; a `tenant`
// transaction its BEGIN, settings, the statements its callback ran and its COMMIT). Tests assert
// these counts, and what a request answered, rather than the text of the SQL it sent.
import type { TestConfigOverrides } from "./harness.ts";

interface LogLine {
  msg?: string;
  reqId?: string;
  statements?: number;
}

export interface RequestStatements {
  /** Overrides for `startTestApi`: the request log at info level, into this capture. */
  readonly overrides: TestConfigOverrides;
  /** The statement count of the request `res` answered (by its x-request-id), once its line is written. */
  of(res: { headers: Headers }): Promise<number>;
}

export function requestStatements(): RequestStatements {
  const written: string[] = [];
  const lineOf = (id: string): LogLine | undefined => {
    for (const chunk of written)
      for (const text of chunk.split("\n")) {
        if (!text.includes(id)) continue;
        const line = JSON.parse(text) as LogLine;
        if (line.reqId === id && (line.msg === "request completed" || line.msg === "slow operation")) return line;
      }
    return undefined;
  };
  return {
    overrides: { logLevel: "info", logStream: { write: (line: string) => void written.push(line) } },
    async of(res) {
      const id = res.headers.get("x-request-id");
      if (!id) throw new Error("the response has no x-request-id");
      // The line is written once the response has gone out: it may follow the answer by a moment.
      for (const deadline = Date.now() + 5_000; ; await new Promise((resolve) => setTimeout(resolve, 10))) {
        const line = lineOf(id);
        if (line) return line.statements ?? 0;
        if (Date.now() > deadline) throw new Error(`no request log line for ${id}`);
      }
    },
  };
}

/** Whether the engine runs its pipelines in this lane (the plain lane, jest.plain.config.js, turns them off). */
export const pipelinesOn = process.env.ATRIUM_DB_PIPELINES !== "off";

/**
 * The statements of a read of `n` statements: one pipeline (the settings, then the `n`, ended by
 * one Sync), or without pipelines the same statements in a `tenant` transaction (BEGIN, settings,
 * the `n`, COMMIT).
 */
export const readOf = (n: number): number => (pipelinesOn ? 1 + n : 3 + n);
