/**
 * "Why can't I?" beside a disabled action, and "What can X do here?" on a member: the API's
 * explainAccess answer (role preset, granting policy, conditions) in plain sentences.
 */
import { useLazyQuery, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { LoadError } from "../../platform/load-error.tsx";
import { useMe } from "../../platform/session.tsx";
import { Button, Dialog } from "../../platform/ui/index.ts";
import { ExplainAccessDocument } from "./operations.ts";

/**
 * The one "Why can't I?" of the web app: put it beside every action that is disabled, read-only
 * or refused for lack of permission. `action` / `subject` are the CASL names the check used;
 * `label` (translated by the caller) defaults to "Why can't I?". The reasons are the API's
 * sentences, shown as it words them.
 */
export function WhyCantI({
  workspaceId,
  action,
  subject,
  label,
}: {
  workspaceId: string;
  action: string;
  subject: string;
  label?: string;
}) {
  const { t } = useTranslation("access");
  const [open, setOpen] = useState(false);
  const [explain, { data, error, loading }] = useLazyQuery(ExplainAccessDocument);
  return (
    <span className="why-cant-i">
      <Button
        variant="ghost"
        size="small"
        aria-expanded={open}
        onClick={() => {
          setOpen(!open);
          if (!open) void explain({ variables: { workspaceId, action, subject } });
        }}
      >
        {label ?? t("whyCantI.label")}
      </Button>
      {open && (
        <span role="status" className="why-cant-i__answer" data-testid="why-cant-i">
          {loading && t("whyCantI.checking")}
          {error !== undefined && t("whyCantI.loadFailed")}
          {data?.explainAccess.reasons.join(" ")}
        </span>
      )}
    </span>
  );
}

/**
 * What a member can do, in the terms people use; each row is one explainAccess question, named by
 * its key in the access namespace's `capabilities`.
 */
export const CAPABILITIES = [
  { key: "readLeads", action: "read", subject: "Lead" },
  { key: "editLeads", action: "update", subject: "Lead" },
  { key: "readConversations", action: "read", subject: "Conversation" },
  { key: "reply", action: "send", subject: "Conversation" },
  { key: "manageMembers", action: "create", subject: "Invitation" },
  { key: "changeSettings", action: "update", subject: "Workspace" },
  { key: "manageIntegrations", action: "update", subject: "Integration" },
  { key: "manageApiKeys", action: "create", subject: "ApiKey" },
  { key: "readAuditLog", action: "read", subject: "AuditEvent" },
  { key: "deleteWorkspace", action: "delete", subject: "Workspace" },
] as const;

type Capability = (typeof CAPABILITIES)[number];

/** The marks before a capability, the same in every language (the browser tests look for "✓ See leads"). */
const ALLOWED = "✓ ";
const DENIED = "✗ ";

function CapabilityRow({
  workspaceId,
  userId,
  capability,
}: {
  workspaceId: string;
  userId: string;
  capability: Capability;
}) {
  const { t } = useTranslation("access");
  const { action, subject } = capability;
  const { data, error, refetch } = useQuery(ExplainAccessDocument, {
    variables: { workspaceId, action, subject, userId },
  });
  if (error !== undefined)
    return (
      <li>
        <LoadError error={error} onRetry={() => void refetch()} small />
      </li>
    );
  const answer = data?.explainAccess;
  return (
    <li className="capability" data-testid="capability">
      <strong>
        {answer === undefined ? "…" : answer.allowed ? ALLOWED : DENIED}
        {t(`capabilities.${capability.key}`)}
      </strong>
      {answer !== undefined && <span className="muted"> — {answer.reasons.join(" ")}</span>}
    </li>
  );
}

/**
 * "What can Ana do here?" — or, on one's own row, "What can you do here?" (its own sentence, not
 * the word "you" put in for the name: the languages word the two differently). `name` is the
 * member's name; whether it is the viewer is read from the session.
 */
export function MemberAccessDialog({
  workspaceId,
  userId,
  name,
  onClose,
}: {
  workspaceId: string;
  userId: string;
  name: string;
  onClose: () => void;
}) {
  const { t } = useTranslation("access");
  const me = useMe();
  const title = userId === me.id ? t("memberAccess.titleSelf") : t("memberAccess.title", { name });
  return (
    <Dialog title={title} onClose={onClose}>
      <ul className="capabilities">
        {CAPABILITIES.map((c) => (
          <CapabilityRow key={c.key} workspaceId={workspaceId} userId={userId} capability={c} />
        ))}
      </ul>
      <div className="form__actions">
        <Button onClick={onClose}>{t("memberAccess.close")}</Button>
      </div>
    </Dialog>
  );
}
