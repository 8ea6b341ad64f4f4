import { ApolloLink } from "@apollo/client";
import { Observable } from "rxjs";

import { describe, expect, it } from "@atrium/test-kit";

import { DeferredLink, IDLE_TIMEOUT_MS, type WhenIdle } from "./live-link.ts";

/** An idle moment the test decides: callbacks wait until `fire()`. */
function manualIdle(): { whenIdle: WhenIdle; fire: () => void; waiting: () => number; timeouts: number[] } {
  const pending: (() => void)[] = [];
  const timeouts: number[] = [];
  return {
    whenIdle: (callback, timeoutMs) => {
      timeouts.push(timeoutMs);
      pending.push(callback);
    },
    fire: () => {
      for (const callback of pending.splice(0)) callback();
    },
    waiting: () => pending.length,
    timeouts,
  };
}

/** A terminating link that records the operations it was asked for and answers each with its name. */
function recordingLink(): { link: ApolloLink; started: string[]; stopped: string[] } {
  const started: string[] = [];
  const stopped: string[] = [];
  const link = new ApolloLink(
    (operation) =>
      new Observable<ApolloLink.Result>((observer) => {
        const name = operation.operationName ?? "";
        started.push(name);
        observer.next({ data: { name } });
        return () => stopped.push(name);
      }),
  );
  return { link, started, stopped };
}

const operation = (name: string) => ({ operationName: name, variables: {} }) as unknown as ApolloLink.Operation;
const forward: ApolloLink.ForwardFunction = () => {
  throw new Error("the deferred link terminates the chain");
};
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("the deferred live link", () => {
  it("loads nothing until a subscription is asked for, then only at the first idle moment", async () => {
    const idle = manualIdle();
    const real = recordingLink();
    let loads = 0;
    const link = new DeferredLink(() => {
      loads++;
      return Promise.resolve(real.link);
    }, idle.whenIdle);
    await settle();
    expect(idle.waiting()).toBe(0);
    expect(loads).toBe(0);

    const received: unknown[] = [];
    link.request(operation("OnLead"), forward).subscribe({ next: (result) => received.push(result.data) });
    await settle();
    expect(loads).toBe(0);
    expect(real.started).toEqual([]);
    expect(idle.timeouts).toEqual([IDLE_TIMEOUT_MS]);

    idle.fire();
    await settle();
    expect(loads).toBe(1);
    expect(real.started).toEqual(["OnLead"]);
    expect(received).toEqual([{ name: "OnLead" }]);
  });

  it("loads the real link once, for every subscription asked for before and after it is ready", async () => {
    const idle = manualIdle();
    const real = recordingLink();
    let loads = 0;
    const link = new DeferredLink(() => {
      loads++;
      return Promise.resolve(real.link);
    }, idle.whenIdle);
    link.request(operation("A"), forward).subscribe({});
    link.request(operation("B"), forward).subscribe({});
    idle.fire();
    await settle();
    link.request(operation("C"), forward).subscribe({});
    await settle();
    expect(loads).toBe(1);
    expect(real.started).toEqual(["A", "B", "C"]);
  });

  it("never starts a subscription the page dropped before the link was ready, and stops the ones it drops after", async () => {
    const idle = manualIdle();
    const real = recordingLink();
    const link = new DeferredLink(() => Promise.resolve(real.link), idle.whenIdle);
    const early = link.request(operation("Early"), forward).subscribe({});
    const late = link.request(operation("Late"), forward).subscribe({});
    early.unsubscribe();
    idle.fire();
    await settle();
    expect(real.started).toEqual(["Late"]);
    late.unsubscribe();
    expect(real.stopped).toEqual(["Late"]);
  });

  it("fails the waiting subscriptions when the link cannot be loaded, and tries again for the next one", async () => {
    const idle = manualIdle();
    const real = recordingLink();
    let attempt = 0;
    const link = new DeferredLink(() => {
      attempt++;
      return attempt === 1 ? Promise.reject(new Error("chunk did not load")) : Promise.resolve(real.link);
    }, idle.whenIdle);
    const errors: string[] = [];
    link.request(operation("First"), forward).subscribe({ error: (error: Error) => errors.push(error.message) });
    idle.fire();
    await settle();
    expect(errors).toEqual(["chunk did not load"]);
    expect(real.started).toEqual([]);

    link.request(operation("Second"), forward).subscribe({});
    idle.fire();
    await settle();
    expect(attempt).toBe(2);
    expect(real.started).toEqual(["Second"]);
  });
});
