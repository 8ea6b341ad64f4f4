/**
 * Keyboard shortcuts of the shell (issue 48, decision 0042): the command palette (⌘K / Ctrl+K),
 * two-key navigation sequences ("g" then "l": leads) and "?" for the list of them. Never while the
 * reader types — in an input, a textarea, a select, anything contenteditable — nor while a dialog
 * or menu is open (its own keys win), nor with Alt / Ctrl / Meta held (the browser's and the
 * screen reader's own shortcuts), except the palette's ⌘K / Ctrl+K.
 */
import i18n from "i18next";

/** How long after the first key of a sequence the second may come. */
export const SEQUENCE_MS = 1_200;

export interface ShortcutBinding {
  /** One key ("?") or a sequence of two ("g", "l"), as `KeyboardEvent.key` spells them. */
  readonly keys: readonly string[];
  readonly label: string;
  readonly run: () => void;
}

/** What the handler needs of a keyboard event (a real one, or a test's object). */
export interface KeyLike {
  readonly key: string;
  readonly metaKey: boolean;
  readonly ctrlKey: boolean;
  readonly altKey: boolean;
  readonly target: EventTarget | null;
  readonly defaultPrevented?: boolean;
  readonly isComposing?: boolean;
  preventDefault(): void;
}

/** True where keys are the reader's text, not commands: form fields and editable content. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (target === null || typeof (target as Element).closest !== "function") return false;
  const el = target as HTMLElement;
  if (el.isContentEditable) return true;
  return (
    el.closest(
      'input, textarea, select, [contenteditable=""], [contenteditable="true"], [role="textbox"], [role="combobox"]',
    ) !== null
  );
}

/** True while a modal dialog or a menu is open: its keys belong to it. */
export function overlayOpen(
  doc: Pick<Document, "querySelector"> | undefined = typeof document === "undefined" ? undefined : document,
): boolean {
  return (
    doc?.querySelector('[role="dialog"][data-state="open"], [role="alertdialog"], [role="menu"], [role="listbox"]') !=
    null
  );
}

export interface ShortcutHandlerOptions {
  readonly bindings: () => readonly ShortcutBinding[];
  readonly openPalette: () => void;
  readonly now?: () => number;
  readonly overlayOpen?: () => boolean;
}

/**
 * A keydown listener. Returns true when it handled the key (and prevented its default).
 * Pure apart from `now`: the pending first key of a sequence is its only state.
 */
export function createShortcutHandler({
  bindings,
  openPalette,
  now = Date.now,
  overlayOpen: isOverlayOpen = overlayOpen,
}: ShortcutHandlerOptions): (event: KeyLike) => boolean {
  let pending: { key: string; at: number } | null = null;
  return (event) => {
    if (event.defaultPrevented || event.isComposing) return false;
    // The palette: from anywhere but an open dialog (the palette's own Ctrl+K closes nothing).
    if ((event.metaKey || event.ctrlKey) && !event.altKey && event.key.toLowerCase() === "k") {
      if (isOverlayOpen()) return false;
      event.preventDefault();
      pending = null;
      openPalette();
      return true;
    }
    if (event.metaKey || event.ctrlKey || event.altKey) return false;
    if (isTypingTarget(event.target) || isOverlayOpen()) {
      pending = null;
      return false;
    }
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    const all = bindings();
    const at = now();
    if (pending !== null && at - pending.at <= SEQUENCE_MS) {
      const first = pending.key;
      pending = null;
      const hit = all.find((b) => b.keys.length === 2 && b.keys[0] === first && b.keys[1] === key);
      if (hit) {
        event.preventDefault();
        hit.run();
        return true;
      }
    }
    pending = null;
    // "?" is Shift+/ on most layouts: compare the produced character, not the key code.
    const single = all.find((b) => b.keys.length === 1 && b.keys[0] === (event.key === "?" ? "?" : key));
    if (single) {
      event.preventDefault();
      single.run();
      return true;
    }
    if (all.some((b) => b.keys.length === 2 && b.keys[0] === key)) {
      pending = { key, at };
      return true;
    }
    return false;
  };
}

/** How a binding's keys read in the list: "g then l". */
export function describeKeys(keys: readonly string[]): string {
  return keys.reduce((sequence, key) => i18n.t("shortcuts.sequence", { ns: "common", first: sequence, second: key }));
}
