/**
 * The web app's component tests in a DOM (jsdom): mount a component (with Apollo's mocks when it
 * talks to the API), find controls the way a person does — by their label or button text — type,
 * click and wait for the page to settle, and read what `aria-describedby` says about a control.
 * Importing this module registers the unmount after every test.
 */
import { type MockLink } from "@apollo/client/testing";
import { MockedProvider } from "@apollo/client/testing/react";
import { act, type ReactNode } from "react";
import { createRoot, type Root } from "react-dom/client";

import { afterEach } from "@atrium/test-kit";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: Root | undefined;
let container: HTMLDivElement | undefined;

afterEach(() => {
  act(() => root?.unmount());
  container?.remove();
  root = undefined;
  container = undefined;
});

/** Mounts `node` (its first effects run); returns its container. */
export async function render(node: ReactNode): Promise<HTMLDivElement> {
  container = document.createElement("div");
  document.body.append(container);
  root = createRoot(container);
  // eslint-disable-next-line @typescript-eslint/require-await -- the async act waits for the first effects
  await act(async () => {
    root?.render(node);
  });
  return container;
}

/** Mounts `node` under Apollo's MockedProvider: a request without a mock fails the way an unknown one does. */
export function renderWithApi(
  node: ReactNode,
  mocks: readonly MockLink.MockedResponse[] = [],
): Promise<HTMLDivElement> {
  return render(<MockedProvider mocks={mocks}>{node}</MockedProvider>);
}

/** Lets timers, promises and React's updates run for `ms`. */
export async function settle(ms = 10): Promise<void> {
  await act(() => new Promise((resolve) => setTimeout(resolve, ms)));
}

/** Waits (up to 2 s) until `done()` holds, then lets the page settle. */
export async function until(done: () => boolean): Promise<void> {
  for (let waited = 0; !done() && waited < 2_000; waited += 10) await settle();
  await settle();
}

type Control = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

/** The control a `<label>` with exactly this text names (through `for`, or by wrapping it). Dialogs render in portals: the whole document is searched. */
export function field(label: string): Control {
  const labelElement = [...document.querySelectorAll("label")].find((element) => element.textContent === label);
  const control =
    labelElement === undefined
      ? null
      : labelElement.htmlFor
        ? document.getElementById(labelElement.htmlFor)
        : labelElement.querySelector("input, textarea, select");
  if (
    !(
      control instanceof HTMLInputElement ||
      control instanceof HTMLTextAreaElement ||
      control instanceof HTMLSelectElement
    )
  )
    throw new Error(`no control labelled ${label}`);
  return control;
}

/** An `<input>` labelled `label` (a text field, a checkbox, a radio). */
export function input(label: string): HTMLInputElement {
  const control = field(label);
  if (!(control instanceof HTMLInputElement)) throw new Error(`the control labelled ${label} is not an <input>`);
  return control;
}

/** What `aria-describedby` reads out after the control: its hint, its error. */
export function describedBy(control: HTMLElement): { hint?: string; error?: string } {
  const result: { hint?: string; error?: string } = {};
  for (const id of control.getAttribute("aria-describedby")?.split(" ") ?? []) {
    const element = document.getElementById(id);
    if (element?.classList.contains("field__error") === true) result.error = element.textContent ?? "";
    if (element?.classList.contains("field__hint") === true) result.hint = element.textContent ?? "";
  }
  return result;
}

/** Types `value` into an input or textarea as React sees typing (the native setter, then `input`). */
export async function type(control: Control, value: string): Promise<void> {
  const prototype =
    control instanceof HTMLTextAreaElement
      ? HTMLTextAreaElement.prototype
      : control instanceof HTMLSelectElement
        ? HTMLSelectElement.prototype
        : HTMLInputElement.prototype;
  await act(async () => {
    Object.getOwnPropertyDescriptor(prototype, "value")?.set?.call(control, value);
    control.dispatchEvent(new Event(control instanceof HTMLSelectElement ? "change" : "input", { bubbles: true }));
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
}

/** The button whose text is exactly `name`. */
export function button(name: string): HTMLButtonElement {
  const found = [...document.querySelectorAll("button")].find((element) => element.textContent === name);
  if (found === undefined) throw new Error(`no button ${name}`);
  return found;
}

/**
 * Clicks an element, then waits while `busy(element)` holds (by default: a button stays disabled
 * while its form is sending), and lets the answer render.
 */
export async function click(
  target: HTMLElement,
  busy: (element: HTMLElement) => boolean = (element) => element instanceof HTMLButtonElement && element.disabled,
): Promise<void> {
  await act(async () => {
    target.click();
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
  await until(() => !busy(target));
}
