// GET /dev/mailbox?to=<email>: the mails the dev mailbox kept for an address, newest first.
// Development only, and only for the developer's own machine: it is never registered in
// production, and it answers only requests whose TCP peer is a loopback address and that did not
// come through a proxy — whatever HOST the server listens on (0.0.0.0 by default) and whatever
// TRUST_PROXY says (req.ip may be a forwarded address; the socket's is not).
import type { FastifyInstance, FastifyRequest } from "fastify";

import type { Services } from "../../services.ts";
import { AppError, badInput, ErrorCode } from "../errors.ts";

const EMAIL_MAX = 254;

export function isLoopbackRequest(req: FastifyRequest): boolean {
  const peer = req.socket.remoteAddress ?? "";
  const loopback = peer === "::1" || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(peer);
  const forwarded = req.headers["x-forwarded-for"] !== undefined || req.headers["forwarded"] !== undefined;
  return loopback && !forwarded;
}

export function registerDevMailbox(app: FastifyInstance, services: Services): void {
  app.get<{ Querystring: Record<string, unknown> }>(
    "/dev/mailbox",
    { config: { input: { query: ["to"] } } },
    async (req) => {
      if (!isLoopbackRequest(req)) {
        throw new AppError(ErrorCode.FORBIDDEN, "The development mailbox answers requests from this machine only.", {
          reason: "LOOPBACK_ONLY",
        });
      }
      const raw = req.query.to;
      if (raw === undefined || raw === "") throw badInput("Pass ?to=<email>.", { to: "required" });
      if (typeof raw !== "string") throw badInput("Pass one ?to=<email>.", { to: "must be a single e-mail address" });
      const to = raw.trim().toLowerCase();
      if (to.length > EMAIL_MAX)
        throw badInput(`E-mail addresses are at most ${EMAIL_MAX} characters.`, { to: "too long" });
      const mails = await services.db.system.devMail.findMany({
        where: { to },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: 50,
      });
      return mails.map((m) => ({ to: m.to, subject: m.subject, text: m.text, createdAt: m.createdAt.toISOString() }));
    },
  );
}
