import { describe, expect, it } from "@atrium/test-kit";

import { getSchema } from "../../schema.ts";
import { accessSentence } from "./access-descriptions.ts";

describe("access sentences in the schema", () => {
  it("name the policies that grant the guard's action, and whether an API key may call", () => {
    expect(accessSentence("update:Lead")).toBe(
      "Requires update:Lead: the policy “lead.manage”, held by the member or the API key.",
    );
    expect(accessSentence("read:Lead")).toBe(
      "Requires read:Lead: the policy “lead.read” or “lead.manage”, held by the member or the API key.",
    );
    expect(accessSentence("create:ApiKey", "user")).toBe(
      "Requires create:ApiKey: the policy “apikey.manage”, signed-in members only (never an API key).",
    );
    expect(accessSentence("delete:Workspace", "user")).toBe(
      "Requires delete:Workspace: the workspace's owner, signed in (never an API key).",
    );
    expect(accessSentence("read:Member")).toBe(
      "Requires read:Member: any member of the workspace; API keys need the scope “workspace.members”.",
    );
    expect(accessSentence("read:Workspace")).toBe(
      "Requires read:Workspace: any member of the workspace; or any of its API keys.",
    );
    expect(accessSentence("api-key create:Lead")).toBe(
      "Requires create:Lead: an API key with the scope “lead.manage” (API keys only).",
    );
    expect(accessSentence("platform-admin")).toBe("Requires a platform administrator.");
    expect(() => accessSentence("fly:Lead")).toThrow(/Unknown auth extension/);
  });

  it("end the description of every Query, Mutation and Subscription field, from its own guard", async () => {
    const schema = await getSchema();
    for (const type of [schema.getQueryType()!, schema.getMutationType()!, schema.getSubscriptionType()!]) {
      expect(type.description).toMatch(/requires/);
      for (const field of Object.values(type.getFields())) {
        const { auth, principal } = field.extensions as { auth: string; principal?: unknown };
        expect(field.description?.endsWith(accessSentence(auth, principal)), `${type.name}.${field.name}`).toBe(true);
      }
    }
  });
});
