import { describe, expect, it } from "@atrium/test-kit";

import { backoffMs, freshReader, liveConnection, liveUrl, pageChanges, readFresh } from "./live.ts";

describe("live connection", () => {
  it("derives the socket URL from the page's location", () => {
    expect(liveUrl({ protocol: "https:", host: "app.example.com" })).toBe("wss://app.example.com/graphql");
    expect(liveUrl({ protocol: "http:", host: "localhost:3000" })).toBe("ws://localhost:3000/graphql");
  });

  it("waits a jittered, growing, capped time between attempts", () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const ceiling = Math.min(30_000, 1_000 * 2 ** attempt);
      for (let i = 0; i < 20; i++) {
        const wait = backoffMs(attempt);
        expect(wait).toBeGreaterThanOrEqual(0);
        expect(wait).toBeLessThanOrEqual(ceiling);
      }
    }
  });

  it("tells its listeners when the state changes, and only then", () => {
    const seen: string[] = [];
    const stop = liveConnection.subscribe(() => seen.push(liveConnection.getSnapshot()));
    liveConnection.set("connected");
    liveConnection.set("connected");
    liveConnection.set("reconnecting");
    liveConnection.set("connected");
    stop();
    liveConnection.set("idle");
    expect(seen).toEqual(["connected", "reconnecting", "connected"]);
  });
});

describe("freshReader", () => {
  /** A read the test answers by hand: `answer()` resolves the oldest one in flight. */
  function reads() {
    const pending: (() => void)[] = [];
    let started = 0;
    return {
      read: () => {
        started++;
        return new Promise<void>((resolve) => pending.push(resolve));
      },
      started: () => started,
      answer: async () => {
        pending.shift()?.();
        await new Promise((r) => setTimeout(r, 0));
      },
    };
  }

  it("reads once when nothing changes meanwhile", async () => {
    const r = reads();
    const reader = freshReader(r.read);
    const done = reader.run();
    await r.answer();
    await done;
    expect(r.started()).toBe(1);
  });

  it("reads again when a change arrived while the read was in flight (its answer may predate it)", async () => {
    const r = reads();
    const reader = freshReader(r.read);
    const done = reader.run();
    reader.changed();
    await r.answer();
    expect(r.started()).toBe(2);
    await r.answer();
    await done;
    expect(r.started()).toBe(2);
  });

  it("reads again when any change reached the page meanwhile (an action's answer, a live event)", async () => {
    const r = reads();
    const reader = freshReader(r.read);
    const done = reader.run();
    pageChanges.note();
    await r.answer();
    expect(r.started()).toBe(2);
    await r.answer();
    await done;
    expect(r.started()).toBe(2);
  });

  it("a change with no read in flight reads nothing; a run during a run only marks it; at most maxReads", async () => {
    const r = reads();
    const reader = freshReader(r.read, 2);
    reader.changed();
    expect(r.started()).toBe(0);
    const done = reader.run();
    await reader.run(); // marks the running one
    reader.changed();
    await r.answer();
    reader.changed();
    await r.answer();
    await done;
    expect(r.started()).toBe(2);
  });
});

describe("readFresh", () => {
  it("writes an answer no change overtook", async () => {
    const written: string[] = [];
    expect(
      await readFresh(
        () => Promise.resolve("list v1"),
        (answer) => written.push(answer),
      ),
    ).toBe("fresh");
    expect(written).toEqual(["list v1"]);
  });

  it("drops an answer overtaken by a change and writes the next read's", async () => {
    const written: string[] = [];
    const answers = ["before the takeover", "after the takeover"];
    let reads = 0;
    const result = await readFresh(
      () => {
        const answer = answers[reads++] ?? "";
        // The takeover's answer reaches the page while the first read is in flight.
        if (reads === 1) pageChanges.note();
        return Promise.resolve(answer);
      },
      (answer) => written.push(answer),
    );
    expect(result).toBe("fresh");
    expect(written).toEqual(["after the takeover"]);
  });

  it("writes the last answer when changes keep coming (their own events read again)", async () => {
    const written: number[] = [];
    let reads = 0;
    const result = await readFresh(
      () => {
        pageChanges.note();
        return Promise.resolve(++reads);
      },
      (answer) => written.push(answer),
      3,
    );
    expect(result).toBe("last");
    expect(written).toEqual([3]);
  });

  it("lets a failed read fail (the caller decides), writing nothing", async () => {
    const written: unknown[] = [];
    await expect(
      readFresh(
        () => Promise.reject(new Error("offline")),
        (answer) => written.push(answer),
      ),
    ).rejects.toThrow("offline");
    expect(written).toEqual([]);
  });
});
