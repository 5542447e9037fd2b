// RDF writers for every format Vindbaar serves. Small graphs are written to a string; large ones
// (dumps) through a QuadSink that writes as quads arrive.
import { Writer as N3Writer } from 'n3';
import { quad, type Quad } from './terms.js';
import jsonld from 'jsonld';
import type { RdfFormat } from './formats.js';
import { PREFIXES } from './namespaces.js';
import { RdfXmlWriter } from './rdfxml-writer.js';
import { jsonldDocumentLoader } from './jsonld-contexts.js';

export interface QuadSink {
  add(quad: Quad): void;
  end(): Promise<void>;
}

const N3_NAMES: Partial<Record<RdfFormat, string>> = {
  turtle: 'Turtle',
  trig: 'TriG',
  ntriples: 'N-Triples',
  nquads: 'N-Quads',
};

const TRIPLE_ONLY = new Set<RdfFormat>(['turtle', 'ntriples', 'rdfxml']);

/** Writes quads as they come; `write` receives text chunks in order. JSON-LD is not streamable here. */
export function createSink(format: RdfFormat, write: (text: string) => void, prefixes: Record<string, string> = PREFIXES): QuadSink {
  const toTriple = TRIPLE_ONLY.has(format)
    ? (q: Quad) => (q.graph.termType === 'DefaultGraph' ? q : quad(q.subject, q.predicate, q.object))
    : (q: Quad) => q;
  if (format === 'rdfxml') {
    const w = new RdfXmlWriter(write, prefixes);
    return { add: (q) => w.add(toTriple(q)), end: async () => w.end() };
  }
  const name = N3_NAMES[format];
  if (!name) throw new Error(`no streaming writer for ${format}`);
  const usePrefixes = format === 'turtle' || format === 'trig';
  const writer = new N3Writer({ write: (chunk: string) => write(chunk) } as never, {
    format: name,
    prefixes: usePrefixes ? prefixes : undefined,
    end: false,
  });
  return {
    add: (q) => writer.addQuad(toTriple(q)),
    end: () => new Promise<void>((resolve, reject) => writer.end((err) => (err ? reject(err) : resolve()))),
  };
}

export interface SerializeOptions {
  prefixes?: Record<string, string>;
  /** JSON-LD only: compact with this context (an object or a URL known to the context loader). */
  context?: unknown;
}

export async function serialize(quads: Iterable<Quad>, format: RdfFormat, options: SerializeOptions = {}): Promise<string> {
  if (format === 'jsonld') return JSON.stringify(await toJsonLd([...quads], options.context), null, 2);
  const parts: string[] = [];
  const sink = createSink(format, (t) => parts.push(t), options.prefixes ?? PREFIXES);
  for (const q of quads) sink.add(q);
  await sink.end();
  return parts.join('');
}

/** JSON-LD from quads, compacted with the given context when there is one. */
export async function toJsonLd(quads: Quad[], context?: unknown): Promise<object> {
  const expanded = (await jsonld.fromRDF(quads as never, { useNativeTypes: false } as never)) as unknown as object;
  if (context === undefined) return expanded;
  return jsonld.compact(expanded as never, context as never, { documentLoader: jsonldDocumentLoader() as never, compactArrays: true });
}
