// The export's download (issue 50, decision 0051):
//   GET /api/privacy/exports/:workspaceId/:id?expires=<unix seconds>&sig=<HMAC>
// The link is a capability: HMAC-SHA-256 (AUTH_SECRET) over the workspace, the request and the
// expiry, handed only to members holding privacy.manage (dataSubjectRequest.downloadUrl), valid
// for 7 days. Whoever holds it can download, as with a mailed link; an expired, forged or erased
// (a later erasure of the same person drops the archive) link answers 404 alike.
import type { FastifyInstance } from "fastify";

import { UUID_RE } from "../../platform/authz/access.ts";
import { notFound } from "../../platform/errors.ts";
import { callerOf } from "../../platform/http/rest-errors.ts";
import type { Services } from "../../services.ts";
import { DOWNLOAD_PATH } from "./privacy.service.ts";

export function registerPrivacyDownload(app: FastifyInstance, services: Services): void {
  app.get<{ Params: { workspaceId: string; id: string }; Querystring: Record<string, unknown> }>(
    DOWNLOAD_PATH,
    { config: { input: { params: ["workspaceId", "id"], query: ["expires", "sig"] } }, exposeHeadRoute: false },
    async (req, reply) => {
      const { workspaceId, id } = req.params;
      const { expires, sig } = req.query ?? {};
      if (!UUID_RE.test(workspaceId) || !UUID_RE.test(id) || typeof expires !== "string" || typeof sig !== "string")
        throw notFound("Export");
      const archive = await services.privacy.download(workspaceId, id, expires, sig, callerOf(req));
      if (!archive) throw notFound("Export");
      return reply
        .code(200)
        .header("content-type", "application/zip")
        .header("content-disposition", `attachment; filename="data-export-${id}.zip"`)
        .header("cache-control", "no-store")
        .send(Buffer.from(archive));
    },
  );
}
