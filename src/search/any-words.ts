// A search for several words that no record holds together ("bevolking gent") finds nothing when every
// word must match. Rather than an empty page, the researcher gets the records that hold any of them,
// best matches (most words) first, and is told so. Queries with operators (quotes, "or", "-", "*")
// say what they mean and are left as they are; a cursor walk keeps the results it began with.
//
// One long word that finds nothing may be a Dutch compound of words the records write apart
// ("waterkwaliteit": "de kwaliteit van het water"). Neither backend takes compounds apart, and a
// dictionary to do it by is not at hand; the records themselves are: each split of the word into two
// parts is tried as a search for both parts, and the split that finds most is searched for instead,
// and said so.
import type { SearchBackend, SearchQuery, SearchResult } from './backend.js';

const OPERATORS = /["*~|+()-]|(^|\s)or(\s|$)/i;

/** Words shorter than this are not taken apart; parts shorter than PART_MIN are no words. Longer than
 * COMPOUND_MAX letters is no word a researcher types but pasted text or a code: each split costs a
 * search, and a hostile query must not cost dozens. */
const COMPOUND_MIN = 8;
const COMPOUND_MAX = 30;
const PART_MIN = 3;

export async function searchAnyWords(backend: SearchBackend, query: SearchQuery): Promise<SearchResult> {
  const result = await backend.search(query);
  const q = query.q?.trim();
  if (result.total > 0 || query.cursor || !q || OPERATORS.test(q)) return result;
  const words = q.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
  if (words.length === 1) return (await compoundApart(backend, query, words[0])) ?? result;
  if (words.length < 2) return result;
  const any = await backend.search({ ...query, q: words.join(' or ') });
  return any.total > 0 ? { ...any, anyWords: true } : result;
}

/** The ways to read a word as two: every cut leaving parts of PART_MIN letters or more, and where the
 * first part ends in the Dutch linking "s" (arbeidsmarkt), also without it. */
export function compoundSplits(word: string): string[] {
  const letters = [...word];
  if (letters.length < COMPOUND_MIN || letters.length > COMPOUND_MAX || !letters.every((c) => /\p{L}/u.test(c))) return [];
  const out: string[] = [];
  for (let i = PART_MIN; i <= letters.length - PART_MIN; i++) {
    const left = letters.slice(0, i).join('');
    const right = letters.slice(i).join('');
    out.push(`${left} ${right}`);
    if (left.endsWith('s') && left.length > PART_MIN) out.push(`${left.slice(0, -1)} ${right}`);
  }
  return out;
}

/** The search for the split of `word` whose parts find most records together, if any finds some. */
async function compoundApart(backend: SearchBackend, query: SearchQuery, word: string): Promise<SearchResult | undefined> {
  let best: { q: string; total: number } | undefined;
  for (const q of compoundSplits(word)) {
    const probe = await backend.search({ ...query, q, offset: 0, limit: 1, facets: false });
    // On a tie the split found first, with the shorter first part, stays: the order is fixed, so the
    // same word is always searched for the same way.
    if (probe.total > 0 && !probe.fuzzy && (!best || probe.total > best.total)) best = { q, total: probe.total };
  }
  if (!best) return undefined;
  const found = await backend.search({ ...query, q: best.q });
  return found.total > 0 ? { ...found, searchedFor: best.q } : undefined;
}
