import { useTranslation } from "react-i18next";
import { describeError } from "./errors.ts";

/** A query that failed to load: the user-facing message and a retry button. */
export function LoadError({ error, onRetry, small = false }: { error: unknown; onRetry: () => unknown; small?: boolean }) {
  const { t } = useTranslation("common");
  return (
    <div role="alert">
      <p>{describeError(error).message}</p>
      <button type="button" className={small ? "button button--small" : undefined} onClick={() => void onRetry()}>
        {t("actions.tryAgain")}
      </button>
    </div>
  );
}
