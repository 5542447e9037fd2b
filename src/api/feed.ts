// The change feed: a Linked Data Event Stream (LDES) of every creation, change and withdrawal of a
// dataset, series or service, as the SEMIC DCAT-AP Feeds specification describes them: each member is
// an ActivityStreams activity (as:Create, as:Update, as:Delete) whose as:object is the record's IRI,
// published at the time of the change, with the record's triples as they were then in a named graph
// named after the activity. So data.gov.be, data.europa.eu or another Vindbaar replicate this catalogue
// incrementally: read everything once, then only what came after.
//
// Fragmentation: the announced events (feed_events, appended by a trigger on records; migration 031
// says which are announced) in order, by sequence number, FRAGMENT numbers
// per fragment; each fragment links to the next one holding events with a tree:GreaterThanOrEqualToRelation on
// as:published, whose value is the time of the next fragment's first event. A fragment whose events
// are settled (no transaction can still add to it, see SETTLE_SECONDS) never changes again and says so
// (Cache-Control immutable), so a client that comes back reads the newest fragment only.
//
// Retention: tombstones are purged after VINDBAAR_TOMBSTONE_DAYS, with every event of their record;
// the stream promises the events of that many days (ldes:DurationAgoPolicy). A client must come back
// within that time, or read the catalogue again from the start.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Parser as N3Parser } from 'n3';
import type { Services } from '../app.js';
import { blankNode, dataFactory, literal, namedNode, quad, type NamedNode, type Quad } from '../rdf/terms.js';
import { PREFIXES, RDF_TYPE } from '../rdf/namespaces.js';
import { serialize } from '../rdf/write.js';
import { mediaTypeFor, type RdfFormat } from '../rdf/formats.js';
import { catalogIri } from '../dcat/catalog-description.js';
import { choose, offeredTypes, type Offer } from './negotiate.js';
import { notModified, SETTLE_SECONDS, settledLastModified } from './representation.js';
import { problem } from './problem.js';

const { dct, xsd } = PREFIXES;
const AS = 'https://www.w3.org/ns/activitystreams#';
const LDES = 'https://w3id.org/ldes#';
const TREE = 'https://w3id.org/tree#';

/** Events per fragment: a fragment of data.gov.be-sized records is a few megabytes of TriG. */
export const FRAGMENT = 250;

/** A feed holds named graphs: formats that can carry them. */
const FEED_OFFERS: Offer[] = [
  { type: 'application/trig', format: 'trig' },
  { type: 'application/n-quads', format: 'nquads' },
  { type: 'application/ld+json', format: 'jsonld' },
];

const ACTIVITY: Record<string, string> = { create: `${AS}Create`, update: `${AS}Update`, delete: `${AS}Delete` };

interface EventRow {
  seq: string;
  record_id: string;
  iri: string;
  kind: string;
  version: number;
  op: string;
  at: Date;
  nquads: string | null;
}

const dateTime = (d: Date) => literal(d.toISOString(), namedNode(`${xsd}dateTime`));

export async function feedRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const base = services.config.baseUrl;
  const stream = namedNode(`${base}/feed`);
  const fragmentUrl = (k: number) => `${base}/feed/${k}`;
  const offered = offeredTypes(FEED_OFFERS);
  const describedAs = createHash('sha1').update(JSON.stringify([base, services.config.catalog, services.config.harvest.tombstoneDays])).digest('base64url').slice(0, 16);

  /** What every page says about the stream itself. */
  const streamQuads = (): Quad[] => {
    const retention = blankNode('retention');
    return [
      quad(stream, namedNode(RDF_TYPE), namedNode(`${LDES}EventStream`)),
      quad(stream, namedNode(`${dct}title`), literal(`${services.config.catalog.title}: wijzigingen`, services.config.catalog.language)),
      quad(stream, namedNode(`${dct}isPartOf`), namedNode(catalogIri(base))),
      quad(stream, namedNode(`${LDES}timestampPath`), namedNode(`${AS}published`)),
      quad(stream, namedNode(`${LDES}versionOfPath`), namedNode(`${AS}object`)),
      quad(stream, namedNode(`${TREE}view`), namedNode(fragmentUrl(0))),
      quad(stream, namedNode(`${LDES}retentionPolicy`), retention),
      quad(retention, namedNode(RDF_TYPE), namedNode(`${LDES}DurationAgoPolicy`)),
      quad(retention, namedNode(`${TREE}value`), literal(`P${services.config.harvest.tombstoneDays}D`, namedNode(`${xsd}duration`))),
    ];
  };

  // A client that says nothing, or asks for Turtle (which has no named graphs), gets TriG, Turtle's
  // superset: however it asks for Turtle (with a parameter, a q-value, beside other types). One that
  // asks for plain JSON gets JSON-LD, as from the catalogue and the dumps.
  const asTurtle: Offer[] = [...FEED_OFFERS, { type: 'text/turtle', format: 'trig' }, { type: 'application/json', format: 'jsonld' }];
  const negotiate = (accept: string | undefined, reply: FastifyReply): RdfFormat => {
    const asked = choose(accept, asTurtle);
    reply.header('vary', 'Accept');
    if (!asked) throw problem(406, 'Not Acceptable', `The feed is available as ${offered.join(', ')} (it holds named graphs).`, { available: offered });
    return asked.format as RdfFormat;
  };

  const send = async (reply: FastifyReply, quads: Quad[], format: RdfFormat) => {
    reply.type(`${mediaTypeFor(format)}; charset=utf-8`);
    return reply.send(await serialize(quads, format));
  };

  app.get(
    '/feed',
    {
      schema: {
        summary: 'The change feed: a Linked Data Event Stream (LDES) of every create, update and withdrawal',
        description: `Content negotiation: ${offered.join(', ')}.`,
        tags: ['linked data'],
        produces: offered,
        response: { 304: { type: 'null', description: 'Not Modified' } },
      },
    },
    async (req, reply) => {
      const format = negotiate(req.headers.accept, reply);
      reply.header('cache-control', 'public, max-age=60');
      // The stream's description holds only what the service is configured with.
      const etag = `"feed-${describedAs}-${format}"`;
      reply.header('etag', etag);
      if (notModified(req, etag)) return reply.code(304).send();
      return send(reply, streamQuads(), format);
    },
  );

  app.get<{ Params: { fragment: number } }>(
    '/feed/:fragment',
    {
      schema: {
        summary: `One fragment of the change feed: ${FRAGMENT} events in order, and the relation to the next`,
        tags: ['linked data'],
        produces: offered,
        params: { type: 'object', properties: { fragment: { type: 'integer', minimum: 0, maximum: 1e12 } }, required: ['fragment'] },
        response: { 304: { type: 'null', description: 'Not Modified' } },
      },
    },
    async (req, reply) => {
      const format = negotiate(req.headers.accept, reply);
      const k = req.params.fragment;
      const from = k * FRAGMENT;
      const to = from + FRAGMENT;
      // The next fragment is the one that holds the next event: fragments can be empty (their events
      // purged with their records after the retention period, or sequence numbers of transactions that
      // rolled back), and a link to an empty one would end a client's walk there.
      const state = (
        await services.db.query<{ settled: string | null; next_seq: string | null; next_at: Date | null; now: Date }>(
          `SELECT (SELECT max(seq) FROM feed_events WHERE at < clock_timestamp() - make_interval(secs => $2)) AS settled, n.seq AS next_seq, n.at AS next_at, clock_timestamp() AS now
           FROM (SELECT 1) AS one LEFT JOIN LATERAL (SELECT seq, at FROM feed_events WHERE seq > $1 AND announced ORDER BY seq LIMIT 1) AS n ON true`,
          [to, SETTLE_SECONDS],
        )
      ).rows[0];
      const nextFragment = state.next_seq === null ? undefined : fragmentOf(Number(state.next_seq));
      // A fragment past the newest is empty (not an error): it is where the feed will go on, and it
      // links back to the stream.
      const rows = await services.db.query<EventRow>(
        `SELECT e.seq, e.record_id, e.iri, e.kind, e.version, e.op, e.at,
           CASE WHEN e.op = 'delete' THEN NULL ELSE COALESCE(
             (SELECT r.nquads FROM records r WHERE r.id = e.record_id AND r.version = e.version AND r.deleted_at IS NULL),
             (SELECT v.nquads FROM record_versions v WHERE v.record_id = e.record_id AND v.version = e.version)) END AS nquads
         FROM feed_events e WHERE e.seq > $1 AND e.seq <= $2 AND e.announced ORDER BY e.seq`,
        [from, to],
      );
      const node = namedNode(fragmentUrl(k));
      const out: Quad[] = [...streamQuads(), quad(node, namedNode(RDF_TYPE), namedNode(`${TREE}Node`)), quad(node, namedNode(`${dct}isPartOf`), stream)];
      if (state.next_at && nextFragment !== undefined) {
        const relation = blankNode(`next${k}`);
        out.push(
          quad(node, namedNode(`${TREE}relation`), relation),
          quad(relation, namedNode(RDF_TYPE), namedNode(`${TREE}GreaterThanOrEqualToRelation`)),
          quad(relation, namedNode(`${TREE}path`), namedNode(`${AS}published`)),
          quad(relation, namedNode(`${TREE}value`), dateTime(state.next_at)),
          quad(relation, namedNode(`${TREE}node`), namedNode(fragmentUrl(nextFragment))),
        );
      }
      for (const e of rows.rows) out.push(...eventQuads(e, stream, base));
      // Settled when the events of the next fragment are too (its first event's time, the relation's
      // value, can no longer change).
      const immutable = state.next_seq !== null && Number(state.settled ?? 0) >= Number(state.next_seq) + FRAGMENT;
      reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=10');
      const lastSeq = rows.rows.at(-1)?.seq ?? '0';
      reply.header('etag', `"feed-${k}-${lastSeq}-${rows.rows.length}-${state.next_at ? state.next_at.getTime().toString(36) : 'open'}-${format}"`);
      // The latest time among its events and the relation's value; given (and If-Modified-Since
      // answered) once no transaction still running can add an event stamped before it.
      let latest = state.next_at;
      for (const e of rows.rows) if (!latest || e.at > latest) latest = e.at;
      const lastModified = settledLastModified(latest, state.now);
      if (lastModified) reply.header('last-modified', lastModified.toUTCString());
      if (notModified(req, String(reply.getHeader('etag')), lastModified)) return reply.code(304).send();
      return send(reply, out, format);
    },
  );

  // Each member is named by an IRI minted here: looking one up leads to the fragment that describes
  // it (303 See Other: the IRI names an activity, not a document), as Linked Data asks of every IRI
  // a service mints. An event purged with its record after the retention period is no longer known.
  app.get<{ Params: { seq: number } }>(
    '/feed/events/:seq',
    {
      schema: {
        summary: 'One event of the change feed (a member): 303 See Other to the fragment that describes it',
        tags: ['linked data'],
        params: { type: 'object', properties: { seq: { type: 'integer', minimum: 1, maximum: 1e15 } }, required: ['seq'] },
        response: { 303: { type: 'null', description: 'See Other' }, 404: { $ref: 'Problem#' } },
      },
    },
    async (req, reply) => {
      const seq = req.params.seq;
      const found = await services.db.query('SELECT 1 FROM feed_events WHERE seq = $1 AND announced', [seq]);
      if (found.rows.length === 0) throw problem(404, 'Not Found', `The change feed holds no event ${seq} (events are purged with their records after ${services.config.harvest.tombstoneDays} days).`);
      return reply.code(303).header('location', fragmentUrl(fragmentOf(seq))).send();
    },
  );
}

/** The fragment that holds event `seq` (fragment k holds sequence numbers k*FRAGMENT+1 to (k+1)*FRAGMENT). */
export const fragmentOf = (seq: number): number => Math.floor((seq - 1) / FRAGMENT);

/** One event as a member: the activity, and for a creation or change the record's triples as they
 * were then, in a graph named after the activity (blank nodes kept apart per event). */
export function eventQuads(e: EventRow, stream: NamedNode, base: string): Quad[] {
  const activity = namedNode(`${base}/feed/events/${e.seq}`);
  const out: Quad[] = [
    quad(stream, namedNode(`${TREE}member`), activity),
    quad(activity, namedNode(RDF_TYPE), namedNode(ACTIVITY[e.op])),
    quad(activity, namedNode(`${AS}object`), namedNode(e.iri)),
    quad(activity, namedNode(`${AS}published`), dateTime(e.at)),
  ];
  if (e.op !== 'delete' && e.nquads) {
    const parser = new N3Parser({ format: 'N-Quads', factory: dataFactory as never, blankNodePrefix: `e${e.seq}_` });
    for (const q of parser.parse(e.nquads) as unknown as Quad[]) out.push(quad(q.subject, q.predicate, q.object, activity));
  }
  return out;
}
