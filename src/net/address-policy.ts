// Which network addresses a harvest may reach. A source URL is given by whoever registers the source,
// so without this check a harvest could be pointed at the machine's own services or the cloud's
// metadata endpoint (server-side request forgery). Private, loopback, link-local and other special
// ranges are refused unless an operator allow-lists them.
import ipaddr from 'ipaddr.js';

/** Ranges (ipaddr.js names) that are public internet. Everything else is refused by default. */
const PUBLIC_RANGES = new Set(['unicast']);

export class BlockedAddressError extends Error {
  constructor(
    readonly url: string,
    readonly address: string,
    readonly range: string,
  ) {
    super(`${url}: refusing to connect to ${address} (${range} address); allow-list it with VINDBAAR_HARVEST_ALLOW if this source is trusted`);
    this.name = 'BlockedAddressError';
  }
}

export class AddressPolicy {
  private readonly cidrs: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [];
  private readonly hosts = new Set<string>();

  /** `allow`: CIDR ranges ("127.0.0.0/8", "10.1.0.0/16", "::1/128") and host names that may be reached
   * whatever their address. */
  constructor(allow: string[] = []) {
    for (const entry of allow.map((a) => a.trim()).filter(Boolean)) {
      if (entry.includes('/')) this.cidrs.push(ipaddr.parseCIDR(entry));
      else if (ipaddr.isValid(entry)) {
        const a = ipaddr.parse(entry);
        this.cidrs.push([a, a.kind() === 'ipv4' ? 32 : 128]);
      } else this.hosts.add(entry.toLowerCase());
    }
  }

  hostAllowed(host: string): boolean {
    return this.hosts.has(host.toLowerCase());
  }

  /** Why an address may not be reached, or undefined when it may. */
  refusal(address: string): string | undefined {
    let a = ipaddr.parse(address);
    // An IPv4 address written as IPv6 (::ffff:127.0.0.1) is judged as the IPv4 address it is.
    if (a.kind() === 'ipv6' && (a as ipaddr.IPv6).isIPv4MappedAddress()) a = (a as ipaddr.IPv6).toIPv4Address();
    for (const [net, bits] of this.cidrs) if (net.kind() === a.kind() && a.match(net, bits)) return undefined;
    const range = a.range();
    return PUBLIC_RANGES.has(range) ? undefined : range;
  }
}
