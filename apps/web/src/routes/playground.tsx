import { lazy, Suspense } from "react";
import { useTranslation } from "react-i18next";

import { loadTexts } from "../i18n/index.ts";

// GraphiQL and Monaco are large: only the playground loads them.
const Playground = lazy(
  async () => (await Promise.all([import("../features/playground/playground.tsx"), loadTexts()]))[0],
);

export function PlaygroundRoute() {
  const { t } = useTranslation("common");
  return (
    <Suspense
      fallback={
        <>
          <title>{t("pages.playgroundTitle")}</title>
          <p className="page-status">{t("pages.playgroundLoading")}</p>
        </>
      }
    >
      <Playground />
    </Suspense>
  );
}
