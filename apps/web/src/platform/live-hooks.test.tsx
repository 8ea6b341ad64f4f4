/**
 * @jest-environment jsdom
 */
// useFreshRefetch: the page's refetch, debounced and read again when a change overtook it.
import { act } from "react";

import { describe, expect, it } from "@atrium/test-kit";

import { pageChanges, useFreshRefetch } from "./live.ts";
import { render, settle } from "./testing/dom.tsx";

describe("useFreshRefetch", () => {
  it("reads once after a burst, and once more when a change reached the page meanwhile", async () => {
    const answers: (() => void)[] = [];
    let reads = 0;
    const refetch = () => {
      reads++;
      return new Promise<void>((resolve) => answers.push(resolve));
    };
    const hook: { current?: ReturnType<typeof useFreshRefetch> } = {};
    function Page() {
      hook.current = useFreshRefetch(refetch, 20);
      return null;
    }
    await render(<Page />);
    hook.current?.soon();
    hook.current?.soon();
    hook.current?.soon();
    await settle(60);
    expect(reads).toBe(1);
    // A live event (or an action's answer) arrives while the read is in flight.
    pageChanges.note();
    await act(() => Promise.resolve(answers.shift()?.()));
    await settle();
    expect(reads).toBe(2);
    await act(() => Promise.resolve(answers.shift()?.()));
    await settle(60);
    expect(reads).toBe(2);
  });
});
