// Times in addresses ("since", "modified_since") are RFC 3339 date-times, whose offsets may reach ±23:59;
// Postgres takes offsets up to ±15:59 only. The time is made a UTC instant before it reaches a query.
import { problem } from './problem.js';

/** A date, or a date-time with an optional offset (hh:mm or hhmm). */
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)([Zz]|[+-]\d{2}:?\d{2})?)?$/;
/** A '+' sent unencoded in a query reaches us as a space ("…T00:00:00 01:00"). */
const DECODED_PLUS = /^(\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?) (\d{2}:?\d{2})$/;

/**
 * A date or date-time as a UTC instant. A date is its midnight UTC and a date-time without an offset is
 * taken as UTC, as ckanext-dcat takes them, so that a harvester that asks CKAN for
 * "?modified_since=2024-01-01" may ask it here too; the '+' of an offset that arrived decoded as a space
 * is read as the '+' it was (nothing else puts a space there).
 */
export function utcInstant(name: string, text: string): string {
  const plus = DECODED_PLUS.exec(text.trim());
  const m = INSTANT.exec(plus ? `${plus[1]}+${plus[2]}` : text.trim());
  let ms = Number.NaN;
  if (m) {
    const [, y, mo, d, time, offset] = m;
    // Date.parse reads an offset as ±hh:mm only, and a time without one as local time.
    const zone = offset === undefined ? 'Z' : offset.length === 5 ? `${offset.slice(0, 3)}:${offset.slice(3)}` : offset;
    ms = Date.parse(`${y}-${mo}-${d}T${time ?? '00:00'}${zone}`);
    // Date rolls a day the month lacks (2024-02-30) over into the next month: refused instead.
    const day = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
    if (day.getUTCMonth() !== Number(mo) - 1) ms = Number.NaN;
  }
  if (Number.isNaN(ms)) {
    const hint = / \d{2}:?\d{2}$/.test(text.trim()) ? " A '+' in an address stands for a space: send the offset's '+' as %2B." : '';
    throw problem(400, 'Bad Request', `${name} "${text}" is neither a date (2024-01-01, midnight UTC) nor a date-time (2024-01-01T00:00:00Z, 2024-01-01T00:00:00%2B01:00).${hint}`);
  }
  return new Date(ms).toISOString();
}
