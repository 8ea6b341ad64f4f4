/**
 * The playground's subscriptions (issue 51): one graphql-ws connection per running subscription,
 * as the signed-in session (the CSRF token in connectionParams, the cookies with the handshake)
 * or as an API key (`connectionParams.authorization`), closed when GraphiQL stops it.
 */
import { createClient } from "graphql-ws";
import i18n from "i18next";

import { csrfToken } from "../../platform/csrf.ts";
import { liveUrl } from "../../platform/live.ts";
import { type GraphQLParams } from "./fetcher.ts";

/** What GraphiQL shows for an error that ended the subscription. */
function asResult(error: unknown): unknown {
  if (Array.isArray(error)) return { errors: error as unknown[] };
  if (typeof error === "object" && error !== null && "code" in error && "reason" in error) {
    const reason = typeof error.reason === "string" && error.reason !== "" ? `: ${error.reason}` : "";
    return { errors: [{ message: i18n.t("fetcher.closed", { ns: "playground", code: String(error.code), reason }) }] };
  }
  return { errors: [{ message: error instanceof Error ? error.message : String(error) }] };
}

export function subscribeOverWebSocket(
  params: GraphQLParams,
  authorization: string | undefined,
): AsyncIterable<unknown> {
  return {
    async *[Symbol.asyncIterator]() {
      const client = createClient({
        url: liveUrl(window.location),
        lazy: true,
        retryAttempts: 0,
        connectionParams: () => (authorization !== undefined ? { authorization } : { csrfToken: csrfToken() }),
      });
      try {
        const events = client.iterate({
          query: params.query,
          variables: { ...params.variables },
          ...(params.operationName != null ? { operationName: params.operationName } : {}),
        });
        for await (const event of events) yield event;
      } catch (error) {
        yield asResult(error);
      } finally {
        await client.dispose();
      }
    },
  };
}
