/**
 * Modal dialogs on the native <dialog> element (focus trap, Escape and the dialog role come
 * from the browser). A dialog is open while it is rendered: the parent mounts it to open it.
 */
import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from "react";
import { type UserFacingError, describeError } from "./errors.ts";
import { ErrorBanner, Field } from "./form-controls.tsx";

/**
 * `variant="drawer"`: a panel along the right edge, full height (the whole width on a phone),
 * with a Close button in its header — for reading long detail next to the list it came from.
 */
export function Dialog({ title, onClose, children, variant }: { title: string; onClose: () => void; children: ReactNode; variant?: "drawer" }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog !== null && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className={variant === "drawer" ? "dialog dialog--drawer" : "dialog"}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      {variant === "drawer" ? (
        <div className="dialog__head">
          <h2 id={titleId} className="dialog__title">
            {title}
          </h2>
          <button type="button" className="button button--small" onClick={onClose}>
            Close
          </button>
        </div>
      ) : (
        <h2 id={titleId} className="dialog__title">
          {title}
        </h2>
      )}
      {children}
    </dialog>
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
        <div className="form__actions">
          <button type="submit" className={danger ? "button button--danger" : "button button--primary"} disabled={busy || !ready}>
            {busy ? "Working…" : confirmLabel}
          </button>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
