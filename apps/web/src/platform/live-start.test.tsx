/**
 * @jest-environment jsdom
 */
// The gap before a subscription listens (decision 0044): the API's start marker is taken out of
// the results by the live link and makes each `useLive` page read its data again — at its first
// start, and at every start after the API ended the subscription with SERVICE_UNAVAILABLE.
import { ApolloClient, ApolloLink, InMemoryCache } from "@apollo/client";
import { ApolloProvider } from "@apollo/client/react";
import { Observable, type Subscriber } from "rxjs";

import { describe, expect, it } from "@atrium/test-kit";

import { HomeLeadEventsDocument } from "../gql/graphql.ts";
import { startMarkerLink } from "./live-client.ts";
import { useLive } from "./live.ts";
import { render, settle, until } from "./testing/dom.tsx";

const STARTED = { extensions: { subscriptionStarted: true } };
// One of the app's own subscriptions (the home page's): `leadEvents { type leadId }`.
const EVENTS = HomeLeadEventsDocument;

/** A terminating link standing for the socket: each operation's observer, for the test to drive. */
function socketLink(): { link: ApolloLink; open: Subscriber<ApolloLink.Result>[] } {
  const open: Subscriber<ApolloLink.Result>[] = [];
  const link = new ApolloLink(
    () =>
      new Observable<ApolloLink.Result>((observer) => {
        open.push(observer);
        return () => open.splice(open.indexOf(observer), 1);
      }),
  );
  return { link, open };
}

describe("the live link's start marker", () => {
  it("is taken out of the results and calls the operation's onSubscriptionStarted once; events pass through", async () => {
    const { link, open } = socketLink();
    const started: string[] = [];
    const results: unknown[] = [];
    const subscription = ApolloLink.execute(
      startMarkerLink.concat(link),
      {
        query: EVENTS,
        variables: { workspaceId: "w" },
        context: { onSubscriptionStarted: () => started.push("started") },
      },
      { client: new ApolloClient({ link, cache: new InMemoryCache() }) },
    ).subscribe((result) => results.push(result));
    await settle();
    open[0]!.next(STARTED);
    open[0]!.next({ data: { leadEvents: { __typename: "LeadEvent", type: "CREATED", leadId: "1" } } });
    expect(started).toEqual(["started"]);
    expect(results).toEqual([{ data: { leadEvents: { __typename: "LeadEvent", type: "CREATED", leadId: "1" } } }]);
    subscription.unsubscribe();
  });
});

function Page({ name, log }: { name: string; log: string[] }) {
  useLive(EVENTS, {
    variables: { workspaceId: "w" },
    onEvent: () => log.push(`${name}: event`),
    onResync: () => log.push(`${name}: resync`),
  });
  return null;
}

describe("useLive and the start marker", () => {
  it("resyncs each page at its own subscription's start, even when two pages subscribe alike, and again after SERVICE_UNAVAILABLE", async () => {
    const { link, open } = socketLink();
    const client = new ApolloClient({ link: startMarkerLink.concat(link), cache: new InMemoryCache() });
    const log: string[] = [];
    await render(
      <ApolloProvider client={client}>
        <Page name="a" log={log} />
        <Page name="b" log={log} />
      </ApolloProvider>,
    );
    await until(() => open.length === 2);
    // Two subscriptions, not one shared: each page learns of its own start.
    expect(open).toHaveLength(2);
    expect(log).toEqual([]);
    open[0]!.next(STARTED);
    open[1]!.next(STARTED);
    await settle();
    expect(log.sort()).toEqual(["a: resync", "b: resync"]);

    log.length = 0;
    open[0]!.next({ data: { leadEvents: { __typename: "LeadEvent", type: "CREATED", leadId: "1" } } });
    await settle();
    expect(log).toEqual(["a: event"]);

    // The API ends the subscription (LIVE_INTERRUPTED): it subscribes again after ~1 s, and its
    // page reads again only once the new subscription listens.
    log.length = 0;
    const [first, second] = [open[0]!, open[1]!];
    first.next({
      errors: [{ message: "Live updates were interrupted.", extensions: { code: "SERVICE_UNAVAILABLE" } }],
    });
    await settle(1_600);
    const again = open.find((observer) => observer !== first && observer !== second);
    expect(again).toBeDefined();
    expect(open).not.toContain(first);
    expect(log).toEqual([]);
    again!.next(STARTED);
    await settle();
    expect(log).toEqual(["a: resync"]);
  });
});
