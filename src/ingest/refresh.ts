// Builds the derived parts of stored records anew from their stored triples: the JSON-LD record, the
// identity keys, the validation report and the canonical N-Triples. A record is written only when one
// of them differs from what this version of the code derives (an upgrade that fixed a mapping, a
// stricter identity rule, a corrected shape); its triples are the same, so it gets no new version and
// no change-feed event, and a later harvest of the unchanged source still writes nothing.
import type { Db } from '../store/db.js';
import { storeRederived, type Rederived } from '../store/records.js';
import { parseString } from '../rdf/parse.js';
import { namedNode } from '../rdf/terms.js';
import { RDF_TYPE } from '../rdf/namespaces.js';
import { canonicalize } from '../dcat/canonical.js';
import { buildBody, type Hashed } from './prepare.js';
import { profileValidator, readManifest, UnknownProfileError } from '../validation/profiles.js';
import type { IngestValidation } from './source.js';

export interface RefreshOptions {
  /** Only this catalogue's records. */
  catalogId?: string;
  /** Count what would change, write nothing. */
  dryRun?: boolean;
  /**
   * Also validate again and replace the stored reports. Off by default: an ingest validated each record
   * knowing the types of every resource in its input, and a refresh knows only those that are records
   * of their own, so a report can come out worse for a resource that another record described.
   */
  revalidate?: boolean;
  batchSize?: number;
  /** Start after this record id: where an interrupted refresh stopped (RefreshReport.last). */
  after?: string;
  /** Stops between batches: what was read is written first, and `last` says where to go on. */
  signal?: AbortSignal;
  onProgress?: (report: RefreshReport) => void;
}

export interface RefreshReport {
  read: number;
  /** Records written (or, in a dry run, that would be). */
  changed: number;
  json: number;
  identityKeys: number;
  validation: number;
  /** The canonical N-Triples (and so the content hash) of the same triples. */
  canonical: number;
  /** Changed by an ingest between reading and writing: left as that ingest wrote them. */
  skipped: number;
  /** Profiles records were validated against that this version does not have: their reports are kept. */
  unknownProfiles: Record<string, number>;
  failed: { id: string; error: string }[];
  /** The last record id done (read, and written when it differed); records are taken in id order. */
  last?: string;
  /** Stopped by the signal before the end: run again with `after: last` to go on. */
  stopped: boolean;
}

interface Row {
  id: string;
  iri: string;
  kind: string;
  catalog_id: string;
  hash: string;
  nquads: string;
  json: string;
  validation: string | null;
  validated_with: string | null;
  keys: string[] | null;
}

/** Resources left over as blank-node islands have no subject to build a record around: kept as stored. */
const ISLAND = 'urn:vindbaar:resource:';
const TYPE_LINE = new RegExp(`^<([^>]*)> <${RDF_TYPE.replace(/[.#]/g, '\\$&')}> <([^>]*)> \\.$`, 'gm');

export async function refreshRecords(db: Db, options: RefreshOptions = {}): Promise<RefreshReport> {
  const report: RefreshReport = { read: 0, changed: 0, json: 0, identityKeys: 0, validation: 0, canonical: 0, skipped: 0, unknownProfiles: {}, failed: [], stopped: false };
  const batchSize = options.batchSize ?? 500;
  const validations = new Map<string, IngestValidation | null>();
  /** The validation an ingest would run for a profile; null for a profile this version does not have. */
  const validationFor = (profile: string): IngestValidation | null => {
    let v = validations.get(profile);
    if (v === undefined) {
      try {
        // As an ingest validates: the profile's default layers.
        const layers = readManifest(profile).defaultLayers;
        v = { profile, layers, validator: profileValidator(profile, { layers }), policy: 'accept-with-report' };
      } catch (e) {
        if (!(e instanceof UnknownProfileError)) throw e;
        v = null;
      }
      validations.set(profile, v);
    }
    if (v === null) report.unknownProfiles[profile] = (report.unknownProfiles[profile] ?? 0) + 1;
    return v;
  };
  let after = options.after ?? '';
  for (;;) {
    if (options.signal?.aborted) {
      report.stopped = true;
      break;
    }
    const rows = (
      await db.query<Row>(
        `SELECT id, iri, kind, catalog_id, hash, nquads, json::text AS json, validation::text AS validation, validated_with,
           (SELECT array_agg(k.key ORDER BY k.key) FROM record_keys k WHERE k.record_id = records.id) AS keys
         FROM records WHERE deleted_at IS NULL AND id > $1 AND ($2::text IS NULL OR catalog_id = $2) AND iri NOT LIKE '${ISLAND}%'
         ORDER BY id LIMIT $3`,
        [after, options.catalogId ?? null, batchSize],
      )
    ).rows;
    if (rows.length === 0) break;
    after = rows[rows.length - 1].id;
    const typesOf = options.revalidate ? await storedTypes(db, rows) : new Map<string, Map<string, string[]>>();
    const rederived: Rederived[] = [];
    for (const row of rows) {
      report.read++;
      try {
        const r = await rederive(row, typesOf, options.revalidate && row.validated_with ? (validationFor(row.validated_with) ?? undefined) : undefined);
        if (!r) continue;
        rederived.push(r.record);
        report.json += r.json ? 1 : 0;
        report.identityKeys += r.record.identityKeys ? 1 : 0;
        report.validation += r.validation ? 1 : 0;
        report.canonical += r.canonical ? 1 : 0;
      } catch (e) {
        report.failed.push({ id: row.id, error: (e as Error).message });
      }
    }
    if (options.dryRun) report.changed += rederived.length;
    else if (rederived.length > 0) {
      const written = await db.transaction((tx) => storeRederived(tx, rederived));
      report.changed += written.length;
      report.skipped += rederived.length - written.length;
    }
    report.last = after;
    options.onProgress?.(report);
  }
  return report;
}

/** The types the records' catalogues state for the resources the records point at, as the ingest
 * knew them from the rest of its input: read from the stored triples of those resources' records. */
async function storedTypes(db: Db, rows: Row[]): Promise<Map<string, Map<string, string[]>>> {
  const wanted = new Map<string, Set<string>>();
  for (const row of rows) {
    const set = wanted.get(row.catalog_id) ?? new Set<string>();
    for (const m of row.nquads.matchAll(/ <([^>]*)> \.$/gm)) set.add(m[1]);
    wanted.set(row.catalog_id, set);
  }
  const out = new Map<string, Map<string, string[]>>();
  for (const [catalogId, iris] of wanted) {
    const types = new Map<string, string[]>();
    const r = await db.query<{ nquads: string }>('SELECT nquads FROM records WHERE catalog_id = $1 AND iri = ANY($2::text[]) AND deleted_at IS NULL', [catalogId, [...iris]]);
    for (const { nquads } of r.rows)
      for (const m of nquads.matchAll(TYPE_LINE)) {
        const list = types.get(m[1]) ?? [];
        if (!list.includes(m[2])) list.push(m[2]);
        types.set(m[1], list);
      }
    out.set(catalogId, types);
  }
  return out;
}

async function rederive(
  row: Row,
  typesOf: Map<string, Map<string, string[]>>,
  validation: IngestValidation | undefined,
): Promise<{ record: Rederived; json: boolean; validation: boolean; canonical: boolean } | undefined> {
  const quads = await parseString(row.nquads, { format: 'ntriples' });
  const canonical = canonicalize(quads);
  const h: Hashed = {
    record: { id: row.id, iri: row.iri, kind: row.kind, hash: canonical.hash },
    root: namedNode(row.iri),
    quads,
    nquads: canonical.nquads,
    blankLabels: canonical.labels,
  };
  const types = typesOf.get(row.catalog_id);
  const body = buildBody(h, row.catalog_id, row.kind === 'Resource' ? undefined : validation, (iri) => types?.get(iri));
  const keys = body.identityKeys === undefined ? undefined : [...body.identityKeys].sort();
  const keysDiffer = keys !== undefined && JSON.stringify(keys) !== JSON.stringify(row.keys ?? []);
  const validationText = validation && row.kind !== 'Resource' ? (body.validation ?? null) : row.validation;
  const changes = {
    json: !sameJson(body.json, row.json),
    validation: validationText !== row.validation && (validationText === null || row.validation === null || !sameJson(validationText, row.validation)),
    canonical: canonical.hash !== row.hash || canonical.nquads !== row.nquads,
  };
  if (!changes.json && !changes.validation && !changes.canonical && !keysDiffer) return undefined;
  return {
    ...changes,
    record: {
      id: row.id,
      catalogId: row.catalog_id,
      readHash: row.hash,
      readValidatedWith: row.validated_with,
      hash: canonical.hash,
      nquads: canonical.nquads,
      json: body.json,
      validation: validationText,
      identityKeys: keysDiffer ? keys : undefined,
    },
  };
}

/** The same JSON up to the order of keys and of array items: a record's JSON and its report follow the
 * order its triples came in, which says nothing (the same graph in another order is the same record). */
function sameJson(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return orderFree(JSON.parse(a)) === orderFree(JSON.parse(b));
  } catch {
    return false;
  }
}

function orderFree(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(orderFree).sort().join(',')}]`;
  if (v !== null && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${orderFree((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}
