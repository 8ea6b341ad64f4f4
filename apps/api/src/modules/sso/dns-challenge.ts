// Domain verification (issue 49): the TXT records at `_atrium-challenge.<domain>`, read through
// a resolver of its own — DNS_SERVERS when set (tests run a real local DNS server), else the
// system's. Only this look-up uses it: nothing else in the process changes resolver.
import { Resolver } from "node:dns/promises";

import { ssoChallengeRecordName } from "@atrium/validation";

export type TxtLookup =
  | { found: true; values: string[] }
  | { found: false; reason: "NO_RECORD" | "DNS_ERROR"; detail: string };

export function createChallengeResolver(opts: { servers: string[] | undefined; timeoutMs: number }) {
  return {
    async lookup(domain: string): Promise<TxtLookup> {
      const resolver = new Resolver({ timeout: Math.min(opts.timeoutMs, 5_000), tries: 2 });
      if (opts.servers) resolver.setServers(opts.servers);
      try {
        const records = await resolver.resolveTxt(ssoChallengeRecordName(domain));
        // A TXT record may come in several strings of at most 255 bytes: one value each.
        return { found: true, values: records.map((chunks) => chunks.join("")) };
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        if (code === "ENODATA" || code === "ENOTFOUND")
          return { found: false, reason: "NO_RECORD", detail: String(code) };
        return { found: false, reason: "DNS_ERROR", detail: typeof code === "string" ? code : "unknown" };
      }
    },
  };
}
export type ChallengeResolver = ReturnType<typeof createChallengeResolver>;
