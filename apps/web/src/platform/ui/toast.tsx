/**
 * Toasts on Radix Toast: short confirmations of something that just succeeded ("Endpoint
 * deleted."), shown in one viewport (bottom right; along the top on a phone, where the bottom of
 * the screen holds what was just acted on — styles.css), announced to screen readers, paused
 * while hovered or focused, dismissed with Escape, a swipe or the close button; F8 moves focus
 * to them. Errors belong inline next to what failed; the rare one with nothing to sit beside (a
 * download that failed) is an `error` toast.
 *
 * Each variant has its own colour and icon (issue 56, item 12: a success is never drawn in the
 * warning colours): `success` (the default: a toast confirms) green with a check, `error` red
 * with an alert sign and "Error:" read out first, `info` in the accent colour. The colours are
 * styles.css's `--success` / `--danger` / `--accent`, each at least 4.5:1 on the surface.
 *
 * `toast(text)` can be called from anywhere (an event handler, a mutation's `then`);
 * `<Toaster />` is rendered once, by the layout.
 */
import * as RadixToast from "@radix-ui/react-toast";
import { useSyncExternalStore } from "react";
import { useTranslation } from "react-i18next";

import { Icon, type IconName } from "./icon.tsx";

export type ToastVariant = "success" | "error" | "info";

export interface ToastOptions {
  /** "success" by default. */
  readonly variant?: ToastVariant;
  /** For browser tests that look for one particular confirmation. */
  readonly testId?: string;
  /** Milliseconds on screen; 6 s by default. */
  readonly duration?: number;
}

const VARIANT_ICONS: Readonly<Record<ToastVariant, IconName>> = { success: "check", error: "error", info: "info" };

interface ToastItem extends ToastOptions {
  readonly id: number;
  readonly text: string;
  readonly open: boolean;
}

let items: readonly ToastItem[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const emit = (next: readonly ToastItem[]) => {
  items = next;
  for (const listener of listeners) listener();
};
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

/** Shows a toast: a confirmation unless `options.variant` says otherwise. */
export function toast(text: string, options: ToastOptions = {}): void {
  // At most three at a time: the oldest goes first.
  emit([...items.filter((item) => item.open).slice(-2), { ...options, id: nextId++, text, open: true }]);
}

/** `const { toast } = useToast()` — the same function, for components that prefer a hook. */
export function useToast(): { toast: typeof toast } {
  return { toast };
}

// A closed toast stays in the list (Radix unmounts it after its exit animation) until the next
// toast() prunes it.
const close = (id: number) => emit(items.map((item) => (item.id === id ? { ...item, open: false } : item)));

/** The single toast viewport; rendered once in the layout. */
export function Toaster() {
  const { t } = useTranslation("common");
  const current = useSyncExternalStore(
    subscribe,
    () => items,
    () => items,
  );
  return (
    <RadixToast.Provider swipeDirection="right" duration={6000}>
      {current.map((item) => (
        <RadixToast.Root
          key={item.id}
          className={`toast toast--${item.variant ?? "success"}`}
          data-variant={item.variant ?? "success"}
          type={item.variant === "error" ? "foreground" : "background"}
          open={item.open}
          {...(item.duration !== undefined ? { duration: item.duration } : {})}
          onOpenChange={(open) => (open ? undefined : close(item.id))}
        >
          {/* Radix announces the text through its own live region; this status role (silent
              itself) lets tests and tools find the visible confirmation by role, as before. */}
          <Icon name={VARIANT_ICONS[item.variant ?? "success"]} className="toast__icon" />
          <div role="status" aria-live="off" className="toast__body" data-testid={item.testId}>
            <RadixToast.Description>
              {item.variant === "error" && <span className="visually-hidden">{t("toast.error")}</span>}
              {item.text}
            </RadixToast.Description>
          </div>
          <RadixToast.Close className="toast__close" aria-label={t("toast.dismiss")}>
            <Icon name="close" />
          </RadixToast.Close>
        </RadixToast.Root>
      ))}
      <RadixToast.Viewport className="toast-viewport" />
    </RadixToast.Provider>
  );
}
