// A search for several words that no record holds together ("bevolking gent") finds nothing when every
// word must match. Rather than an empty page, the researcher gets the records that hold any of them,
// best matches (most words) first, and is told so. Queries with operators (quotes, "or", "-", "*")
// say what they mean and are left as they are; a cursor walk keeps the results it began with.
import type { SearchBackend, SearchQuery, SearchResult } from './backend.js';

const OPERATORS = /["*~|+()-]|(^|\s)or(\s|$)/i;

export async function searchAnyWords(backend: SearchBackend, query: SearchQuery): Promise<SearchResult> {
  const result = await backend.search(query);
  const q = query.q?.trim();
  if (result.total > 0 || query.cursor || !q || OPERATORS.test(q)) return result;
  const words = q.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
  if (words.length < 2) return result;
  const any = await backend.search({ ...query, q: words.join(' or ') });
  return any.total > 0 ? { ...any, anyWords: true } : result;
}
