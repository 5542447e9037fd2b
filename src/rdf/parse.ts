// Streaming RDF parsers. Input arrives in chunks and quads leave in batches, so memory stays flat
// however large the input is: nothing here keeps more than the current chunk and its quads.
import { EventEmitter } from 'node:events';
import { Parser as N3Parser } from 'n3';
import { dataFactory, type Quad } from './terms.js';
import { RdfXmlParser } from 'rdfxml-streaming-parser';
import { JsonLdParser } from 'jsonld-streaming-parser';
import type { Transform } from 'node:stream';
import { RdfSyntaxError } from './errors.js';
import type { RdfFormat } from './formats.js';
import { contextLoader, type ContextOptions } from './jsonld-contexts.js';
import { decodeUtf8 } from './decode.js';

export interface ParseOptions {
  format: RdfFormat;
  /** Base IRI for relative IRIs: the document's URL, or a local one for uploads. */
  baseIRI?: string;
  contexts?: ContextOptions;
}

export type Chunks = AsyncIterable<Uint8Array | string>;

const PIECE = 16 * 1024;
/** Quads handed on together (fewer, larger batches cost less per quad downstream). */
const BATCH = 2048;

const N3_FORMATS: Record<string, string> = {
  turtle: 'text/turtle',
  trig: 'application/trig',
  ntriples: 'application/n-triples',
  nquads: 'application/n-quads',
};

/** Parses a stream of chunks, yielding the quads of each chunk as one batch. */
export function parseQuads(input: Chunks, options: ParseOptions): AsyncGenerator<Quad[]> {
  if (options.format in N3_FORMATS) return parseN3(input, options);
  if (options.format === 'rdfxml') return parseTransform(input, rdfXmlParser(options), rdfXmlError);
  return parseJsonLd(input, options);
}

/** JSON-LD documents up to this size are checked with a strict JSON parser before any quad is released
 * (the streaming parser accepts some invalid JSON, such as trailing commas). Larger ones stream leniently. */
const STRICT_JSON_LIMIT = 64 * 1024 * 1024;

/** Deepest nesting of JSON arrays and objects read. jsonld-streaming-parser's work grows much faster
 * than the depth (400 nested arrays, 800 bytes, took 50 s of one core; 5,000 never ended, and the service
 * answered nothing meanwhile). DCAT in JSON-LD nests a dozen levels, GeoJSON in a @json literal a few more. */
export const MAX_JSON_DEPTH = 64;

/** Follows the nesting of JSON text given in pieces, without parsing it, and throws where it gets too deep. */
class JsonDepth {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private line = 1;
  private lineStart = 0;
  private offset = 0;

  check(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x0a) {
        this.line++;
        this.lineStart = this.offset + i + 1;
      } else if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 0x5c) this.escaped = true;
        else if (c === 0x22) this.inString = false;
      } else if (c === 0x22) this.inString = true;
      else if (c === 0x5b || c === 0x7b) {
        if (++this.depth > MAX_JSON_DEPTH)
          throw new RdfSyntaxError(`JSON nested more than ${MAX_JSON_DEPTH} arrays or objects deep; no JSON-LD document needs that many`, this.line, this.offset + i - this.lineStart + 1);
      } else if (c === 0x5d || c === 0x7d) this.depth--;
    }
    this.offset += text.length;
  }
}

async function* parseJsonLd(input: Chunks, options: ParseOptions): AsyncGenerator<Quad[]> {
  let text = '';
  const held: Quad[][] = [];
  let streaming = false;
  const depth = new JsonDepth();
  const tee = async function* () {
    for await (const t of decodeUtf8(input)) {
      // Before the parser sees it: a piece that nests too deep would keep it busy for minutes.
      depth.check(t);
      if (!streaming) {
        text += t;
        if (text.length > STRICT_JSON_LIMIT) {
          streaming = true;
          text = '';
        }
      }
      yield t;
    }
  };
  for await (const batch of parseTransform(tee(), jsonLdParser(options), jsonLdError)) {
    if (streaming) {
      yield* held.splice(0);
      yield batch;
    } else held.push(batch);
  }
  if (!streaming) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw jsonLdError(e as Error, text);
    }
    // A bare string, number or null is JSON but not JSON-LD, which the streaming parser reads as nothing.
    if (text.trim() !== '' && (typeof value !== 'object' || value === null))
      throw new RdfSyntaxError(`A JSON-LD document is an object or an array, not ${value === null ? 'null' : `a ${typeof value}`}`, 1, 1);
    yield* held;
  }
}

/** Parses a whole string; convenient for small documents and tests. */
export async function parseString(text: string, options: ParseOptions): Promise<Quad[]> {
  const all: Quad[] = [];
  for await (const batch of parseQuads(oneChunk(text), options)) for (const q of batch) all.push(q);
  return all;
}

async function* oneChunk(text: string): AsyncGenerator<string> {
  yield text;
}

// N3.js reads from anything with 'data' and 'end' events and calls back synchronously while it
// tokenises a chunk, so an emitter we drive ourselves turns it into a pull parser with no stream overhead.
async function* parseN3(input: Chunks, options: ParseOptions): AsyncGenerator<Quad[]> {
  const feed = new EventEmitter();
  const lines = new LineTracker();
  let batch: Quad[] = [];
  let error: RdfSyntaxError | undefined;
  const parser = new N3Parser({ format: N3_FORMATS[options.format], baseIRI: options.baseIRI, factory: dataFactory as never });
  parser.parse(feed as never, (err, quad) => {
    if (err) error ??= n3Error(err, lines);
    else if (quad) batch.push(quad as unknown as Quad);
  });
  for await (const whole of decodeUtf8(input, PIECE)) {
    // N3.js slices terms out of the text it is given, and a slice keeps its whole parent string alive
    // for as long as the term lives. Small pieces keep what records in the window retain small.
    for (let at = 0; at < whole.length && !error; at += PIECE) {
      const text = whole.length <= PIECE ? whole : whole.slice(at, at + PIECE);
      lines.add(text);
      emit(feed, 'data', text);
    }
    if (error) throw error;
    if (batch.length >= BATCH) {
      yield batch;
      batch = [];
    }
  }
  emit(feed, 'end');
  if (error) throw error;
  if (batch.length > 0) yield batch;

  /** Feeds the parser. Some malformed input makes N3.js fail with a TypeError of its own instead of a
   * syntax error (a prefix IRI that cannot be resolved, found by fuzzing): that is a syntax error too. */
  function emit(target: EventEmitter, event: 'data' | 'end', text?: string): void {
    try {
      target.emit(event, text);
    } catch (e) {
      const line = (parser as unknown as { _lexer?: { _line?: number } })._lexer?._line;
      error ??= e instanceof RdfSyntaxError ? e : new RdfSyntaxError(`Unreadable ${options.format} (${(e as Error).message})`, line);
    }
  }
}

interface N3ErrorContext {
  line?: number;
  token?: { start?: number; value?: string };
  previousToken?: { end?: number; line?: number };
}

function n3Error(err: Error, lines: LineTracker): RdfSyntaxError {
  const ctx = (err as Error & { context?: N3ErrorContext }).context ?? {};
  const line = ctx.line;
  let column: number | undefined;
  if (typeof ctx.token?.start === 'number') column = ctx.token.start + 1;
  // The previous token's end is a column on its own line: on a later line the error is found from its start.
  else if (line !== undefined) column = lines.firstNonBlankAfter(line, ctx.previousToken?.line === line ? (ctx.previousToken.end ?? 0) : 0);
  const message = err.message
    .replace(/\s+on line \d+\.?$/, '')
    // N3.js names the object it expected punctuation after, but has already let go of it.
    .replace(/^Expected punctuation to follow "undefined"$/, 'Expected "." (or "," or ";") after the object: a triple has three terms');
  return new RdfSyntaxError(message, line, column);
}

/** Remembers the last few pieces of text so that a lexer error can be given a column. Pieces are
 * kept as they are, not joined: newlines are counted only in a piece that drops out. */
class LineTracker {
  private readonly pieces: string[] = [];
  private length = 0;
  /** Line number at the start of the oldest kept piece. */
  private firstLine = 1;

  add(text: string): void {
    this.pieces.push(text);
    this.length += text.length;
    // Keep at least the last 64 KB.
    while (this.pieces.length > 1 && this.length - this.pieces[0].length >= 65536) {
      const old = this.pieces.shift()!;
      this.length -= old.length;
      this.firstLine += countNewlines(old, Infinity);
    }
  }

  lineText(line: number): string | undefined {
    if (line < this.firstLine) return undefined;
    const tail = this.pieces.join('');
    let start = 0;
    for (let l = this.firstLine; l < line; l++) {
      const nl = tail.indexOf('\n', start);
      if (nl < 0) return undefined;
      start = nl + 1;
    }
    // A line that began before the oldest kept piece cannot be told apart from a line that began in it.
    if (line === this.firstLine && this.firstLine > 1) return undefined;
    const end = tail.indexOf('\n', start);
    return tail.slice(start, end < 0 ? undefined : end);
  }

  firstNonBlankAfter(line: number, from: number): number | undefined {
    const text = this.lineText(line);
    if (text === undefined) return undefined;
    const start = from <= text.length ? from : 0;
    const m = /\S/.exec(text.slice(start));
    return (m ? start + m.index : start) + 1;
  }
}

function countNewlines(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Deepest nesting of XML elements read in RDF/XML. saxes (6.0.0) resolves each element's namespace
 * prefixes by walking up every open element, so its work grows with the square of the depth: 10,000
 * nested elements (600 kB) took 1 s of one core, 20,000 took 5 s, 40,000 took 20 s, and the service
 * answered nothing meanwhile (the validation endpoint needs no key). DCAT and GeoDCAT in RDF/XML nest
 * about 15 levels, an XML literal a few more; at this depth a 24 MB document reads in 3 s, flat 1.3 s. */
export const MAX_XML_DEPTH = 256;

interface SaxesInternals {
  close(): void;
  openTagHandler?: (tag: unknown) => void;
  tags: unknown[];
  line: number;
  column: number;
}

function rdfXmlParser(options: ParseOptions): Transform {
  const parser = new RdfXmlParser({ baseIRI: options.baseIRI, trackPosition: true, dataFactory: dataFactory as never });
  // The RDF/XML parser never tells its XML parser that the input has ended, so a document cut off in
  // the middle (an element left open) would pass as complete with the triples read so far. Closing it
  // at the end makes the XML parser report what is left open, with its line and column.
  const sax = (parser as unknown as { saxParser: SaxesInternals }).saxParser;
  // saxes takes one handler per event and the RDF/XML parser holds it: the depth is checked in front of
  // it (the element about to open has every open one above it). The error thrown leaves saxes' write,
  // and the RDF/XML parser turns it into a stream error.
  const onOpenTag = sax.openTagHandler;
  sax.openTagHandler = (tag) => {
    if (sax.tags.length >= MAX_XML_DEPTH)
      throw new RdfSyntaxError(`XML elements nested more than ${MAX_XML_DEPTH} deep; no RDF/XML document needs that many`, sax.line, sax.column);
    onOpenTag?.(tag);
  };
  const flush = (parser as unknown as Transform)._flush?.bind(parser);
  (parser as unknown as Transform)._flush = (callback) => {
    try {
      sax.close();
    } catch (e) {
      return callback(e as Error);
    }
    if (flush) flush(callback);
    else callback();
  };
  return parser as unknown as Transform;
}

function rdfXmlError(err: Error): RdfSyntaxError {
  if (err instanceof RdfSyntaxError) return err;
  // saxes reports "file:line:column: message"; the RDF/XML layer "... Line L column C".
  const m = /(\d+):(\d+):\s*(.*)$/s.exec(err.message) ?? /Line (\d+) column (\d+)/i.exec(err.message);
  if (m) {
    const message = err.message
      .replace(/^[^:]*:\d+:\d+:\s*/, '')
      .replace(/\s*\(?Line \d+ column \d+\)?/i, '')
      .replace(/^[:\s]+/, '');
    return new RdfSyntaxError(message, Number(m[1]), Number(m[2]));
  }
  return new RdfSyntaxError(err.message);
}

interface JsonLdUtil {
  valueToTerm(context: unknown, key: string, value: unknown, depth: number, keys: unknown[]): Promise<unknown[]>;
  parsingContext: { idStack: unknown[] };
}

function jsonLdParser(options: ParseOptions): Transform {
  const parser = new JsonLdParser({
    baseIRI: options.baseIRI,
    dataFactory: dataFactory as never,
    documentLoader: contextLoader(options.contexts),
    // Documents in the wild put @context after data; do not demand streaming order.
    streamingProfile: false,
  });
  // jsonld-streaming-parser (5.0.1) gives an empty node object ("contactPoint": {}) the blank node held
  // for the next depth, making one when there is none, and leaves it there: that stack is cleared only
  // when a key is read at that depth, which an empty object never has. So an empty object took the node
  // of the object before it in an array, and the empty and non-empty objects after it took its node
  // (contactPoint and spatial became one node), where JSON-LD makes each its own. An empty object gets
  // a node of its own here, forgotten as soon as it has it.
  const util = (parser as unknown as { util: JsonLdUtil }).util;
  const valueToTerm = util.valueToTerm.bind(util);
  util.valueToTerm = async (context, key, value, depth, keys) => {
    const empty = value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0;
    if (!empty) return valueToTerm(context, key, value, depth, keys);
    util.parsingContext.idStack[depth + 1] = undefined;
    const terms = await valueToTerm(context, key, value, depth, keys);
    util.parsingContext.idStack[depth + 1] = undefined;
    return terms;
  };
  return parser as unknown as Transform;
}

/** jsonld-streaming-parser reports JSON syntax errors with a character offset; turn it into line and column. */
function jsonLdError(err: Error, consumed: string): RdfSyntaxError {
  let m = /position (\d+)/i.exec(err.message) ?? /at (\d+)/.exec(err.message);
  if (!m && /^Unexpected .* in state /.test(err.message)) {
    // The streaming JSON tokenizer names no place ("Unexpected COMMA(",") in state KEY"); the strict
    // parser, given the text read so far, stops at the same mistake and says where it is.
    try {
      JSON.parse(consumed);
    } catch (strict) {
      const at = /position (\d+)/i.exec((strict as Error).message);
      if (at && Number(at[1]) < consumed.length) {
        err = new Error(`${(strict as Error).message.replace(/ \(line \d+ column \d+\)$/, '')} (${err.message})`);
        m = at;
      }
    }
  }
  if (m) {
    const pos = Number(m[1]);
    const before = consumed.slice(0, pos);
    const line = countNewlines(before, before.length) + 1;
    const column = pos - (before.lastIndexOf('\n') + 1) + 1;
    return new RdfSyntaxError(err.message, line, column);
  }
  return new RdfSyntaxError(err.message);
}

async function* parseTransform(
  input: Chunks,
  parser: Transform,
  toError: (err: Error, consumed: string) => RdfSyntaxError,
): AsyncGenerator<Quad[]> {
  let batch: Quad[] = [];
  let error: Error | undefined;
  // JSON-LD errors carry an offset into the whole text; keep the first 1 MB to turn it into line and column.
  let consumed = '';
  parser.on('data', (q: Quad) => batch.push(q));
  parser.on('error', (e: Error) => (error ??= e));
  const ended = new Promise<void>((resolve) => {
    parser.on('end', resolve);
    parser.on('error', () => resolve());
  });
  for await (const text of decodeUtf8(input)) {
    if (consumed.length < 1 << 20) consumed += text;
    await new Promise<void>((resolve) => parser.write(text, () => resolve()));
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (error) throw toError(error, consumed);
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
  }
  parser.end();
  await ended;
  if (error) throw toError(error, consumed);
  if (batch.length > 0) yield batch;
}
