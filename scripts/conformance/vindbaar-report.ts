// Vindbaar's own validator (the compiled JSON Schemas run with ajv, src/validation/) printing the
// normalised report of shacl-engine-report.ts and pyshacl_report.py: the same command line and the same
// JSON, so that its reports can be compared with the reference engines' by compare-reports.ts and
// conformance.ts.
//
//   npx tsx scripts/conformance/vindbaar-report.ts --profile dcat-ap-3.0.1 [--layers core,recommended] DATA...
//   npx tsx scripts/conformance/vindbaar-report.ts --shapes S.ttl [--shapes S2.ttl] [--vocabulary V.rdf] DATA...
//   npx tsx scripts/conformance/vindbaar-report.ts --profile dcat-ap-3.0.1 --per-graph \
//       --profile-when http://data.europa.eu/r5r/hvdCategory=dcat-ap-hvd-3.0 PAGE.trig...
//
// --profile uses the committed schemas/<profile>/schema.json (as the service does); --shapes compiles the
// given shapes files in memory with the same compiler, for shapes that have no manifest (DCAT-AP 1.1 of
// the SEMIC shacl tests, DCAT-AP NL). Data is read with Vindbaar's own parsers (src/rdf), not the
// reference's: a parser difference is then a difference the conformance suite should show.
//
// The verdict is SHACL's: "conforms" is true when there is no result at all, warnings included, as both
// engines decide it (Vindbaar's API report also allows warnings and asks for a DCAT resource; that is a
// policy on top, not what is compared here).
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CORPUS } from '../../test/support/corpus.js';
import { profileValidator } from '../../src/validation/profiles.js';
import { ProfileValidator, type ValidationResult } from '../../src/validation/validate.js';
import { compileProfile } from '../../src/validation/compile.js';
import { readShapes } from '../../src/validation/shapes.js';
import type { Described } from '../../src/validation/vocabularies.js';
import { parseString } from '../../src/rdf/parse.js';
import { formatForPath } from '../../src/rdf/formats.js';
import { quad, type Quad } from '../../src/rdf/terms.js';
import { compareResults, type NormalisedReport, type NormalisedResult } from '../../test/support/shacl-reference.js';

const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const SKOS_IN_SCHEME = 'http://www.w3.org/2004/02/skos/core#inScheme';
const DCAT_DATASET = 'http://www.w3.org/ns/dcat#Dataset';
const XSD_STRING = 'http://www.w3.org/2001/XMLSchema#string';

/** Parses one data file with Vindbaar's parsers, graph names kept (for --per-graph). */
export async function readQuads(path: string): Promise<Quad[]> {
  const format = formatForPath(path);
  if (!format) throw new Error(`unknown RDF format: ${path}`);
  return parseString(readFileSync(path, 'utf8'), { format, baseIRI: `file://${path}` });
}

/** A blank node (Vindbaar writes "_:label") as "_:", as the reference scripts do: labels differ per parser. */
const blank = (s: string) => (s.startsWith('_:') ? '_:' : s);

/**
 * A value in the references' N-Triples form. Vindbaar writes a literal's lexical form with
 * JSON.stringify (which escapes tabs and control characters, and keeps the language tag's case as
 * parsed); the references escape only backslash, quote, LF and CR and lower-case the language tag.
 */
export function normaliseValue(v: string): string {
  if (!v.startsWith('"')) return blank(v);
  const end = v.lastIndexOf('"');
  let lexical: string;
  try {
    lexical = JSON.parse(v.slice(0, end + 1)) as string;
  } catch {
    return v;
  }
  const rest = v.slice(end + 1);
  const lex = `"${lexical.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;
  if (rest.startsWith('@')) return `${lex}@${rest.slice(1).toLowerCase()}`;
  if (rest === `^^<${XSD_STRING}>`) return lex;
  return `${lex}${rest}`;
}

/** Vindbaar's results as a normalised report (see shacl-reference.ts). Messages are left out: they are
 * not compared, and Vindbaar writes its own (Dutch and English) only when a report is built. */
export function normaliseResults(results: ValidationResult[]): NormalisedReport {
  const rows = results
    .map((r) => {
      const row: NormalisedResult = {
        focusNode: blank(r.focusNode),
        path: r.resultPath ?? null,
        component: r.sourceConstraintComponent,
        severity: r.resultSeverity,
        sourceShape: blank(r.sourceShape),
      };
      if (r.value !== undefined) row.value = normaliseValue(r.value);
      return row;
    })
    .sort(compareResults);
  return { conforms: rows.length === 0, results: rows };
}

/** What vocabulary files say about their concepts (types and schemes), for shapes given with --shapes. */
function describeFrom(quads: Quad[]): (iri: string) => Described | undefined {
  const facts = new Map<string, { types: string[]; schemes: string[] }>();
  for (const q of quads) {
    if (q.subject.termType !== 'NamedNode' || q.object.termType !== 'NamedNode') continue;
    const kind = q.predicate.value === RDF_TYPE ? 'types' : q.predicate.value === SKOS_IN_SCHEME ? 'schemes' : undefined;
    if (!kind) continue;
    let f = facts.get(q.subject.value);
    if (!f) facts.set(q.subject.value, (f = { types: [], schemes: [] }));
    if (!f[kind].includes(q.object.value)) f[kind].push(q.object.value);
  }
  return (iri) => facts.get(iri);
}

/** Shapes files compiled in memory, as `vindbaar profiles compile` does for a manifest's files. */
async function validatorFromFiles(shapesFiles: string[], vocabularyFiles: string[]): Promise<ProfileValidator> {
  const all: Quad[] = [];
  for (const f of shapesFiles) all.push(...(await readQuads(resolve(f))));
  const { schema } = compileProfile(readShapes(all), { id: 'shapes', title: shapesFiles.join(' ') });
  const vocab: Quad[] = [];
  for (const f of vocabularyFiles) vocab.push(...(await readQuads(resolve(f))));
  return new ProfileValidator(schema, vocab.length > 0 ? { describe: describeFrom(vocab) } : {});
}

/** The triples of each named graph of a file, the default graph left out, by graph name. */
function namedGraphs(quads: Quad[]): Map<string, Quad[]> {
  const graphs = new Map<string, Quad[]>();
  for (const q of quads) {
    if (q.graph.termType === 'DefaultGraph') continue;
    let g = graphs.get(q.graph.value);
    if (!g) graphs.set(q.graph.value, (g = []));
    g.push(quad(q.subject, q.predicate, q.object));
  }
  return graphs;
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      profile: { type: 'string' },
      layers: { type: 'string' },
      shapes: { type: 'string', multiple: true, default: [] },
      vocabulary: { type: 'string', multiple: true, default: [] },
      'per-graph': { type: 'boolean', default: false },
      'profile-when': { type: 'string', multiple: true, default: [] },
      'each-file': { type: 'boolean', default: false },
      timings: { type: 'boolean', default: false },
    },
  });
  if (positionals.length === 0) throw new Error('give at least one data file');
  const layers = values.layers?.split(',');
  const t0 = performance.now();
  const byId = (id: string) => profileValidator(id, layers ? { layers } : {});
  let fallback: ProfileValidator;
  if (values.profile) fallback = byId(values.profile);
  else if (values.shapes.length) fallback = await validatorFromFiles(values.shapes, values.vocabulary);
  else throw new Error('give --profile or --shapes');
  const rules = values['profile-when'].map((rule) => {
    const at = rule.lastIndexOf('=');
    return { predicate: rule.slice(0, at), validator: byId(rule.slice(at + 1)), id: rule.slice(at + 1) };
  });
  const shapesSeconds = (performance.now() - t0) / 1000;
  const files = positionals.map((f) => resolve(f));
  const shown = (file: string) => (file.startsWith(resolve(CORPUS)) ? relative(resolve(CORPUS), file) : file);
  const label = values.profile ?? 'shapes';

  if (values['each-file']) {
    // One line per file; a file Vindbaar's parser rejects gets an error line, as in the other scripts.
    for (const file of files) {
      let data: Quad[];
      try {
        data = await readQuads(file);
      } catch (e) {
        process.stdout.write(`${JSON.stringify({ file: shown(file), graph: null, error: (e as Error).message.split('\n')[0] })}\n`);
        continue;
      }
      const report = normaliseResults(fallback.validateDocument(data));
      process.stdout.write(`${JSON.stringify({ file: shown(file), graph: null, profile: label, ...report })}\n`);
    }
    return;
  }

  if (!values['per-graph']) {
    // Graph names are dropped by the validator's record splitter as by the engines' merged data graph.
    const data = (await Promise.all(files.map(readQuads))).flat();
    const t1 = performance.now();
    const report = normaliseResults(fallback.validateDocument(data));
    const seconds = (performance.now() - t1) / 1000;
    process.stdout.write(`${JSON.stringify(report, null, 1)}\n`);
    console.error(`vindbaar: shapes ${shapesSeconds.toFixed(2)} s, validation ${seconds.toFixed(3)} s`);
    return;
  }

  let parseMs = 0;
  let validateMs = 0;
  let records = 0;
  let datasets = 0;
  let slowest = { graph: '', results: 0, seconds: 0 };
  for (const file of files) {
    const t1 = performance.now();
    const graphs = namedGraphs(await readQuads(file));
    parseMs += performance.now() - t1;
    for (const name of [...graphs.keys()].sort()) {
      const g = graphs.get(name) as Quad[];
      const rule = rules.find((r) => g.some((q) => q.predicate.value === r.predicate));
      const t2 = performance.now();
      const report = normaliseResults((rule?.validator ?? fallback).validateDocument(g));
      const ms = performance.now() - t2;
      validateMs += ms;
      if (ms / 1000 > slowest.seconds) slowest = { graph: name, results: report.results.length, seconds: +(ms / 1000).toFixed(3) };
      records++;
      datasets += new Set(g.filter((q) => q.predicate.value === RDF_TYPE && q.object.value === DCAT_DATASET).map((q) => q.subject.value)).size;
      const timing = values.timings ? { ms: +ms.toFixed(2) } : {};
      process.stdout.write(`${JSON.stringify({ file: shown(file), graph: name, profile: rule?.id ?? label, ...timing, ...report })}\n`);
    }
  }
  console.error(
    JSON.stringify({
      engine: 'vindbaar',
      records,
      datasets,
      shapesSeconds: +shapesSeconds.toFixed(3),
      parseSeconds: +(parseMs / 1000).toFixed(3),
      validationSeconds: +(validateMs / 1000).toFixed(3),
      datasetsPerSecond: validateMs ? +(datasets / (validateMs / 1000)).toFixed(1) : null,
      slowest,
    }),
  );
}

// Run only as a script: conformance.ts imports the helpers above.
if (import.meta.url === `file://${process.argv[1]}`) await main();
