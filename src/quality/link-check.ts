// Checks one link the way a person's browser would find it, not the way a lazy HEAD does: many servers
// answer HEAD with 403, 405 or 404 while a GET works, and catalogues that trust HEAD alone call working
// links dead. So: HEAD first (cheap), then a ranged GET (`Range: bytes=0-0`) whenever HEAD did not
// answer 2xx; redirects followed by hand (loops and long chains recorded as such); transient failures
// (timeouts, network errors, 408/429/5xx) retried with backoff before the link is called broken.
// Nothing is downloaded: the body is dropped once the headers are in, so a link to gigabytes costs
// one packet. Private and loopback addresses are refused unless allow-listed (as for harvests).
import { fetch, type Agent, type Response } from 'undici';
import { AddressPolicy } from '../net/address-policy.js';
import { fetchFailure, guardedAgent, refuseUrl } from '../net/guarded-agent.js';
import { HostGate } from '../net/host-gate.js';
import { retryAfterMs, sleep } from '../net/retry.js';

export type LinkErrorKind = 'http' | 'timeout' | 'network' | 'redirect-loop' | 'too-many-redirects' | 'blocked' | 'invalid';

/** What one request (with its redirects) found. */
interface Probe {
  /** Answered 2xx (possibly after redirects). */
  ok: boolean;
  /** The last HTTP status received, if any. */
  status?: number;
  /** Where the redirects ended. */
  finalUrl?: string;
  redirects: number;
  contentType?: string;
  /** Size of the resource in bytes, from Content-Range or Content-Length, when the server says. */
  size?: number;
  error?: LinkErrorKind;
  /** What went wrong, in words. */
  detail?: string;
  /** How long the server asked us to wait (429, 503). */
  retryAfterMs?: number;
}

export interface LinkResult extends Omit<Probe, 'retryAfterMs'> {
  url: string;
  /** The request that gave the verdict. */
  method: 'HEAD' | 'GET';
  /** Requests made (HEADs, GETs and retries, not counting redirects). */
  attempts: number;
  ms: number;
}

export interface LinkCheckOptions {
  userAgent: string;
  /** Time to wait for a connection and the response headers, per request. */
  timeoutMs: number;
  /** Checks of one link before it is called broken when it fails transiently. */
  attempts: number;
  /** First delay before a retry; doubled each time (a Retry-After of the server is honoured, up to a minute). */
  backoffMs: number;
  /** Requests in flight to one host. */
  perHost: number;
  /** Least time between the starts of two requests to one host. */
  perHostIntervalMs: number;
  maxRedirects: number;
  /** CIDR ranges and host names that may be checked although private or loopback. */
  allow: string[];
}

export const DEFAULT_LINK_CHECK: Omit<LinkCheckOptions, 'userAgent'> = {
  timeoutMs: 15_000,
  attempts: 3,
  backoffMs: 2_000,
  perHost: 4,
  perHostIntervalMs: 0,
  maxRedirects: 10,
  allow: [],
};

const TRANSIENT_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);
const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);

export class LinkChecker {
  readonly options: LinkCheckOptions;
  private readonly policy: AddressPolicy;
  private readonly agent: Agent;
  private readonly gate: HostGate;

  constructor(options: Partial<LinkCheckOptions> & { userAgent: string }) {
    this.options = { ...DEFAULT_LINK_CHECK, ...options };
    this.policy = new AddressPolicy(this.options.allow);
    this.gate = new HostGate(this.options.perHost, this.options.perHostIntervalMs);
    this.agent = guardedAgent(this.policy, { timeoutMs: this.options.timeoutMs, bodyIdleMs: this.options.timeoutMs, connections: this.options.perHost });
  }

  async check(url: string, signal?: AbortSignal): Promise<LinkResult> {
    const started = Date.now();
    let attempts = 0;
    let last: Probe & { method: 'HEAD' | 'GET' } = { ok: false, redirects: 0, method: 'HEAD', error: 'network', detail: 'not checked' };
    // Once HEAD has failed to give a 2xx, later attempts go straight to GET: a server that times out
    // or refuses HEAD does so every time, and a hanging link then costs three timeouts, not six.
    let tryHead = true;
    for (let attempt = 1; attempt <= this.options.attempts; attempt++) {
      if (tryHead) {
        attempts++;
        const head = await this.probe(url, 'HEAD', signal);
        last = { ...head, method: 'HEAD' };
        if (head.ok || head.error === 'blocked' || head.error === 'invalid' || head.error === 'redirect-loop' || head.error === 'too-many-redirects' || dnsNotFound(head)) break;
        tryHead = false;
      }
      // HEAD said no (or nothing): ask as a browser does before believing it.
      attempts++;
      const get = await this.probe(url, 'GET', signal);
      last = { ...get, method: 'GET' };
      if (get.ok) break;
      const transient = (get.error === 'timeout' || get.error === 'network' || (get.error === 'http' && TRANSIENT_STATUS.has(get.status ?? 0))) && !dnsNotFound(get);
      if (!transient || attempt === this.options.attempts || signal?.aborted) break;
      const backoff = this.options.backoffMs * 2 ** (attempt - 1);
      await sleep(Math.min(get.retryAfterMs ?? backoff * (0.75 + Math.random() / 2), 60_000), signal);
    }
    const { retryAfterMs: _, ...result } = last;
    return { url, ...result, attempts, ms: Date.now() - started };
  }

  /** One request, with its redirects. */
  private async probe(startUrl: string, method: 'HEAD' | 'GET', signal?: AbortSignal): Promise<Probe> {
    let url = startUrl;
    const seen = new Set<string>([url]);
    for (let redirects = 0; ; redirects++) {
      const checked = refuseUrl(url, this.policy, 'checked');
      if ('refusal' in checked)
        return { ok: false, redirects, finalUrl: url, error: checked.refusal.kind === 'blocked' ? 'blocked' : 'invalid', detail: checked.refusal.message.replace(/; allow-list it .*$/, '') };
      const host = checked.url.host;
      const release = await this.gate.acquire(host);
      let res: Response;
      try {
        const timeout = AbortSignal.timeout(this.options.timeoutMs);
        res = await fetch(url, {
          method,
          dispatcher: this.agent,
          redirect: 'manual',
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
          headers: {
            'user-agent': this.options.userAgent,
            accept: '*/*',
            // One byte is enough to know the resource is there; servers that ignore Range send the
            // whole body, of which nothing is read.
            ...(method === 'GET' ? { range: 'bytes=0-0' } : {}),
          },
        });
      } catch (e) {
        release();
        const f = fetchFailure(e);
        const detail = f.kind === 'timeout' ? `no answer within ${this.options.timeoutMs} ms` : f.kind === 'blocked' ? f.message.replace(/; allow-list it .*$/, '') : f.message;
        return { ok: false, redirects, finalUrl: url, error: f.kind, detail };
      }
      release();
      // Nothing of the body is wanted (a HEAD has none; a GET's is dropped unread).
      await res.body?.cancel().catch(() => undefined);
      if (REDIRECT_STATUS.has(res.status)) {
        const location = res.headers.get('location');
        if (!location) return { ok: false, status: res.status, redirects, finalUrl: url, error: 'http', detail: `HTTP ${res.status} without a Location` };
        let next: string;
        try {
          next = new URL(location, url).toString();
        } catch {
          return { ok: false, status: res.status, redirects, finalUrl: url, error: 'invalid', detail: `redirect to an invalid URL: ${location.slice(0, 200)}` };
        }
        if (seen.has(next)) return { ok: false, status: res.status, redirects: redirects + 1, finalUrl: next, error: 'redirect-loop', detail: `redirects in a loop back to ${next}` };
        if (redirects + 1 > this.options.maxRedirects) return { ok: false, status: res.status, redirects: redirects + 1, finalUrl: next, error: 'too-many-redirects', detail: `more than ${this.options.maxRedirects} redirects` };
        seen.add(next);
        url = next;
        continue;
      }
      const contentType = res.headers.get('content-type') ?? undefined;
      const size = sizeOf(res);
      if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status, redirects, finalUrl: url, contentType, size };
      // "Range not satisfiable" to bytes=0-0: the resource is there and empty.
      if (res.status === 416 && method === 'GET') return { ok: true, status: res.status, redirects, finalUrl: url, contentType, size: size ?? 0 };
      const ra = res.headers.get('retry-after');
      const wait = ra ? retryAfterMs(ra) : undefined;
      if (wait && (res.status === 429 || res.status === 503)) this.gate.pause(host, Math.min(wait, 60_000));
      return { ok: false, status: res.status, redirects, finalUrl: url, contentType, size, error: 'http', detail: `HTTP ${res.status}`, retryAfterMs: wait };
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

/** The name does not exist (a definite answer of the DNS): asking again will not change it. */
const dnsNotFound = (p: Probe) => p.error === 'network' && /ENOTFOUND/.test(p.detail ?? '');

/** The resource's size: the total of a Content-Range ("bytes 0-0/1234"), or the Content-Length of a full answer. */
function sizeOf(res: Response): number | undefined {
  const range = res.headers.get('content-range')?.match(/\/(\d+)\s*$/);
  if (range) return Number(range[1]);
  if (res.status === 206) return undefined;
  const length = res.headers.get('content-length');
  return length && /^\d+$/.test(length) ? Number(length) : undefined;
}
