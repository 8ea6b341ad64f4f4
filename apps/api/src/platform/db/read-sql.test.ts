// whereSql translates only the `where` forms lists use; anything else must give undefined (the
// list then reads through Prisma), never a condition that filters less.
import { describe, expect, it } from "@atrium/test-kit";

import { KEYSET, keysetPage, projected, readModel, selectList, whereSql } from "./read-sql.ts";

const model = readModel("leads", {
  workspaceId: "workspaceId",
  id: "id",
  status: "status",
  createdAt: "createdAt",
  email: "email",
});
const text = (w: Record<string, unknown>) => {
  const sql = whereSql(model, w, "t");
  return sql && { text: sql.text, values: sql.values };
};

describe("whereSql", () => {
  it("translates equality, null, comparisons, startsWith, AND and OR with bound values", () => {
    const at = new Date("2026-11-01T00:00:00Z");
    expect(
      text({
        AND: [{ OR: [{ workspaceId: "w1", status: "NEW" }, { workspaceId: "w1" }] }],
        workspaceId: "w1",
        email: null,
        createdAt: { gte: at, lt: at },
        id: { equals: "x" },
      }),
    ).toEqual({
      text: '((t."workspace_id" = $1 AND t."status" = $2 OR t."workspace_id" = $3)) AND t."workspace_id" = $4 AND t."email" IS NULL AND t."created_at" >= $5 AND t."created_at" < $6 AND t."id" = $7',
      values: ["w1", "NEW", "w1", "w1", at, at, "x"],
    });
    expect(text({ email: { startsWith: "a\\_" } })).toEqual({ text: 't."email" LIKE $1', values: ["a\\_%"] });
    expect(text({})).toEqual({ text: "TRUE", values: [] });
  });

  it("gives undefined for a field the model does not have, an operator or value it does not model, or an empty AND/OR", () => {
    expect(text({ nope: "x" })).toBeUndefined();
    expect(text({ AND: [{ nope: "x" }] })).toBeUndefined();
    expect(text({ status: { in: ["NEW"] } })).toBeUndefined();
    expect(text({ status: { not: "NEW" } })).toBeUndefined();
    expect(text({ email: { contains: "a" } })).toBeUndefined();
    expect(text({ email: { startsWith: "a", mode: "insensitive" } })).toBeUndefined();
    expect(text({ status: ["NEW"] })).toBeUndefined();
    expect(text({ createdAt: new Date(Number.NaN) })).toBeUndefined();
    expect(text({ status: {} })).toBeUndefined();
    expect(text({ OR: [] })).toBeUndefined();
    expect(text({ NOT: { status: "NEW" } })).toBeUndefined();
    // An operator is one of the table's own, never a name every object inherits.
    for (const op of ["toString", "constructor", "valueOf", "hasOwnProperty"])
      expect(text({ status: { [op]: "NEW" } }), op).toBeUndefined();
    expect(
      keysetPage(model, { where: { workspaceId: "w1" }, after: { nope: 1 }, take: 5, withTotal: true }),
      "a cursor it cannot translate",
    ).toBeUndefined();
  });

  // What the statements answer is checked against a database: the pages and counts against
  // Prisma's own (list-reads.int.test.ts), the count's cap, the order both ways and each lead's
  // contact at scale (leads-scale.int.test.ts). Here: what is bound, and how many statements.
  it("pages with one row more than asked, and counts without the cursor", () => {
    const [page, count] = keysetPage(model, {
      where: { workspaceId: "w1" },
      after: { id: { lt: "c" } },
      take: 5,
      withTotal: true,
    })!;
    expect(page!.values).toEqual(["w1", "c", 6]);
    expect(count!.values, "the filter's values, not the cursor's").toEqual(["w1"]);
    expect(keysetPage(model, { where: { workspaceId: "w1" }, after: {}, take: 5, withTotal: false })).toHaveLength(1);
  });

  it("writes cursor.ts's keyset as a row comparison (the index's bound), either way, and anything else as a plain condition", () => {
    const at = new Date("2026-11-01T00:00:00Z");
    const newer = keysetPage(model, {
      where: { workspaceId: "w1" },
      after: { OR: [{ createdAt: { lt: at } }, { createdAt: at, id: { lt: "c" } }] },
      take: 5,
      withTotal: false,
    })![0]!;
    expect(newer.text).toContain(
      'WHERE (t."workspace_id" = $1 AND (t."created_at", t."id") < ($2::timestamptz, $3::uuid)) ORDER BY t."created_at" DESC, t."id" DESC',
    );
    expect(newer.values).toEqual(["w1", at, "c", 6]);
    const older = keysetPage(model, {
      where: { workspaceId: "w1" },
      after: { OR: [{ createdAt: { gt: at } }, { createdAt: at, id: { gt: "c" } }] },
      take: 5,
      withTotal: false,
      oldestFirst: true,
    })![0]!;
    expect(older.text).toContain(
      '(t."created_at", t."id") > ($2::timestamptz, $3::uuid)) ORDER BY t."created_at" ASC, t."id" ASC',
    );
    // Not the keyset's shape (another date at the tie, mixed directions): the OR as it is.
    const other = new Date("2026-11-02T00:00:00Z");
    const mixed = keysetPage(model, {
      where: { workspaceId: "w1" },
      after: { OR: [{ createdAt: { lt: at } }, { createdAt: other, id: { lt: "c" } }] },
      take: 5,
      withTotal: false,
    })![0]!;
    expect(mixed.text).toContain('(t."created_at" < $2 OR t."created_at" = $3 AND t."id" < $4)');
    const dirs = keysetPage(model, {
      where: { workspaceId: "w1" },
      after: { OR: [{ createdAt: { lt: at } }, { createdAt: at, id: { gt: "c" } }] },
      take: 5,
      withTotal: false,
    })![0]!;
    expect(dirs.text).not.toContain('(t."created_at", t."id")');
  });
});

describe("projected", () => {
  const fields = (selected: string[] | undefined, relations: string[] = []) => [
    ...projected(model, selected && new Set(selected), KEYSET, relations).fields,
  ];

  it("reads the selected fields and the keyset's, in the model's order", () => {
    expect(fields(["email"])).toEqual(["id", "createdAt", "email"]);
    expect(fields(["status", "__typename", "contact"], ["contact"])).toEqual(["id", "status", "createdAt"]);
    expect(fields([])).toEqual(["id", "createdAt"]);
  });

  it("reads every column when the selection is unknown or names a field that is not a column", () => {
    const all = ["workspaceId", "id", "status", "createdAt", "email"];
    expect(fields(undefined)).toEqual(all);
    expect(fields(["email", "displayName"]), "a field computed from other columns").toEqual(all);
    expect(fields(["email", "contact"]), "a relation the caller does not join").toEqual(all);
  });
});

describe("selectList", () => {
  const expected = (fields: string[], alias: string, prefix = "") =>
    fields.map((f) => `${alias}."${f.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}" AS "${prefix}${f}"`).join(", ");

  it("lists the fields' columns under the alias, each named with the prefix, whichever set object names them", () => {
    expect(selectList({ fields: new Set(["id", "createdAt"]) }, "t").text).toBe(
      't."id" AS "id", t."created_at" AS "createdAt"',
    );
    // Remembered by what it lists, not by the set: equal sets give the same list, others their own.
    for (const [fields, alias, prefix] of [
      [["id", "createdAt"], "t", ""],
      [["id", "createdAt"], "c", "contact."],
      [["createdAt", "id"], "t", ""],
      [["id", "createdAt", "workspaceId"], "t", ""],
      [["id"], "t", "contact."],
      [["id", "createdAt"], "t", ""],
    ] as const) {
      expect(selectList({ fields: new Set(fields) }, alias, prefix).text).toBe(expected([...fields], alias, prefix));
    }
  });

  it("stays right past the number of lists it keeps", () => {
    const names = Array.from({ length: 12 }, (_, i) => `fieldNo${i}`);
    for (let mask = 1; mask < 1_200; mask++) {
      const fields = names.filter((_, i) => mask & (1 << i));
      expect(selectList({ fields: new Set(fields) }, "t").text).toBe(expected(fields, "t"));
    }
  });
});
