// Real data from ../shared/corpus served over HTTP on loopback, as the portals that publish it would:
// - /ldes/…: the 20 data.gov.be LDES pages as an LDES server serves them: TREE links rewritten to this
//   address (the corpus holds one bucket of the stream, so the root's links lead to its first page and
//   the last page's link to a page outside the corpus is dropped), full pages immutable, the last one
//   mutable, with ETag and Last-Modified and 304 answers to conditional requests;
// - /udata/{partial,paged}/catalog.jsonld?page=N: uData's Hydra-paged catalogue examples;
// - /file/<corpus path>: any corpus file, as is (gzip on request).
// Faults are added by the tests that need them (see `route`).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { corpusPath, LDES_ROOT } from './corpus.js';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface CorpusServer {
  url: string;
  /** Requests seen, by path and query. */
  requests: string[];
  /** Adds or replaces a route (exact path) for fault tests. */
  route(path: string, handler: Handler): void;
  /** Changes the text of a served LDES page or uData page (a source that changed). */
  edit(path: string, change: (text: string) => string): void;
  close(): Promise<void>;
}

const LDES_DOCS = 'real/datagovbe-ldes/docs';
const BUCKET = '2025-04-13T15_3A45_3A00.000Z_123187500';
const LDES_PAGES = 20;

function ldesText(path: string, base: string): string | undefined {
  // /ldes/index.trig, /ldes/<stream>/index.trig, /ldes/<stream>/root/index.trig, /ldes/<stream>/root/<bucket>_N/index.trig
  const rel = decodeURIComponent(path.replace(/^\/ldes\//, ''));
  const file = corpusPath(LDES_DOCS, rel);
  if (!existsSync(file) || !file.endsWith('index.trig')) return undefined;
  let text = readFileSync(file, 'utf8');
  if (rel === `${LDES_ROOT.split('/').slice(3).join('/')}/index.trig`) {
    // The root's relations point into a year bucket outside the corpus: lead them to the bucket we have.
    text = text.replace(/<2025-01-01T00_3A00_3A00\.000Z_31536000000_0\/index\.trig>/g, `<${BUCKET}_0/index.trig>`);
  }
  text = text.replace(new RegExp(`<\\.\\./${BUCKET}_${LDES_PAGES}/index\\.trig>`, 'g'), '<index.trig>');
  // Relative IRIs resolve against the page URL, which is ours: nothing else to rewrite. A relation
  // that now points at the page itself (the dropped link) is removed.
  text = text.replace(/<index\.trig> <https:\/\/w3id\.org\/tree#relation> (_:[\w-]+)\.\n\1 a <https:\/\/w3id\.org\/tree#GreaterThanOrEqualToRelation>;\n\s+<https:\/\/w3id\.org\/tree#node> <index\.trig>;\n[^\n]*\n[^\n]*\n/g, '');
  void base;
  return text;
}

export async function startCorpusServer(): Promise<CorpusServer> {
  const routes = new Map<string, Handler>();
  const edits = new Map<string, (t: string) => string>();
  const requests: string[] = [];
  const compressed = new Map<string, Buffer>();
  const ldesTexts = new Map<string, string | undefined>();
  let base = '';
  const send = (req: IncomingMessage, res: ServerResponse, text: string, type: string, immutable: boolean) => {
    const etag = `"${createHash('sha1').update(text).digest('base64url')}"`;
    res.setHeader('etag', etag);
    res.setHeader('last-modified', new Date(Date.UTC(2025, 3, 14)).toUTCString());
    res.setHeader('cache-control', immutable ? 'public, max-age=604800, immutable' : 'public, max-age=60');
    if (req.headers['if-none-match'] === etag) {
      res.statusCode = 304;
      res.end();
      return;
    }
    res.setHeader('content-type', type);
    if (/gzip/.test(String(req.headers['accept-encoding'] ?? ''))) {
      res.setHeader('content-encoding', 'gzip');
      // Compressed once per version of a document, as a server or its cache in front does: a server on
      // the same two cores that compressed every page anew would take CPU from the harvest it serves.
      let zipped = compressed.get(etag);
      if (!zipped) {
        if (compressed.size > 200) compressed.clear();
        compressed.set(etag, (zipped = gzipSync(text)));
      }
      res.end(zipped);
    } else res.end(text);
  };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', base);
    requests.push(url.pathname + url.search);
    const custom = routes.get(url.pathname);
    if (custom) return custom(req, res);
    const edit = edits.get(url.pathname + url.search) ?? ((t: string) => t);
    if (url.pathname.startsWith('/ldes/')) {
      // The corpus does not change under a running server: each page is read and rewritten once.
      if (!ldesTexts.has(url.pathname)) ldesTexts.set(url.pathname, ldesText(url.pathname, base));
      const text = ldesTexts.get(url.pathname);
      if (text === undefined) {
        res.statusCode = 404;
        return res.end('not found');
      }
      const m = new RegExp(`${BUCKET}_(\\d+)/index\\.trig$`).exec(url.pathname);
      const immutable = m !== null && Number(m[1]) < LDES_PAGES - 1;
      return send(req, res, edit(text), 'application/trig', immutable);
    }
    const udata = /^\/udata\/(partial|paged)\/catalog\.jsonld$/.exec(url.pathname);
    if (udata) {
      const page = url.searchParams.get('page') ?? '1';
      const file = corpusPath('examples/udata-harvest', `${udata[1]}-collection-${page}.jsonld`);
      if (!existsSync(file)) {
        res.statusCode = 404;
        return res.end('no such page');
      }
      const text = readFileSync(file, 'utf8').replaceAll('http://data.test.org/catalog.jsonld?page', `${base}/udata/${udata[1]}/catalog.jsonld?page`);
      return send(req, res, edit(text), 'application/ld+json', false);
    }
    if (url.pathname.startsWith('/file/')) {
      const file = corpusPath(decodeURIComponent(url.pathname.slice('/file/'.length)));
      if (!existsSync(file)) {
        res.statusCode = 404;
        return res.end('not found');
      }
      return send(req, res, edit(readFileSync(file, 'utf8')), 'application/octet-stream', false);
    }
    res.statusCode = 404;
    res.end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    url: base,
    requests,
    route: (path, handler) => routes.set(path, handler),
    edit: (path, change) => edits.set(path, change),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
