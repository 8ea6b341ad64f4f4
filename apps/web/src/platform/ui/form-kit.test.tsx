/**
 * @jest-environment jsdom
 */
// The kit's form controls in a DOM: Button's type, variants, loading (disabled, aria-busy, name
// unchanged) and ref; TextField's and Select's label, hint and error wiring (aria-describedby,
// aria-invalid) and refs; Checkbox and Radio as the inputs of those types.
import { createRef } from "react";

import { describe, expect, it, jest } from "@atrium/test-kit";

import { click, render } from "../testing/dom.tsx";
import { Button, Checkbox, Radio, Select, TextField } from "./index.ts";

/** The accessible name of a control named by its label or text content (what a person hears). */
function nameOf(element: Element): string {
  const label = element.getAttribute("aria-label");
  if (label !== null) return label;
  if (element.id !== "") {
    const byFor = document.querySelector(`label[for="${element.id}"]`);
    if (byFor !== null) return byFor.textContent ?? "";
  }
  return element.textContent ?? "";
}

describe("Button", () => {
  it("is type=button by default, a submit button only when asked, and calls onClick", async () => {
    const onClick = jest.fn();
    const view = await render(
      <form onSubmit={(event) => event.preventDefault()}>
        <Button onClick={onClick}>Add</Button>
        <Button type="submit" variant="primary">
          Save
        </Button>
      </form>,
    );
    const [add, save] = [...view.querySelectorAll("button")];
    expect(add?.type).toBe("button");
    expect(save?.type).toBe("submit");
    await click(add!);
    expect(onClick).toHaveBeenCalledTimes(1);
  });

  it("draws its variant and size with the stylesheet's classes, keeping the caller's class", async () => {
    const view = await render(
      <>
        <Button>Secondary</Button>
        <Button variant="primary">Primary</Button>
        <Button variant="danger" size="small">
          Delete
        </Button>
        <Button variant="ghost" className="inbox__settings">
          Ghost
        </Button>
        <Button variant="bare" className="pager">
          Next
        </Button>
      </>,
    );
    expect([...view.querySelectorAll("button")].map((b) => b.className)).toEqual([
      "button",
      "button button--primary",
      "button button--danger button--small",
      "button button--quiet inbox__settings",
      "pager",
    ]);
  });

  it("while loading is disabled and aria-busy, shows a hidden spinner and keeps its name", async () => {
    const onClick = jest.fn();
    const view = await render(
      <Button loading icon="send" onClick={onClick}>
        Send
      </Button>,
    );
    const button = view.querySelector("button")!;
    expect(button.disabled).toBe(true);
    expect(button.getAttribute("aria-busy")).toBe("true");
    expect(nameOf(button)).toBe("Send");
    const icons = button.querySelectorAll("svg");
    expect(icons.length).toBe(1);
    expect(icons[0]?.getAttribute("aria-hidden")).toBe("true");
    expect(icons[0]?.classList.contains("icon--spin")).toBe(true);
    await click(button, () => false);
    expect(onClick).not.toHaveBeenCalled();
  });

  it("when idle is enabled, not busy, with its icon hidden; disabled holds; the ref is the button", async () => {
    const ref = createRef<HTMLButtonElement>();
    const view = await render(
      <>
        <Button ref={ref} icon="plus" aria-label="Add a phrase" />
        <Button disabled>Off</Button>
      </>,
    );
    const [add, off] = [...view.querySelectorAll("button")];
    expect(ref.current).toBe(add);
    expect(add?.disabled).toBe(false);
    expect(add?.hasAttribute("aria-busy")).toBe(false);
    expect(nameOf(add!)).toBe("Add a phrase");
    expect(add?.querySelector("svg")?.getAttribute("aria-hidden")).toBe("true");
    expect(off?.disabled).toBe(true);
  });
});

describe("TextField", () => {
  it("is named by its label and described by its hint, without aria-invalid", async () => {
    const view = await render(<TextField label="Email" hint="We never share it." type="email" autoComplete="email" />);
    const input = view.querySelector("input")!;
    expect(nameOf(input)).toBe("Email");
    expect(input.type).toBe("email");
    expect(input.autocomplete).toBe("email");
    const describedBy = input.getAttribute("aria-describedby");
    expect(describedBy).not.toBeNull();
    expect(document.getElementById(describedBy!)?.textContent).toBe("We never share it.");
    expect(input.hasAttribute("aria-invalid")).toBe(false);
  });

  it("with an error is aria-invalid and described by the error alone", async () => {
    const view = await render(<TextField label="Email" hint="We never share it." error="Enter an email address." />);
    const input = view.querySelector("input")!;
    expect(input.getAttribute("aria-invalid")).toBe("true");
    const described = document.getElementById(input.getAttribute("aria-describedby")!);
    expect(described?.classList.contains("field__error")).toBe(true);
    expect(described?.textContent).toBe("Enter an email address.");
    expect(view.textContent).not.toContain("We never share it.");
    expect(view.querySelector(".field")?.classList.contains("field--invalid")).toBe(true);
  });

  it("passes its ref, name and handlers to the input (react-hook-form's register) and can be disabled", async () => {
    const ref = createRef<HTMLInputElement>();
    const onChange = jest.fn();
    const view = await render(<TextField ref={ref} label="Name" name="name" onChange={onChange} disabled />);
    const input = view.querySelector("input")!;
    expect(ref.current).toBe(input);
    expect(input.name).toBe("name");
    expect(input.disabled).toBe(true);
  });
});

describe("Select", () => {
  it("is named by its label, holds its options, and wires its error", async () => {
    const ref = createRef<HTMLSelectElement>();
    const view = await render(
      <Select ref={ref} label="Role" error="Choose a role." defaultValue="agent">
        <option value="admin">Admin</option>
        <option value="agent">Agent</option>
      </Select>,
    );
    const select = view.querySelector("select")!;
    expect(ref.current).toBe(select);
    expect(nameOf(select)).toBe("Role");
    expect(select.value).toBe("agent");
    expect([...select.options].map((o) => o.textContent)).toEqual(["Admin", "Agent"]);
    expect(select.getAttribute("aria-invalid")).toBe("true");
    expect(document.getElementById(select.getAttribute("aria-describedby")!)?.textContent).toBe("Choose a role.");
  });

  it("without an error has no aria-invalid and no description; disabled holds", async () => {
    const view = await render(
      <Select label="Role" disabled>
        <option>Admin</option>
      </Select>,
    );
    const select = view.querySelector("select")!;
    expect(select.hasAttribute("aria-invalid")).toBe(false);
    expect(select.hasAttribute("aria-describedby")).toBe(false);
    expect(select.disabled).toBe(true);
  });
});

describe("Checkbox and Radio", () => {
  it("are inputs of their type, named by the label around them", async () => {
    const view = await render(
      <>
        <label className="choice">
          <Checkbox defaultChecked /> <span>Email me</span>
        </label>
        <label className="choice">
          <Radio name="mode" value="open" /> <span>Open</span>
        </label>
      </>,
    );
    const [box, radio] = [...view.querySelectorAll("input")];
    expect(box?.type).toBe("checkbox");
    expect(box?.checked).toBe(true);
    expect(radio?.type).toBe("radio");
    expect(radio?.closest("label")?.textContent).toContain("Open");
  });
});
