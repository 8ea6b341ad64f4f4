// `updated_at` is kept by Prisma's @updatedAt (issue 10), not by every caller writing
// `updatedAt: new Date()`: every model with an updatedAt field declares it, and an update or
// updateMany through the client moves it without being told.
import { describe, expect, it } from "@atrium/test-kit";

import { readDmmf } from "./schema-dmmf.ts";
import { scratchSuite } from "./scratch.ts";

const scratch = scratchSuite();

describe("updated_at", () => {
  it("every model's updatedAt field is @updatedAt", async () => {
    const { dmmf } = await readDmmf();
    const fields = dmmf.datamodel.models.flatMap((m) =>
      m.fields
        .filter((f) => f.name === "updatedAt")
        .map((f) => ({ model: m.name, isUpdatedAt: f.isUpdatedAt === true })),
    );
    expect(fields.length).toBeGreaterThan(10);
    expect(fields.filter((f) => !f.isUpdatedAt).map((f) => f.model)).toEqual([]);
  });

  it("update and updateMany move it without the caller setting it", async () => {
    const old = new Date("2020-01-01T00:00:00Z");
    const { rows } = await scratch.owner.query<{ id: string }>(
      `INSERT INTO users (email, name, password_hash, updated_at) VALUES ('u@example.test', 'U', 'x', $1) RETURNING id`,
      [old],
    );
    const id = rows[0]!.id;
    const before = Date.now() - 1000;
    const updated = await scratch.db.system.user.update({ where: { id }, data: { name: "Renamed" } });
    expect(updated.updatedAt.getTime()).toBeGreaterThan(before);

    await scratch.owner.query(`UPDATE users SET updated_at = $2 WHERE id = $1`, [id, old]);
    await scratch.db.system.user.updateMany({ where: { id }, data: { name: "Again" } });
    const after = await scratch.owner.query<{ updated_at: Date }>(`SELECT updated_at FROM users WHERE id = $1`, [id]);
    expect(after.rows[0]!.updated_at.getTime()).toBeGreaterThan(before);
  });
});
