// SSRF guard for outbound webhooks (A5). In production a target may only be a public address:
// loopback, private (RFC 1918, ULA), link-local (incl. cloud metadata 169.254.169.254), CGNAT,
// unspecified, multicast, reserved and IPv4-mapped forms of those are refused. The check runs
// when the endpoint is saved (a clear error) and again at send time inside the socket's own DNS
// lookup, so the address connected to is the address checked (no DNS rebinding window).
import dns from "node:dns";
import net from "node:net";

const blocked = new net.BlockList();
for (const [addr, prefix] of [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12],
  ["192.0.0.0", 24], ["192.0.2.0", 24], ["192.88.99.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15], ["198.51.100.0", 24],
  ["203.0.113.0", 24], ["224.0.0.0", 4], ["240.0.0.0", 4],
] as const) blocked.addSubnet(addr, prefix, "ipv4");
for (const [addr, prefix] of [
  ["::", 128], ["::1", 128], ["fc00::", 7], ["fe80::", 10], ["ff00::", 8], ["64:ff9b::", 96], ["2001:db8::", 32], ["100::", 64],
] as const) blocked.addSubnet(addr, prefix, "ipv6");

/** True for an address a production webhook may not reach. */
export function isForbiddenAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 0) return true;
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return blocked.check(mapped[1]!, "ipv4");
    return blocked.check(address, "ipv6");
  }
  return blocked.check(address, "ipv4");
}

export class ForbiddenTargetError extends Error {
  constructor(readonly host: string, readonly address: string) {
    super(`The webhook target ${host} resolves to ${address}, a private, loopback or link-local address; only public addresses can receive webhooks.`);
    this.name = "ForbiddenTargetError";
  }
}

/** Resolves `host` and throws ForbiddenTargetError if any of its addresses is forbidden. */
export async function assertPublicHost(host: string): Promise<void> {
  const bare = host.replace(/^\[|\]$/g, "");
  const addresses = net.isIP(bare) ? [{ address: bare }] : await dns.promises.lookup(bare, { all: true, verbatim: true });
  for (const a of addresses) if (isForbiddenAddress(a.address)) throw new ForbiddenTargetError(host, a.address);
}

/**
 * A `lookup` for http.request that refuses forbidden addresses: the socket connects only to an
 * address that passed the check. (Node skips `lookup` for IP literals; callers check those first.)
 */
export const guardedLookup: net.LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true, verbatim: true }, (err, addresses) => {
    if (err) return callback(err, "", 0);
    const list = addresses;
    const bad = list.find((a) => isForbiddenAddress(a.address));
    if (bad) return callback(new ForbiddenTargetError(hostname, bad.address), "", 0);
    if ((options as dns.LookupAllOptions).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
    const first = list[0];
    if (!first) return callback(new Error(`No address for ${hostname}`), "", 0);
    callback(null, first.address, first.family);
  });
};
