// Parsers hand out terms whose strings are slices of the text they read, and a slice keeps its whole
// parent alive. Anything that outlives its batch (interned IRIs, search documents, record keys,
// reports) takes a copy.

/** A copy of a string that shares no memory with the string it came from. Slicing a fresh
 * concatenation makes V8 flatten it into a new string that holds only these characters; several
 * times cheaper than a round trip through a Buffer. */
export function detach(s: string): string {
  return (' ' + s).slice(1);
}
