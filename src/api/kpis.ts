// KPIs: GET /api/v1/kpis (now, for the catalogue and every publisher), /api/v1/kpis.csv (the same as a
// spreadsheet, one row per publisher, or per month with ?history), /api/v1/kpis/history (monthly
// snapshots of one publisher or of the catalogue), /api/v1/kpis/findings (what to fix first: the
// validation findings an organisation's or a catalogue's records have most often).
import type { FastifyInstance } from 'fastify';
import type { Services } from '../app.js';
import { CATALOGUE, kpiHistory, type KpiFigures } from '../quality/kpis.js';
import { labelIris } from '../search/labels.js';
import { csvField } from './search-export.js';
import { commonFindings } from '../quality/findings.js';
import { problem } from './problem.js';

const count = { type: 'integer' };
const ratio = { type: 'number', nullable: true };
export const figuresSchema = {
  type: 'object',
  properties: {
    records: count,
    datasets: count,
    services: count,
    access: { type: 'object', properties: { public: count, restricted: count, nonPublic: count, unknown: count } },
    openShare: ratio,
    openLicence: count,
    openLicenceShare: ratio,
    hvd: count,
    hvdShare: ratio,
    averageScore: { type: 'number' },
    bands: { type: 'object', properties: { bad: count, sufficient: count, good: count, excellent: count } },
    validated: count,
    conforming: count,
    conformanceShare: ratio,
    links: { ...count, description: 'Distinct links of these records checked at least once' },
    brokenLinks: count,
    recordsWithBrokenLinks: count,
    timelinessJudged: count,
    timely: count,
    timelinessShare: ratio,
  },
};

/** Spreadsheet columns: a name and how to read it from the figures. */
const COLUMNS: [string, (f: KpiFigures) => number | string | null][] = [
  ['records', (f) => f.records],
  ['datasets', (f) => f.datasets],
  ['services', (f) => f.services],
  ['public', (f) => f.access.public],
  ['restricted', (f) => f.access.restricted],
  ['non_public', (f) => f.access.nonPublic],
  ['open_share', (f) => f.openShare],
  ['open_licence', (f) => f.openLicence],
  ['open_licence_share', (f) => f.openLicenceShare],
  ['hvd', (f) => f.hvd],
  ['average_score', (f) => f.averageScore],
  ['band_bad', (f) => f.bands.bad],
  ['band_sufficient', (f) => f.bands.sufficient],
  ['band_good', (f) => f.bands.good],
  ['band_excellent', (f) => f.bands.excellent],
  ['validated', (f) => f.validated],
  ['conforming', (f) => f.conforming],
  ['links', (f) => f.links],
  ['broken_links', (f) => f.brokenLinks],
  ['records_with_broken_links', (f) => f.recordsWithBrokenLinks],
  ['timeliness_judged', (f) => f.timelinessJudged],
  ['timely', (f) => f.timely],
];

const csvLine = (cells: (string | number | null)[]) => `${cells.map((c) => (c === null ? '' : typeof c === 'number' ? String(c) : csvField(c))).join(',')}\r\n`;

const query = {
  type: 'object',
  properties: {
    publisher: { type: 'string', minLength: 1, maxLength: 2000, description: "A publisher's IRI; absent: all" },
    lang: { type: 'string', enum: ['nl', 'en'], default: 'nl', description: 'Language of the publisher names' },
  },
} as const;

export async function kpiRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const { db } = services;
  const labelled = async (publisher: string | undefined, lang: string) => {
    const rows = await services.kpis.current(publisher);
    const labels = await labelIris(db, rows.map((r) => r.publisher).filter((p) => p && p !== CATALOGUE), lang);
    return rows.map((r) => ({ ...r, label: r.publisher === CATALOGUE ? null : r.publisher ? (labels.get(r.publisher) ?? r.publisher) : null }));
  };

  app.get<{ Querystring: { publisher?: string; lang: string } }>(
    '/api/v1/kpis',
    {
      schema: {
        summary: 'Key figures now: for the whole catalogue and per publisher (open share, open licences, HVD, quality, validation, broken links, timeliness)',
        tags: ['quality'],
        querystring: query,
        response: {
          200: {
            type: 'object',
            properties: {
              catalogue: { ...figuresSchema, nullable: true },
              publishers: {
                type: 'array',
                items: { type: 'object', properties: { publisher: { type: 'string', description: "'' for records without a publisher" }, label: { type: 'string', nullable: true }, figures: figuresSchema } },
              },
            },
          },
        },
      },
    },
    async (req) => {
      const rows = await labelled(req.query.publisher, req.query.lang);
      return { catalogue: rows.find((r) => r.publisher === CATALOGUE)?.figures ?? null, publishers: rows.filter((r) => r.publisher !== CATALOGUE) };
    },
  );

  app.get<{ Querystring: { publisher?: string } }>(
    '/api/v1/kpis/history',
    {
      schema: {
        summary: 'Monthly KPI snapshots of one publisher or of the whole catalogue, oldest first',
        tags: ['quality'],
        querystring: { type: 'object', properties: { publisher: query.properties.publisher } },
        response: {
          200: {
            type: 'object',
            properties: {
              publisher: { type: 'string' },
              snapshots: { type: 'array', items: { type: 'object', properties: { month: { type: 'string' }, takenAt: { type: 'string' }, figures: figuresSchema } } },
            },
          },
        },
      },
    },
    async (req) => ({ publisher: req.query.publisher ?? CATALOGUE, snapshots: await kpiHistory(db, req.query.publisher ?? CATALOGUE) }),
  );

  app.get<{ Querystring: { publisher?: string; lang: string; history?: boolean } }>(
    '/api/v1/kpis.csv',
    {
      schema: {
        summary: 'The key figures as CSV: one row per publisher now, or one row per month with history=true',
        tags: ['quality'],
        querystring: { type: 'object', properties: { ...query.properties, history: { type: 'boolean', default: false } } },
        produces: ['text/csv'],
      },
    },
    async (req, reply) => {
      reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="kpis${req.query.history ? '-history' : ''}.csv"`);
      const names = COLUMNS.map(([n]) => n);
      if (req.query.history) {
        const snapshots = await kpiHistory(db, req.query.publisher ?? CATALOGUE);
        return `\uFEFF${csvLine(['month', ...names])}${snapshots.map((s) => csvLine([s.month, ...COLUMNS.map(([, get]) => get(s.figures))])).join('')}`;
      }
      const rows = await labelled(req.query.publisher, req.query.lang);
      return `\uFEFF${csvLine(['publisher', 'publisher_name', ...names])}${rows
        .map((r) => csvLine([r.publisher === CATALOGUE ? '' : r.publisher, r.publisher === CATALOGUE ? 'ALL' : (r.label ?? ''), ...COLUMNS.map(([, get]) => get(r.figures))]))
        .join('')}`;
    },
  );

  const text = { type: 'object', properties: { nl: { type: 'string' }, en: { type: 'string' } } };
  app.get<{ Querystring: { publisher?: string; catalog?: string; limit: number } }>(
    '/api/v1/kpis/findings',
    {
      schema: {
        summary: "What to fix first: the validation findings most frequent among one publisher's or one catalogue's records, counted by records, violations first",
        description:
          'Findings are grouped by shape, constraint and property, whatever the value or the node: "dct:license: the value must be of type dct:LicenseDocument" on 300 records is one line. Each line names a few records that have it. Counted from the facts kept per record, which follow changes within a minute.',
        tags: ['quality'],
        querystring: {
          type: 'object',
          properties: {
            publisher: query.properties.publisher,
            catalog: { type: 'string', minLength: 1, maxLength: 200, description: 'A catalogue id (a source\'s or a pushing portal\'s)' },
            limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              publisher: { type: 'string' },
              catalog: { type: 'string' },
              validated: { ...count, description: 'Records in scope that were validated' },
              withViolations: count,
              withWarnings: count,
              findings: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    severity: { type: 'string', enum: ['Violation', 'Warning', 'Info'] },
                    path: { type: 'string' },
                    component: { type: 'string' },
                    shape: { type: 'string' },
                    records: count,
                    message: text,
                    examples: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, kind: { type: 'string' }, href: { type: 'string' }, title: { type: 'object', properties: { nl: { type: 'string', nullable: true }, en: { type: 'string', nullable: true } } } } } },
                  },
                },
              },
            },
          },
        },
      },
    },
    async (req) => {
      const { publisher, catalog, limit } = req.query;
      // Over a whole catalogue of a million records this would count tens of millions of keys per
      // request: the list is a steward's, of one organisation or one catalogue.
      if (publisher === undefined && catalog === undefined) throw problem(400, 'Bad Request', 'Give publisher (an IRI) or catalog (an id): findings are counted for one organisation or one catalogue.');
      const report = await commonFindings(db, { publisher, catalog }, limit);
      return {
        ...(publisher !== undefined ? { publisher } : {}),
        ...(catalog !== undefined ? { catalog } : {}),
        ...report,
        findings: report.findings.map((f) => ({ ...f, examples: f.examples.map((e) => ({ ...e, href: `/api/v1/records/${encodeURIComponent(e.id)}/validation` })) })),
      };
    },
  );
}
