/**
 * The playground's examples for the main tasks of an integrator (issue 51): submit a lead (with an
 * API key — the document is in the platform's persisted manifest, so a key held to persisted
 * operations sends only its id), page through leads forwards, and subscribe to a conversation's
 * events. Each opens in its own editor tab with its variables and headers.
 */
import { graphql } from "../../gql/index.ts";

/** submitLead as the platform manifest holds it (`pnpm manifest`): a persisted-only key sends `{"documentId": "<hash>"}`. */
export const SubmitLeadDocument = graphql(`
  mutation SubmitLead($input: SubmitLeadInput!) {
    submitLead(input: $input) {
      id
      name
      email
      phone
      status
      source
      createdAt
    }
  }
`);

/** The SHA-256 id under which the platform manifest holds a document (the client preset embeds it). */
export function persistedId(document: unknown): string | undefined {
  const meta = (document as { __meta__?: { hash?: unknown } } | null)?.__meta__;
  return typeof meta?.hash === "string" ? meta.hash : undefined;
}

export interface PlaygroundExample {
  /** i18n key under `playground:examples.` for the title and the description. */
  readonly id: "submitLead" | "pageLeads" | "conversationEvents";
  readonly query: string;
  readonly variables: (workspaceId: string | undefined) => Record<string, unknown>;
  /** Headers to start from (the API key's place), or none: the playground's own session. */
  readonly headers?: Record<string, string>;
}

export const PLAYGROUND_EXAMPLES: readonly PlaygroundExample[] = [
  {
    id: "submitLead",
    query: `# Submit a lead as an integration does: with an API key holding lead.manage.
# Type the key's secret into "Run as API key" above, or add {"Authorization": "Bearer <secret>"}
# in the Headers tab below.
# A key held to persisted operations sends {"documentId": "${persistedId(SubmitLeadDocument) ?? "<hash>"}"} instead of this text.
mutation SubmitLead($input: SubmitLeadInput!) {
  submitLead(input: $input) {
    id
    name
    email
    phone
    status
    source
    createdAt
  }
}
`,
    variables: () => ({
      input: { name: "Ada Lovelace", email: "ada@example.com", phone: "+15550001234", message: "Interested in a demo" },
    }),
  },
  {
    id: "pageLeads",
    query: `# Page through leads: run, then copy pageInfo.endCursor into "after" and run again
# until hasNextPage is false. first is at most 100.
query LeadsPage($workspaceId: ID!, $first: Int, $after: String) {
  leads(workspaceId: $workspaceId, first: $first, after: $after) {
    totalCount
    edges {
      cursor
      node {
        id
        name
        status
        createdAt
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
`,
    variables: (workspaceId) => ({ ...(workspaceId === undefined ? {} : { workspaceId }), first: 25, after: null }),
  },
  {
    id: "conversationEvents",
    query: `# Live: every change to the workspace's conversations, as it happens (over WebSocket).
# Run it, then write to a conversation from another tab: events appear on the right.
subscription ConversationEvents($workspaceId: ID!) {
  conversationEvents(workspaceId: $workspaceId) {
    type
    conversationId
    message {
      id
      direction
      body
      status
    }
  }
}
`,
    variables: (workspaceId) => (workspaceId === undefined ? {} : { workspaceId }),
  },
];
