/**
 * Issue 50: data-subject requests — export or erase one person's data (by e-mail and/or phone),
 * with each request's state and progress, and a completed export's download link. Needs
 * privacy.manage. Polls while a request is running.
 */
import { useMutation, useQuery } from "@apollo/client/react";
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { DataSubjectRequestKind } from "../../gql/graphql.ts";
import { FormActions } from "../../platform/ui/index.ts";
import { CreateDataSubjectRequestDocument, DataSubjectRequestsDocument } from "./privacy-operations.ts";
import { SettingsSection } from "./section.tsx";

const POLL_MS = 2_000;

export function PrivacySection({ workspaceId }: { workspaceId: string }) {
  const { t } = useTranslation("settings");
  const [kind, setKind] = useState<DataSubjectRequestKind>("EXPORT");
  const [email, setEmail] = useState("");
  const [phone, setPhone] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const list = useQuery(DataSubjectRequestsDocument, { variables: { workspaceId } });
  const running = (list.data?.dataSubjectRequests ?? []).some((r) => r.status === "PENDING" || r.status === "RUNNING");
  // Poll only while something runs.
  const { startPolling, stopPolling } = list;
  useEffect(() => {
    if (running) startPolling(POLL_MS);
    else stopPolling();
    return stopPolling;
  }, [running, startPolling, stopPolling]);
  const [create, created] = useMutation(CreateDataSubjectRequestDocument);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setMessage(null);
    if (kind === "ERASE" && !window.confirm(t("privacy.confirmErase"))) return;
    try {
      await create({ variables: { workspaceId, input: { kind, email: email.trim() || null, phone: phone.trim() || null } } });
      setEmail("");
      setPhone("");
      setMessage(t("privacy.created"));
      await list.refetch();
    } catch (err) {
      setMessage(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <SettingsSection id="privacy" title={t("privacy.title")} description={<p className="muted">{t("privacy.description")}</p>}>
      <form className="form" onSubmit={(event) => void onSubmit(event)} noValidate>
        <label className="field">
          <span>{t("privacy.kind")}</span>
          <select value={kind} onChange={(event) => setKind(event.target.value as DataSubjectRequestKind)}>
            <option value={"EXPORT"}>{t("privacy.kindExport")}</option>
            <option value={"ERASE"}>{t("privacy.kindErase")}</option>
          </select>
        </label>
        <label className="field">
          <span>{t("privacy.email")}</span>
          <input type="email" value={email} onChange={(event) => setEmail(event.target.value)} autoComplete="off" />
        </label>
        <label className="field">
          <span>{t("privacy.phone")}</span>
          <input type="tel" value={phone} onChange={(event) => setPhone(event.target.value)} autoComplete="off" />
        </label>
        {message && <p role="status">{message}</p>}
        <FormActions submitLabel={t("privacy.submit")} pending={created.loading} />
      </form>
      <ul className="privacy-requests">
        {(list.data?.dataSubjectRequests ?? []).map((r) => (
          <li key={r.id}>
            <span>{r.kind === "ERASE" ? t("privacy.kindErase") : t("privacy.kindExport")}</span>{" "}
            <span>{t(`privacy.status.${r.status}`)}</span>{" "}
            {r.total > 0 && <span>{t("privacy.progress", { processed: r.processed, total: r.total })}</span>}{" "}
            {r.downloadUrl && <a href={r.downloadUrl}>{t("privacy.download")}</a>}
            {r.error && <span className="muted"> {r.error}</span>}
          </li>
        ))}
      </ul>
    </SettingsSection>
  );
}
