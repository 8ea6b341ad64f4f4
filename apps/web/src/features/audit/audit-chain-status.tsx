import { useQuery } from "@apollo/client/react";
import { useId } from "react";
import { useTranslation } from "react-i18next";

import { graphql } from "../../gql/index.ts";
import { describeError } from "../../platform/errors.ts";
import { formatNumber, formatTime } from "../../platform/format.ts";

export const AuditChainStatusDocument = graphql(`
  query AuditChainStatus($workspaceId: ID!) {
    auditChainStatus(workspaceId: $workspaceId) {
      rows
      headSeq
      verifiedThrough {
        seq
        signedAt
        keyId
      }
      unsignedRows
      problem
      signing
      publicKeysUrl
    }
  }
`);

/**
 * Issue 50 (decision 0053): one line above the audit log saying how far the workspace's hash
 * chain is verified — up to its newest signed checkpoint, and how many newer entries wait for the
 * next one — with the public keys and the two commands that verify an export offline. A chain
 * that does not hold is a warning naming the first bad row.
 */
export function AuditChainStatus({ workspaceId }: { workspaceId: string }) {
  const { t } = useTranslation("audit");
  const id = useId();
  const { data, error } = useQuery(AuditChainStatusDocument, {
    variables: { workspaceId },
    fetchPolicy: "cache-and-network",
  });
  if (error !== undefined && data === undefined) return <p role="alert">{describeError(error).message}</p>;
  const s = data?.auditChainStatus;
  if (!s) return null;
  const v = s.verifiedThrough;
  const line =
    v !== null && v !== undefined
      ? t("chain.verified", { time: formatTime(v.signedAt), seq: formatNumber(v.seq) }) +
        (s.unsignedRows > 0
          ? ` · ${t("chain.unsigned", { count: s.unsignedRows, number: formatNumber(s.unsignedRows) })}`
          : "")
      : t("chain.noCheckpoint", { count: s.unsignedRows, number: formatNumber(s.unsignedRows) });
  return (
    <section className="audit-chain" aria-labelledby={`${id}-title`} data-testid="audit-chain">
      <h2 className="visually-hidden" id={`${id}-title`}>
        {t("chain.title")}
      </h2>
      {s.problem ? (
        <div className="banner banner--error" role="alert">
          <strong>{t("chain.problemTitle")}</strong> {s.problem}. {t("chain.problemHelp")}
        </div>
      ) : (
        <p>
          {v ? <span className="badge badge--ok">{t("chain.badge")}</span> : null} {line}
        </p>
      )}
      {!s.signing && <p className="note">{t("chain.notSigning")}</p>}
      <p className="muted">
        <a href={s.publicKeysUrl} target="_blank" rel="noreferrer">
          {t("chain.publicKeys")}
        </a>
      </p>
      <details>
        <summary>{t("chain.howTo")}</summary>
        <p>{t("chain.howToIntro")}</p>
        <pre>
          <code>{`pnpm atrium audit export ${workspaceId} --out audit.jsonl\npnpm atrium audit verify audit.jsonl --key ${s.publicKeysUrl}`}</code>
        </pre>
        <p>{t("chain.howToResult")}</p>
      </details>
    </section>
  );
}
