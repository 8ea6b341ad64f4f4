import { useQuery } from "@apollo/client/react";
import { AuditEventsDocument } from "./operations.ts";
import { describeError } from "../../platform/errors.ts";
import { useMe } from "../../platform/session.tsx";

const PAGE_SIZE = 25;

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });

function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

/** Audit details are JSON; show a flat object as `key: value` pairs, anything else as stored. */
function formatData(data: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return data;
  }
  if (parsed === null) return "";
  if (typeof parsed !== "object" || Array.isArray(parsed)) return JSON.stringify(parsed);
  return Object.entries(parsed)
    .map(([key, value]) => `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join("\n");
}

function actorLabel(event: { actorUserId?: string | null; actorApiKeyId?: string | null }, myUserId: string): string {
  if (event.actorUserId === myUserId) return "You";
  if (event.actorUserId != null) return `User ${event.actorUserId}`;
  if (event.actorApiKeyId != null) return `API key ${event.actorApiKeyId}`;
  return "System";
}

/** The workspace's audit log (SPEC S3), newest first, paged with a cursor. */
export function AuditLog({ workspaceId }: { workspaceId: string }) {
  const me = useMe();
  const { data, loading, error, fetchMore, refetch } = useQuery(AuditEventsDocument, {
    variables: { workspaceId, first: PAGE_SIZE },
    notifyOnNetworkStatusChange: true,
  });

  if (data === undefined) {
    if (error !== undefined) {
      return (
        <div role="alert">
          <p>{describeError(error).message}</p>
          <button type="button" onClick={() => void refetch()}>
            Try again
          </button>
        </div>
      );
    }
    return <p className="page-status">Loading audit log…</p>;
  }

  const { edges, pageInfo, totalCount } = data.auditEvents;
  if (edges.length === 0) return <p className="empty-state">No events recorded yet.</p>;

  return (
    <>
      <p className="muted">
        {totalCount} {totalCount === 1 ? "event" : "events"}
      </p>
      <div className="table-wrap">
        <table className="table" aria-label="Audit events">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Action</th>
              <th scope="col">Actor</th>
              <th scope="col">Target</th>
              <th scope="col">From</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {edges.map(({ node }) => (
              <tr key={node.id}>
                <td>
                  <time dateTime={node.createdAt}>{formatTime(node.createdAt)}</time>
                </td>
                <td>
                  <code>{node.action}</code>
                </td>
                <td>{actorLabel(node, me.id)}</td>
                <td>{node.targetType == null ? "—" : `${node.targetType} ${node.targetId ?? ""}`.trim()}</td>
                <td>{node.ip ?? "—"}</td>
                <td>
                  <code className="wrap">{formatData(node.data)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {error !== undefined && <p role="alert">{describeError(error).message}</p>}
      {pageInfo.hasNextPage && (
        <button
          type="button"
          disabled={loading}
          onClick={() => void fetchMore({ variables: { after: pageInfo.endCursor } })}
        >
          {loading ? "Loading…" : "Load more"}
        </button>
      )}
    </>
  );
}
