// Reading one RDF document of a source: conditional GET from what the last run remembered, the format
// from the response (or the URL, or the first bytes), gzip files unpacked within the byte ceiling, and
// small documents held whole so that one identical to last time is skipped without parsing.
import { createHash } from 'node:crypto';
import { createGunzip } from 'node:zlib';
import { FORMATS, formatForMediaType, formatForPath, type RdfFormat } from '../rdf/formats.js';
import { parseQuads } from '../rdf/parse.js';
import type { Quad } from '../rdf/terms.js';
import { HarvestFetchError, type Fetched } from './http.js';
import { HarvestSourceError, sourceAuthorization, type HarvestContext, type PageFacts } from './adapter.js';
import { boundHeapNow } from '../memory.js';

/** Documents up to this size are held whole: hashed before parsing, and parsed as one. */
export const HOLD_LIMIT = 16 * 1024 * 1024;

const ACCEPT = [...FORMATS.map((f, i) => `${f.mediaType};q=${(1 - i * 0.1).toFixed(1)}`), 'application/gzip;q=0.3', '*/*;q=0.1'].join(', ');

export type PageRead =
  | { kind: 'unchanged'; url: string }
  | { kind: 'held'; url: string; format: RdfFormat; text: string; page: PageFacts }
  | { kind: 'streamed'; url: string; format: RdfFormat; chunks: AsyncIterable<Uint8Array>; page: PageFacts };

export async function readPage(ctx: HarvestContext, url: string, options: { format?: RdfFormat; accept?: string; maxBytes?: number } = {}): Promise<PageRead> {
  const memo = ctx.memos.get(url);
  const fetched = await ctx.http.get(url, {
    accept: options.accept ?? ACCEPT,
    etag: memo?.etag,
    lastModified: memo?.lastModified,
    authorization: sourceAuthorization(ctx),
    signal: ctx.signal,
    maxBytes: options.maxBytes,
  });
  if (fetched.notModified) return { kind: 'unchanged', url };
  const page: PageFacts = { etag: fetched.etag, lastModified: fetched.lastModified, immutable: fetched.immutable };
  const body = countBytes(fetched, ctx);
  const head: Uint8Array[] = [];
  let held = 0;
  const it = body[Symbol.asyncIterator]();
  let ended = false;
  // Hold the start of the body: enough to sniff gzip and the syntax, and the whole of a small page.
  while (held <= HOLD_LIMIT) {
    const n = await it.next();
    if (n.done) {
      ended = true;
      break;
    }
    head.push(n.value);
    held += n.value.length;
  }
  const first = head[0] ?? new Uint8Array();
  const gzipped = first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b;
  const rest: AsyncIterable<Uint8Array> = { [Symbol.asyncIterator]: () => it };
  const all = (async function* () {
    yield* head;
    if (!ended) yield* rest;
  })();
  // A document too large to hold whole: from here on the heap is kept close to what is live.
  if (!ended) boundHeapNow();
  if (gzipped) {
    const max = options.maxBytes ?? ctx.http.options.maxBytes;
    const format = options.format ?? formatForPath(url.replace(/\.gz($|[?#])/i, '$1')) ?? formatForPath(url) ?? 'ntriples';
    return { kind: 'streamed', url, format, chunks: limit(gunzip(all), max, url), page };
  }
  const sniffText = Buffer.from(first.subarray(0, 512)).toString('utf8');
  // A web page where a DCAT document was expected (a portal's landing page, a login or error page):
  // said as such, rather than as a syntax error of the Turtle it was taken for.
  if (!options.format && isWebPage(fetched.contentType, url, sniffText))
    throw new HarvestSourceError(url, `not RDF: the server answered with a web page (${fetched.contentType?.split(';')[0].trim() || 'HTML'}), not a DCAT document; check the source's URL, or give its format if it is RDF after all`);
  const format = options.format ?? formatOf(fetched, url, sniffText);
  if (ended) {
    const buffer = Buffer.concat(head);
    page.digest = createHash('sha256').update(buffer).digest('base64url');
    if (memo?.digest && memo.digest === page.digest) {
      // Same bytes as last time: nothing to parse. The validators may be new (a server without ETag).
      return { kind: 'unchanged', url };
    }
    return { kind: 'held', url, format, text: buffer.toString('utf8'), page };
  }
  return { kind: 'streamed', url, format, chunks: all, page };
}

/** Parsed quads of a page read by readPage, for the pipeline or for inspection. */
export function pageQuads(read: Extract<PageRead, { kind: 'held' | 'streamed' }>, ctx: HarvestContext): AsyncGenerator<Quad[]> {
  const input: Iterable<Uint8Array | string> | AsyncIterable<Uint8Array | string> = read.kind === 'held' ? [read.text] : read.chunks;
  return parseQuads(toAsync(input), { format: read.format, baseIRI: read.url, contexts: { allowRemote: ctx.allowRemoteContexts } });
}

async function* toAsync<T>(items: Iterable<T> | AsyncIterable<T>): AsyncGenerator<T> {
  yield* items;
}

function formatOf(fetched: Fetched, url: string, start: string): RdfFormat {
  const declared = formatForMediaType(fetched.contentType);
  // Servers often send RDF as text/plain, application/octet-stream or a generic XML or JSON type.
  const generic = !fetched.contentType || /^(text\/plain|application\/octet-stream|binary\/octet-stream)/i.test(fetched.contentType);
  if (declared && !generic) return declared;
  return formatForPath(url) ?? sniff(start) ?? declared ?? 'turtle';
}

function isWebPage(contentType: string | undefined, url: string, start: string): boolean {
  const s = start.replace(/^\uFEFF/, '').trimStart();
  if (/^(<\?xml[^>]*>\s*)?(<!--[^]*?-->\s*)*(<!doctype html|<html[\s>])/i.test(s)) return true;
  // Declared HTML, named as no RDF file is, and nothing in it that starts as RDF does: servers that
  // send Turtle or RDF/XML as text/html are not rare, and their files are named for what they hold.
  return /^(text\/html|application\/xhtml\+xml)/i.test(contentType ?? '') && formatForPath(url) === undefined && sniff(start) === undefined;
}

function sniff(start: string): RdfFormat | undefined {
  // Leading comments say nothing of the syntax: "# generated by …" before a Turtle file's prefixes,
  // "<!-- … -->" before RDF/XML.
  const s = start.replace(/^\uFEFF/, '').trimStart().replace(/^(?:#[^\n]*\n\s*)+/, '').replace(/^(<\?xml[^>]*>\s*)?(?:<!--[^]*?-->\s*)+/, '$1');
  if (/^(<\?xml[^>]*>\s*)?<!DOCTYPE rdf:RDF/i.test(s)) return 'rdfxml';
  if (s.startsWith('<?xml') || /^<rdf:RDF/i.test(s)) return 'rdfxml';
  if (s.startsWith('{') || s.startsWith('[')) return 'jsonld';
  if (/^(@prefix|@base|PREFIX|BASE)\b/i.test(s)) return 'turtle';
  if (/^<[^>]*>\s*<[^>]*>\s*\S.*\.\s*$/m.test(s.split('\n')[0] ?? '')) return 'ntriples';
  return undefined;
}

function countBytes(fetched: Fetched, ctx: HarvestContext): AsyncIterable<Uint8Array> {
  return (async function* () {
    for await (const c of fetched.body) {
      ctx.progress.bytes += c.length;
      yield c;
    }
  })();
}

async function* gunzip(input: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  const z = createGunzip();
  const pump = (async () => {
    for await (const c of input) if (!z.write(c)) await new Promise((r) => z.once('drain', r));
    z.end();
  })().catch((e: Error) => z.destroy(e));
  try {
    yield* z as AsyncIterable<Buffer>;
  } finally {
    z.destroy();
    await pump;
  }
}

/** The ceiling applies to what a gzip file unpacks to, so a small bomb cannot fill memory or disk. */
async function* limit(input: AsyncIterable<Uint8Array>, max: number, url: string): AsyncGenerator<Uint8Array> {
  let n = 0;
  for await (const c of input) {
    n += c.length;
    if (n > max) throw new HarvestFetchError(url, 'too-large', `the unpacked document is larger than ${max} bytes; stopped reading`);
    yield c;
  }
}
