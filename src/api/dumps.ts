// Full dumps of the catalogue: /dumps/catalog.nt.gz and /dumps/catalog.ttl.gz, made on request by
// streaming every published record from Postgres (store/record-stream.ts) through gzip to the client,
// so memory stays at one batch of records whatever the size of the catalogue. Each dump holds what the
// Hydra pages of /catalog hold: the catalogue node, every record's own triples and its CatalogRecord.
// /dumps describes the dumps in VoID and DCAT (what they are, how large, when last changed).
//
// Both are made from the stored canonical N-Triples of each record, with blank nodes renamed per
// record: no parsing on the way out (Turtle is written line by line, see rdf/ntriples-to-turtle.ts).
import { Readable } from 'node:stream';
import { createGzip, constants as zlib } from 'node:zlib';
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Services } from '../app.js';
import { literal, namedNode, quad, type Quad } from '../rdf/terms.js';
import { PREFIXES, RDF_TYPE } from '../rdf/namespaces.js';
import { serialize } from '../rdf/write.js';
import { ntriplesToTurtle, prefixHeader } from '../rdf/ntriples-to-turtle.js';
import { mediaTypeFor, type RdfFormat } from '../rdf/formats.js';
import { ntLines, relabelBlankNodes } from '../dcat/canonical.js';
import { catalogEntryQuads } from '../dcat/catalog-record.js';
import { catalogIri, catalogQuads } from '../dcat/catalog-description.js';
import { entryOf, publishedRecords, publishedState } from '../store/record-stream.js';
import { choose, offeredTypes, RDF_ONLY_OFFERS, RDF_TYPES } from './negotiate.js';
import { notModified } from './representation.js';
import { problem } from './problem.js';
import { boundHeapWhileStreaming } from '../memory.js';

const { dcat, dct, xsd } = PREFIXES;
const VOID = 'http://rdfs.org/ns/void#';

/** Fast gzip: the dump is made on every request, so the CPU it costs matters more than the last 10%
 * of size (level 1 is 3-4 times faster than the default 6 on N-Triples and only a fifth larger). */
const GZIP_LEVEL = 1;

const DUMPS: Record<string, { format: RdfFormat; file: string }> = {
  nt: { format: 'ntriples', file: 'catalog.nt.gz' },
  ttl: { format: 'turtle', file: 'catalog.ttl.gz' },
};


async function* ntriplesDump(services: Services): AsyncGenerator<string> {
  const base = services.config.baseUrl;
  const catalog = catalogIri(base);
  yield ntLines(catalogQuads(base, services.config.catalog));
  for await (const batch of publishedRecords(services.db)) {
    // One record at a time: pieces of a few kilobytes are collected young, where a megabyte-sized
    // string per batch would go to V8's large-object space and wait for a full collection (measured:
    // a server's peak RSS while dumping, see BENCHMARKS.md).
    for (const r of batch) {
      yield relabelBlankNodes(r.nquads, `${r.id}_`) + ntLines(catalogEntryQuads(base, catalog, entryOf(r)));
    }
  }
}

async function* turtleDump(services: Services): AsyncGenerator<string> {
  const base = services.config.baseUrl;
  const catalog = catalogIri(base);
  // Turtle made line by line from the stored canonical N-Triples (rdf/ntriples-to-turtle.ts): no
  // parsing, and each record's subjects are together already.
  yield prefixHeader() + ntriplesToTurtle(ntLines(catalogQuads(base, services.config.catalog)));
  for await (const batch of publishedRecords(services.db)) {
    for (const r of batch) {
      yield ntriplesToTurtle(relabelBlankNodes(r.nquads, `${r.id}_`)) + ntriplesToTurtle(ntLines(catalogEntryQuads(base, catalog, entryOf(r))));
    }
  }
}

/** Validators of the dumps: they change when any published record does. Each representation (a dump
 * file, the description in one syntax) has its own strong ETag (RFC 9110, 8.8.3). */
async function validators(services: Services, representation: string): Promise<{ etag: string; lastModified: Date | null; count: number }> {
  const state = await publishedState(services.db);
  const etag = `"${createHash('sha1')
    .update(`${representation}|${state.count}|${state.lastChange?.getTime() ?? 0}`)
    .digest('base64url')
    .slice(0, 22)}"`;
  return { etag, lastModified: state.lastChange, count: state.count };
}

function cacheHeaders(reply: FastifyReply, v: { etag: string; lastModified: Date | null }): void {
  reply.header('etag', v.etag);
  if (v.lastModified) reply.header('last-modified', v.lastModified.toUTCString());
  reply.header('cache-control', 'public, max-age=300');
}

export async function dumpRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const base = services.config.baseUrl;
  const offered = offeredTypes(RDF_ONLY_OFFERS);

  for (const [ext, dump] of Object.entries(DUMPS))
    app.get(
      `/dumps/${dump.file}`,
      {
        config: { expensive: true },
        schema: {
          summary: `The whole catalogue as one gzipped ${ext === 'nt' ? 'N-Triples' : 'Turtle'} file`,
          description: 'Made on request, streamed from the store. ETag and Last-Modified change when a published record does; 304 on a match.',
          tags: ['linked data'],
          produces: ['application/gzip'],
          response: { 304: { type: 'null', description: 'Not Modified' } },
        },
      },
      async (req, reply) => {
        const v = await validators(services, dump.file);
        cacheHeaders(reply, v);
        reply.header('content-disposition', `attachment; filename="${dump.file}"`);
        reply.type('application/gzip');
        if (notModified(req, v.etag, v.lastModified)) return reply.code(304).send();
        // HEAD tells whether the dump changed without making it. An empty stream, not an empty body: the
        // answer then says, as GET's does, that its length is not known ahead (not "content-length: 0").
        if (req.method === 'HEAD') return reply.send(Readable.from([]));
        const source = dump.format === 'ntriples' ? ntriplesDump(services) : turtleDump(services);
        const unbound = boundHeapWhileStreaming();
        reply.raw.once('close', unbound);
        const body = Readable.from(source, { objectMode: false });
        const gzip = createGzip({ level: GZIP_LEVEL, flush: zlib.Z_NO_FLUSH });
        // A failure half-way (the store gone) ends the response early: the client sees a truncated
        // gzip file, never a complete-looking partial dump.
        body.on('error', (err) => {
          req.log.error({ err, dump: dump.file }, 'dump stopped before the end');
          gzip.destroy(err);
        });
        body.pipe(gzip);
        return reply.send(gzip);
      },
    );

  app.get(
    '/dumps',
    {
      schema: {
        summary: 'The dumps described in VoID and DCAT',
        produces: RDF_TYPES,
        description: `Content negotiation: ${offered.join(', ')} (Turtle when the client says nothing).`,
        tags: ['linked data'],
        response: { 304: { type: 'null', description: 'Not Modified' } },
      },
    },
    async (req, reply) => {
      const chosen = choose(req.headers.accept === 'application/json' ? 'application/ld+json' : req.headers.accept, RDF_ONLY_OFFERS);
      reply.header('vary', 'Accept');
      if (!chosen) throw problem(406, 'Not Acceptable', `The description is available as ${offered.join(', ')}.`, { available: offered });
      const format = chosen.format as RdfFormat;
      const v = await validators(services, `dumps.${format}`);
      cacheHeaders(reply, v);
      if (notModified(req, v.etag, v.lastModified)) return reply.code(304).send();
      const description = namedNode(`${base}/dumps`);
      const catalog = namedNode(catalogIri(base));
      const modified = v.lastModified ? [literal(v.lastModified.toISOString(), namedNode(`${xsd}dateTime`))] : [];
      const out: Quad[] = [
        ...catalogQuads(base, services.config.catalog),
        quad(description, namedNode(RDF_TYPE), namedNode(`${VOID}Dataset`)),
        quad(description, namedNode(RDF_TYPE), namedNode(`${dcat}Dataset`)),
        quad(description, namedNode(`${dct}title`), literal(`${services.config.catalog.title}: volledige dump`, services.config.catalog.language)),
        quad(description, namedNode(`${dct}description`), literal('Alle gepubliceerde records van de catalogus, met hun CatalogRecord, in één bestand.', services.config.catalog.language)),
        quad(description, namedNode(`${dct}source`), catalog),
        quad(description, namedNode(`${VOID}rootResource`), catalog),
        quad(description, namedNode(`${VOID}entities`), literal(String(v.count), namedNode(`${xsd}integer`))),
        quad(description, namedNode(`${VOID}feature`), namedNode('http://www.w3.org/ns/formats/N-Triples')),
        quad(description, namedNode(`${VOID}feature`), namedNode('http://www.w3.org/ns/formats/Turtle')),
        ...modified.map((m) => quad(description, namedNode(`${dct}modified`), m)),
      ];
      for (const [ext, dump] of Object.entries(DUMPS)) {
        const url = namedNode(`${base}/dumps/catalog.${ext}.gz`);
        const dist = namedNode(`${base}/dumps#${ext}`);
        out.push(
          quad(description, namedNode(`${VOID}dataDump`), url),
          quad(description, namedNode(`${dcat}distribution`), dist),
          quad(dist, namedNode(RDF_TYPE), namedNode(`${dcat}Distribution`)),
          quad(dist, namedNode(`${dcat}downloadURL`), url),
          quad(dist, namedNode(`${dcat}accessURL`), url),
          quad(dist, namedNode(`${dcat}mediaType`), namedNode(`http://www.iana.org/assignments/media-types/${mediaTypeFor(dump.format)}`)),
          quad(dist, namedNode(`${dcat}compressFormat`), namedNode('http://www.iana.org/assignments/media-types/application/gzip')),
          quad(dist, namedNode(`${dct}license`), namedNode(services.config.catalog.license)),
          ...modified.map((m) => quad(dist, namedNode(`${dct}modified`), m)),
        );
      }
      reply.type(`${mediaTypeFor(format)}; charset=utf-8`);
      return reply.send(await serialize(out, format));
    },
  );
}
