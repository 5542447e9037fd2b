// Outgoing HTTP to addresses that someone else chose (a source's URL, a distribution's download link):
// the connection's address is checked after DNS, so that a name resolving (or re-resolving) to a
// private, loopback or link-local address is refused unless allow-listed. Used by the harvester and
// the link checker.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { Agent } from 'undici';
import { AddressPolicy, BlockedAddressError } from './address-policy.js';

export interface AgentOptions {
  /** Connection and response-headers timeout. */
  timeoutMs: number;
  /** Longest silence between two chunks of a body. */
  bodyIdleMs: number;
  /** Connections kept per origin. */
  connections: number;
}

/** An undici Agent whose every connection goes through the address policy. */
export function guardedAgent(policy: AddressPolicy, options: AgentOptions): Agent {
  const lookup = (hostname: string, opts: { all?: boolean }, cb: (err: Error | null, address: string | LookupAddress[], family?: number) => void) => {
    dnsLookup(hostname, { ...opts, all: true }, (err, addresses) => {
      if (err) return cb(err, []);
      if (!policy.hostAllowed(hostname))
        for (const a of addresses) {
          const range = policy.refusal(a.address);
          if (range) return cb(new BlockedAddressError(hostname, a.address, range), []);
        }
      if (opts.all) cb(null, addresses);
      else cb(null, addresses[0].address, addresses[0].family);
    });
  };
  return new Agent({
    connect: { timeout: options.timeoutMs, lookup: lookup as never },
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.bodyIdleMs,
    connections: options.connections,
  });
}

export type UrlRefusal = { kind: 'protocol' | 'blocked'; message: string };

/**
 * Why a URL may not be fetched before any connection is made: not http(s), credentials in it, or a
 * literal address the policy refuses (names are checked after DNS, by the agent). `what` names the
 * action in the message ("harvested", "checked").
 */
export function refuseUrl(url: string, policy: AddressPolicy, what: string): { url: URL } | { refusal: UrlRefusal } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { refusal: { kind: 'protocol', message: 'not a valid URL' } };
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return { refusal: { kind: 'protocol', message: `only http and https URLs can be ${what}, not ${u.protocol}` } };
  if (u.username || u.password) return { refusal: { kind: 'protocol', message: 'credentials in the URL are not accepted' } };
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && !policy.hostAllowed(host)) {
    const range = policy.refusal(host);
    if (range) return { refusal: { kind: 'blocked', message: new BlockedAddressError(url, host, range).message } };
  }
  return { url: u };
}

/** What a failed undici fetch means: the address was refused, it timed out, or the network failed. */
export function fetchFailure(e: unknown): { kind: 'blocked' | 'timeout' | 'network'; message: string; code: string } {
  // undici wraps the cause of a failed fetch; the cause says what happened.
  const err = e as Error & { cause?: Error & { code?: string } };
  const cause = err.cause ?? (err as Error & { code?: string });
  if (cause instanceof BlockedAddressError || err instanceof BlockedAddressError)
    return { kind: 'blocked', message: (cause instanceof BlockedAddressError ? cause : err).message, code: 'BLOCKED' };
  const code = (cause as { code?: string }).code ?? '';
  if (err.name === 'AbortError' || err.name === 'TimeoutError' || /TIMEOUT/.test(code)) return { kind: 'timeout', message: `timed out (${code || err.name})`, code: code || 'TIMEOUT' };
  return { kind: 'network', message: `${cause.message || err.message}${code ? ` (${code})` : ''}`, code };
}
