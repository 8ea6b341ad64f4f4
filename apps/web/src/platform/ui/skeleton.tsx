import { useTranslation } from "react-i18next";

/**
 * Placeholders shaped like the content that is loading. The shapes are decoration
 * (aria-hidden); one visually hidden "Loading…" status says what is happening.
 */
export function Skeleton({ width, height = "1rem" }: { width?: string; height?: string }) {
  return <span className="skeleton" aria-hidden="true" style={{ width, height }} />;
}

/** A list or table that is loading: `rows` bars under a header bar. */
export function SkeletonList({ rows = 5, label }: { rows?: number; label?: string }) {
  const { t } = useTranslation("common");
  return (
    <div className="skeleton-list" role="status" data-testid="skeleton">
      <span className="visually-hidden">{label ?? t("session.loading")}</span>
      <Skeleton height="1.4rem" width="40%" />
      {Array.from({ length: rows }, (_, index) => (
        <Skeleton key={index} height="2.2rem" />
      ))}
    </div>
  );
}
