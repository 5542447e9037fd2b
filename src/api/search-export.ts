// A search's results to take away: CSV for spreadsheets, Turtle for RDF tools. Both walk the results
// with the search cursor (one snapshot, any depth) up to EXPORT_MAX records and stream as they go, so
// memory stays at one batch whatever the size of the result.
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../app.js';
import { catalogEntryQuads } from '../dcat/catalog-record.js';
import { catalogIri } from '../dcat/catalog-description.js';
import { ntLines, relabelBlankNodes } from '../dcat/canonical.js';
import type { JsonNode, JsonValue } from '../dcat/json.js';
import { pickText } from '../dcat/schema-org.js';
import { iriOf, iris, isNode, list } from '../dcat/values.js';
import { ntriplesToTurtle, prefixHeader } from '../rdf/ntriples-to-turtle.js';
import type { SearchCursor } from '../search/backend.js';
import { entryOf, recordsByIds } from '../store/record-stream.js';
import { loadRecords } from './records.js';
import { labelIris } from '../search/labels.js';
import { kindsOf, searchQuery, searchQuerySchema, type SearchParams } from './search.js';
import { withView } from './view-scope.js';

/** The most records one download holds; the header says when a result had more. */
export const EXPORT_MAX = 10_000;
const BATCH = 200;

type ExportParams = SearchParams & { type?: string[] };

/** The hit ids of a search, batch by batch, in the search's order. */
async function* hitBatches(services: Services, params: ExportParams): AsyncGenerator<string[]> {
  let cursor: SearchCursor = {};
  let sent = 0;
  const query = await withView(services, searchQuery({ ...params, page: 1, limit: BATCH, cursor: undefined }, kindsOf(params.type)), params.view);
  for (;;) {
    const result = await services.search.search({ ...query, cursor });
    const ids = result.hits.map((h) => h.id).slice(0, EXPORT_MAX - sent);
    if (ids.length) yield ids;
    sent += ids.length;
    if (!result.next || sent >= EXPORT_MAX || result.hits.length === 0) return;
    cursor = result.next;
  }
}

const joined = (v: JsonValue | undefined): string => iris(v).join(' ');

/**
 * A CSV field. Harvested text is hostile: a cell starting with = + - @ (or a tab or carriage return)
 * would be run as a formula by spreadsheet programs, so it gets a leading apostrophe (OWASP's advice).
 */
export function csvField(value: string | undefined): string {
  let v = value ?? '';
  if (/^[=+\-@\t\r]/.test(v)) v = `'${v}`;
  return /[",\r\n]/.test(v) || v !== v.trim() ? `"${v.replace(/"/g, '""')}"` : v;
}

// Whom to ask comes last: columns added later go at the end, so that sheets reading the earlier ones by
// position keep working.
// Columns are only ever added at the end: spreadsheets and scripts read them by position.
const CSV_COLUMNS = [
  'id', 'type', 'iri', 'title', 'description', 'publisher', 'publisher_name', 'theme', 'keyword', 'issued', 'modified', 'license', 'access_rights', 'format', 'landing_page', 'url',
  'contact_point', 'contact_email', 'contact_url',
  'theme_name', 'license_name', 'access_rights_name', 'format_name',
];

/** The contact points' names, mail and web addresses, each column's values joined by "; ". */
function contactColumns(j: JsonNode, lang: string[]): [string, string, string] {
  const points = list(j.contactPoint).filter(isNode);
  const names = points.map((c) => pickText(c.fn ?? c.name, lang)).filter((x): x is string => !!x?.trim());
  const mails = points.flatMap((c) => iris(c.hasEmail)).map((m) => m.replace(/^mailto:/i, ''));
  const urls = points.flatMap((c) => iris(c.hasURL));
  const join = (xs: string[]) => [...new Set(xs)].join('; ');
  return [join(names), join(mails), join(urls)];
}

async function* csvRows(services: Services, params: ExportParams): AsyncGenerator<string> {
  const base = services.config.baseUrl;
  const lang = [params.lang, 'nl', 'en', 'fr', 'de'];
  // A byte-order mark: spreadsheet programs then read the file as UTF-8.
  yield `\ufeff${CSV_COLUMNS.join(',')}\r\n`;
  for await (const ids of hitBatches(services, params)) {
    const records = await loadRecords(services, ids);
    // Names for the IRIs of the batch (EU vocabularies, names harvested with records), as the pages show
    // them: a spreadsheet of "…/data-theme/ECON" and "…/CbeRegisteredEntity/0212…" says little.
    const named = [...records.values()].flatMap((r) => {
      const j = r.json as JsonNode;
      return [j.publisher, j.theme, j.license, j.accessRights, ...list(j.distribution).flatMap((d) => (isNode(d) ? [d.license, d.format, d.mediaType] : []))].flatMap((v) => iris(v));
    });
    const labels = await labelIris(services.db, named, params.lang);
    const names = (xs: string[]) => [...new Set(xs.map((x) => labels.get(x) ?? x))].join('; ');
    let out = '';
    for (const id of ids) {
      const r = records.get(id);
      if (!r) continue;
      const j = r.json as JsonNode;
      const publisher = j.publisher;
      const publisherNode = isNode(publisher) ? publisher : undefined;
      const keywords = list(j.keyword).flatMap((k) => (isNode(k) ? Object.values(k).flat() : [k])).filter((k): k is string => typeof k === 'string');
      const formats = list(j.distribution).flatMap((d) => (isNode(d) ? [iriOf(d.format) ?? iriOf(d.mediaType)] : []));
      // DCAT-AP puts licences on distributions; a dataset-level one (DCAT-AP VL, schema.org habits) comes first.
      const licences = [...new Set([...iris(j.license), ...list(j.distribution).flatMap((d) => (isNode(d) ? iris(d.license) : []))])];
      const row = [
        r.id,
        r.kind,
        r.iri,
        pickText(j.title, lang),
        pickText(j.description, lang)?.slice(0, 32_000),
        joined(publisher),
        (publisherNode ? pickText(publisherNode.name ?? publisherNode.fn, lang) : undefined) ?? (iriOf(publisher) ? labels.get(iriOf(publisher)!) : undefined),
        joined(j.theme),
        [...new Set(keywords)].join('; '),
        pickText(j.issued),
        pickText(j.modified),
        licences.join(' '),
        joined(j.accessRights),
        [...new Set(formats.filter(Boolean))].join(' '),
        joined(j.landingPage),
        `${base}/api/v1/records/${r.id}`,
        ...contactColumns(j, lang),
        names(iris(j.theme)),
        names(licences),
        names(iris(j.accessRights)),
        names(formats.filter((f): f is string => !!f)),
      ];
      out += `${row.map(csvField).join(',')}\r\n`;
    }
    yield out;
  }
}

async function* turtleRecords(services: Services, params: ExportParams): AsyncGenerator<string> {
  const base = services.config.baseUrl;
  const catalog = catalogIri(base);
  yield prefixHeader();
  for await (const ids of hitBatches(services, params))
    for (const r of await recordsByIds(services.db, ids))
      // Blank nodes get labels of their record: the same canonical label in two records names two nodes.
      yield ntriplesToTurtle(relabelBlankNodes(r.nquads, `${r.id}_`)) + ntriplesToTurtle(ntLines(catalogEntryQuads(base, catalog, entryOf(r))));
}

export async function searchExportRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const querystring = {
    ...searchQuerySchema,
    properties: {
      ...Object.fromEntries(Object.entries(searchQuerySchema.properties).filter(([k]) => !['page', 'limit', 'cursor'].includes(k))),
      type: { type: 'array', items: { type: 'string', enum: ['dataset', 'series', 'dataservice'] }, maxItems: 3 },
    },
  };
  const send = async (req: FastifyRequest<{ Querystring: ExportParams }>, reply: FastifyReply, type: string, ext: string, body: AsyncGenerator<string>) => {
    // Counted first (a cheap page of one) so the client knows whether the file holds everything.
    const first = await services.search.search(await withView(services, searchQuery({ ...req.query, page: 1, limit: 1, cursor: undefined }, kindsOf(req.query.type)), req.query.view));
    reply
      .type(type)
      .header('content-disposition', `attachment; filename="vindbaar-search.${ext}"`)
      .header('x-total-count', String(first.total))
      .header('x-exported-count', String(Math.min(first.total, EXPORT_MAX)));
    return reply.send(Readable.from(body));
  };
  app.get<{ Querystring: ExportParams }>(
    '/api/v1/search.csv',
    { config: { expensive: true }, schema: { summary: `A search's results as CSV (up to ${EXPORT_MAX.toLocaleString('en')}; X-Total-Count says how many matched)`, tags: ['search'], querystring, produces: ['text/csv'] } },
    (req, reply) => send(req, reply, 'text/csv; charset=utf-8', 'csv', csvRows(services, { ...req.query, page: 1, limit: BATCH })),
  );
  app.get<{ Querystring: ExportParams }>(
    '/api/v1/search.ttl',
    { config: { expensive: true }, schema: { summary: `A search's results as RDF (Turtle): each record's triples and its CatalogRecord (up to ${EXPORT_MAX.toLocaleString('en')})`, tags: ['search'], querystring, produces: ['text/turtle'] } },
    (req, reply) => send(req, reply, 'text/turtle; charset=utf-8', 'ttl', turtleRecords(services, { ...req.query, page: 1, limit: BATCH })),
  );
}
