// Statement families (statement-tracing.ts): a statement's verb and table, as a span names it,
// from the shapes the clients send (Prisma's quoted, schema-qualified SQL; the hand-written
// pipelines' statements; CTEs that write) — and never anything else of the text.
import { describe, expect, it } from "@atrium/test-kit";

import { statementFamily } from "../statement-tracing.ts";

describe("statementFamily", () => {
  it("names Prisma's reads and writes by verb and table", () => {
    expect(
      statementFamily(
        `SELECT "t1"."id", "t1"."name" FROM "public"."leads" AS "t1" LEFT JOIN LATERAL (SELECT 1 FROM "public"."contacts") AS "c" ON true WHERE "t1"."workspace_id" = $1 LIMIT $2`,
      ),
    ).toBe("SELECT leads");
    expect(
      statementFamily(
        `INSERT INTO "public"."messages" ("id","body") VALUES ($1,$2) RETURNING "public"."messages"."id"`,
      ),
    ).toBe("INSERT messages");
    expect(statementFamily(`UPDATE "public"."messages" SET "status" = $1 WHERE "id" = $2`)).toBe("UPDATE messages");
    expect(statementFamily(`DELETE FROM "public"."audit_events" WHERE "id" = ANY($1)`)).toBe("DELETE audit_events");
  });

  it("names transaction control and statements without a table by their verb alone", () => {
    expect(statementFamily("BEGIN")).toBe("BEGIN");
    expect(statementFamily("COMMIT")).toBe("COMMIT");
    expect(
      statementFamily("SELECT set_config('app.user_id', $1, true), set_config('app.workspace_id', $2, true)"),
    ).toBe("SELECT");
    expect(statementFamily("  select 1")).toBe("SELECT");
  });

  it("names a CTE by the first table it writes, else by what it reads", () => {
    expect(
      statementFamily(
        `WITH c AS (INSERT INTO contacts (workspace_id, email) VALUES ($1, $2) RETURNING id) INSERT INTO leads (contact_id) SELECT id FROM c`,
      ),
    ).toBe("INSERT contacts");
    expect(
      statementFamily(`WITH page AS (SELECT id FROM leads WHERE workspace_id = $1) SELECT count(*) FROM page`),
    ).toBe("SELECT leads");
  });

  it("takes nothing but keywords and identifiers: a literal in the text never reaches the family", () => {
    const family = statementFamily(
      `SELECT * FROM users WHERE email = 'someone@example.com' AND phone = '+15550001111'`,
    );
    expect(family).toBe("SELECT users");
    expect(statementFamily(`INSERT INTO "public"."contacts" (email) VALUES ('jane@example.com')`)).toBe(
      "INSERT contacts",
    );
  });
});
