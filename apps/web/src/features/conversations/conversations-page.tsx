import { useQuery } from "@apollo/client/react";
import { Link } from "react-router";
import { describeError } from "../../platform/errors.ts";
import { formatTime } from "../../platform/format.ts";
import { type CurrentWorkspace } from "../workspaces/workspace-shell.tsx";
import { ConversationsDocument } from "./operations.ts";
import { LoadError } from "../../platform/load-error.tsx";
import { DataTable, SkeletonList } from "../../platform/ui/index.ts";

const PAGE_SIZE = 25;

/** /w/:slug/conversations (SPEC R3): every conversation with its contact and last activity. */
export function ConversationsPage({ workspace }: { workspace: CurrentWorkspace }) {
  const { data, loading, error, fetchMore, refetch } = useQuery(ConversationsDocument, {
    variables: { workspaceId: workspace.id, first: PAGE_SIZE },
    notifyOnNetworkStatusChange: true,
    fetchPolicy: "cache-and-network",
  });

  if (data === undefined) {
    if (error !== undefined) {
      return (
        <LoadError error={error} onRetry={refetch} />
      );
    }
    return <SkeletonList label="Loading conversations…" />;
  }

  const { edges, pageInfo, totalCount } = data.conversations;
  if (edges.length === 0) return <p className="empty-state">No conversations yet.</p>;
  return (
    <>
      <p className="muted">
        {totalCount} {totalCount === 1 ? "conversation" : "conversations"}
      </p>
      <DataTable
        label="Conversations"
        rows={edges}
        rowKey={({ node }) => node.id}
        rowProps={() => ({ "data-testid": "conversation-row" })}
        columns={[
          {
            id: "contact",
            header: "Contact",
            cell: ({ node }) => (
              <>
                <Link to={`/w/${workspace.slug}/conversations/${node.id}`}>{node.contact?.name ?? "Contact hidden"}</Link>
                <div className="muted">{node.contact ? (node.contact.email ?? node.contact.phone ?? "") : "Viewing contacts needs contact.read"}</div>
              </>
            ),
          },
          {
            id: "last-message",
            header: "Last message",
            cell: ({ node }) =>
              node.lastMessageAt == null ? <span className="muted">No messages</span> : <time dateTime={node.lastMessageAt}>{formatTime(node.lastMessageAt)}</time>,
          },
          {
            id: "handled-by",
            header: "Handled by",
            cell: ({ node }) => (node.humanTakeover ? <span className="badge badge--warning">Human takeover</span> : <span className="badge badge--muted">AI agent</span>),
          },
        ]}
      />
      {error !== undefined && <p role="alert">{describeError(error).message}</p>}
      {pageInfo.hasNextPage && (
        <button type="button" className="pager" disabled={loading} onClick={() => void fetchMore({ variables: { after: pageInfo.endCursor } })}>
          {loading ? "Loading…" : "Load more"}
        </button>
      )}
    </>
  );
}
