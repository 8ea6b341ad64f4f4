// The link that counts the changes reaching the page (`pageChanges`, live.ts): every mutation's
// answer is one, a query's answer is not (a list read's answer is what may be stale).
import { ApolloClient, ApolloLink, InMemoryCache } from "@apollo/client";
import { parse } from "graphql";
import { firstValueFrom, of } from "rxjs";

import { describe, expect, it } from "@atrium/test-kit";

import { noteMutationAnswers } from "./apollo.ts";
import { pageChanges } from "./live.ts";

const client = new ApolloClient({ cache: new InMemoryCache(), link: ApolloLink.empty() });
const answering = noteMutationAnswers.concat(new ApolloLink(() => of({ data: { ok: true } })));
// Parsed, not tagged: the operations are not the API's (codegen checks tagged ones against its schema).
const run = (source: string) => firstValueFrom(ApolloLink.execute(answering, { query: parse(source) }, { client }));

describe("noteMutationAnswers", () => {
  it("counts a mutation's answer as a change that reached the page", async () => {
    const before = pageChanges.count();
    await run("mutation TakeOver { ok }");
    expect(pageChanges.count()).toBe(before + 1);
  });

  it("does not count a query's answer", async () => {
    const before = pageChanges.count();
    await run("query Inbox { ok }");
    expect(pageChanges.count()).toBe(before);
  });
});
