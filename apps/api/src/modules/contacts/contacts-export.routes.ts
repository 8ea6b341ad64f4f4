// The contacts CSV export (issue 56, item 8; decision 0026):
//   GET /api/workspaces/:workspaceId/contacts/export[?search=…&tag=…]
// For a signed-in member (cookie + CSRF header, or Bearer token) or an API key whose ability allows
// `read Contact` in the workspace — the GraphQL gate's answers (rest-access.ts): 401, 404 for a
// non-member or an unknown or malformed id, 403 for a member without the policy. The contacts the
// list shows for the same filter, every one exactly once: read through the tenant client in
// keyset batches of EXPORT_BATCH rows by id (one statement, one tenant transaction each; no
// connection is held while the client reads), streamed as they come. Every text cell is written
// formula-safe (@atrium/validation's csvRecord). The export is recorded in the audit log.
//
// The path has no `.csv` extension on purpose: the REST fuzz test probes every route that is not a
// static file, and tells them apart by the extension.
import { Readable } from "node:stream";
import type { FastifyInstance } from "fastify";

import { csvRecord } from "@atrium/validation";

import { badInput } from "../../platform/errors.ts";
import { restWorkspaceAccess } from "../../rest-access.ts";
import type { Services } from "../../services.ts";
import type { ExportRow } from "./contacts.repository.ts";

export const CONTACTS_EXPORT_PATH = "/api/workspaces/:workspaceId/contacts/export";
/** Rows per statement. */
export const EXPORT_BATCH = 1_000;
/** The header row: the import matches name, email, phone and tags by these names (id and created at are ignored there). */
export const EXPORT_COLUMNS = ["id", "name", "email", "phone", "tags", "created_at"] as const;

const record = (c: ExportRow) =>
  csvRecord([c.id, c.name, c.email, c.phone, c.tags.join(", "), c.createdAt.toISOString()]);

/** A query field given once, as text (a repeated field arrives as a list). */
function oneText(query: Record<string, unknown>, field: string): string | null {
  const v = query[field];
  if (v === undefined || v === "") return null;
  if (typeof v !== "string") throw badInput(`${field}: give it once, as text.`, { [field]: "Give it once, as text." });
  return v;
}

export function registerContactsExport(app: FastifyInstance, services: Services): void {
  app.get<{ Params: { workspaceId: string }; Querystring: Record<string, unknown> }>(
    CONTACTS_EXPORT_PATH,
    {
      // No request deadline (0: none): the answer streams for as long as the set takes, and a
      // 503 cannot follow a started body. Each batch is still bounded as a unit of work (Db.tenant:
      // 10 s to get a connection, 10 s for its transaction), and the first batch — with the
      // access check, before any byte is sent — fails as typed JSON.
      config: { input: { params: ["workspaceId"], query: ["search", "tag"] }, deadlineMs: 0 },
      // No HEAD twin: it would read and audit an export nobody receives.
      exposeHeadRoute: false,
    },
    async (req, reply) => {
      const query = req.query ?? {};
      const filter = { search: oneText(query, "search"), tag: oneText(query, "tag") };
      const { access, actor } = await restWorkspaceAccess(req, services, req.params.workspaceId, {
        action: "read",
        subject: "Contact",
        operation: `GET ${CONTACTS_EXPORT_PATH}`,
      });
      // The first batch before the headers: a refusal or a failure here is still a typed error.
      const first = await services.contacts.exportBatch(access, {
        ...filter,
        afterId: null,
        take: EXPORT_BATCH,
        actor,
      });
      const contacts = services.contacts;
      async function* body(): AsyncGenerator<string> {
        // A BOM, so spreadsheets read the file as UTF-8 (the import ignores it).
        yield `\uFEFF${csvRecord(EXPORT_COLUMNS)}`;
        let rows = first.rows;
        for (;;) {
          if (rows.length > 0) yield rows.map(record).join("");
          if (rows.length < EXPORT_BATCH) return;
          rows = (
            await contacts.exportBatch(access, {
              ...filter,
              afterId: rows[rows.length - 1]!.id,
              take: EXPORT_BATCH,
              actor,
            })
          ).rows;
        }
      }
      const date = new Date().toISOString().slice(0, 10);
      return reply
        .code(200)
        .header("content-type", "text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="contacts-${first.slug ?? "workspace"}-${date}.csv"`)
        .header("cache-control", "no-store")
        .send(Readable.from(body(), { objectMode: false }));
    },
  );
}
