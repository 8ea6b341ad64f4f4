// The connection breaker's states (breaker.ts), with the clock passed in: a failed connection
// opens it, attempts are refused without a socket until the delay has passed, one probe goes
// through at a time, failed probes double the delay up to the maximum, a success closes it.
import { describe, expect, it } from "@atrium/test-kit";

import { CircuitOpenError, ConnectionBreaker } from "../breaker.ts";

describe("ConnectionBreaker", () => {
  it("lets attempts through while closed and refuses them, socket-less, once a connection failed", () => {
    const events: boolean[] = [];
    const b = new ConnectionBreaker({ initialDelayMs: 100, maxDelayMs: 400, onChange: (e) => events.push(e.open) });
    expect(b.admit(0)).toBeNull();
    expect(b.admit(0)).toBeNull();
    b.record(new Error("connect ECONNREFUSED"), 10);
    expect(b.isOpen).toBe(true);
    const refused = b.admit(50);
    expect(refused).toBeInstanceOf(CircuitOpenError);
    expect(refused).toMatchObject({ code: "ECONNREFUSED", syscall: "connect", retryInMs: 60 });
    // The other attempt launched while closed fails too: still open, one "opened" event.
    b.record(new Error("connect ECONNREFUSED"), 20);
    expect(events).toEqual([true]);
    expect(b.admit(119)).toBeInstanceOf(CircuitOpenError);
    // Half-open: one probe, the rest still refused while it runs.
    expect(b.admit(120)).toBeNull();
    expect(b.admit(121)).toBeInstanceOf(CircuitOpenError);
    b.record(new Error("still down"), 130);
    // The delay doubled: 200 ms.
    expect(b.admit(329)).toBeInstanceOf(CircuitOpenError);
    expect(b.admit(330)).toBeNull();
    b.record(new Error("still down"), 330);
    expect(b.admit(729)).toBeInstanceOf(CircuitOpenError);
    expect(b.admit(730)).toBeNull();
    b.record(new Error("still down"), 730);
    // Capped at 400 ms.
    expect(b.admit(1129)).toBeInstanceOf(CircuitOpenError);
    expect(b.admit(1130)).toBeNull();
    b.record(null, 1135);
    expect(b.isOpen).toBe(false);
    expect(events).toEqual([true, false]);
    expect(b.admit(1136)).toBeNull();
    // The next outage starts again from the first delay.
    b.record(new Error("down again"), 2000);
    expect(b.admit(2099)).toBeInstanceOf(CircuitOpenError);
    expect(b.admit(2100)).toBeNull();
    expect(b.stats).toMatchObject({ opened: 2 });
  });
});
