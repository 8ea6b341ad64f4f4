import { describe, expect, it } from "@atrium/test-kit";

import { describeError, IDLE_TIMEOUT_MESSAGE } from "../../platform/errors.ts";
import { contactsExportUrl, fetchContactsCsv, type ContactsExportDeps } from "./export.ts";

const csv = (body: string, filename = "contacts-acme-2026-03-01.csv") =>
  new Response(`\uFEFF${body}`, {
    status: 200,
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${filename}"` },
  });
const restError = (status: number, body: Record<string, unknown>) =>
  new Response(JSON.stringify({ requestId: "r1", ...body }), {
    status,
    headers: { "content-type": "application/json; charset=utf-8" },
  });

/** Deps answering with `responses` in turn, recording what was asked. */
function deps(responses: Response[], opts: { refresh?: boolean; stepUp?: boolean } = {}) {
  const calls = { fetched: [] as string[], refreshed: 0, steppedUp: 0 };
  const d: ContactsExportDeps = {
    fetch: (url) => {
      calls.fetched.push(url);
      const next = responses.shift();
      return next ? Promise.resolve(next) : Promise.reject(new TypeError("no more responses"));
    },
    refreshSession: () => {
      calls.refreshed++;
      return Promise.resolve(opts.refresh ?? true);
    },
    requestStepUp: () => {
      calls.steppedUp++;
      return Promise.resolve(opts.stepUp ?? true);
    },
  };
  return { d, calls };
}

const failureOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (caught) {
    return describeError(caught);
  }
  throw new Error("expected a failure");
};

describe("contacts export download", () => {
  it("asks the API's route with the list's filters", () => {
    expect(contactsExportUrl("w 1")).toBe("/api/workspaces/w%201/contacts/export");
    expect(contactsExportUrl("w1", { search: "  ada & co ", tag: "vip" })).toBe(
      "/api/workspaces/w1/contacts/export?search=ada+%26+co&tag=vip",
    );
    expect(contactsExportUrl("w1", { search: " ", tag: "" })).toBe("/api/workspaces/w1/contacts/export");
  });

  it("returns the file as sent (BOM included) under the API's name", async () => {
    const { d, calls } = deps([csv("id,name\r\n1,Ada\r\n")]);
    const { blob, filename } = await fetchContactsCsv("w1", { tag: "vip" }, d);
    expect(filename).toBe("contacts-acme-2026-03-01.csv");
    expect([...new Uint8Array(await blob.arrayBuffer()).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(calls.fetched).toEqual(["/api/workspaces/w1/contacts/export?tag=vip"]);
  });

  it("refreshes an expired session once and downloads again", async () => {
    const { d, calls } = deps([
      restError(401, { error: "UNAUTHENTICATED", message: "Sign in to continue.", reason: "TOKEN_EXPIRED" }),
      csv("id\r\n"),
    ]);
    await fetchContactsCsv("w1", {}, d);
    expect(calls).toMatchObject({
      refreshed: 1,
      fetched: ["/api/workspaces/w1/contacts/export", "/api/workspaces/w1/contacts/export"],
    });

    const twice = deps([
      restError(401, { error: "UNAUTHENTICATED", message: "x" }),
      restError(401, { error: "UNAUTHENTICATED", message: "x" }),
    ]);
    expect((await failureOf(fetchContactsCsv("w1", {}, twice.d))).code).toBe("UNAUTHENTICATED");
    expect(twice.calls.refreshed).toBe(1);
  });

  it("does not refresh a session the API ended for inactivity", async () => {
    const { d, calls } = deps([
      restError(401, { error: "UNAUTHENTICATED", message: "Signed out.", reason: "IDLE_TIMEOUT" }),
    ]);
    expect(await failureOf(fetchContactsCsv("w1", {}, d))).toMatchObject({
      code: "UNAUTHENTICATED",
      message: IDLE_TIMEOUT_MESSAGE,
    });
    expect(calls.refreshed).toBe(0);
  });

  it("asks for the second factor a workspace wants, then downloads again", async () => {
    const { d, calls } = deps([
      restError(403, { error: "STEP_UP_REQUIRED", message: "Confirm it's you." }),
      csv("id\r\n"),
    ]);
    await fetchContactsCsv("w1", {}, d);
    expect(calls.steppedUp).toBe(1);
    const cancelled = deps([restError(403, { error: "STEP_UP_REQUIRED", message: "Confirm it's you." })], {
      stepUp: false,
    });
    expect((await failureOf(fetchContactsCsv("w1", {}, cancelled.d))).code).toBe("STEP_UP_REQUIRED");
  });

  it("words refusals and failures like any API error", async () => {
    expect(
      (await failureOf(fetchContactsCsv("w1", {}, deps([restError(403, { error: "FORBIDDEN", message: "No." })]).d)))
        .code,
    ).toBe("FORBIDDEN");
    expect(
      (
        await failureOf(
          fetchContactsCsv("w1", {}, deps([restError(404, { error: "NOT_FOUND", message: "Workspace not found." })]).d),
        )
      ).code,
    ).toBe("NOT_FOUND");
    expect(
      (await failureOf(fetchContactsCsv("w1", {}, deps([new Response("<html>bad gateway</html>", { status: 502 })]).d)))
        .code,
    ).toBe("INTERNAL_SERVER_ERROR");
    expect((await failureOf(fetchContactsCsv("w1", {}, deps([]).d))).code).toBe("NETWORK");
  });
});
