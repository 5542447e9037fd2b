// Profiles as data: a manifest in dcat-profiles/ names the official shapes files (in the reference
// corpus), their layers, the base profile and documented deviations. `vindbaar profiles compile` turns
// each manifest into schemas/<profile>/schema.json (committed, so the service needs no corpus at run
// time) and a compile report listing what could not be compiled. Adding a profile needs a manifest only.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseString } from '../rdf/parse.js';
import { formatForPath } from '../rdf/formats.js';
import { namedNode, quad, type Quad, type Term } from '../rdf/terms.js';
import { readShapes } from './shapes.js';
import { compileProfile, type CompiledProfile, type CompileResult } from './compile.js';
import { ProfileValidator } from './validate.js';
import { RdfSyntaxError } from '../rdf/errors.js';
import { loadVocabularies } from './vocabularies.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const PROFILES_DIR = join(root, 'dcat-profiles');
export const SCHEMAS_DIR = join(root, 'schemas');

export interface ShapesTriple {
  subject: string;
  predicate: string;
  object: string;
}

export interface ProfileManifest {
  id: string;
  title: string;
  /** The specification's address (what output following the profile names in dct:conformsTo). */
  specification?: string;
  version: string;
  base: string | null;
  /** The base profile's shapes are loaded too (a profile that extends rather than repeats its base). */
  includeBase: boolean;
  shapes: { path: string; layer: string; about?: string }[];
  defaultLayers: string[];
  vocabularies: { scheme: string; path: string | null; layer: string }[];
  deviations: { id: string; file: string; remove?: ShapesTriple[]; rename?: { from: string; to: string }[]; reason: string }[];
}

export class UnknownProfileError extends Error {
  constructor(
    readonly profile: string,
    readonly known: string[],
  ) {
    super(`Unknown profile "${profile}". Known profiles: ${known.join(', ')}.`);
    this.name = 'UnknownProfileError';
  }
}

export class ShapesFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly column: number | undefined,
    message: string,
  ) {
    super(`${file}${line !== undefined ? `:${line}${column !== undefined ? `:${column}` : ''}` : ''}: ${message}`);
    this.name = 'ShapesFileError';
  }
}

/** Ids of the profiles that have a manifest. */
export function profileIds(dir = PROFILES_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    // Beside the manifests live the tables that account for differences from reference engines and mappings.
    .filter((f) => f.endsWith('.json') && !f.startsWith('shacl-') && !f.endsWith('-differences.json'))
    .map((f) => f.slice(0, -5))
    .sort();
}

export function readManifest(id: string, dir = PROFILES_DIR): ProfileManifest {
  const known = profileIds(dir);
  if (!known.includes(id)) throw new UnknownProfileError(id, known);
  return JSON.parse(readFileSync(join(dir, `${id}.json`), 'utf8')) as ProfileManifest;
}

/** The shapes files of a profile, base first when the manifest includes its base, with deviations. */
function shapesFiles(m: ProfileManifest, dir: string): { path: string; layer: string; deviations: ProfileManifest['deviations'] }[] {
  const base = m.base && m.includeBase ? shapesFiles(readManifest(m.base, dir), dir) : [];
  const own = m.shapes.map((s) => ({ path: s.path, layer: s.layer, deviations: m.deviations.filter((d) => d.file === s.path) }));
  return [...base, ...own];
}

function applyDeviations(quads: Quad[], deviations: ProfileManifest['deviations']): Quad[] {
  const gone = new Set(deviations.flatMap((d) => d.remove ?? []).map((t) => `${t.subject} ${t.predicate} ${t.object}`));
  const renamed = new Map(deviations.flatMap((d) => d.rename ?? []).map((r) => [r.from, r.to]));
  if (gone.size === 0 && renamed.size === 0) return quads;
  const rename = <T extends Term>(t: T): T => (t.termType === 'NamedNode' && renamed.has(t.value) ? (namedNode(renamed.get(t.value)!) as unknown as T) : t);
  return quads
    .filter((q) => q.object.termType !== 'NamedNode' || !gone.has(`${q.subject.value} ${q.predicate.value} ${q.object.value}`))
    .map((q) => (renamed.size > 0 ? quad(rename(q.subject), q.predicate, rename(q.object)) : q));
}

/** Reads a profile's official shapes from the corpus and compiles them. */
export async function compileFromCorpus(id: string, corpus: string, dir = PROFILES_DIR): Promise<CompileResult> {
  const m = readManifest(id, dir);
  const all: Quad[] = [];
  // A shape belongs to the layer of the first file that describes it. Parser labels of blank nodes
  // are unique per file, so the key works for both kinds of node.
  const layerOf = new Map<string, string>();
  for (const file of shapesFiles(m, dir)) {
    const path = join(corpus, file.path);
    const format = formatForPath(path);
    if (!format) throw new ShapesFileError(file.path, undefined, undefined, 'unknown RDF format');
    let quads: Quad[];
    try {
      quads = await parseString(readFileSync(path, 'utf8'), { format, baseIRI: `file://${path}` });
    } catch (e) {
      if (e instanceof RdfSyntaxError) throw new ShapesFileError(file.path, e.line, e.column, e.message);
      throw e;
    }
    quads = applyDeviations(quads, file.deviations);
    for (const q of quads) {
      const k = `${q.subject.termType[0]}${q.subject.value}`;
      if (!layerOf.has(k)) layerOf.set(k, file.layer);
    }
    all.push(...quads);
  }
  return compileProfile(readShapes(all, (t) => layerOf.get(`${t.termType[0]}${t.value}`)), { id, title: m.title });
}

/** Schemes of the vocabularies a profile (and the base it includes) checks in the given layers. */
function vocabularySchemes(m: ProfileManifest, layers: Set<string>): string[] {
  const base = m.base && m.includeBase ? vocabularySchemes(readManifest(m.base), layers) : [];
  return [...new Set([...base, ...m.vocabularies.filter((v) => layers.has(v.layer)).map((v) => v.scheme)])];
}

export function schemaPath(id: string, dir = SCHEMAS_DIR): string {
  return join(dir, id, 'schema.json');
}

/** Writes schemas/<id>/schema.json and compile-report.json; stable output so that diffs mean changes. */
export function writeCompiled(id: string, result: CompileResult, dir = SCHEMAS_DIR): void {
  mkdirSync(join(dir, id), { recursive: true });
  writeFileSync(schemaPath(id, dir), `${JSON.stringify(result.schema, null, 1)}\n`);
  writeFileSync(join(dir, id, 'compile-report.json'), `${JSON.stringify(result.report, null, 2)}\n`);
}

const validators = new Map<string, ProfileValidator>();

/** The validator of a compiled profile, built once per process. */
export function profileValidator(id: string, options: { layers?: string[]; dir?: string } = {}): ProfileValidator {
  const known = profileIds();
  if (!known.includes(id)) throw new UnknownProfileError(id, known);
  const layers = options.layers ?? readManifest(id).defaultLayers;
  const key = `${id} ${layers.join(',')}`;
  let v = validators.get(key);
  if (!v) {
    const file = schemaPath(id, options.dir);
    if (!existsSync(file)) throw new Error(`Profile ${id} is not compiled: run "vindbaar profiles compile".`);
    const schema = JSON.parse(readFileSync(file, 'utf8')) as CompiledProfile;
    // The vocabulary layers' code lists, from the snapshots in vocabularies/.
    const schemes = vocabularySchemes(readManifest(id), new Set(layers));
    const describe = schemes.length > 0 ? loadVocabularies(schemes).describe : undefined;
    v = new ProfileValidator(schema, { layers, describe });
    validators.set(key, v);
  }
  return v;
}
