// The register of closed data and services (migration 019): what is shared with whom, why, on which
// legal basis and under which conditions. Two kinds of entries:
// - "publisher" entries, made and kept by the publisher through the API (one per data flow: a recipient
//   and a purpose, with the authorisation decision that allows it);
// - "harvested" entries, one per restricted or non-public dataset or service, made from its DCAT
//   (access rights and their description, applicable legislation, contact point, rights statements)
//   and replaced whenever the record changes, so that no closed record is missing from the register.
import { randomBytes } from 'node:crypto';
import type { Queryable } from '../store/db.js';
import { Where } from '../store/where.js';
import type { JsonNode, JsonValue } from '../dcat/json.js';
import { accessCodeOf, EU_ACCESS_RIGHT, iriOf, iris, isNode, list, publisherName, publisherOf } from '../dcat/values.js';

export type RegisterAccess = 'restricted' | 'non-public' | 'public';
export const REGISTER_ACCESS: RegisterAccess[] = ['restricted', 'non-public', 'public'];

export interface Named {
  iri?: string;
  label?: string;
}
export interface Recipient {
  name: string;
  iri?: string;
}
export interface Decision {
  authority: string;
  reference?: string;
  date?: string;
  url?: string;
}
export interface Dpo {
  name?: string;
  email?: string;
  url?: string;
}

export interface RegisterEntry {
  id: string;
  recordId: string;
  recordIri: string;
  catalogId: string;
  origin: 'publisher' | 'harvested';
  access: RegisterAccess;
  title: string | null;
  publisher: string | null;
  /** The name of the organisation that holds the data, as its record gives it. */
  publisherName?: string | null;
  conditions: string | null;
  legalBasis: Named[];
  purposes: Named[];
  recipients: Recipient[];
  decisions: Decision[];
  dpo: Dpo | null;
  request: string | null;
  personalData: boolean | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What a publisher writes. */
export interface EntryInput {
  access: RegisterAccess;
  conditions?: string;
  legalBasis?: Named[];
  purposes?: Named[];
  recipients?: Recipient[];
  decisions?: Decision[];
  dpo?: Dpo;
  request?: string;
  personalData?: boolean;
}

const COLUMNS = `id, record_id AS "recordId", record_iri AS "recordIri", catalog_id AS "catalogId", origin, access, title, publisher, publisher_name AS "publisherName", conditions,
  legal_basis AS "legalBasis", purposes, recipients, decisions, dpo, request, personal_data AS "personalData", created_at AS "createdAt", updated_at AS "updatedAt"`;

const parse = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));
const row = (r: RegisterEntry): RegisterEntry => ({ ...r, legalBasis: parse(r.legalBasis), purposes: parse(r.purposes), recipients: parse(r.recipients), decisions: parse(r.decisions), dpo: parse(r.dpo) });

function accessOf(record: JsonNode): RegisterAccess | undefined {
  const code = accessCodeOf(record);
  return code === 'RESTRICTED' ? 'restricted' : code === 'NON_PUBLIC' ? 'non-public' : undefined;
}

function firstText(v: JsonValue | undefined, lang = 'nl'): string | undefined {
  for (const x of list(v)) {
    if (typeof x === 'string') return x;
    if (isNode(x)) {
      const pick = (x[lang] ?? x.nl ?? x.en ?? x['@value'] ?? Object.values(x).find((y) => typeof y === 'string' || Array.isArray(y))) as JsonValue | undefined;
      const s = Array.isArray(pick) ? pick[0] : pick;
      if (typeof s === 'string' && !s.startsWith('_:')) return s;
    }
  }
  return undefined;
}

/** The words that describe a node (a label, a name, a description), in `lang` (Dutch) when there is a choice. */
const wordsOf = (n: JsonValue, lang = 'nl'): string | undefined =>
  isNode(n) ? (firstText(n.label, lang) ?? firstText(n.prefLabel, lang) ?? firstText(n.name, lang) ?? firstText(n.fn, lang) ?? firstText(n.description, lang)) : typeof n === 'string' && !/^https?:/.test(n) ? n : undefined;

/** The harvested entry of a closed record, or undefined when the record is open; its words in `lang`
 * when the record has them (the register keeps them in Dutch; an English page asks for English). */
export function harvestedEntry(record: JsonNode, lang = 'nl'): Omit<EntryInput, 'access'> & { access: RegisterAccess } | undefined {
  const words = (n: JsonValue) => wordsOf(n, lang);
  const access = accessOf(record);
  if (!access) return undefined;
  // The EU access-right code's own label ("beperkt") only repeats the access level the entry shows:
  // the conditions are what a publisher wrote beyond it.
  const rights = list(record.accessRights)
    .filter((r) => !iriOf(r)?.startsWith(EU_ACCESS_RIGHT))
    .map(words)
    .filter((x): x is string => !!x);
  const statements = [...list(record.rights), ...list(record.distribution).filter(isNode).flatMap((d) => list(d.rights))].map(words).filter((x): x is string => !!x);
  const legalBasis = list(record.applicableLegislation).map((l) => ({ ...(iriOf(l) ? { iri: iriOf(l) } : {}), ...(words(l) ? { label: words(l) } : {}) })).filter((l) => l.iri || l.label);
  const contacts = list(record.contactPoint)
    .filter(isNode)
    .map((c) => [words(c), ...iris(c.hasEmail).map((e) => e.replace(/^mailto:/, '')), ...iris(c.hasURL)].filter(Boolean).join(', '))
    .filter(Boolean);
  return {
    access,
    conditions: [...rights, ...statements].join('\n').slice(0, 5000) || undefined,
    legalBasis,
    request: contacts.join('; ').slice(0, 1000) || undefined,
  };
}

/** Replaces the harvested entries of records `ids` from their JSON (`records`: the live ones among them;
 * closed ones get an entry, the others none). */
export async function refreshHarvestedEntries(tx: Queryable, records: { id: string; iri: string; catalog_id: string; json: JsonNode }[], ids: string[]): Promise<void> {
  await tx.query("DELETE FROM access_register WHERE origin = 'harvested' AND record_id = ANY($1::text[])", [ids]);
  const entries = records.flatMap((r) => {
    const e = harvestedEntry(r.json);
    return e ? [{ r, e }] : [];
  });
  if (entries.length === 0) return;
  const col = <T>(f: (x: (typeof entries)[number]) => T) => entries.map(f);
  await tx.query(
    `INSERT INTO access_register (id, record_id, record_iri, catalog_id, origin, access, title, publisher, conditions, legal_basis, request, publisher_name)
     SELECT x.id, x.record_id, x.iri, x.catalog_id, 'harvested', x.access, x.title, x.publisher, x.conditions, x.legal_basis::jsonb, x.request, x.publisher_name
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
       AS x(id, record_id, iri, catalog_id, access, title, publisher, conditions, legal_basis, request, publisher_name)`,
    [
      col(() => randomBytes(9).toString('base64url')),
      col((x) => x.r.id),
      col((x) => x.r.iri),
      col((x) => x.r.catalog_id),
      col((x) => x.e.access),
      col((x) => firstText(x.r.json.title) ?? null),
      col((x) => publisherOf(x.r.json) || null),
      col((x) => x.e.conditions ?? null),
      col((x) => JSON.stringify(x.e.legalBasis ?? [])),
      col((x) => x.e.request ?? null),
      col((x) => publisherName(x.r.json) ?? null),
    ],
  );
}

export interface RegisterFilter {
  q?: string;
  access?: RegisterAccess;
  publisher?: string;
  recordId?: string;
  limit: number;
  offset: number;
  /** The language the entries are read in: English pages list them by their records' English titles. */
  lang?: string;
}

/** An entry's title in English for ordering, as English pages show it (readerText): its record's
 * English title, else an English translation the source gave (en-t-nl), else the entry's own. */
const ENGLISH_TITLE = `coalesce((SELECT CASE jsonb_typeof(x.value) WHEN 'string' THEN x.value #>> '{}' WHEN 'array' THEN x.value->>0 END
  FROM records r, jsonb_each(CASE jsonb_typeof((r.json::jsonb)->'title') WHEN 'object' THEN (r.json::jsonb)->'title' END) x
  WHERE r.id = access_register.record_id AND (x.key = 'en' OR x.key LIKE 'en-%') ORDER BY x.key <> 'en', x.key LIMIT 1), title)`;

export async function searchRegister(db: Queryable, f: RegisterFilter): Promise<{ total: number; items: RegisterEntry[] }> {
  const w = new Where();
  if (f.q?.trim())
    w.raw(
      // The expression of the index of migration 029, word for word; the query is split as the text is.
      // (Its "?" is a character, not a placeholder: the parameter is numbered here.)
      `to_tsvector('simple', translate(coalesce(title, '') || ' ' || coalesce(publisher_name, '') || ' ' || coalesce(publisher, '') || ' ' || coalesce(request, '') || ' ' || coalesce(conditions, '') || ' ' || legal_basis::text || ' ' || purposes::text || ' ' || recipients::text || ' ' || decisions::text, '/:#?=&', '      ')) @@ plainto_tsquery('simple', translate(${w.param(f.q.trim().slice(0, 200))}, '/:#?=&', '      '))`,
    );
  if (f.access) w.add('access = ?', f.access);
  if (f.publisher) w.add('publisher = ?', f.publisher);
  if (f.recordId) w.add('record_id = ?', f.recordId);
  // Entries of live records only (a withdrawn record's flows leave the public register with it, and
  // come back if it does), and one per dataset: a copy held in another catalogue adds no harvested
  // entry of its own (the copy's facts are the primary's).
  w.raw(`EXISTS (SELECT 1 FROM records r WHERE r.id = access_register.record_id AND r.deleted_at IS NULL AND (access_register.origin = 'publisher' OR r.duplicate_of IS NULL))`);
  const { clause, params } = w;
  const total = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM access_register ${clause}`, params)).rows[0].n;
  const items = await db.query<RegisterEntry>(`SELECT ${COLUMNS} FROM access_register ${clause} ORDER BY ${f.lang === 'en' ? ENGLISH_TITLE : 'title'} NULLS LAST, record_id, origin DESC, created_at LIMIT ${f.limit} OFFSET ${f.offset}`, params);
  return { total, items: items.rows.map(row) };
}

export async function getEntry(db: Queryable, id: string): Promise<RegisterEntry | undefined> {
  const r = (await db.query<RegisterEntry>(`SELECT ${COLUMNS} FROM access_register WHERE id = $1`, [id])).rows[0];
  return r ? row(r) : undefined;
}

export async function createEntry(db: Queryable, record: { id: string; iri: string; catalogId: string; title?: string; json: JsonNode }, e: EntryInput): Promise<RegisterEntry> {
  const r = await db.query<RegisterEntry>(
    `INSERT INTO access_register (id, record_id, record_iri, catalog_id, origin, access, title, publisher, conditions, legal_basis, purposes, recipients, decisions, dpo, request, personal_data, publisher_name)
     VALUES ($1, $2, $3, $4, 'publisher', $5, $6, $7, $8, $9::jsonb, $10::jsonb, $11::jsonb, $12::jsonb, $13::jsonb, $14, $15, $16) RETURNING ${COLUMNS}`,
    [randomBytes(9).toString('base64url'), record.id, record.iri, record.catalogId, e.access, record.title ?? null, publisherOf(record.json) || null, ...values(e), publisherName(record.json) ?? null],
  );
  return row(r.rows[0]);
}

export async function updateEntry(db: Queryable, id: string, e: EntryInput): Promise<RegisterEntry | undefined> {
  const r = await db.query<RegisterEntry>(
    `UPDATE access_register SET access = $2, conditions = $3, legal_basis = $4::jsonb, purposes = $5::jsonb, recipients = $6::jsonb, decisions = $7::jsonb, dpo = $8::jsonb,
       request = $9, personal_data = $10, updated_at = now() WHERE id = $1 AND origin = 'publisher' RETURNING ${COLUMNS}`,
    [id, e.access, ...values(e)],
  );
  return r.rows[0] ? row(r.rows[0]) : undefined;
}

export async function deleteEntry(db: Queryable, id: string): Promise<boolean> {
  return ((await db.query("DELETE FROM access_register WHERE id = $1 AND origin = 'publisher' RETURNING id", [id])).rowCount ?? 0) > 0;
}

function values(e: EntryInput): unknown[] {
  return [
    e.conditions ?? null,
    JSON.stringify(e.legalBasis ?? []),
    JSON.stringify(e.purposes ?? []),
    JSON.stringify(e.recipients ?? []),
    JSON.stringify(e.decisions ?? []),
    e.dpo ? JSON.stringify(e.dpo) : null,
    e.request ?? null,
    e.personalData ?? null,
  ];
}
