// SSRF guard for outbound webhooks (A5). In production a target may only be a public address.
// "Public" is what the IANA special-purpose registries leave as ordinary unicast, as the
// maintained `ipaddr.js` package knows them (`range() === "unicast"`): loopback, private (RFC
// 1918, ULA), link-local (incl. cloud metadata 169.254.169.254), CGNAT, unspecified, multicast,
// broadcast, documentation, benchmarking, site-local, discard and reserved ranges are refused, and
// so are the IPv6 forms that carry an IPv4 address — IPv4-mapped (::ffff:0:0/96, in every
// textual form), IPv4-translated, NAT64 (64:ff9b::/96, 64:ff9b:1::/48), 6to4 (2002::/16), Teredo
// (2001::/32). An IPv6 address must moreover lie in global unicast 2000::/3, which also refuses
// the deprecated IPv4-compatible ::/96 ([::127.0.0.1] is ::7f00:1) and unallocated space. The
// embedded IPv4 address of those forms is extracted and checked as well. The check runs when the
// endpoint is saved (a clear error) and again at send time inside the socket's own DNS lookup, so
// the address connected to is the address checked (no DNS rebinding window).
import dns from "node:dns";
import net from "node:net";
import ipaddr from "ipaddr.js";

const GLOBAL_UNICAST = ipaddr.parseCIDR("2000::/3") as [ipaddr.IPv6, number];

const v4 = (hi: number, lo: number) => new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);

/** The IPv4 addresses an IPv6 address carries, by the range that defines the embedding. */
function embeddedIPv4(a: ipaddr.IPv6): ipaddr.IPv4[] {
  const p = a.parts;
  const zeros = (n: number) => p.slice(0, n).every((x) => x === 0);
  // IPv4-mapped ::ffff:a.b.c.d; IPv4-compatible ::a.b.c.d (not :: and ::1, judged as themselves).
  if (zeros(5) && p[5] === 0xffff) return [v4(p[6]!, p[7]!)];
  if (zeros(6) && p[6] !== 0) return [v4(p[6]!, p[7]!)];
  // IPv4-translated ::ffff:0:a.b.c.d (RFC 6145).
  if (zeros(4) && p[4] === 0xffff && p[5] === 0) return [v4(p[6]!, p[7]!)];
  // NAT64 well-known prefix 64:ff9b::/96 and local-use 64:ff9b:1::/48 (low 32 bits, the /96 layout).
  if (p[0] === 0x64 && p[1] === 0xff9b) return [v4(p[6]!, p[7]!)];
  // 6to4 2002:a.b.c.d::/48.
  if (p[0] === 0x2002) return [v4(p[1]!, p[2]!)];
  // Teredo 2001:0:<server v4>:<flags>:<port>:<client v4 inverted>.
  if (p[0] === 0x2001 && p[1] === 0) return [v4(p[2]!, p[3]!), v4(~p[6]! & 0xffff, ~p[7]! & 0xffff)];
  return [];
}

/**
 * Why a production webhook may not reach `address` (the special-purpose range, or the range of
 * the IPv4 address it embeds), or null when it is an ordinary public unicast address.
 */
export function forbiddenRange(address: string): string | null {
  // Only a literal in canonical syntax is judged; anything else (shorthand like 127.1) is refused.
  if (net.isIP(address) === 0) return "not an IP address";
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address);
  } catch {
    return "not an IP address";
  }
  if (parsed.kind() === "ipv4") {
    const range = (parsed as ipaddr.IPv4).range();
    return range === "unicast" ? null : range;
  }
  const a = parsed as ipaddr.IPv6;
  for (const inner of embeddedIPv4(a)) {
    const range = inner.range();
    if (range !== "unicast")
      return `${a.range() === "unicast" ? "ipv4Compatible" : a.range()} embedding ${range} ${inner.toString()}`;
  }
  const range = a.range();
  if (range !== "unicast") return range;
  if (!a.match(GLOBAL_UNICAST)) return "outside global unicast 2000::/3";
  return null;
}

/** True for an address a production webhook may not reach. */
export function isForbiddenAddress(address: string): boolean {
  return forbiddenRange(address) !== null;
}

export class ForbiddenTargetError extends Error {
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(
      `The webhook target ${host} resolves to ${address} (${forbiddenRange(address) ?? "refused"}), a private, loopback or link-local address (or another special-purpose range); only public addresses can receive webhooks.`,
    );
    this.name = "ForbiddenTargetError";
  }
}

/** Resolves `host` and throws ForbiddenTargetError if any of its addresses is forbidden. */
export async function assertPublicHost(host: string): Promise<void> {
  const bare = host.replace(/^\[|\]$/g, "");
  const addresses = net.isIP(bare)
    ? [{ address: bare }]
    : await dns.promises.lookup(bare, { all: true, verbatim: true });
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
    if ((options as dns.LookupAllOptions).all)
      return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
    const first = list[0];
    if (!first) return callback(new Error(`No address for ${hostname}`), "", 0);
    callback(null, first.address, first.family);
  });
};
