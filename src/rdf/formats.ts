// RDF serialisations Vindbaar reads and writes, keyed by media type and file extension.

export type RdfFormat = 'turtle' | 'trig' | 'ntriples' | 'nquads' | 'rdfxml' | 'jsonld';

interface FormatInfo {
  format: RdfFormat;
  mediaType: string;
  aliases: string[];
  extensions: string[];
  /** Whether the format can carry named graphs. */
  quads: boolean;
}

export const FORMATS: readonly FormatInfo[] = [
  { format: 'turtle', mediaType: 'text/turtle', aliases: ['application/x-turtle', 'text/n3', 'text/rdf+n3'], extensions: ['ttl', 'n3'], quads: false },
  { format: 'trig', mediaType: 'application/trig', aliases: ['application/x-trig'], extensions: ['trig'], quads: true },
  { format: 'ntriples', mediaType: 'application/n-triples', aliases: ['text/plain'], extensions: ['nt'], quads: false },
  { format: 'nquads', mediaType: 'application/n-quads', aliases: ['text/x-nquads'], extensions: ['nq'], quads: true },
  { format: 'rdfxml', mediaType: 'application/rdf+xml', aliases: ['application/xml', 'text/xml'], extensions: ['rdf', 'xml', 'owl'], quads: false },
  { format: 'jsonld', mediaType: 'application/ld+json', aliases: ['application/json'], extensions: ['jsonld', 'json'], quads: true },
];

const byMediaType = new Map<string, FormatInfo>();
for (const f of FORMATS) for (const m of [f.mediaType, ...f.aliases]) byMediaType.set(m, f);

/** Media type without parameters, lower case ("text/turtle; charset=utf-8" gives "text/turtle"). */
export function bareMediaType(contentType: string): string {
  return contentType.split(';')[0].trim().toLowerCase();
}

export function formatForMediaType(contentType: string | undefined): RdfFormat | undefined {
  if (!contentType) return undefined;
  return byMediaType.get(bareMediaType(contentType))?.format;
}

export function mediaTypeFor(format: RdfFormat): string {
  return info(format).mediaType;
}

export function info(format: RdfFormat): FormatInfo {
  const found = FORMATS.find((f) => f.format === format);
  if (!found) throw new Error(`unknown RDF format ${format}`);
  return found;
}

/** Guess a format from a file name or URL path, ignoring a trailing .gz. */
export function formatForPath(path: string): RdfFormat | undefined {
  const clean = path.replace(/[?#].*$/, '').replace(/\.gz$/i, '').toLowerCase();
  const ext = clean.slice(clean.lastIndexOf('.') + 1);
  return FORMATS.find((f) => f.extensions.includes(ext))?.format;
}

export const SUPPORTED_MEDIA_TYPES: readonly string[] = FORMATS.map((f) => f.mediaType);
