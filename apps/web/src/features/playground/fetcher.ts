/**
 * The playground's GraphQL fetcher (SPEC A4): the signed-in user's own session, exactly as the
 * app's Apollo Client sends it — same-origin cookies plus the `x-csrf-token` header — and, when
 * the short-lived access cookie has expired, one session refresh and one retry.
 *
 * Trying an API key (issue 51): an `Authorization` header — from the headers editor, or the key
 * typed into the toolbar — sends the request as that key alone: no cookies, no CSRF header, no
 * session refresh, exactly as an integration's server would. Subscriptions go over WebSocket
 * (graphql-ws), as the session or with the key in `connectionParams.authorization`.
 */
import { Kind, OperationTypeNode, parse } from "graphql";
import i18n from "i18next";

export interface GraphQLParams {
  readonly query: string;
  readonly variables?: Readonly<Record<string, unknown>> | null | undefined;
  readonly operationName?: string | null | undefined;
}

export interface PlaygroundFetcherOptions {
  /** `fetch` with the session cookies and the CSRF header (the app's `sessionFetch`). */
  readonly fetch: (input: string, init: RequestInit) => Promise<Response>;
  /** Plain `fetch`, for requests sent as an API key (no cookies are sent: `credentials: "omit"`). */
  readonly plainFetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** Runs a subscription over WebSocket: as the session, or as `authorization` when given. */
  readonly subscribe?: (params: GraphQLParams, authorization: string | undefined) => AsyncIterable<unknown>;
  /** The API key typed into the toolbar, if any (an Authorization header in the editor wins). */
  readonly apiKey?: () => string | undefined;
  /** Exchanges the refresh cookie for new session cookies; true when that worked. */
  readonly refreshSession: () => Promise<boolean>;
  readonly url?: string;
}

function isUnauthenticated(body: unknown): boolean {
  if (typeof body !== "object" || body === null || !("errors" in body) || !Array.isArray(body.errors)) return false;
  return body.errors.some((error: unknown) => {
    if (typeof error !== "object" || error === null || !("extensions" in error)) return false;
    const extensions = error.extensions;
    return (
      typeof extensions === "object" &&
      extensions !== null &&
      "code" in extensions &&
      extensions.code === "UNAUTHENTICATED"
    );
  });
}

/** Headers from GraphiQL's editor: string values only, names as typed. */
function editorHeaders(raw: unknown): Record<string, string> {
  if (typeof raw !== "object" || raw === null) return {};
  return Object.fromEntries(
    Object.entries(raw).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  );
}

/** Whether the operation to run (by name, or the only one) is a subscription. Unparseable text: no (the server explains). */
export function isSubscription(params: GraphQLParams): boolean {
  try {
    const operations = parse(params.query).definitions.filter(
      (definition) => definition.kind === Kind.OPERATION_DEFINITION,
    );
    const operation =
      params.operationName != null
        ? operations.find((definition) => definition.name?.value === params.operationName)
        : operations[0];
    return operation?.operation === OperationTypeNode.SUBSCRIPTION;
  } catch {
    return false;
  }
}

export interface FetcherOpts {
  readonly headers?: unknown;
}

export function createPlaygroundFetcher({
  fetch,
  plainFetch = (input, init) => globalThis.fetch(input, init),
  subscribe,
  apiKey,
  refreshSession,
  url = "/graphql",
}: PlaygroundFetcherOptions) {
  const body = (params: GraphQLParams) =>
    JSON.stringify({
      query: params.query,
      variables: params.variables ?? {},
      ...(params.operationName != null ? { operationName: params.operationName } : {}),
    });
  const read = async (response: Response): Promise<unknown> => {
    const text = await response.text();
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return {
        errors: [{ message: i18n.t("fetcher.notGraphQL", { ns: "playground", status: response.status }) }],
        body: text,
      };
    }
  };
  const base = { "content-type": "application/json", accept: "application/graphql-response+json, application/json" };
  const send = async (params: GraphQLParams, headers: Record<string, string>): Promise<unknown> =>
    read(await fetch(url, { method: "POST", headers: { ...headers, ...base }, body: body(params) }));
  return (params: GraphQLParams, opts?: FetcherOpts): Promise<unknown> | AsyncIterable<unknown> => {
    const headers = editorHeaders(opts?.headers);
    const named = Object.keys(headers).find((name) => name.toLowerCase() === "authorization");
    const key = apiKey?.()?.trim();
    const authorization = named !== undefined ? headers[named] : key ? `Bearer ${key}` : undefined;
    if (subscribe !== undefined && isSubscription(params)) return subscribe(params, authorization);
    if (authorization !== undefined) {
      // As the key alone: what an integration sees (no session, no refresh).
      return plainFetch(url, {
        method: "POST",
        credentials: "omit",
        headers: { ...headers, ...base, authorization },
        body: body(params),
      }).then(read);
    }
    return (async () => {
      const first = await send(params, headers);
      if (!isUnauthenticated(first)) return first;
      if (!(await refreshSession())) return first;
      return send(params, headers);
    })();
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
