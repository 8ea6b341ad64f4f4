import { describe, expect, it } from "@atrium/test-kit";

import { backoffMs, liveConnection, liveUrl } from "./live.ts";

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
