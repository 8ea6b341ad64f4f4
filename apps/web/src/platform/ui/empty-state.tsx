/**
 * An empty list's message and its next step (issue 48): what is missing, why, and the action or
 * link that fixes it — never a bare "Nothing here". Styled by `.empty-state` in styles.css.
 */
import { type ReactNode } from "react";

export function EmptyState({
  title,
  children,
  actions,
  testId,
}: {
  readonly title: string;
  readonly children?: ReactNode;
  readonly actions?: ReactNode;
  readonly testId?: string;
}) {
  return (
    <div className="empty-state" data-testid={testId}>
      <p>
        <strong>{title}</strong>
        {children !== undefined && <> {children}</>}
      </p>
      {actions !== undefined && <div className="card__actions">{actions}</div>}
    </div>
  );
}
