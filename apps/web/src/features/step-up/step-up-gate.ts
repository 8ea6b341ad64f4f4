/**
 * The bridge between the Apollo link that sees STEP_UP_REQUIRED and the prompt that asks for a
 * second factor. Operations that hit the gate at the same time share one prompt; when it
 * resolves true (verified) each of them is sent again, so the user carries on where they were.
 */
export type StepUpHandler = (detail: StepUpDetail) => Promise<boolean>;

export interface StepUpDetail {
  /** Minutes a verification lasts in the workspace that asked, when the API said so. */
  readonly lifetimeMinutes: number | undefined;
}

let handler: StepUpHandler | undefined;
let pending: Promise<boolean> | undefined;

/** Installs the prompt (one at a time); returns the uninstaller. */
export function registerStepUpHandler(next: StepUpHandler): () => void {
  handler = next;
  return () => {
    if (handler === next) handler = undefined;
  };
}

/** Asks the user to verify; false when nobody can ask (no prompt mounted) or they cancel. */
export function requestStepUp(detail: StepUpDetail): Promise<boolean> {
  if (handler === undefined) return Promise.resolve(false);
  pending ??= handler(detail).finally(() => {
    pending = undefined;
  });
  return pending;
}
