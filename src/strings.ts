// Parsers hand out terms whose strings are slices of the text they read, and a slice keeps its whole
// parent alive. Anything that outlives its batch (search documents, record keys, reports) takes a copy.

/** A copy of a string that shares no memory with the string it came from. */
export function detach(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}
