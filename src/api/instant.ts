// Times in addresses ("since", "modified_since") are RFC 3339 date-times, whose offsets may reach ±23:59;
// Postgres takes offsets up to ±15:59 only. The time is made a UTC instant before it reaches a query.
import { problem } from './problem.js';

export function utcInstant(name: string, text: string): string {
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw problem(400, 'Bad Request', `${name} "${text}" is not a date-time.`);
  return new Date(t).toISOString();
}
