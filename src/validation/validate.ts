// Runs a compiled profile (compile.ts) with ajv over record views (view.ts) and turns ajv's errors into
// SHACL validation results. Each schema definition is compiled once per profile and reused.
//
// A result's focus node is the node object the definition was run on; the fragment that failed is the
// outermost one carrying an "x-sh" annotation on the error's schema path (failures inside sh:node,
// sh:or, sh:not... count once, for the outer constraint, as SHACL counts them).
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Annotation, CompiledProfile, Component } from './compile.js';
import { recordView, viewNodes, type TypesOf, type ViewNode, type ViewValue } from './view.js';
import type { Quad, Term } from '../rdf/terms.js';
import type { Severity } from './shapes.js';
import { resultMessage } from './messages.js';
import { RecordSplitter } from '../dcat/split.js';
import { RDF_TYPE } from '../rdf/namespaces.js';

export interface ValidationResult {
  focusNode: string;
  resultPath?: string;
  /** The offending value: an IRI, "_:label", or a literal in N-Triples form. */
  value?: string;
  sourceShape: string;
  sourceConstraintComponent: `http://www.w3.org/ns/shacl#${Component}`;
  resultSeverity: `http://www.w3.org/ns/shacl#${Severity}`;
  message: { nl: string; en: string };
}

const SH = 'http://www.w3.org/ns/shacl#';

function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: false, validateSchema: false, code: { optimize: true } });
  // Annotations: read by this module, no validation of their own.
  for (const keyword of ['x-sh', 'x-shape', 'x-targets']) ajv.addKeyword({ keyword });
  ajv.addKeyword({
    keyword: 'x-pattern',
    schemaType: 'object',
    type: 'string',
    compile(schema: { source: string; flags: string }) {
      // XPath flags: s, m, i as in JavaScript; x drops whitespace from the expression; q quotes it.
      let source = schema.source;
      if (schema.flags.includes('q')) source = source.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      else if (schema.flags.includes('x')) source = source.replace(/\s+/g, '');
      const re = new RegExp(source, `u${[...new Set(schema.flags.replace(/[^ims]/g, ''))].join('')}`);
      return (data: string) => re.test(data);
    },
  });
  ajv.addKeyword({
    keyword: 'x-uniqueLang',
    type: 'array',
    errors: true,
    validate: function uniqueLang(this: unknown, _schema: boolean, data: ViewValue[]) {
      const counts = new Map<string, number>();
      for (const v of data) {
        const lang = (v as { '@language'?: string })['@language'];
        if (lang) counts.set(lang.toLowerCase(), (counts.get(lang.toLowerCase()) ?? 0) + 1);
      }
      const repeated = [...counts].filter(([, n]) => n > 1).map(([l]) => l);
      (uniqueLang as unknown as { errors: Partial<ErrorObject>[] }).errors = repeated.map((language) => ({ keyword: 'x-uniqueLang', params: { language } }));
      return repeated.length === 0;
    },
  });
  ajv.addKeyword({
    keyword: 'x-range',
    schemaType: 'object',
    compile(schema: { op: string; value: string; datatype: string }) {
      const bound = comparable(schema.value, schema.datatype);
      return (data: ViewValue) => {
        if (typeof data !== 'object' || data === null || !('@value' in data) || bound === undefined) return false;
        const literal = data as { '@value': string; '@type'?: string };
        const v = comparable(literal['@value'], literal['@type'] ?? '');
        if (v === undefined || typeof v !== typeof bound) return false;
        switch (schema.op) {
          case 'minInclusive':
            return v >= bound;
          case 'maxInclusive':
            return v <= bound;
          case 'minExclusive':
            return v > bound;
          default:
            return v < bound;
        }
      };
    },
  });
  return ajv;
}

const NUMERIC = /#(decimal|integer|int|long|short|byte|double|float|nonNegativeInteger|positiveInteger|negativeInteger|nonPositiveInteger|unsigned\w+)$/;
const TEMPORAL = /#(date|dateTime|dateTimeStamp)$/;

/** A literal as a number or a time, when its datatype says it is one. */
function comparable(value: string, datatype: string): number | undefined {
  if (NUMERIC.test(datatype)) {
    const n = Number(value);
    return Number.isNaN(n) ? undefined : n;
  }
  if (TEMPORAL.test(datatype)) {
    const t = Date.parse(value);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** A view value as a term string: IRI, "_:label", or an N-Triples literal. */
export function termString(v: ViewValue | ViewNode): string {
  if ('@value' in v) {
    const text = JSON.stringify(v['@value']);
    if (v['@language']) return `${text}@${v['@language']}`;
    return v['@type'] && v['@type'] !== 'http://www.w3.org/2001/XMLSchema#string' ? `${text}^^<${v['@type']}>` : text;
  }
  return v['@id'];
}

export class ProfileValidator {
  private readonly byDef = new Map<string, ValidateFunction>();
  private readonly defs: CompiledProfile['$defs'];

  constructor(
    private readonly profile: CompiledProfile,
    private readonly typesOf: TypesOf = () => undefined,
  ) {
    const ajv = createAjv();
    ajv.addSchema(profile as unknown as object);
    this.defs = profile.$defs;
    for (const name of Object.keys(profile.$defs)) {
      const fn = ajv.getSchema(`${profile.$id}#/$defs/${name}`);
      if (!fn) throw new Error(`profile ${profile.$id}: definition ${name} did not compile`);
      this.byDef.set(name, fn);
    }
  }

  /** Validates the triples of one record, rooted at its main resource. `typesOf` tells the types of
   * resources described outside the record (other records of the same document), which SHACL would see
   * in the data graph; the profile's vocabularies are consulted after it. */
  validateRecord(root: Term, quads: readonly Quad[], typesOf?: TypesOf): ValidationResult[] {
    const lookup: TypesOf = typesOf ? (iri) => typesOf(iri) ?? this.typesOf(iri) : this.typesOf;
    return this.validateView(recordView(root, quads, lookup));
  }

  /** Validates a whole document: every record it splits into, with the types the document states. */
  validateDocument(quads: readonly Quad[]): ValidationResult[] {
    const types = typeIndex(quads);
    const splitter = new RecordSplitter();
    const records = [...splitter.push([...quads]), ...splitter.end()];
    const results = new Map<string, ValidationResult>();
    for (const r of records) for (const x of this.validateRecord(r.root, r.quads, (iri) => types.get(iri))) results.set(resultKey(x), x);
    return [...results.values()];
  }

  validateView(view: ViewNode): ValidationResult[] {
    const results = new Map<string, ValidationResult>();
    const targets = this.profile['x-targets'];
    for (const node of viewNodes(view)) {
      const defs = new Set<string>();
      for (const t of node['@type'] ?? []) for (const d of targets.classes[t] ?? []) defs.add(d);
      for (const d of targets.nodes[node['@id']] ?? []) defs.add(d);
      for (const [p, ds] of Object.entries(targets.subjectsOf)) if (p in node) for (const d of ds) defs.add(d);
      for (const def of defs) {
        const fn = this.byDef.get(def)!;
        if (fn(node)) continue;
        for (const e of fn.errors ?? []) for (const r of this.toResults(def, node, e)) results.set(resultKey(r), r);
      }
    }
    return [...results.values()];
  }

  private annotationFor(def: string, schemaPath: string): Annotation | undefined {
    // "#/allOf/i/..." or "#/allOf/i/allOf/j/...": fragments sit at one of these two depths.
    const seg = schemaPath.split('/');
    const root = this.defs[def] as { allOf?: Record<string, unknown>[] };
    if (seg[1] !== 'allOf') return undefined;
    const outer = root.allOf?.[Number(seg[2])] as { 'x-sh'?: Annotation; allOf?: Record<string, unknown>[] } | undefined;
    if (!outer) return undefined;
    if (outer['x-sh']) return outer['x-sh'];
    if (seg[3] !== 'allOf') return undefined;
    return (outer.allOf?.[Number(seg[4])] as { 'x-sh'?: Annotation } | undefined)?.['x-sh'];
  }

  private toResults(def: string, focus: ViewNode, e: ErrorObject): ValidationResult[] {
    const ann = this.annotationFor(def, relativeSchemaPath(e.schemaPath, def));
    if (!ann) return [];
    const base = (path: string | undefined, value: string | undefined, param?: unknown): ValidationResult => ({
      focusNode: focus['@id'],
      ...(path ? { resultPath: path } : {}),
      ...(value !== undefined ? { value } : {}),
      sourceShape: ann.shape,
      sourceConstraintComponent: `${SH}${ann.component}`,
      resultSeverity: `${SH}${ann.severity}`,
      message: resultMessage(ann, value, param),
    });
    const seg = e.instancePath.split('/').slice(1).map(unescapePointer);
    switch (ann.level) {
      case 'focus':
        return [base(undefined, focus['@id'])];
      case 'count':
        return [base(ann.path, undefined)];
      case 'lang':
        return [base(ann.path, undefined, (e.params as { language?: string }).language)];
      case 'value': {
        const values = focus[seg[0]] as ViewValue[] | undefined;
        const v = values?.[Number(seg[1])];
        return [base(ann.path, v ? termString(v) : undefined)];
      }
      case 'closed': {
        const p = (e.params as { propertyName?: string }).propertyName;
        if (!p) return [];
        const values = p === '@type' ? (focus['@type'] ?? []).map((t) => ({ '@id': t })) : ((focus[p] as ViewValue[] | undefined) ?? []);
        const path = p === '@type' ? 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type' : p;
        return values.map((v) => base(path, termString(v as ViewValue)));
      }
    }
  }
}

/** ajv reports schema paths from the root of the compiled definition ("#/allOf/...") or, for a
 * definition reached by reference, with its location ("#/$defs/s3/allOf/..."): make them relative. */
function relativeSchemaPath(path: string, def: string): string {
  const prefix = `#/$defs/${def}`;
  return path.startsWith(prefix) ? `#${path.slice(prefix.length)}` : path;
}

/** IRI -> the classes the triples give it. */
export function typeIndex(quads: Iterable<Quad>): Map<string, string[]> {
  const types = new Map<string, string[]>();
  for (const q of quads)
    if (q.predicate.value === RDF_TYPE && q.subject.termType === 'NamedNode' && q.object.termType === 'NamedNode') {
      const list = types.get(q.subject.value);
      if (!list) types.set(q.subject.value, [q.object.value]);
      else if (!list.includes(q.object.value)) list.push(q.object.value);
    }
  return types;
}

function resultKey(r: ValidationResult): string {
  return `${r.focusNode}\n${r.resultPath ?? ''}\n${r.sourceConstraintComponent}\n${r.sourceShape}\n${r.value ?? ''}`;
}
