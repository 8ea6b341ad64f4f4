// Vapi's server messages (I3): `x-vapi-secret` must equal the workspace's Vapi server secret
// (401 otherwise, before anything is read or stored).
import type { FastifyInstance } from "fastify";

import { UUID_RE } from "../../platform/authz/access.ts";
import { ErrorCode } from "../../platform/errors.ts";
import { callerOf, sendHttpError } from "../../platform/http/rest-errors.ts";
import type { Services } from "../../services.ts";

export function registerVapiRoutes(app: FastifyInstance, services: Services): void {
  app.post<{ Params: { workspaceId: string } }>(
    "/webhooks/vapi/:workspaceId",
    { config: { input: { params: ["workspaceId"], body: ["message"] } } },
    async (req, reply) => {
      const workspaceId = req.params.workspaceId;
      const from = callerOf(req);
      const secret = req.headers["x-vapi-secret"];
      if (
        !UUID_RE.test(workspaceId) ||
        !(await services.voice.verifySecret(workspaceId, typeof secret === "string" ? secret : undefined, from))
      ) {
        return sendHttpError(req, reply, {
          status: 401,
          code: ErrorCode.UNAUTHENTICATED,
          message: "Invalid x-vapi-secret.",
          extras: {},
        });
      }
      const body = req.body;
      const message = body && typeof body === "object" ? (body as { message?: unknown }).message : undefined;
      if (!message || typeof message !== "object" || Array.isArray(message))
        return sendHttpError(req, reply, {
          status: 400,
          code: ErrorCode.BAD_USER_INPUT,
          message: "Expected {message: {type, …}}.",
          extras: { fields: { message: "an object" } },
        });
      const m = message as Record<string, unknown>;
      switch (m.type) {
        case "tool-calls":
          return reply.send(await services.voice.toolCalls(workspaceId, m, from));
        case "end-of-call-report":
          await services.voice.endOfCall(workspaceId, m, from);
          return reply.send({});
        case "status-update":
          await services.voice.statusUpdate(workspaceId, m, from);
          return reply.send({});
        case "transcript":
          await services.voice.transcript(workspaceId, m, from);
          return reply.send({});
        default:
          return reply.send({});
      }
    },
  );
}
