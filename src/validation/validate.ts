// Runs a compiled profile (compile.ts) over record views (view.ts) and reports SHACL validation results.
// ajv compiles every annotated fragment of the profile's schema once into a boolean validator; a shape
// is applied to a node by running its fragments, count-level ones on the node and value-level ones on
// each value, so each failure is one result and no error objects are made or decoded. Failures inside
// sh:node, sh:or, sh:not... are one failure of the outer fragment, as SHACL counts them.
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject } from 'ajv';
import type { Annotation, CompiledProfile, Component } from './compile.js';
import { recordView, viewNodes, type PathStep, type TypesOf, type ViewLiteral, type ViewNode, type ViewValue } from './view.js';
import type { Quad, Term } from '../rdf/terms.js';
import type { Severity } from './shapes.js';
import type { Described } from './vocabularies.js';
import { resultMessage } from './messages.js';
import { RecordSplitter } from '../dcat/split.js';
import { PREFIXES, RDF_TYPE } from '../rdf/namespaces.js';

export interface ValidationResult {
  focusNode: string;
  resultPath?: string;
  /** The offending value: an IRI, "_:label", or a literal in N-Triples form. */
  value?: string;
  sourceShape: string;
  sourceConstraintComponent: `http://www.w3.org/ns/shacl#${Component}`;
  resultSeverity: `http://www.w3.org/ns/shacl#${Severity}`;
  /** Identifies the result within its profile (constraint, focus node, value), for de-duplication. */
  readonly key: string;
  /** What the message is made from; messages are written only when a report is (see messageOf). */
  readonly annotation: Annotation;
  readonly param?: unknown;
}

/** The result's message in Dutch and English. */
export function messageOf(r: ValidationResult): { nl: string; en: string } {
  return resultMessage(r.annotation, r.value, r.param);
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

function makeResult(check: number, focusNode: string, ann: Annotation, path: string | undefined, value: string | undefined, param?: unknown): ValidationResult {
  const r: ValidationResult = {
    key: `${check} ${focusNode} ${value ?? param ?? ''}`,
    focusNode,
    sourceShape: ann.shape,
    sourceConstraintComponent: `${SH}${ann.component}`,
    resultSeverity: `${SH}${ann.severity}`,
    annotation: ann,
    param,
  };
  // A path other than a predicate is reported in SPARQL property path syntax.
  if (path) r.resultPath = path.startsWith('path:') ? path.slice(5) : path;
  if (value !== undefined) r.value = value;
  return r;
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

/** One constraint of a shape, ready to run: a boolean check on the focus node or on each value. */
interface Check {
  /** Unique within the profile: with the focus node and the value it identifies a result. */
  id: number;
  ann: Annotation;
  level: Annotation['level'];
  /** The predicate whose values a value-level check tests. */
  key?: string;
  test?: (data: unknown) => boolean;
  allowed?: Set<string>;
  /** Cardinality checked directly (most properties are absent, and counting needs no schema run). */
  min?: number;
  max?: number;
}

export class ProfileValidator {
  private readonly checks = new Map<string, Check[]>();
  private readonly byClass: Map<string, string[]>;
  private readonly byNode: Map<string, string[]>;
  private readonly bySubjectOf: [string, string[]][];
  /** sh:targetObjectsOf: predicate -> definitions applied to each of its objects. */
  private readonly byObjectOf: [string, string[]][];
  private readonly paths: [string, PathStep][];
  /** Predicates followed backwards by some path: the document's triples with them are indexed. */
  private readonly inversePredicates = new Set<string>();

  private readonly typesOf: TypesOf;
  private readonly describe?: (iri: string) => Described | undefined;

  constructor(profile: CompiledProfile, options: { typesOf?: TypesOf; layers?: string[]; describe?: (iri: string) => Described | undefined } = {}) {
    this.typesOf = options.typesOf ?? (() => undefined);
    this.describe = options.describe;
    const layers = options.layers ? new Set(options.layers) : undefined;
    // Every annotated fragment is compiled on its own into a boolean validator (no error objects):
    // a failing fragment is one result, and a value-level fragment is run on each value.
    const ajv = createAjv();
    const targets = profile['x-targets'];
    this.byClass = new Map(Object.entries(targets.classes));
    this.byNode = new Map(Object.entries(targets.nodes));
    this.bySubjectOf = Object.entries(targets.subjectsOf);
    this.byObjectOf = Object.entries(targets.objectsOf ?? {});
    this.paths = Object.entries(profile['x-paths'] ?? {});
    const collect = (s: PathStep): void => {
      if ('inverse' in s) this.inversePredicates.add(s.inverse);
      else if ('alternative' in s) s.alternative.forEach(collect);
      else if ('sequence' in s) s.sequence.forEach(collect);
    };
    for (const [, s] of this.paths) collect(s);
    const compiled = new Map<string, (data: unknown) => boolean>();
    const compile = (schema: object) => {
      const k = JSON.stringify(schema);
      let fn = compiled.get(k);
      if (!fn) compiled.set(k, (fn = ajv.compile(schema) as (data: unknown) => boolean));
      return fn;
    };
    const ids = new Map<string, number>();
    for (const [name, def] of Object.entries(profile.$defs)) {
      const list: Check[] = [];
      for (const fragment of fragmentsOf(def)) {
        const { 'x-sh': ann, ...schema } = fragment as { 'x-sh': Annotation } & Record<string, unknown>;
        if (layers && ann.layer && !layers.has(ann.layer)) continue;
        // The same property shape can sit under several node shapes: one id per shape and constraint.
        const semantic = `${ann.shape} ${ann.component} ${JSON.stringify(ann.param ?? null)}`;
        let id = ids.get(semantic);
        if (id === undefined) ids.set(semantic, (id = ids.size));
        switch (ann.level) {
          case 'value': {
            const [key, inner] = Object.entries(schema.properties as Record<string, { items: object }>)[0];
            list.push({ id, ann, level: 'value', key, test: compile(inner.items) });
            break;
          }
          case 'lang':
            list.push({ id, ann, level: 'lang', key: ann.path });
            break;
          case 'closed':
            list.push({ id, ann, level: 'closed', allowed: new Set((schema.propertyNames as { enum: string[] }).enum) });
            break;
          default:
            if (ann.component === 'MinCountConstraintComponent') list.push({ id, ann, level: 'count', key: ann.path, min: ann.param as number });
            else if (ann.component === 'MaxCountConstraintComponent') list.push({ id, ann, level: 'count', key: ann.path, max: ann.param as number });
            else list.push({ id, ann, level: ann.level, key: ann.path, test: compile(schema) });
        }
      }
      this.checks.set(name, list);
    }
  }

  /** Validates the triples of one record, rooted at its main resource. `typesOf` tells the types of
   * resources described outside the record (other records of the same document), which SHACL would see
   * in the data graph; the profile's vocabularies are consulted after it. */
  validateRecord(root: Term, quads: readonly Quad[], typesOf?: TypesOf, incoming?: (iri: string) => readonly Quad[] | undefined, objects?: ObjectTargets): ValidationResult[] {
    const lookup: TypesOf = typesOf ? (iri) => typesOf(iri) ?? this.typesOf(iri) : this.typesOf;
    return this.validateView(recordView(root, quads, { typesOf: lookup, describe: this.describe, paths: this.paths.length > 0 ? this.paths : undefined, incoming }), objects);
  }

  /** Validates a whole document: every record it splits into, with the types the document states. */
  validateDocument(quads: readonly Quad[]): ValidationResult[] {
    const types = typeIndex(quads);
    const incoming = new Map<string, Quad[]>();
    if (this.inversePredicates.size > 0)
      for (const q of quads)
        if (this.inversePredicates.has(q.predicate.value) && q.object.termType !== 'Literal') {
          const k = q.object.termType === 'BlankNode' ? `_:${q.object.value}` : q.object.value;
          let list = incoming.get(k);
          if (!list) incoming.set(k, (list = []));
          list.push(q);
        }
    // sh:targetObjectsOf over the whole document: the object may be described in another record.
    let objects: ObjectTargets | undefined;
    if (this.byObjectOf.length > 0) {
      const targeted = new Map<string, string[]>();
      const subjects = new Set<string>();
      const wanted = new Map(this.byObjectOf);
      for (const q of quads) {
        subjects.add(q.subject.termType === 'BlankNode' ? `_:${q.subject.value}` : q.subject.value);
        const ds = wanted.get(q.predicate.value);
        if (!ds || q.object.termType === 'Literal') continue;
        const k = q.object.termType === 'BlankNode' ? `_:${q.object.value}` : q.object.value;
        const list = targeted.get(k);
        if (!list) targeted.set(k, [...ds]);
        else for (const d of ds) if (!list.includes(d)) list.push(d);
      }
      objects = { defsOf: (id) => targeted.get(id), described: (id) => subjects.has(id) };
    }
    const splitter = new RecordSplitter();
    const records = [...splitter.push([...quads]), ...splitter.end()];
    const results = new Map<string, ValidationResult>();
    for (const r of records)
      for (const x of this.validateRecord(r.root, r.quads, (iri) => types.get(iri), (iri) => incoming.get(iri), objects)) results.set(x.key, x);
    return [...results.values()];
  }

  validateView(view: ViewNode, objects?: ObjectTargets): ValidationResult[] {
    const results = new Map<string, ValidationResult>();
    const add = (r: ValidationResult) => results.set(r.key, r);
    const run = (node: ViewNode, defs: string[]) => {
      const plan = this.planFor(defs);
      for (const c of plan.always) runCheck(c, node, add);
      // Value checks run only for the properties the node has: most shapes' properties are absent.
      for (const key in node) {
        const checks = plan.byKey.get(key);
        if (checks) for (const c of checks) runCheck(c, node, add);
      }
    };
    // A literal focus node (sh:targetObjectsOf a predicate with literal objects, SHACL 2.1.3.4) has no
    // properties: its node-level constraints (class, datatype, node kind, sh:node...) test the literal
    // itself, and its property shapes see no values (min counts and sh:hasValue fail).
    const runLiteral = (literal: ViewLiteral, defs: string[]) => {
      const id = termString(literal);
      for (const c of this.planFor(defs).always) if (c.level !== 'closed') runCheck(c, literal, add, id);
    };
    // sh:targetObjectsOf: the document's objects of the predicate (validateDocument), or else this
    // record's. An object the document does not describe at all is a focus node without properties,
    // validated here; one described in another record is validated with that record.
    let objectDefs: ((id: string) => readonly string[] | undefined) | undefined;
    const bare = new Map<string, ViewNode>();
    const literals = new Map<string, { literal: ViewLiteral; defs: string[] }>();
    if (this.byObjectOf.length > 0) {
      const local = new Map<string, string[]>();
      const described = new Set<string>();
      for (const node of viewNodes(view)) {
        described.add(node['@id']);
        for (const [p, ds] of this.byObjectOf)
          for (const v of (node[p] as ViewValue[] | undefined) ?? []) {
            if (!('@id' in v)) {
              // Literals are described nowhere: each is validated with the record that has it.
              const k = termString(v);
              const entry = literals.get(k);
              if (!entry) literals.set(k, { literal: v, defs: [...ds] });
              else for (const d of ds) if (!entry.defs.includes(d)) entry.defs.push(d);
              continue;
            }
            const list = local.get(v['@id']);
            if (!list) local.set(v['@id'], [...ds]);
            else for (const d of ds) if (!list.includes(d)) list.push(d);
            if (v['@ref'] && objects && !objects.described(v['@id'])) bare.set(v['@id'], v);
          }
      }
      for (const id of described) bare.delete(id);
      objectDefs = objects ? objects.defsOf : (id) => local.get(id);
    }
    const defs: string[] = [];
    for (const node of viewNodes(view)) {
      defs.length = 0;
      for (const t of node['@type'] ?? []) for (const d of this.byClass.get(t) ?? []) defs.push(d);
      if (this.byNode.size > 0) for (const d of this.byNode.get(node['@id']) ?? []) defs.push(d);
      for (const [p, ds] of this.bySubjectOf) if (p in node) for (const d of ds) defs.push(d);
      if (objectDefs) for (const d of objectDefs(node['@id']) ?? []) defs.push(d);
      if (defs.length > 0) run(node, defs);
    }
    for (const [id, node] of bare) {
      defs.length = 0;
      for (const t of node['@type'] ?? []) for (const d of this.byClass.get(t) ?? []) defs.push(d);
      if (this.byNode.size > 0) for (const d of this.byNode.get(id) ?? []) defs.push(d);
      for (const d of objectDefs!(id) ?? []) defs.push(d);
      if (defs.length > 0) run(node, defs);
    }
    for (const { literal, defs: ds } of literals.values()) runLiteral(literal, ds);
    return [...results.values()];
  }

  private readonly plans = new Map<string, Plan>();

  /** The checks of a set of definitions, each constraint once, grouped for the walk above. */
  private planFor(defs: string[]): Plan {
    const key = defs.length === 1 ? defs[0] : [...new Set(defs)].sort().join(' ');
    let plan = this.plans.get(key);
    if (!plan) {
      const seen = new Set<number>();
      plan = { always: [], byKey: new Map() };
      for (const d of new Set(defs))
        for (const c of this.checks.get(d)!) {
          if (seen.has(c.id)) continue;
          seen.add(c.id);
          if (c.level === 'value') {
            const list = plan.byKey.get(c.key!);
            if (list) list.push(c);
            else plan.byKey.set(c.key!, [c]);
          } else plan.always.push(c);
        }
      this.plans.set(key, plan);
    }
    return plan;
  }
}

/** sh:targetObjectsOf across a document: the definitions that apply to a node (IRI or "_:label") as
 * the object of a targeted predicate, and whether the document describes the node (has triples about it). */
export interface ObjectTargets {
  defsOf: (id: string) => readonly string[] | undefined;
  described: (id: string) => boolean;
}

interface Plan {
  /** Checks on the node as a whole (cardinality, node-level constraints, closed, uniqueLang). */
  always: Check[];
  /** Value-level checks by property. */
  byKey: Map<string, Check[]>;
}

/** Runs one check on a focus node: a node object, or a literal (then `id` is its N-Triples form). */
function runCheck(c: Check, focus: ViewNode | ViewLiteral, add: (r: ValidationResult) => void, id: string = (focus as ViewNode)['@id']): void {
  // A literal has no properties: looking one up finds nothing.
  const node = focus as ViewNode;
  switch (c.level) {
    case 'focus':
      if (!c.test!(focus)) add(makeResult(c.id, id, c.ann, undefined, id));
      return;
    case 'count': {
      if (c.min !== undefined || c.max !== undefined) {
        const n = (node[c.key!] as unknown[] | undefined)?.length ?? 0;
        if ((c.min !== undefined && n < c.min) || (c.max !== undefined && n > c.max)) add(makeResult(c.id, id, c.ann, c.ann.path, undefined));
      } else if (!c.test!(focus)) add(makeResult(c.id, id, c.ann, c.ann.path, undefined));
      return;
    }
    case 'value': {
      const values = node[c.key!] as ViewValue[] | undefined;
      if (values) for (const v of values) if (!c.test!(v)) add(makeResult(c.id, id, c.ann, c.ann.path, termString(v)));
      return;
    }
    case 'lang': {
      const values = (node[c.key!] as ViewValue[] | undefined) ?? [];
      const seen = new Set<string>();
      const reported = new Set<string>();
      for (const v of values) {
        const lang = (v as { '@language'?: string })['@language']?.toLowerCase();
        if (!lang) continue;
        if (seen.has(lang) && !reported.has(lang)) {
          reported.add(lang);
          add(makeResult(c.id, id, c.ann, c.ann.path, undefined, lang));
        }
        seen.add(lang);
      }
      return;
    }
    case 'closed':
      for (const p of Object.keys(node)) {
        if (c.allowed!.has(p)) continue;
        if (p === '@type') for (const t of node['@type'] ?? []) add(makeResult(c.id, id, c.ann, `${PREFIXES.rdf}type`, t));
        else if (!p.startsWith('@')) for (const v of node[p] as ViewValue[]) add(makeResult(c.id, id, c.ann, p, termString(v)));
      }
  }
}

/** The annotated fragments of a definition: at the top of its allOf, or one level down (a property
 * shape's group of constraints). */
function* fragmentsOf(def: Record<string, unknown>): Generator<Record<string, unknown>> {
  for (const part of (def.allOf as Record<string, unknown>[] | undefined) ?? []) {
    if (part['x-sh']) yield part;
    else for (const inner of (part.allOf as Record<string, unknown>[] | undefined) ?? []) if (inner['x-sh']) yield inner;
  }
}

/** IRI (or "_:label" of a blank node) -> the classes the triples give it. Blank nodes count: a
 * distribution's access service or a catalogue's record is often a blank node typed in the record the
 * splitter cuts it into (dcat:DataService is a record of its own), and sh:class looks at its rdf:type
 * in the whole data graph. Labels are those of one parsed document, so the index is per document. */
export function typeIndex(quads: Iterable<Quad>): Map<string, string[]> {
  const types = new Map<string, string[]>();
  for (const q of quads)
    if (q.predicate.value === RDF_TYPE && (q.subject.termType === 'NamedNode' || q.subject.termType === 'BlankNode') && q.object.termType === 'NamedNode') {
      const k = q.subject.termType === 'BlankNode' ? `_:${q.subject.value}` : q.subject.value;
      const list = types.get(k);
      if (!list) types.set(k, [q.object.value]);
      else if (!list.includes(q.object.value)) list.push(q.object.value);
    }
  return types;
}
