// A small namespace-aware element tree for harvested XML (ISO 19139 records, CSW responses), built on
// saxes, a strict, non-validating streaming parser. Harvested documents come from servers we do not
// control, so the tree is built defensively: no DTD is ever processed (saxes skips the internal subset
// and expands only the five predefined entities and character references), a DOCTYPE that declares
// entities or points at an external DTD is refused outright, and nesting depth is bounded.
import { SaxesParser, type SaxesTagNS } from '@rubensworks/saxes';

export interface XmlElement {
  /** Namespace IRI; '' when the element has none. */
  readonly ns: string;
  readonly local: string;
  /** The name as written, prefix included, for messages. */
  readonly name: string;
  /** Attributes keyed by `{namespace}local`, or `local` for attributes without a namespace. */
  readonly attrs: ReadonlyMap<string, string>;
  readonly children: readonly XmlNode[];
  readonly line: number;
  readonly column: number;
}
export type XmlNode = XmlElement | string;

interface MutableElement extends XmlElement {
  readonly children: XmlNode[];
}

/** The document is well-formed XML but asks for something we refuse to do (entities, external DTDs, absurd nesting). */
export class XmlSecurityError extends Error {
  override readonly name = 'XmlSecurityError';
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${message} (line ${line}, column ${column})`);
  }
}

/** The document is not well-formed XML. */
export class XmlParseError extends Error {
  override readonly name = 'XmlParseError';
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${message} (line ${line}, column ${column})`);
  }
}

export interface ParseXmlOptions {
  /** Deepest element nesting accepted; ISO 19139 records nest about 20 levels. */
  maxDepth?: number;
}

const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
const DEFAULT_MAX_DEPTH = 256;

export function parseXml(text: string, options: ParseXmlOptions = {}): XmlElement {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: MutableElement[] = [];
  let root: MutableElement | undefined;

  parser.on('doctype', (doctype) => {
    // Both forms are the doors to entity expansion (billion laughs) and to reading files or URLs (XXE);
    // no ISO record needs either.
    if (/<!ENTITY/i.test(doctype) || /^\s*\S+\s+(SYSTEM|PUBLIC)\b/i.test(doctype)) {
      const { line, column } = positionOf(source, source.indexOf('<!DOCTYPE'));
      throw new XmlSecurityError('DOCTYPE declares entities or an external DTD; such documents are refused', line, column);
    }
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    if (stack.length >= maxDepth) throw new XmlSecurityError(`elements nest deeper than ${maxDepth} levels`, parser.line, parser.column);
    const attrs = new Map<string, string>();
    for (const a of Object.values(tag.attributes)) {
      if (a.uri === XMLNS_NS || a.name === 'xmlns') continue;
      attrs.set(a.uri ? `{${a.uri}}${a.local}` : a.local, a.value);
    }
    const el: MutableElement = { ns: tag.uri, local: tag.local, name: tag.name, attrs, children: [], line: parser.line, column: parser.column };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else root = el;
    stack.push(el);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.on('text', (t) => {
    stack[stack.length - 1]?.children.push(t);
  });
  parser.on('cdata', (t) => {
    stack[stack.length - 1]?.children.push(t);
  });
  parser.on('error', (e) => {
    throw new XmlParseError(e.message.replace(/^(?:[^:]*:)?\d+:\d+: /, ''), parser.line, parser.column);
  });

  parser.write(source).close();
  if (!root) throw new XmlParseError('the document has no root element', parser.line, parser.column);
  return root;
}

function positionOf(text: string, index: number): { line: number; column: number } {
  if (index < 0) return { line: 1, column: 1 };
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: index - lineStart + 1 };
}
