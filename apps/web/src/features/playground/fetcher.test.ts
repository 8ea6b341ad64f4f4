import { describe, expect, it } from "@atrium/test-kit";

import { createPlaygroundFetcher, defaultPlaygroundVariables } from "./fetcher.ts";

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const unauthenticated = { data: null, errors: [{ message: "Sign in", extensions: { code: "UNAUTHENTICATED" } }] };

describe("playground fetcher", () => {
  it("posts the operation as JSON to /graphql", async () => {
    const calls: { input: string; init: RequestInit }[] = [];
    const fetcher = createPlaygroundFetcher({
      fetch: (input, init) => {
        calls.push({ input, init });
        return Promise.resolve(json({ data: { me: null } }));
      },
      refreshSession: () => Promise.reject(new Error("not expected")),
    });
    expect(await fetcher({ query: "{ me { id } }", variables: { a: 1 }, operationName: "Me" })).toEqual({
      data: { me: null },
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.input).toBe("/graphql");
    expect(calls[0]?.init.method).toBe("POST");
    expect(JSON.parse(calls[0]?.init.body as string)).toEqual({
      query: "{ me { id } }",
      variables: { a: 1 },
      operationName: "Me",
    });
  });

  it("refreshes the session once and retries when the access cookie expired", async () => {
    const answers = [json(unauthenticated), json({ data: { ok: true } })];
    let refreshes = 0;
    const fetcher = createPlaygroundFetcher({
      fetch: () => Promise.resolve(answers.shift() ?? json(unauthenticated)),
      refreshSession: () => {
        refreshes += 1;
        return Promise.resolve(true);
      },
    });
    expect(await fetcher({ query: "{ ok }" })).toEqual({ data: { ok: true } });
    expect(refreshes).toBe(1);
  });

  it("returns the UNAUTHENTICATED answer when the session cannot be refreshed", async () => {
    let calls = 0;
    const fetcher = createPlaygroundFetcher({
      fetch: () => {
        calls += 1;
        return Promise.resolve(json(unauthenticated));
      },
      refreshSession: () => Promise.resolve(false),
    });
    expect(await fetcher({ query: "{ ok }" })).toEqual(unauthenticated);
    expect(calls).toBe(1);
  });

  it("turns a non-JSON answer into a GraphQL error", async () => {
    const fetcher = createPlaygroundFetcher({
      fetch: () => Promise.resolve(new Response("<html>", { status: 502 })),
      refreshSession: () => Promise.resolve(false),
    });
    expect(await fetcher({ query: "{ ok }" })).toMatchObject({
      errors: [{ message: expect.stringContaining("502") as unknown }],
    });
  });
});

describe("playground variables", () => {
  it("prefills the workspace ID", () => {
    expect(JSON.parse(defaultPlaygroundVariables("ws-1"))).toEqual({ workspaceId: "ws-1", first: 10 });
    expect(JSON.parse(defaultPlaygroundVariables(undefined))).toEqual({ first: 10 });
  });
});

describe("playground fetcher: trying an API key (issue 51)", () => {
  const recorder = () => {
    const session: RequestInit[] = [];
    const plain: RequestInit[] = [];
    return {
      session,
      plain,
      fetch: (_input: string, init: RequestInit) => {
        session.push(init);
        return Promise.resolve(json({ data: { as: "session" } }));
      },
      plainFetch: (_input: string, init: RequestInit) => {
        plain.push(init);
        return Promise.resolve(json({ data: { as: "key" } }));
      },
    };
  };

  it("sends an Authorization header from the headers editor as the key alone: no cookies, no session refresh", async () => {
    const r = recorder();
    const fetcher = createPlaygroundFetcher({
      fetch: r.fetch,
      plainFetch: r.plainFetch,
      refreshSession: () => Promise.reject(new Error("not expected")),
    });
    expect(
      await fetcher({ query: "{ me { id } }" }, { headers: { Authorization: "Bearer atr_dev_x", "X-Trace": "1" } }),
    ).toEqual({ data: { as: "key" } });
    expect(r.session).toHaveLength(0);
    expect(r.plain).toHaveLength(1);
    expect(r.plain[0]?.credentials).toBe("omit");
    expect(r.plain[0]?.headers).toMatchObject({
      authorization: "Bearer atr_dev_x",
      "X-Trace": "1",
      "content-type": "application/json",
    });
  });

  it("uses the key typed in the toolbar when the editor names none; without either, the session", async () => {
    const r = recorder();
    let key = "atr_dev_typed";
    const fetcher = createPlaygroundFetcher({
      fetch: r.fetch,
      plainFetch: r.plainFetch,
      apiKey: () => key,
      refreshSession: () => Promise.resolve(false),
    });
    expect(await fetcher({ query: "{ a }" })).toEqual({ data: { as: "key" } });
    expect(r.plain[0]?.headers).toMatchObject({ authorization: "Bearer atr_dev_typed" });
    // The editor's header wins over the typed key.
    await fetcher({ query: "{ a }" }, { headers: { authorization: "Bearer atr_dev_editor" } });
    expect(r.plain[1]?.headers).toMatchObject({ authorization: "Bearer atr_dev_editor" });
    key = "  ";
    expect(await fetcher({ query: "{ a }" }, { headers: { "X-Other": "y" } })).toEqual({ data: { as: "session" } });
    expect(r.session[0]?.headers).toMatchObject({ "X-Other": "y" });
  });

  it("runs subscriptions over the live connection, with the key when one is given", async () => {
    const r = recorder();
    const subscribed: (string | undefined)[] = [];
    const events: AsyncIterable<unknown> = {
      async *[Symbol.asyncIterator]() {
        await Promise.resolve();
        yield { data: { n: 1 } };
      },
    };
    const fetcher = createPlaygroundFetcher({
      fetch: r.fetch,
      plainFetch: r.plainFetch,
      subscribe: (_params, authorization) => {
        subscribed.push(authorization);
        return events;
      },
      refreshSession: () => Promise.resolve(false),
    });
    const query = "query Q { a } subscription S($w: ID!) { conversationEvents(workspaceId: $w) { type } }";
    expect(fetcher({ query, operationName: "S" }, { headers: { Authorization: "Bearer atr_dev_k" } })).toBe(events);
    expect(fetcher({ query: 'subscription { leadEvents(workspaceId: "w") { type } }' })).toBe(events);
    expect(subscribed).toEqual(["Bearer atr_dev_k", undefined]);
    // The query of the same document goes over HTTP.
    expect(await fetcher({ query, operationName: "Q" })).toEqual({ data: { as: "session" } });
  });
});
