// The API's supervision of its jobs process (decision 0055) when the system will not make a
// process: fork throwing (ENOMEM, EAGAIN) or the child failing to spawn ("error" with no pid, for
// which Node may never emit "exit"). The jobs process must come back all the same, after the same
// backoff as one that died; and a first start that cannot be made stops the API's start with a
// clear error and no later attempt. Real child processes: a small script that says it is ready.
import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { JobsProcessStartError, superviseJobsProcess, type JobsProcess } from "./jobs-process.ts";

let dir: string;
let script: string;
const running: JobsProcess[] = [];

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "atrium-jobs-supervise-"));
  script = path.join(dir, "jobs.cjs");
  // As the real one: ready over IPC, works until the API (its parent) is gone.
  writeFileSync(
    script,
    `process.send({ ready: true }); setInterval(() => {}, 1000); process.on("disconnect", () => process.exit(0));\n`,
  );
});

afterAll(async () => {
  for (const j of running) await j.stop();
  rmSync(dir, { recursive: true, force: true });
});

const forkScript = (env: NodeJS.ProcessEnv): ChildProcess =>
  fork(script, [], { env, stdio: ["ignore", "ignore", "ignore", "ipc"] });
/** A process the system cannot make: its executable does not exist ("error" ENOENT, no pid). */
const refused = (env: NodeJS.ProcessEnv): ChildProcess =>
  fork(script, [], { env, execPath: path.join(dir, "no-such-node"), stdio: ["ignore", "ignore", "ignore", "ipc"] });

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

function supervise(spawn: (env: NodeJS.ProcessEnv) => ChildProcess, logs: string[]) {
  return superviseJobsProcess({
    appUrl: "postgresql://app@127.0.0.1/none",
    ownerUrl: "postgresql://owner@127.0.0.1/none",
    log: (msg) => logs.push(msg),
    onCount: () => undefined,
    spawn,
  });
}

describe("superviseJobsProcess when a process cannot be made", () => {
  it("starts the jobs process again after fork threw and after the system refused one, with the backoff", async () => {
    const logs: string[] = [];
    let calls = 0;
    const jobs = await supervise((env) => {
      calls++;
      if (calls === 2) throw new Error("spawn ENOMEM (made by the test)");
      if (calls === 3) return refused(env);
      return forkScript(env);
    }, logs);
    running.push(jobs);
    const first = jobs.pid!;
    expect(alive(first)).toBe(true);

    process.kill(first, "SIGKILL");
    // 1 s, the throw; 2 s, the refusal; 5 s, a process again.
    const began = Date.now();
    while (!logs.includes("the jobs process is running again") && Date.now() - began < 20_000) await sleep(100);
    expect(calls).toBe(4);
    expect(jobs.pid).toBeGreaterThan(0);
    expect(jobs.pid).not.toBe(first);
    expect(alive(jobs.pid!)).toBe(true);
    expect(logs).toEqual([
      "the jobs process exited; starting it again",
      "the jobs process could not be started",
      "the jobs process exited; starting it again",
      "the jobs process could not be started",
      "the jobs process exited; starting it again",
      "the jobs process is running again",
    ]);
    // Each wait the next of the backoff (1 + 2 + 5 s).
    expect(Date.now() - began).toBeGreaterThanOrEqual(8_000 - 200);

    const last = jobs.pid!;
    await jobs.stop();
    expect(alive(last)).toBe(false);
  }, 30_000);

  it("refuses the API's start when the first one cannot be made, and never tries again", async () => {
    const thrownLogs: string[] = [];
    await expect(
      supervise(() => {
        throw new Error("spawn EAGAIN (made by the test)");
      }, thrownLogs),
    ).rejects.toThrow(
      new JobsProcessStartError("the jobs process could not be started: spawn EAGAIN (made by the test)"),
    );

    const logs: string[] = [];
    let calls = 0;
    const start = supervise((env) => {
      calls++;
      return refused(env);
    }, logs);
    await expect(start).rejects.toThrow(JobsProcessStartError);
    await expect(start).rejects.toThrow(/could not be started: spawn .*ENOENT/);
    // The first restart would come after 1 s: none comes.
    await sleep(1_500);
    expect(calls).toBe(1);
  }, 15_000);
});
