/**
 * The contacts CSV export (issue 56, decision 0026): the API streams the whole set, every contact
 * once, from `GET /api/workspaces/:workspaceId/contacts/export` with the list's filters — no more
 * paging through the Apollo cache, whose merged `contacts` field gave each page back with all the
 * pages before it (1,003 contacts came out as 6,501 rows). The web app's session is its cookie
 * plus the CSRF header (`sessionFetch`), which a plain link cannot send: the file is fetched and
 * saved from a blob. As the Apollo links do: an expired access cookie is refreshed once and the
 * download retried; a workspace that wants a second factor asks for it, then retries.
 * Failures are thrown as Apollo errors, so `describeError` words them like any other.
 */
import { CombinedGraphQLErrors, ServerError } from "@apollo/client/errors";

import type { StepUpDetail } from "../step-up/step-up-gate.ts";

export interface ContactsExportFilter {
  readonly search?: string | undefined;
  readonly tag?: string | undefined;
}

export function contactsExportUrl(workspaceId: string, filter: ContactsExportFilter = {}): string {
  const params = new URLSearchParams();
  const search = filter.search?.trim();
  if (search) params.set("search", search);
  if (filter.tag) params.set("tag", filter.tag);
  const query = params.toString();
  return `/api/workspaces/${encodeURIComponent(workspaceId)}/contacts/export${query ? `?${query}` : ""}`;
}

export interface ContactsExportDeps {
  /** `fetch` with the session cookies and the CSRF header (the app's `sessionFetch`). */
  readonly fetch: (url: string) => Promise<Response>;
  /** Exchanges the refresh cookie for new session cookies; true when that worked. */
  readonly refreshSession: () => Promise<boolean>;
  /** Asks for a second factor; true once verified. */
  readonly requestStepUp: (detail: StepUpDetail) => Promise<boolean>;
}

interface RestError {
  readonly error?: unknown;
  readonly message?: unknown;
  readonly reason?: unknown;
  readonly fields?: unknown;
  readonly lifetimeMinutes?: unknown;
  readonly retryAfterSeconds?: unknown;
}

/** The API's typed REST error (`{error, message, …}`) as a GraphQL error; anything else as a ServerError. */
async function failure(response: Response): Promise<CombinedGraphQLErrors | ServerError> {
  const bodyText = await response.text();
  let body: RestError | undefined;
  try {
    body = JSON.parse(bodyText) as RestError;
  } catch {
    body = undefined;
  }
  if (body === undefined || typeof body.error !== "string")
    return new ServerError(`The export failed (HTTP ${response.status}).`, { response, bodyText });
  const { error: code, message, ...extensions } = body;
  return new CombinedGraphQLErrors({
    errors: [{ message: typeof message === "string" ? message : code, extensions: { ...extensions, code } }],
  });
}

const codeOf = (error: CombinedGraphQLErrors | ServerError): unknown =>
  CombinedGraphQLErrors.is(error) ? error.errors[0]?.extensions?.["code"] : undefined;
const extensionOf = (error: CombinedGraphQLErrors | ServerError, key: string): unknown =>
  CombinedGraphQLErrors.is(error) ? error.errors[0]?.extensions?.[key] : undefined;

/** The CSV file (its bytes as sent, BOM included) and its name from Content-Disposition. */
export async function fetchContactsCsv(
  workspaceId: string,
  filter: ContactsExportFilter,
  deps: ContactsExportDeps,
): Promise<{ blob: Blob; filename: string }> {
  const url = contactsExportUrl(workspaceId, filter);
  let refreshed = false;
  let steppedUp = false;
  for (;;) {
    const response = await deps.fetch(url);
    if (response.ok) {
      const disposition = response.headers.get("content-disposition") ?? "";
      const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? "contacts.csv";
      return { blob: await response.blob(), filename };
    }
    const error = await failure(response);
    const code = codeOf(error);
    // An ended session (idle timeout) cannot be refreshed: say so instead.
    if (code === "UNAUTHENTICATED" && !refreshed && extensionOf(error, "reason") !== "IDLE_TIMEOUT") {
      refreshed = true;
      if (await deps.refreshSession()) continue;
    }
    if (code === "STEP_UP_REQUIRED" && !steppedUp) {
      steppedUp = true;
      const minutes = extensionOf(error, "lifetimeMinutes");
      if (await deps.requestStepUp({ lifetimeMinutes: typeof minutes === "number" ? minutes : undefined })) continue;
    }
    throw error;
  }
}
