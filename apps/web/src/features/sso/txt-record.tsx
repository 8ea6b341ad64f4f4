/**
 * The DNS TXT record a new SSO domain must publish, shown once with copy buttons: the
 * workspace's SSO section and the platform admin's page both show it (texts in "sso").
 */
import { Trans, useTranslation } from "react-i18next";

import { CopyButton } from "../../platform/copy-button.tsx";
import { CodeBlock } from "../../platform/ui/index.ts";

export interface TxtRecord {
  readonly domain: string;
  readonly name: string;
  readonly value: string;
}

export function TxtRecordBanner({ record, testId }: { record: TxtRecord; testId: string }) {
  const { t } = useTranslation("sso");
  return (
    <div className="banner banner--notice" role="status" data-testid={testId}>
      <p>
        <Trans
          ns="sso"
          i18nKey="addDomain.record"
          values={{ domain: record.domain }}
          components={{ strong: <strong /> }}
        />
      </p>
      <p className="muted">{t("addDomain.name")}</p>
      <CodeBlock label={t("addDomain.recordName")}>{record.name}</CodeBlock>
      <CopyButton text={record.name} label={t("addDomain.copyName")} />
      <p className="muted">{t("addDomain.value")}</p>
      <CodeBlock label={t("addDomain.recordValue")}>{record.value}</CodeBlock>
      <CopyButton text={record.value} label={t("addDomain.copyValue")} />
    </div>
  );
}
