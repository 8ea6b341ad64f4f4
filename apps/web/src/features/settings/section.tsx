/** The frame every settings section shares, and its own save state (each section saves alone). */
import i18next from "i18next";
import { useState, type ReactNode } from "react";

import { describeError, type MessageOverrides, type UserFacingError } from "../../platform/errors.ts";
import { ErrorBanner } from "../../platform/form-controls.tsx";

export function SettingsSection({
  id,
  title,
  description,
  danger = false,
  children,
}: {
  id: string;
  title: string;
  description?: ReactNode;
  danger?: boolean;
  children: ReactNode;
}) {
  return (
    <section
      className={danger ? "card settings-section settings-section--danger" : "card settings-section"}
      aria-labelledby={`settings-${id}-title`}
      data-testid={`settings-${id}`}
    >
      <h2 id={`settings-${id}-title`} className="settings-section__title">
        {title}
      </h2>
      {description !== undefined && <div className="settings-section__description">{description}</div>}
      {children}
    </section>
  );
}

export type SaveState =
  | { readonly status: "idle" }
  | { readonly status: "saving" }
  | { readonly status: "saved"; readonly message: string }
  | { readonly status: "failed"; readonly error: UserFacingError };

export interface Save {
  readonly state: SaveState;
  readonly saving: boolean;
  readonly error: UserFacingError | undefined;
  /** Runs `action`; success shows `success`, a thrown error is described (field errors included). */
  run(action: () => Promise<unknown>, success: string, messages?: MessageOverrides): Promise<boolean>;
  fail(error: UserFacingError): void;
  succeed(message: string): void;
  reset(): void;
}

export function useSave(): Save {
  const [state, setState] = useState<SaveState>({ status: "idle" });
  return {
    state,
    saving: state.status === "saving",
    error: state.status === "failed" ? state.error : undefined,
    run: async (action, success, messages) => {
      setState({ status: "saving" });
      try {
        await action();
        setState({ status: "saved", message: success });
        return true;
      } catch (caught) {
        setState({ status: "failed", error: describeError(caught, messages) });
        return false;
      }
    },
    fail: (error) => setState({ status: "failed", error }),
    succeed: (message) => setState({ status: "saved", message }),
    reset: () => setState({ status: "idle" }),
  };
}

/** A section's outcome: the success line, or the error banner (pointing at field errors). */
export function SaveStatus({ save, fieldsShown = [] }: { save: Save; fieldsShown?: readonly string[] }) {
  if (save.state.status === "saved") {
    return (
      <div className="banner banner--success" role="status">
        {save.state.message}
      </div>
    );
  }
  return <ErrorBanner error={save.error} fieldsShown={fieldsShown} />;
}

/** A problem found before sending, shown like a BAD_USER_INPUT answer. */
export function inputProblem(fields: Record<string, string>): UserFacingError {
  return { code: "BAD_USER_INPUT", message: i18next.t("correctFields", { ns: "settings" }), fields };
}
