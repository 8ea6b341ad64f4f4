/**
 * Modal dialogs on Radix Dialog: focus moves in and is trapped, Escape closes, the rest of the
 * page is inert (aria-hidden) and focus returns to the opener on close; the title names the
 * dialog and an optional description describes it. A dialog is open while it is rendered: the
 * parent mounts it to open it and unmounts it in `onClose`.
 *
 * Focus return is ours, not Radix's: Radix returns focus to a `Dialog.Trigger`, and these dialogs
 * have none (their parent mounts them). The opener is the element focused when the dialog first
 * renders — the button that was clicked, or a row's menu button (row-actions.tsx runs an item's
 * handler once focus is back on it). When the opener is gone by then (the row it acted on was
 * deleted), focus goes to the page's heading rather than being lost to the document.
 */
import * as RadixDialog from "@radix-ui/react-dialog";
import { useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { describeError, type UserFacingError } from "../errors.ts";
import { ErrorBanner, Field } from "../form-controls.tsx";
import { pageHeading } from "../page.tsx";
import { FormActions } from "./form-actions.tsx";
import { Icon } from "./icon.tsx";

interface DialogProps {
  readonly title: string;
  readonly onClose: () => void;
  readonly children: ReactNode;
  /** Read out with the title (aria-describedby); shown under it. */
  readonly description?: ReactNode;
  /**
   * `"drawer"`: a panel along the right edge, full height (the whole width on a phone), with a
   * Close button in its header — for reading long detail next to the list it came from.
   */
  readonly variant?: "drawer";
}

/** Where focus goes back to when a dialog opened from `opener` closes. */
function returnFocus(opener: Element | null): void {
  if (opener instanceof HTMLElement && opener.isConnected) {
    opener.focus();
    return;
  }
  pageHeading()?.focus();
}

export function Dialog({ title, onClose, children, description, variant }: DialogProps) {
  const { t } = useTranslation("common");
  const drawer = variant === "drawer";
  const [opener] = useState(() => document.activeElement);
  return (
    <RadixDialog.Root open onOpenChange={(open) => open || onClose()}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="dialog-overlay" />
        <RadixDialog.Content
          className={drawer ? "dialog dialog--drawer" : "dialog"}
          // Without a description Radix expects aria-describedby to be switched off explicitly.
          {...(description === undefined ? { "aria-describedby": undefined } : {})}
          // A click beside a form must not throw away what was typed; a drawer only shows detail.
          onInteractOutside={drawer ? undefined : (event) => event.preventDefault()}
          onCloseAutoFocus={(event) => {
            event.preventDefault();
            returnFocus(opener);
          }}
        >
          {drawer ? (
            <div className="dialog__head">
              <RadixDialog.Title className="dialog__title">{title}</RadixDialog.Title>
              <RadixDialog.Close className="button button--small">
                <Icon name="close" />
                {t("actions.close")}
              </RadixDialog.Close>
            </div>
          ) : (
            <RadixDialog.Title className="dialog__title">{title}</RadixDialog.Title>
          )}
          {description !== undefined && (
            <RadixDialog.Description className="dialog__description">{description}</RadixDialog.Description>
          )}
          {children}
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}

interface ConfirmDialogProps {
  readonly title: string;
  readonly children: ReactNode;
  readonly confirmLabel: string;
  /** Performs the action; a thrown error is shown in the dialog, which then stays open. */
  readonly onConfirm: () => Promise<void>;
  readonly onClose: () => void;
  readonly danger?: boolean;
  /** When set, the confirm button stays disabled until exactly this text is typed. */
  readonly typeToConfirm?: { readonly label: string; readonly text: string };
  readonly messages?: Parameters<typeof describeError>[1];
}

/** "Are you sure?" for destructive actions, optionally asking to type a value (e.g. an email). */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  onConfirm,
  onClose,
  danger = false,
  typeToConfirm,
  messages,
}: ConfirmDialogProps) {
  const { t } = useTranslation("common");
  const [typed, setTyped] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<UserFacingError>();
  const ready = typeToConfirm === undefined || typed.trim().toLowerCase() === typeToConfirm.text.toLowerCase();

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!ready) return;
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm();
    } catch (caught) {
      setError(describeError(caught, messages));
      setBusy(false);
    }
  };

  return (
    <Dialog title={title} onClose={onClose}>
      <form className="form" onSubmit={(event) => void onSubmit(event)}>
        <div>{children}</div>
        <ErrorBanner error={error} />
        {typeToConfirm !== undefined && (
          <Field label={typeToConfirm.label}>
            {(control) => (
              <input
                {...control}
                type="text"
                autoComplete="off"
                spellCheck={false}
                value={typed}
                onChange={(event) => setTyped(event.target.value)}
              />
            )}
          </Field>
        )}
        <FormActions
          submitLabel={confirmLabel}
          pending={busy}
          pendingLabel={t("actions.working")}
          disabled={!ready}
          variant={danger ? "danger" : undefined}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}
