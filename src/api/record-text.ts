// A page of search results as JSON text built around the records' stored JSON text, which is not
// parsed: a page of 20 records is about 100 KB, and turning it into objects (in the Postgres driver)
// only to write it out again (in the response serializer) was a quarter of the service's CPU time per
// search in the search-at-scale benchmark. The answer is the same JSON as recordJson() gives.
import type { Services } from '../app.js';
import { recordJson, recordsById, type RecordSummary } from './records.js';

/** What a record's JSON answer is made of, with the stored JSON (and warnings) as text. */
export interface RecordText {
  id: string;
  iri: string;
  kind: string;
  json: string;
  catalog_id: string | null;
  first_seen: Date;
  last_modified: Date;
  warnings: string | null;
}

/** The records of a page of hits, by id, without their stored triples. */
export const loadRecordTexts = (services: Services, ids: string[]): Promise<Map<string, RecordText>> =>
  recordsById(services, ids, 'id, iri, kind, json::text AS json, catalog_id, first_seen, last_modified, warnings::text AS warnings', 'records-by-id-text');

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/**
 * The members of a stored JSON object, without the braces and without its leading "iri" (the answer
 * puts the record's own IRI first). The stored text is an object whose first key is "iri" when the
 * record's root is named (every dataset, series and service), as JSON.stringify wrote it or, for
 * records rewritten in SQL, as Postgres's jsonb prints it (spaces after colons and commas). Anything
 * else returns undefined and is parsed instead.
 */
export function membersWithoutIri(text: string): string | undefined {
  let end = text.length - 1;
  while (end > 0 && isSpace(text.charCodeAt(end))) end--;
  let i = 0;
  const skip = () => {
    while (i < end && isSpace(text.charCodeAt(i))) i++;
  };
  skip();
  if (text.charCodeAt(i) !== 0x7b || text.charCodeAt(end) !== 0x7d || i === end) return undefined;
  i++;
  skip();
  if (i === end) return '';
  // Without a leading "iri" the object may still hold one further on (a blank-node resource): parsed.
  if (!text.startsWith('"iri"', i)) return undefined;
  i += 5;
  skip();
  if (text.charCodeAt(i) !== 0x3a) return undefined;
  i++;
  skip();
  if (text.charCodeAt(i) !== 0x22) return undefined;
  for (i++; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) i++; // a backslash escapes the next character
    else if (c === 0x22) break;
  }
  i++;
  skip();
  if (i === end) return '';
  if (text.charCodeAt(i) !== 0x2c) return undefined;
  return text.slice(i + 1, end);
}

const NO_WARNINGS = /^\s*(null|\[\s*\])?\s*$/;

/** A record's JSON answer (as recordJson gives it, without @context) as text; `extra` is appended as
 * further members, e.g. `"highlight":{…}`. */
export function recordJsonText(r: RecordText, baseUrl: string, extra?: string): string {
  const members = membersWithoutIri(r.json);
  if (members === undefined) {
    const summary: RecordSummary = { ...r, json: JSON.parse(r.json) as RecordSummary['json'], warnings: r.warnings === null ? null : (JSON.parse(r.warnings) as string[]) } as RecordSummary;
    const text = JSON.stringify(recordJson(summary, baseUrl, false));
    return extra ? `${text.slice(0, -1)},${extra}}` : text;
  }
  let out = `{"id":${JSON.stringify(r.id)},"iri":${JSON.stringify(r.iri)}`;
  if (members !== '') out += `,${members}`;
  out += `,"catalogId":${JSON.stringify(r.catalog_id)},"firstSeen":"${r.first_seen.toISOString()}","lastModified":"${r.last_modified.toISOString()}"`;
  if (r.warnings !== null && !NO_WARNINGS.test(r.warnings)) out += `,"warnings":${r.warnings}`;
  if (extra) out += `,${extra}`;
  return `${out}}`;
}

/**
 * `before`, the members separated by commas, then `after`, as UTF-8 in one buffer. Joining a page's
 * strings first and encoding the result cost 0.5 ms per page of 20 records (one record with a
 * character beyond Latin-1 widens the whole joined text); writing each piece into one buffer 0.08 ms.
 */
export function jsonPage(before: string, members: readonly string[], after: string): Buffer {
  // At most three bytes of UTF-8 per UTF-16 code unit (a surrogate pair is two units for four bytes).
  let units = before.length + after.length + members.length;
  for (const m of members) units += m.length;
  const out = Buffer.allocUnsafe(units * 3);
  let at = out.write(before, 0);
  for (let i = 0; i < members.length; i++) {
    if (i > 0) out[at++] = 0x2c;
    at += out.write(members[i], at);
  }
  at += out.write(after, at);
  // A page held by a slow client keeps its whole allocation: mostly one-byte text leaves two thirds of
  // it unused, so it is copied out (a memcpy, a few microseconds for a page of 20 records).
  return at * 2 < out.length ? Buffer.from(out.subarray(0, at)) : out.subarray(0, at);
}
