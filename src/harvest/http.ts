// The harvester's HTTP client: polite to the portals it reads and safe against the ones that misbehave.
// - a clear User-Agent, gzip/deflate/brotli, conditional GET (ETag, Last-Modified);
// - timeouts for the connection, the headers and each gap between body chunks, and a ceiling on the
//   bytes a response may deliver after decompression (an endless response or a gzip bomb stops there);
// - retries with exponential backoff and jitter for transient failures (network errors, 429, 5xx),
//   honouring Retry-After;
// - at most a few requests in flight per host, however many sources share it;
// - no connection to private, loopback or link-local addresses unless allow-listed, checked on the
//   address actually connected to (after DNS) and again for every redirect.
import { fetch, type Agent, type Response } from 'undici';
import { AddressPolicy } from '../net/address-policy.js';
import { fetchFailure, guardedAgent, refuseUrl } from '../net/guarded-agent.js';
import { HostGate } from '../net/host-gate.js';
import { retryAfterMs, sleep } from '../net/retry.js';

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
  /** A source's Authorization header, sent only to its own origin: not to the host a redirect, a next
   * page or a relation leads to. */
  authorization?: { value: string; origin: string };
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

export class HttpClient {
  readonly options: HttpOptions;
  private readonly policy: AddressPolicy;
  private readonly agent: Agent;
  private readonly slots: HostGate;

  constructor(options: Partial<HttpOptions> & { userAgent: string }) {
    this.options = { ...DEFAULT_HTTP, ...options };
    this.policy = new AddressPolicy(this.options.allow);
    this.slots = new HostGate(this.options.perHost);
    this.agent = guardedAgent(this.policy, { timeoutMs: this.options.timeoutMs, bodyIdleMs: this.options.bodyIdleMs, connections: Math.max(this.options.perHost, 2) });
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
            ...(options.authorization && u.origin === options.authorization.origin ? { authorization: options.authorization.value } : {}),
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
        const detail = await errorDetail(res);
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

  /** Only http(s), and no literal private address (names are checked after DNS, by the agent). */
  private check(url: string): URL {
    const r = refuseUrl(url, this.policy, 'harvested');
    if ('refusal' in r) throw new HarvestFetchError(url, r.refusal.kind, r.refusal.kind === 'protocol' && r.refusal.message.startsWith('credentials') ? `${r.refusal.message}; set them on the source` : r.refusal.message);
    return r.url;
  }

  private failure(url: string, e: unknown): HarvestFetchError {
    if (e instanceof HarvestFetchError) return e;
    const f = fetchFailure(e);
    return new HarvestFetchError(url, f.kind, f.message);
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

/** The most of an error answer's body read to say what went wrong: an endless or huge error page is not
 * read to its end. */
const ERROR_BODY_MAX = 64 * 1024;

/**
 * What an error answer says, in a line a run's log can carry: the first words of its text, or of an HTML
 * page its title (else its text without markup: a web server's or a portal's error page is HTML).
 */
export async function errorDetail(res: Response): Promise<string> {
  let text = '';
  try {
    const reader = res.body?.getReader();
    const decoder = new TextDecoder();
    while (reader && text.length < ERROR_BODY_MAX) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    await reader?.cancel().catch(() => undefined);
  } catch {
    // What was read is enough, or nothing is.
  }
  const html = /html/i.test(res.headers.get('content-type') ?? '') || /^\s*<(!doctype|html|head|body)\b/i.test(text);
  if (html) {
    const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text)?.[1];
    const body = /<body[^>]*>([\s\S]*)/i.exec(text)?.[1] ?? text;
    const words = (s: string) => s.replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' ').replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
    text = title && words(title).trim() ? words(title) : words(body);
  }
  return text.replace(/\s+/g, ' ').trim().slice(0, 200);
}

function validators(res: Response): { etag?: string; lastModified?: string } {
  return { etag: res.headers.get('etag') ?? undefined, lastModified: res.headers.get('last-modified') ?? undefined };
}
