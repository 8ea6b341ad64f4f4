// Twilio's requests to us (I3, W12): inbound WhatsApp messages and delivery status callbacks.
// The signature is checked before anything else, with the workspace's own auth token over
// PUBLIC_URL + the path (and query) Twilio called, by Twilio's own `validateRequest` (with and
// without the scheme's default port); a missing or wrong one answers 403 and stores nothing. Inbound messages are idempotent on MessageSid.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

import { E164_RE } from "@atrium/validation";

import { UUID_RE } from "../../platform/authz/access.ts";
import { ErrorCode } from "../../platform/errors.ts";
import { callerOf, sendHttpError } from "../../platform/http/rest-errors.ts";
import type { Services } from "../../services.ts";

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/** The form fields of a Twilio POST (every value a string), or null for anything else. */
function formParams(req: FastifyRequest): Record<string, string> | null {
  if (!req.headers["content-type"]?.startsWith("application/x-www-form-urlencoded")) return null;
  const body = req.body;
  if (!body || typeof body !== "object") return null;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (typeof v !== "string") return null;
    out[k] = v;
  }
  return out;
}

const forbidden = (req: FastifyRequest, reply: FastifyReply) =>
  sendHttpError(req, reply, {
    status: 403,
    code: ErrorCode.FORBIDDEN,
    message: "Invalid Twilio signature.",
    extras: {},
  });
/** The fields Twilio sends that we read (declared for the REST fuzz test). */
const TWILIO_FIELDS = ["MessageSid", "From", "To", "Body", "ProfileName", "MessageStatus", "ErrorCode"];

async function verified(
  req: FastifyRequest<{ Params: { workspaceId: string } }>,
  services: Services,
): Promise<Record<string, string> | null> {
  const workspaceId = req.params.workspaceId;
  const params = formParams(req);
  if (!UUID_RE.test(workspaceId) || !params) return null;
  const signature = req.headers["x-twilio-signature"];
  const ok = await services.messaging.verifyTwilio(
    workspaceId,
    `${services.config.publicUrl}${req.url}`,
    params,
    typeof signature === "string" ? signature : undefined,
    callerOf(req),
  );
  return ok ? params : null;
}

export function registerTwilioRoutes(app: FastifyInstance, services: Services): void {
  app.post<{ Params: { workspaceId: string } }>(
    "/webhooks/twilio/:workspaceId",
    { config: { input: { params: ["workspaceId"], body: TWILIO_FIELDS } } },
    async (req, reply) => {
      const params = await verified(req, services);
      if (!params) return forbidden(req, reply);
      const from = (params.From ?? "").replace(/^whatsapp:/, "");
      if (!params.MessageSid || !E164_RE.test(from)) {
        return sendHttpError(req, reply, {
          status: 400,
          code: ErrorCode.BAD_USER_INPUT,
          message: "MessageSid and an E.164 From are required.",
          extras: { fields: { From: "E.164 required" } },
        });
      }
      await services.messaging.receiveInbound(
        req.params.workspaceId,
        { messageSid: params.MessageSid, from, body: params.Body ?? "", profileName: params.ProfileName ?? null },
        callerOf(req),
      );
      return reply.code(200).type("text/xml").send(EMPTY_TWIML);
    },
  );

  app.post<{ Params: { workspaceId: string }; Querystring: { message?: string } }>(
    "/webhooks/twilio/:workspaceId/status",
    { config: { input: { params: ["workspaceId"], query: ["message"], body: TWILIO_FIELDS } } },
    async (req, reply) => {
      const params = await verified(req, services);
      if (!params) return forbidden(req, reply);
      const messageId = req.query.message;
      if (messageId && UUID_RE.test(messageId) && params.MessageSid && params.MessageStatus) {
        await services.messaging.applyStatus(
          req.params.workspaceId,
          messageId,
          { messageSid: params.MessageSid, status: params.MessageStatus, errorCode: params.ErrorCode || null },
          callerOf(req),
        );
      }
      return reply.code(204).send();
    },
  );
}
