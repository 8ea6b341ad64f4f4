// GET /.well-known/atrium-audit-keys.json (issue 50, decision 0053): the public Ed25519 keys that
// verify the audit chain's signed checkpoints, as a JWKS (RFC 7517, RFC 8037): every key of
// AUDIT_SIGNING_KEYS, the signing one first. No authentication, cacheable for an hour (a rotation
// adds a key before it signs, so a cached copy never lacks the key of a checkpoint it will see
// for long). `pnpm atrium audit verify --key <this URL>` reads it.
import type { FastifyInstance } from "fastify";

import { AUDIT_KEYS_PATH, publicJwks } from "../../platform/audit/signing.ts";
import type { Services } from "../../services.ts";

export function registerAuditKeys(app: FastifyInstance, services: Services): void {
  const body = JSON.stringify(publicJwks(services.config.auditChain.keys));
  app.get(AUDIT_KEYS_PATH, { config: { input: {} } }, (_req, reply) =>
    reply
      .type("application/json; charset=utf-8")
      .header("cache-control", "public, max-age=3600")
      .header("access-control-allow-origin", "*")
      .send(body),
  );
}
