// Compiles a SHACL shapes model (shapes.ts) into one JSON Schema 2020-12 document for the record view
// (view.ts). Every shape becomes a definition; every constraint of a shape becomes one fragment of
// that definition, annotated with "x-sh" (the shape, constraint component, path and severity), so that
// a failure of the fragment is exactly one SHACL validation result. Which shapes apply to which nodes
// (targets) is listed in "x-targets"; the validator walks the view's nodes and runs the definitions.
//
// Standard keywords do almost everything. Three custom ones (registered by validate.ts) cover what JSON
// Schema cannot say: "x-pattern" (a regular expression with SHACL flags), "x-uniqueLang", and "x-range"
// (comparing literals by their datatype). What cannot be compiled at all is listed in the report.
import type { Path, RdfValue, Shape, ShapesGraph, NodeKind } from './shapes.js';
import type { PathStep } from './view.js';
import { PREFIXES } from '../rdf/namespaces.js';

const XSD = PREFIXES.xsd;
const RDF_LANGSTRING = `${PREFIXES.rdf}langString`;

export type Component =
  | 'ClassConstraintComponent'
  | 'DatatypeConstraintComponent'
  | 'NodeKindConstraintComponent'
  | 'MinCountConstraintComponent'
  | 'MaxCountConstraintComponent'
  | 'MinInclusiveConstraintComponent'
  | 'MaxInclusiveConstraintComponent'
  | 'MinExclusiveConstraintComponent'
  | 'MaxExclusiveConstraintComponent'
  | 'MinLengthConstraintComponent'
  | 'MaxLengthConstraintComponent'
  | 'PatternConstraintComponent'
  | 'LanguageInConstraintComponent'
  | 'UniqueLangConstraintComponent'
  | 'InConstraintComponent'
  | 'HasValueConstraintComponent'
  | 'NodeConstraintComponent'
  | 'AndConstraintComponent'
  | 'OrConstraintComponent'
  | 'XoneConstraintComponent'
  | 'NotConstraintComponent'
  | 'QualifiedMinCountConstraintComponent'
  | 'QualifiedMaxCountConstraintComponent'
  | 'ClosedConstraintComponent';

/** Where a fragment's failures are counted: once per focus node, per value, or per offending property. */
export type Level = 'focus' | 'count' | 'value' | 'lang' | 'closed';

export interface Annotation {
  shape: string;
  component: Component;
  level: Level;
  severity: Shape['severity'];
  /** The predicate of a property shape. */
  path?: string;
  /** sh:message of the shape, by language ("@none" for none). */
  message?: Record<string, string>;
  /** The constraint's parameter, for messages (count, class, datatype...). */
  param?: unknown;
  /** The profile layer (core, ranges, recommended...) of the file that defines the shape. */
  layer?: string;
}

type Schema = Record<string, unknown>;

export interface CompiledProfile {
  $schema: string;
  $id: string;
  title: string;
  /** objectsOf: sh:targetObjectsOf (absent in schemas compiled before it was supported). */
  'x-targets': { classes: Record<string, string[]>; nodes: Record<string, string[]>; subjectsOf: Record<string, string[]>; objectsOf?: Record<string, string[]> };
  /** Property paths other than plain predicates: the validator adds their values to each node under these keys. */
  'x-paths': Record<string, PathStep>;
  $defs: Record<string, Schema>;
}

export interface CompileIssue {
  shape: string;
  feature: string;
  effect: string;
}

export interface CompileResult {
  schema: CompiledProfile;
  report: { shapes: number; definitions: number; fragments: number; notCompiled: CompileIssue[] };
}

/** Lexical forms of common XSD datatypes, for the well-formedness part of sh:datatype. */
const TZ = '(Z|[+-](0\\d|1[0-4]):[0-5]\\d)?';
const DATE = '-?\\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])';
const TIME = '([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(\\.\\d+)?';
const LEXICAL: Record<string, string> = {
  [`${XSD}date`]: `^${DATE}${TZ}$`,
  [`${XSD}dateTime`]: `^${DATE}T(${TIME}|24:00:00(\\.0+)?)${TZ}$`,
  [`${XSD}dateTimeStamp`]: `^${DATE}T${TIME}(Z|[+-](0\\d|1[0-4]):[0-5]\\d)$`,
  [`${XSD}time`]: `^${TIME}${TZ}$`,
  [`${XSD}gYear`]: `^-?\\d{4,}${TZ}$`,
  [`${XSD}gYearMonth`]: `^-?\\d{4,}-(0[1-9]|1[0-2])${TZ}$`,
  [`${XSD}decimal`]: '^[+-]?(\\d+(\\.\\d*)?|\\.\\d+)$',
  [`${XSD}integer`]: '^[+-]?\\d+$',
  [`${XSD}nonNegativeInteger`]: '^(\\+?\\d+|-0+)$',
  [`${XSD}positiveInteger`]: '^\\+?0*[1-9]\\d*$',
  [`${XSD}int`]: '^[+-]?\\d+$',
  [`${XSD}long`]: '^[+-]?\\d+$',
  [`${XSD}boolean`]: '^(true|false|1|0)$',
  [`${XSD}double`]: '^([+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?|[+-]?INF|NaN)$',
  [`${XSD}float`]: '^([+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?|[+-]?INF|NaN)$',
  [`${XSD}duration`]: '^-?P(?=\\d|T\\d)(\\d+Y)?(\\d+M)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+(\\.\\d+)?S)?)?$',
  [`${XSD}hexBinary`]: '^([0-9a-fA-F]{2})*$',
  [`${XSD}base64Binary`]: '^[A-Za-z0-9+/= ]*$',
};

const NOT_BLANK = '^(?!_:)';

function nodeKindSchema(kind: NodeKind): Schema {
  const iri = { required: ['@id'], properties: { '@id': { pattern: NOT_BLANK } } };
  const blank = { required: ['@id'], properties: { '@id': { pattern: '^_:' } } };
  const literal = { required: ['@value'] };
  switch (kind) {
    case 'IRI':
      return iri;
    case 'BlankNode':
      return blank;
    case 'Literal':
      return literal;
    case 'BlankNodeOrIRI':
      return { required: ['@id'] };
    case 'BlankNodeOrLiteral':
      return { anyOf: [blank, literal] };
    case 'IRIOrLiteral':
      return { anyOf: [iri, literal] };
  }
}

/** A value equal to the given RDF term. */
function sameValue(v: RdfValue): Schema {
  if ('iri' in v) return { required: ['@id'], properties: { '@id': { const: v.iri } } };
  if ('blank' in v) return { not: {} };
  if (v.language) return { required: ['@value', '@language'], properties: { '@value': { const: v.value }, '@language': { const: v.language } } };
  return { required: ['@value', '@type'], properties: { '@value': { const: v.value }, '@type': { const: v.datatype } } };
}

/** Case-insensitive language-range match for sh:languageIn ("en" matches "en-GB"). */
function languagePattern(ranges: string[]): string {
  const ci = (s: string) => [...s].map((c) => (/[a-z]/i.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  return `^(${ranges.map(ci).join('|')})(-.*)?$`;
}

/** A string value of a value node (IRI or literal), for pattern and length constraints: blank nodes fail. */
function onString(inner: Schema): Schema {
  return {
    anyOf: [
      { required: ['@value'], properties: { '@value': inner } },
      { required: ['@id'], not: { required: ['@value'] }, properties: { '@id': { allOf: [{ pattern: NOT_BLANK }, inner] } } },
    ],
  };
}

export interface CompileOptions {
  id: string;
  title: string;
}

export function compileProfile(graph: ShapesGraph, options: CompileOptions): CompileResult {
  const notCompiled: CompileIssue[] = [];
  const defs: Record<string, Schema> = {};
  const defNames = new Map<string, string>();
  let fragments = 0;
  const note = (shape: string, feature: string, effect: string) => notCompiled.push({ shape, feature, effect });
  const defName = (id: string) => {
    let n = defNames.get(id);
    if (!n) defNames.set(id, (n = `s${defNames.size}`));
    return n;
  };
  const fragment = (ann: Annotation, schema: Schema): Schema => {
    fragments++;
    const sh: Record<string, unknown> = { shape: ann.shape, component: ann.component, level: ann.level, severity: ann.severity };
    if (ann.path) sh.path = ann.path;
    if (ann.message && Object.keys(ann.message).length > 0) sh.message = ann.message;
    if (ann.param !== undefined) sh.param = ann.param;
    const layer = graph.shapes.get(ann.shape)?.layer;
    if (layer) sh.layer = layer;
    return { 'x-sh': sh, ...schema };
  };

  /** Per-value schemas of a shape's value constraints, each with its component. */
  const valueConstraints = (s: Shape, inlining: Set<string>): [Component, Schema, unknown][] => {
    const out: [Component, Schema, unknown][] = [];
    for (const c of s.class) out.push(['ClassConstraintComponent', { required: ['@type'], properties: { '@type': { type: 'array', contains: { const: c } } } }, c]);
    if (s.datatype) {
      const d = s.datatype;
      const schema: Schema =
        d === RDF_LANGSTRING
          ? { required: ['@value', '@language'] }
          : { required: ['@value', '@type'], properties: { '@type': { const: d }, ...(LEXICAL[d] ? { '@value': { pattern: LEXICAL[d] } } : {}) } };
      out.push(['DatatypeConstraintComponent', schema, d]);
    }
    if (s.nodeKind) out.push(['NodeKindConstraintComponent', nodeKindSchema(s.nodeKind), s.nodeKind]);
    for (const [key, component] of [
      ['minInclusive', 'MinInclusiveConstraintComponent'],
      ['maxInclusive', 'MaxInclusiveConstraintComponent'],
      ['minExclusive', 'MinExclusiveConstraintComponent'],
      ['maxExclusive', 'MaxExclusiveConstraintComponent'],
    ] as const) {
      const bound = s[key];
      if (bound && 'value' in bound) out.push([component, { 'x-range': { op: key, value: bound.value, datatype: bound.datatype } }, bound.value]);
      else if (bound) note(s.id, `sh:${key}`, 'bound is not a literal; not checked');
    }
    if (s.minLength !== undefined) out.push(['MinLengthConstraintComponent', onString({ minLength: s.minLength }), s.minLength]);
    if (s.maxLength !== undefined) out.push(['MaxLengthConstraintComponent', onString({ maxLength: s.maxLength }), s.maxLength]);
    if (s.pattern) {
      const flags = s.pattern.flags ?? '';
      const inner = flags === '' ? { pattern: s.pattern.source } : { 'x-pattern': { source: s.pattern.source, flags } };
      out.push(['PatternConstraintComponent', onString(inner), s.pattern.source]);
    }
    if (s.languageIn) out.push(['LanguageInConstraintComponent', { required: ['@language'], properties: { '@language': { pattern: languagePattern(s.languageIn) } } }, s.languageIn]);
    if (s.in) out.push(['InConstraintComponent', { anyOf: s.in.map(sameValue) }, s.in]);
    for (const n of s.node) out.push(['NodeConstraintComponent', inline(n, inlining), n]);
    for (const list of s.and) out.push(['AndConstraintComponent', { allOf: list.map((x) => inline(x, inlining)) }, list]);
    for (const list of s.or) out.push(['OrConstraintComponent', { anyOf: list.map((x) => inline(x, inlining)) }, list]);
    for (const list of s.xone) out.push(['XoneConstraintComponent', { oneOf: list.map((x) => inline(x, inlining)) }, list]);
    for (const n of s.not) out.push(['NotConstraintComponent', { not: inline(n, inlining) }, n]);
    return out;
  };

  const paths: Record<string, PathStep> = {};
  const propertySchema = (p: Shape, inlining: Set<string>): Schema | undefined => {
    const path = p.path;
    const step = path ? pathStep(path) : undefined;
    if (!path || !step) {
      note(p.id, `sh:path ${describePath(path)}`, 'this kind of path is not supported; this property shape is not checked');
      return undefined;
    }
    // A plain predicate is a key of the view; any other path gets a key of its own.
    let key: string;
    if ('predicate' in step) key = step.predicate;
    else {
      key = `path:${describePath(path)}`;
      paths[key] = step;
    }
    const ann = (component: Component, level: Level, param?: unknown): Annotation => ({ shape: p.id, component, level, severity: p.severity, path: key, message: p.messages, param });
    const parts: Schema[] = [];
    if (p.minCount !== undefined && p.minCount > 0)
      parts.push(fragment(ann('MinCountConstraintComponent', 'count', p.minCount), { required: [key], properties: { [key]: { minItems: p.minCount } } }));
    if (p.maxCount !== undefined) parts.push(fragment(ann('MaxCountConstraintComponent', 'count', p.maxCount), { properties: { [key]: { maxItems: p.maxCount } } }));
    for (const h of p.hasValue) parts.push(fragment(ann('HasValueConstraintComponent', 'count', h), { required: [key], properties: { [key]: { contains: sameValue(h) } } }));
    if (p.uniqueLang) parts.push(fragment(ann('UniqueLangConstraintComponent', 'lang'), { properties: { [key]: { 'x-uniqueLang': true } } }));
    if (p.qualifiedValueShape) {
      const q = inline(p.qualifiedValueShape, inlining);
      if (p.qualifiedValueShapesDisjoint) note(p.id, 'sh:qualifiedValueShapesDisjoint', 'sibling shapes are not excluded from the count');
      if (p.qualifiedMinCount !== undefined && p.qualifiedMinCount > 0)
        parts.push(fragment(ann('QualifiedMinCountConstraintComponent', 'count', p.qualifiedMinCount), { required: [key], properties: { [key]: { contains: q, minContains: p.qualifiedMinCount } } }));
      if (p.qualifiedMaxCount !== undefined)
        parts.push(fragment(ann('QualifiedMaxCountConstraintComponent', 'count', p.qualifiedMaxCount), { properties: { [key]: { contains: q, minContains: 0, maxContains: p.qualifiedMaxCount } } }));
    }
    for (const [component, schema, param] of valueConstraints(p, inlining)) parts.push(fragment(ann(component, 'value', param), { properties: { [key]: { items: schema } } }));
    if (p.property.length > 0) note(p.id, 'sh:property on a property shape', 'nested property shapes of values are not checked');
    if (p.closed) note(p.id, 'sh:closed on a property shape', 'not checked');
    return { allOf: parts };
  };

  /** The schema of a node shape applied to one node object (the focus, or a value being checked). */
  const nodeSchema = (s: Shape, inlining: Set<string>): Schema => {
    const parts: Schema[] = [];
    for (const [component, schema, param] of valueConstraints(s, inlining))
      parts.push(fragment({ shape: s.id, component, level: 'focus', severity: s.severity, message: s.messages, param }, schema));
    if (s.path) {
      // A property shape used as a node's shape (sh:node pointing at a property shape).
      const ps = propertySchema(s, inlining);
      if (ps) parts.push(ps);
    }
    for (const pid of s.property) {
      const p = graph.shapes.get(pid);
      if (!p || p.deactivated) continue;
      const ps = propertySchema(p, inlining);
      if (ps) parts.push(ps);
    }
    if (s.closed) {
      const allowed = new Set(['@id', '@type', '@ref', '@included', ...s.ignoredProperties]);
      for (const pid of s.property) {
        const path = graph.shapes.get(pid)?.path;
        if (path && 'predicate' in path) allowed.add(path.predicate);
      }
      // rdf:type is a triple too: closed shapes list it in sh:ignoredProperties when types are allowed.
      const typeAllowed = s.ignoredProperties.includes(`${PREFIXES.rdf}type`);
      parts.push(
        fragment({ shape: s.id, component: 'ClosedConstraintComponent', level: 'closed', severity: s.severity, message: s.messages }, {
          propertyNames: { enum: [...allowed].filter((k) => k !== '@type' || typeAllowed) },
        }),
      );
    }
    if (s.unsupported.length > 0) for (const u of s.unsupported) note(s.id, u, 'constraint not supported; not checked');
    return { allOf: parts };
  };

  /** Shapes used inside another constraint are copied in, so that their failures count as one result
   * of the outer constraint. A shape that refers to itself is cut at the second visit. */
  const inline = (id: string, inlining: Set<string>): Schema => {
    const s = graph.shapes.get(id);
    if (!s) {
      note(id, 'reference to an undefined shape', 'every value conforms to it');
      return {};
    }
    if (s.deactivated) return {};
    if (inlining.has(id)) {
      note(id, 'recursive shape', 'checked to one level of recursion');
      return {};
    }
    return nodeSchema(s, new Set(inlining).add(id));
  };

  const targets: CompiledProfile['x-targets'] = { classes: {}, nodes: {}, subjectsOf: {}, objectsOf: {} };
  const add = (map: Record<string, string[]>, key: string, def: string) => (map[key] ??= []).includes(def) || map[key].push(def);
  for (const s of graph.shapes.values()) {
    if (s.deactivated) continue;
    const targeted = s.targetClass.length + s.targetNode.length + s.targetSubjectsOf.length + s.targetObjectsOf.length > 0;
    if (!targeted) continue;
    const name = defName(s.id);
    defs[name] = { 'x-shape': s.id, ...nodeSchema(s, new Set([s.id])) };
    for (const c of s.targetClass) add(targets.classes, c, name);
    for (const n of s.targetNode) if ('iri' in n) add(targets.nodes, n.iri, name);
    for (const p of s.targetSubjectsOf) add(targets.subjectsOf, p, name);
    for (const p of s.targetObjectsOf) add(targets.objectsOf!, p, name);
  }
  return {
    schema: {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: `https://w3id.org/vindbaar/schemas/${options.id}.json`,
      title: options.title,
      'x-targets': targets,
      'x-paths': paths,
      $defs: defs,
    },
    report: { shapes: graph.shapes.size, definitions: Object.keys(defs).length, fragments, notCompiled: dedupeIssues(notCompiled) },
  };
}

/** Paths the view can evaluate: predicates, inverses, alternatives and sequences of those. */
function pathStep(p: Path): PathStep | undefined {
  if ('predicate' in p) return { predicate: p.predicate };
  if ('inverse' in p) return { inverse: p.inverse };
  if ('alternative' in p) {
    const steps = p.alternative.map(pathStep);
    return steps.every((s) => s !== undefined) ? { alternative: steps as PathStep[] } : undefined;
  }
  if ('sequence' in p) {
    const steps = p.sequence.map(pathStep);
    return steps.every((s) => s !== undefined) ? { sequence: steps as PathStep[] } : undefined;
  }
  return undefined;
}

function describePath(p: Path | undefined): string {
  if (!p) return '(none)';
  // SPARQL property path syntax.
  if ('predicate' in p) return `<${p.predicate}>`;
  if ('inverse' in p) return `^<${p.inverse}>`;
  if ('alternative' in p) return `(${p.alternative.map(describePath).join('|')})`;
  if ('sequence' in p) return `(${p.sequence.map(describePath).join('/')})`;
  return p.other;
}

function dedupeIssues(issues: CompileIssue[]): CompileIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.shape}\n${i.feature}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
