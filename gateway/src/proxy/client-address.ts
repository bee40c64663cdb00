import { BlockList, isIP } from 'node:net';

const EXAMPLE = 'e.g. 10.0.0.0/8, 192.168.1.10 or fd00::/8';

/**
 * Why a TRUSTED_PROXIES entry is unusable, or undefined when it is an IPv4/IPv6 address or
 * CIDR range. Host names are refused: trust must not depend on DNS.
 */
export function trustedProxyProblem(entry: string): string | undefined {
  const parsed = parseEntry(entry);
  return typeof parsed === 'string' ? parsed : undefined;
}

/**
 * The set of trusted proxies, or undefined when there are none (then no X-Forwarded-For is
 * ever read). Entries must have passed `trustedProxyProblem`.
 */
export function trustedProxyList(entries: readonly string[]): BlockList | undefined {
  if (entries.length === 0) return undefined;
  const list = new BlockList();
  for (const entry of entries) {
    const parsed = parseEntry(entry);
    if (typeof parsed === 'string') throw new TypeError(`TRUSTED_PROXIES ${parsed}`);
    list.addSubnet(parsed.address, parsed.prefix, parsed.family);
  }
  return list;
}

/**
 * The client's address. The socket peer, unless it is a trusted proxy: then X-Forwarded-For
 * is walked from the right (the hop the peer itself saw) past trusted proxies, and the first
 * untrusted hop is the client. Anything left of it was written by that client and is not
 * believed. A malformed hop ends the walk with the peer: a proxy that writes garbage is not
 * one to take an address from. When every hop is trusted, the leftmost is the client.
 */
export function clientAddress(
  peer: string,
  forwardedFor: string | string[] | undefined,
  trusted: BlockList,
): string {
  if (forwardedFor === undefined || !isTrusted(peer, trusted)) return peer;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',');
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!.trim();
    // Zone ids (`fe80::1%eth0`) say nothing across hosts and BlockList refuses them.
    if (isIP(hop) === 0 || hop.includes('%')) return peer;
    if (i === 0 || !isTrusted(hop, trusted)) return hop;
  }
  return peer;
}

/**
 * True when `address` (a socket peer or a forwarded hop) is in `trusted`.
 *
 * @example
 * isTrusted('::ffff:10.0.0.2', trustedProxyList(['10.0.0.0/8'])!); // true
 */
export function isTrusted(address: string, trusted: BlockList): boolean {
  const version = isIP(address);
  // BlockList matches IPv4-mapped IPv6 peers (`::ffff:10.0.0.2`) against IPv4 ranges.
  return version !== 0 && trusted.check(address, version === 4 ? 'ipv4' : 'ipv6');
}

function parseEntry(
  entry: string,
): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | string {
  const slash = entry.indexOf('/');
  const address = slash === -1 ? entry : entry.slice(0, slash);
  const version = address.includes('%') ? 0 : isIP(address);
  if (version === 0) {
    return `entry ${JSON.stringify(entry)} is not an IP address or CIDR range (${EXAMPLE})`;
  }
  const bits = version === 4 ? 32 : 128;
  const family = version === 4 ? 'ipv4' : 'ipv6';
  if (slash === -1) return { address, prefix: bits, family };
  const length = entry.slice(slash + 1);
  if (!/^\d{1,3}$/.test(length) || Number(length) > bits) {
    return `entry ${JSON.stringify(entry)} needs a prefix length from 0 to ${bits} after the slash (${EXAMPLE})`;
  }
  return { address, prefix: Number(length), family };
}
