import { useTranslation } from "react-i18next";

import { describeError } from "./errors.ts";
import { Button } from "./ui/button.tsx";

/** A query that failed to load: the user-facing message and a retry button. */
export function LoadError({
  error,
  onRetry,
  small = false,
}: {
  error: unknown;
  onRetry: () => unknown;
  small?: boolean;
}) {
  const { t } = useTranslation("common");
  return (
    <div role="alert">
      <p>{describeError(error).message}</p>
      <Button variant={small ? "secondary" : "bare"} size={small ? "small" : "medium"} onClick={() => void onRetry()}>
        {t("actions.tryAgain")}
      </Button>
    </div>
  );
}
