import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

import { Button } from "./ui/button.tsx";

/**
 * Copies `text` to the clipboard and says so for a moment. Where the Clipboard API is not
 * available (or refused), it says that instead: the text stays visible to copy by hand.
 */
export function CopyButton({
  text,
  label,
  className = "button button--small",
}: {
  text: string;
  label?: string;
  className?: string;
}) {
  const { t } = useTranslation("common");
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const timer = setTimeout(() => setState("idle"), 2000);
    return () => clearTimeout(timer);
  }, [state]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      setState("failed");
    }
  };
  return (
    // `bare`: the class list is the caller's (a small button by default).
    <Button variant="bare" className={className} onClick={() => void copy()} aria-live="polite">
      {state === "copied" ? t("copy.copied") : state === "failed" ? t("copy.failed") : (label ?? t("copy.label"))}
    </Button>
  );
}
