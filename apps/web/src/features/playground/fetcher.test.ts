import { describe, expect, it } from "@atrium/test-kit";
import { createPlaygroundFetcher, defaultPlaygroundVariables } from "./fetcher.ts";

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
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
    expect(await fetcher({ query: "{ me { id } }", variables: { a: 1 }, operationName: "Me" })).toEqual({ data: { me: null } });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.input).toBe("/graphql");
    expect(calls[0]?.init.method).toBe("POST");
    expect(JSON.parse(calls[0]?.init.body as string)).toEqual({ query: "{ me { id } }", variables: { a: 1 }, operationName: "Me" });
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
    expect(await fetcher({ query: "{ ok }" })).toMatchObject({ errors: [{ message: expect.stringContaining("502") as unknown }] });
  });
});

describe("playground variables", () => {
  it("prefills the workspace ID", () => {
    expect(JSON.parse(defaultPlaygroundVariables("ws-1"))).toEqual({ workspaceId: "ws-1", first: 10 });
    expect(JSON.parse(defaultPlaygroundVariables(undefined))).toEqual({ first: 10 });
  });
});
