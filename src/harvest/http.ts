// The harvester's HTTP client: polite to the portals it reads and safe against the ones that misbehave.
// - a clear User-Agent, gzip/deflate/brotli, conditional GET (ETag, Last-Modified);
// - timeouts for the connection, the headers and each gap between body chunks, and a ceiling on the
//   bytes a response may deliver after decompression (an endless response or a gzip bomb stops there);
// - retries with exponential backoff and jitter for transient failures (network errors, 429, 5xx),
//   honouring Retry-After;
// - at most a few requests in flight per host, however many sources share it;
// - no connection to private, loopback or link-local addresses unless allow-listed, checked on the
//   address actually connected to (after DNS) and again for every redirect.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { Agent, fetch, type Response } from 'undici';
import { AddressPolicy, BlockedAddressError } from './address-policy.js';

export interface HttpOptions {
  userAgent: string;
  /** Connection and response-headers timeout. */
  timeoutMs: number;
  /** Longest silence between two chunks of a body. */
  bodyIdleMs: number;
  /** Bytes a response may deliver, after decompression. */
  maxBytes: number;
  /** Attempts for a request that fails transiently (1: no retry). */
  attempts: number;
  /** First backoff delay; doubled on each retry. */
  backoffMs: number;
  /** Requests in flight per host. */
  perHost: number;
  /** CIDR ranges and host names that may be reached although private or loopback. */
  allow: string[];
}

export const DEFAULT_HTTP: Omit<HttpOptions, 'userAgent'> = {
  timeoutMs: 30_000,
  bodyIdleMs: 60_000,
  maxBytes: 1024 ** 3,
  attempts: 4,
  backoffMs: 1_000,
  perHost: 2,
  allow: [],
};

export type FetchErrorKind = 'http' | 'timeout' | 'network' | 'too-large' | 'blocked' | 'redirect' | 'protocol';

/** A request that failed for good: after its retries, or at once when retrying cannot help. */
export class HarvestFetchError extends Error {
  constructor(
    readonly url: string,
    readonly kind: FetchErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(`${url}: ${message}`);
    this.name = 'HarvestFetchError';
  }
}

export interface GetOptions {
  accept?: string;
  /** Validators of the copy read last time: a 304 answer means it has not changed. */
  etag?: string | null;
  lastModified?: string | null;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Overrides the client's ceiling for this request (a source's dump may be larger than a page). */
  maxBytes?: number;
}

export interface Fetched {
  /** The URL finally answered (after redirects). */
  url: string;
  status: number;
  notModified: boolean;
  contentType?: string;
  etag?: string;
  lastModified?: string;
  /** The server says the content at this URL will never change (Cache-Control: immutable). */
  immutable: boolean;
  /** The body, decompressed, cut off with an error past the byte ceiling. Read it once. */
  body: AsyncIterable<Uint8Array>;
  /** Bytes of the body read so far. */
  bytesRead(): number;
}

const RETRY_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);
const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

class HostSlots {
  private readonly active = new Map<string, number>();
  private readonly waiting = new Map<string, (() => void)[]>();
  constructor(private readonly limit: number) {}

  async acquire(host: string): Promise<() => void> {
    const n = this.active.get(host) ?? 0;
    if (n >= this.limit) await new Promise<void>((resolve) => this.waiting.set(host, [...(this.waiting.get(host) ?? []), resolve]));
    this.active.set(host, (this.active.get(host) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active.set(host, (this.active.get(host) ?? 1) - 1);
      const next = this.waiting.get(host)?.shift();
      if (next) next();
    };
  }
}

export class HttpClient {
  readonly options: HttpOptions;
  private readonly policy: AddressPolicy;
  private readonly agent: Agent;
  private readonly slots: HostSlots;

  constructor(options: Partial<HttpOptions> & { userAgent: string }) {
    this.options = { ...DEFAULT_HTTP, ...options };
    this.policy = new AddressPolicy(this.options.allow);
    this.slots = new HostSlots(this.options.perHost);
    const policy = this.policy;
    // Every connection's address is checked here, after DNS, so a name that resolves (or re-resolves)
    // to a private address is refused as well.
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
    this.agent = new Agent({
      connect: { timeout: this.options.timeoutMs, lookup: lookup as never },
      headersTimeout: this.options.timeoutMs,
      bodyTimeout: this.options.bodyIdleMs,
      connections: Math.max(this.options.perHost, 2),
    });
  }

  /** GET with retries; the body is streamed (see Fetched). Redirects are followed and checked. */
  async get(url: string, options: GetOptions = {}): Promise<Fetched> {
    let lastError: HarvestFetchError | undefined;
    for (let attempt = 1; attempt <= this.options.attempts; attempt++) {
      try {
        return await this.once(url, options);
      } catch (e) {
        const err = e instanceof HarvestFetchError ? e : new HarvestFetchError(url, 'network', (e as Error).message);
        lastError = err;
        const transient = err.kind === 'timeout' || err.kind === 'network' || (err.kind === 'http' && RETRY_STATUS.has(err.status ?? 0));
        if (!transient || attempt === this.options.attempts || options.signal?.aborted) throw err;
        const retryAfter = (err as HarvestFetchError & { retryAfterMs?: number }).retryAfterMs;
        const backoff = this.options.backoffMs * 2 ** (attempt - 1);
        await sleep(Math.min(retryAfter ?? backoff * (0.75 + Math.random() / 2), 60_000), options.signal);
      }
    }
    throw lastError ?? new HarvestFetchError(url, 'network', 'no attempt made');
  }

  /** GET the whole body as text (pages, API answers); retried as a whole when the body breaks off. */
  async text(url: string, options: GetOptions = {}): Promise<{ fetched: Fetched; text: string }> {
    for (let attempt = 1; ; attempt++) {
      const fetched = await this.get(url, options);
      try {
        const chunks: Uint8Array[] = [];
        for await (const c of fetched.body) chunks.push(c);
        return { fetched, text: Buffer.concat(chunks).toString('utf8') };
      } catch (e) {
        const err = e as HarvestFetchError;
        if (!(err instanceof HarvestFetchError) || err.kind === 'too-large' || attempt >= this.options.attempts) throw e;
        await sleep(this.options.backoffMs * 2 ** (attempt - 1), options.signal);
      }
    }
  }

  private async once(startUrl: string, options: GetOptions): Promise<Fetched> {
    let url = startUrl;
    for (let hop = 0; ; hop++) {
      const u = this.check(url);
      const release = await this.slots.acquire(u.host);
      let res: Response;
      try {
        res = await fetch(url, {
          dispatcher: this.agent,
          redirect: 'manual',
          signal: options.signal,
          headers: {
            'user-agent': this.options.userAgent,
            'accept-encoding': 'gzip, deflate, br',
            ...(options.accept ? { accept: options.accept } : {}),
            ...(options.etag ? { 'if-none-match': options.etag } : {}),
            ...(options.lastModified ? { 'if-modified-since': options.lastModified } : {}),
            ...options.headers,
          },
        });
      } catch (e) {
        release();
        throw this.failure(url, e);
      }
      if (REDIRECT_STATUS.has(res.status)) {
        release();
        await res.body?.cancel().catch(() => undefined);
        const location = res.headers.get('location');
        if (!location || hop >= MAX_REDIRECTS) throw new HarvestFetchError(url, 'redirect', location ? `more than ${MAX_REDIRECTS} redirects` : `HTTP ${res.status} without Location`);
        url = new URL(location, url).toString();
        continue;
      }
      if (res.status === 304) {
        release();
        await res.body?.cancel().catch(() => undefined);
        return { url, status: 304, notModified: true, immutable: false, body: (async function* () {})(), bytesRead: () => 0, ...validators(res) };
      }
      if (res.status < 200 || res.status >= 300) {
        release();
        const detail = await res.text().then((t) => t.slice(0, 200).replace(/\s+/g, ' ').trim()).catch(() => '');
        const err = new HarvestFetchError(url, 'http', `HTTP ${res.status}${detail ? `: ${detail}` : ''}`, res.status);
        const ra = res.headers.get('retry-after');
        if (ra) (err as HarvestFetchError & { retryAfterMs?: number }).retryAfterMs = retryAfterMs(ra);
        throw err;
      }
      const max = options.maxBytes ?? this.options.maxBytes;
      let read = 0;
      const failure = (e: unknown) => this.failure(url, e);
      const stream = res.body;
      const body = (async function* () {
        try {
          if (!stream) return;
          for await (const chunk of stream as AsyncIterable<Uint8Array>) {
            read += chunk.length;
            if (read > max) throw new HarvestFetchError(url, 'too-large', `the response is larger than ${max} bytes; stopped reading`);
            yield chunk;
          }
        } catch (e) {
          throw e instanceof HarvestFetchError ? e : failure(e);
        } finally {
          release();
          // A body left unread (an error downstream) must not keep the connection.
          await stream?.cancel().catch(() => undefined);
        }
      })();
      const cacheControl = res.headers.get('cache-control') ?? '';
      return {
        url,
        status: res.status,
        notModified: false,
        contentType: res.headers.get('content-type') ?? undefined,
        immutable: /\bimmutable\b/i.test(cacheControl),
        body,
        bytesRead: () => read,
        ...validators(res),
      };
    }
  }

  /** Only http(s), and no literal private address (names are checked after DNS, in lookup). */
  private check(url: string): URL {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new HarvestFetchError(url, 'protocol', 'not a valid URL');
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new HarvestFetchError(url, 'protocol', `only http and https URLs can be harvested, not ${u.protocol}`);
    if (u.username || u.password) throw new HarvestFetchError(url, 'protocol', 'credentials in the URL are not accepted; set them on the source');
    const host = u.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) && !this.policy.hostAllowed(host)) {
      const range = this.policy.refusal(host);
      if (range) throw new HarvestFetchError(url, 'blocked', new BlockedAddressError(url, host, range).message);
    }
    return u;
  }

  private failure(url: string, e: unknown): HarvestFetchError {
    if (e instanceof HarvestFetchError) return e;
    // undici wraps the cause of a failed fetch; the cause says what happened.
    const err = e as Error & { cause?: Error & { code?: string } };
    const cause = err.cause ?? (err as Error & { code?: string });
    if (cause instanceof BlockedAddressError || err instanceof BlockedAddressError) return new HarvestFetchError(url, 'blocked', (cause instanceof BlockedAddressError ? cause : err).message);
    const code = (cause as { code?: string }).code ?? '';
    if (err.name === 'AbortError' || err.name === 'TimeoutError' || /TIMEOUT/.test(code)) return new HarvestFetchError(url, 'timeout', `timed out (${code || err.name})`);
    return new HarvestFetchError(url, 'network', `${cause.message || err.message}${code ? ` (${code})` : ''}`);
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

function validators(res: Response): { etag?: string; lastModified?: string } {
  return { etag: res.headers.get('etag') ?? undefined, lastModified: res.headers.get('last-modified') ?? undefined };
}

function retryAfterMs(value: string): number | undefined {
  const s = Number(value);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : Math.max(0, t - Date.now());
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });
}
