/**
 * The playground's GraphQL fetcher (SPEC A4): the signed-in user's own session, exactly as the
 * app's Apollo Client sends it — same-origin cookies plus the `x-csrf-token` header — and, when
 * the short-lived access cookie has expired, one session refresh and one retry.
 */
import i18n from "i18next";

export interface GraphQLParams {
  readonly query: string;
  readonly variables?: Readonly<Record<string, unknown>> | null | undefined;
  readonly operationName?: string | null | undefined;
}

export interface PlaygroundFetcherOptions {
  /** `fetch` with the session cookies and the CSRF header (the app's `sessionFetch`). */
  readonly fetch: (input: string, init: RequestInit) => Promise<Response>;
  /** Exchanges the refresh cookie for new session cookies; true when that worked. */
  readonly refreshSession: () => Promise<boolean>;
  readonly url?: string;
}

function isUnauthenticated(body: unknown): boolean {
  if (typeof body !== "object" || body === null || !("errors" in body) || !Array.isArray(body.errors)) return false;
  return body.errors.some((error: unknown) => {
    if (typeof error !== "object" || error === null || !("extensions" in error)) return false;
    const extensions = error.extensions;
    return typeof extensions === "object" && extensions !== null && "code" in extensions && extensions.code === "UNAUTHENTICATED";
  });
}

export function createPlaygroundFetcher({ fetch, refreshSession, url = "/graphql" }: PlaygroundFetcherOptions) {
  const send = async (params: GraphQLParams): Promise<unknown> => {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/graphql-response+json, application/json" },
      body: JSON.stringify({
        query: params.query,
        variables: params.variables ?? {},
        ...(params.operationName != null ? { operationName: params.operationName } : {}),
      }),
    });
    const text = await response.text();
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return { errors: [{ message: i18n.t("fetcher.notGraphQL", { ns: "playground", status: response.status }) }], body: text };
    }
  };
  return async (params: GraphQLParams): Promise<unknown> => {
    const first = await send(params);
    if (!isUnauthenticated(first)) return first;
    if (!(await refreshSession())) return first;
    return send(params);
  };
}

/** The query the playground opens with: the workspace's newest leads with their contacts. */
export const DEFAULT_PLAYGROUND_QUERY = `# Atrium GraphQL playground: you are signed in as yourself.
# The workspace ID is in the variables below. Press the run button (Ctrl-Enter).
query RecentLeads($workspaceId: ID!, $first: Int) {
  leads(workspaceId: $workspaceId, first: $first) {
    totalCount
    edges {
      node {
        id
        name
        email
        status
        createdAt
        contact {
          id
          name
        }
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
`;

export function defaultPlaygroundVariables(workspaceId: string | undefined): string {
  return JSON.stringify(workspaceId === undefined ? { first: 10 } : { workspaceId, first: 10 }, null, 2);
}
