/**
 * "Why can't I?" beside a disabled action, and "What can X do here?" on a member: the API's
 * explainAccess answer (role preset, granting policy, conditions) in plain sentences.
 */
import { useLazyQuery, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { Dialog } from "../../platform/ui/index.ts";
import { LoadError } from "../../platform/load-error.tsx";
import { ExplainAccessDocument } from "./operations.ts";

/**
 * The one "Why can't I?" of the web app: put it beside every action that is disabled, read-only
 * or refused for lack of permission. `action` / `subject` are the CASL names the check used.
 */
export function WhyCantI({ workspaceId, action, subject, label = "Why can't I?" }: { workspaceId: string; action: string; subject: string; label?: string }) {
  const [open, setOpen] = useState(false);
  const [explain, { data, error, loading }] = useLazyQuery(ExplainAccessDocument);
  return (
    <span className="why-cant-i">
      <button
        type="button"
        className="button button--quiet button--small"
        aria-expanded={open}
        onClick={() => {
          setOpen(!open);
          if (!open) void explain({ variables: { workspaceId, action, subject } });
        }}
      >
        {label}
      </button>
      {open && (
        <span role="status" className="why-cant-i__answer" data-testid="why-cant-i">
          {loading && "Checking…"}
          {error !== undefined && "The reason could not be loaded. Try again."}
          {data?.explainAccess.reasons.join(" ")}
        </span>
      )}
    </span>
  );
}

/** What a member can do, in the terms people use; each row is one explainAccess question. */
const CAPABILITIES: readonly { label: string; action: string; subject: string }[] = [
  { label: "See leads", action: "read", subject: "Lead" },
  { label: "Create and edit leads", action: "update", subject: "Lead" },
  { label: "Read conversations", action: "read", subject: "Conversation" },
  { label: "Reply by hand", action: "send", subject: "Conversation" },
  { label: "Invite and manage members", action: "create", subject: "Invitation" },
  { label: "Change workspace settings", action: "update", subject: "Workspace" },
  { label: "Manage integrations", action: "update", subject: "Integration" },
  { label: "Manage API keys", action: "create", subject: "ApiKey" },
  { label: "Read the audit log", action: "read", subject: "AuditEvent" },
  { label: "Delete the workspace", action: "delete", subject: "Workspace" },
];

function CapabilityRow({ workspaceId, userId, label, action, subject }: { workspaceId: string; userId: string; label: string; action: string; subject: string }) {
  const { data, error, refetch } = useQuery(ExplainAccessDocument, { variables: { workspaceId, action, subject, userId } });
  if (error !== undefined) return <li><LoadError error={error} onRetry={() => void refetch()} small /></li>;
  const answer = data?.explainAccess;
  return (
    <li className="capability" data-testid="capability">
      <strong>
        {answer === undefined ? "…" : answer.allowed ? "✓ " : "✗ "}
        {label}
      </strong>
      {answer !== undefined && <span className="muted"> — {answer.reasons.join(" ")}</span>}
    </li>
  );
}

export function MemberAccessDialog({ workspaceId, userId, name, onClose }: { workspaceId: string; userId: string; name: string; onClose: () => void }) {
  return (
    <Dialog title={`What can ${name} do here?`} onClose={onClose}>
      <ul className="capabilities">
        {CAPABILITIES.map((c) => (
          <CapabilityRow key={`${c.action}:${c.subject}`} workspaceId={workspaceId} userId={userId} {...c} />
        ))}
      </ul>
      <div className="form__actions">
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
