/** @jest-environment jsdom */
import { describe, expect, it } from "@atrium/test-kit";

import { createShortcutHandler, isTypingTarget, SEQUENCE_MS, type KeyLike } from "./shortcuts.ts";

function key(
  k: string,
  target: EventTarget | null = document.body,
  mods: Partial<Pick<KeyLike, "metaKey" | "ctrlKey" | "altKey">> = {},
) {
  const event = {
    key: k,
    metaKey: false,
    ctrlKey: false,
    altKey: false,
    target,
    defaultPrevented: false,
    prevented: false,
    ...mods,
    preventDefault() {
      event.prevented = true;
    },
  };
  return event;
}

function setup(overlay = false) {
  const ran: string[] = [];
  let clock = 0;
  const handle = createShortcutHandler({
    bindings: () => [
      { keys: ["g", "l"], label: "Leads", run: () => ran.push("leads") },
      { keys: ["g", "i"], label: "Inbox", run: () => ran.push("inbox") },
      { keys: ["?"], label: "Shortcuts", run: () => ran.push("help") },
    ],
    openPalette: () => ran.push("palette"),
    now: () => clock,
    overlayOpen: () => overlay,
  });
  return { ran, handle, tick: (ms: number) => (clock += ms) };
}

describe("shortcut handler", () => {
  it("runs a two-key sequence: g then l", () => {
    const { ran, handle, tick } = setup();
    expect(handle(key("g"))).toBe(true);
    tick(300);
    const l = key("l");
    expect(handle(l)).toBe(true);
    expect(l.prevented).toBe(true);
    expect(ran).toEqual(["leads"]);
    // l alone does nothing; g i goes to the inbox.
    handle(key("l"));
    handle(key("g"));
    handle(key("i"));
    expect(ran).toEqual(["leads", "inbox"]);
  });

  it("forgets the first key after the pause, and after another key", () => {
    const { ran, handle, tick } = setup();
    handle(key("g"));
    tick(SEQUENCE_MS + 1);
    handle(key("l"));
    handle(key("g"));
    handle(key("x"));
    handle(key("l"));
    expect(ran).toEqual([]);
  });

  it("ignores keys typed in inputs, textareas, selects and contenteditable", () => {
    const { ran, handle } = setup();
    const input = document.createElement("input");
    const textarea = document.createElement("textarea");
    const editable = document.createElement("div");
    editable.setAttribute("contenteditable", "true");
    const inside = document.createElement("span");
    editable.append(inside);
    document.body.append(input, textarea, editable);
    for (const target of [input, textarea, inside]) {
      expect(isTypingTarget(target)).toBe(true);
      const g = key("g", target);
      expect(handle(g)).toBe(false);
      expect(g.prevented).toBe(false);
      expect(handle(key("l", target))).toBe(false);
      expect(handle(key("?", target))).toBe(false);
    }
    // g in an input, then l outside it: not a sequence.
    handle(key("g", input));
    handle(key("l"));
    expect(ran).toEqual([]);
    expect(isTypingTarget(document.body)).toBe(false);
  });

  it("leaves the keys to an open dialog, and to modifier shortcuts", () => {
    const withDialog = setup(true);
    withDialog.handle(key("g"));
    withDialog.handle(key("l"));
    withDialog.handle(key("k", document.body, { ctrlKey: true }));
    expect(withDialog.ran).toEqual([]);
    const plain = setup();
    plain.handle(key("g", document.body, { altKey: true }));
    plain.handle(key("l"));
    plain.handle(key("l", document.body, { ctrlKey: true }));
    expect(plain.ran).toEqual([]);
  });

  it("opens the palette with Ctrl+K or ⌘K, even from an input, and the list with ?", () => {
    const { ran, handle } = setup();
    const input = document.createElement("input");
    const ctrl = key("k", input, { ctrlKey: true });
    expect(handle(ctrl)).toBe(true);
    expect(ctrl.prevented).toBe(true);
    handle(key("K", document.body, { metaKey: true }));
    handle(key("?"));
    expect(ran).toEqual(["palette", "palette", "help"]);
  });
});
