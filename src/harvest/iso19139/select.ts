// Reading an ISO 19139 element tree by short paths such as 'gmd:citation/*/gmd:title', the way the
// standard's own documents and mappings name elements. Prefixes are fixed here, not taken from the
// document, so a record that binds gmd to another prefix (or uses a default namespace) reads the same.
import type { XmlElement } from './xml.js';

export const NS = {
  gmd: 'http://www.isotc211.org/2005/gmd',
  gco: 'http://www.isotc211.org/2005/gco',
  gmx: 'http://www.isotc211.org/2005/gmx',
  gmi: 'http://www.isotc211.org/2005/gmi',
  srv: 'http://www.isotc211.org/2005/srv',
  xlink: 'http://www.w3.org/1999/xlink',
  csw: 'http://www.opengis.net/cat/csw/2.0.2',
} as const;

/** GML 3.1 and 3.2 both occur in ISO 19139 records; temporal extents read the same in either. */
const GML = new Set(['http://www.opengis.net/gml', 'http://www.opengis.net/gml/3.2']);

interface Step {
  ns: string | 'gml' | null;
  local: string | null;
}

const compiled = new Map<string, Step[]>();

function compile(path: string): Step[] {
  let steps = compiled.get(path);
  if (!steps) {
    steps = path.split('/').map((part) => {
      if (part === '*') return { ns: null, local: null };
      const colon = part.indexOf(':');
      const prefix = part.slice(0, colon);
      const local = part.slice(colon + 1);
      if (prefix === 'gml') return { ns: 'gml', local };
      const ns = NS[prefix as keyof typeof NS];
      if (!ns) throw new Error(`unknown prefix in path ${path}`);
      return { ns, local: local === '*' ? null : local };
    });
    compiled.set(path, steps);
  }
  return steps;
}

function matches(el: XmlElement, step: Step): boolean {
  if (step.local !== null && el.local !== step.local) return false;
  if (step.ns === null) return true;
  return step.ns === 'gml' ? GML.has(el.ns) : el.ns === step.ns;
}

/** Every element reached from `el` by the path, in document order. */
export function all(el: XmlElement | undefined, path: string): XmlElement[] {
  if (!el) return [];
  let current: XmlElement[] = [el];
  for (const step of compile(path)) {
    const next: XmlElement[] = [];
    for (const c of current) for (const child of c.children) if (typeof child !== 'string' && matches(child, step)) next.push(child);
    current = next;
    if (current.length === 0) break;
  }
  return current;
}

export function first(el: XmlElement | undefined, path: string): XmlElement | undefined {
  return all(el, path)[0];
}

/** Child elements of `el`, whatever their names. */
export function elements(el: XmlElement | undefined): XmlElement[] {
  return el ? (el.children.filter((c) => typeof c !== 'string') as XmlElement[]) : [];
}

export function is(el: XmlElement | undefined, name: string): boolean {
  const [step] = compile(name);
  return !!el && matches(el, step);
}

/** An attribute by prefixed name ('xlink:href') or plain name ('codeListValue'). */
export function attr(el: XmlElement | undefined, name: string): string | undefined {
  if (!el) return undefined;
  const colon = name.indexOf(':');
  if (colon === -1) return el.attrs.get(name);
  const ns = name.startsWith('gml:') ? undefined : NS[name.slice(0, colon) as keyof typeof NS];
  const local = name.slice(colon + 1);
  if (ns) return el.attrs.get(`{${ns}}${local}`);
  for (const uri of GML) {
    const v = el.attrs.get(`{${uri}}${local}`);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** The XPath string value: all descendant text, as written. */
export function text(el: XmlElement | undefined): string {
  if (!el) return '';
  let out = '';
  for (const c of el.children) out += typeof c === 'string' ? c : text(c);
  return out;
}

/** XPath normalize-space. */
export function norm(s: string | undefined): string {
  return s ? s.replace(/[ \t\r\n]+/g, ' ').trim() : '';
}

/** Normalised text of the first element on the path, '' when there is none. */
export function value(el: XmlElement | undefined, path: string): string {
  return norm(text(first(el, path)));
}

/** A code list value: the codeListValue attribute, or the element's text where a record leaves that out. */
export function codeValue(el: XmlElement | undefined): string {
  return norm(attr(el, 'codeListValue')) || norm(text(el));
}
