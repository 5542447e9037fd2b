// shacl-engine run on the official shapes, printing the normalised report: the same command line and the
// same JSON as pyshacl_report.py, so the two reference engines can be run side by side and compared with
// compare-reports.ts.
//
//   npx tsx scripts/conformance/shacl-engine-report.ts --profile dcat-ap-3.0.1 DATA...
//   npx tsx scripts/conformance/shacl-engine-report.ts --shapes S.ttl [--shapes S2.ttl] DATA...
//   npx tsx scripts/conformance/shacl-engine-report.ts --profile dcat-ap-3.0.1 --per-graph \
//       --profile-when http://data.europa.eu/r5r/hvdCategory=dcat-ap-hvd-3.0 PAGE.trig...
//
// --each-file validates every data file on its own and prints one JSON line per file.
// --per-graph validates every named graph on its own (one LDES member = one record) and prints one JSON
// line per graph (with --timings, each line also has the validation time in ms); totals go to stderr. Shapes are compiled once, and the validation time excludes parsing.
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CORPUS } from '../../test/support/corpus.js';
import {
  ReferenceValidator, readCorpusFiles, readNamedGraphs, readRdf, readShapes, resolveProfile,
  type NormalisedReport,
} from '../../test/support/shacl-reference.js';
import type { Quad } from '@rdfjs/types';
import { Store } from 'n3';

const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const DCAT_DATASET = 'http://www.w3.org/ns/dcat#Dataset';

interface Profile {
  validator: ReferenceValidator;
  vocabularies: Quad[];
}

async function profileFromManifest(id: string, layers: string[] | undefined): Promise<Profile> {
  const r = resolveProfile(id, layers);
  return { validator: await ReferenceValidator.create(await readShapes(r)), vocabularies: await readCorpusFiles(r.data) };
}

async function profileFromFiles(shapesFiles: string[], vocabularyFiles: string[]): Promise<Profile> {
  const read = async (files: string[]) => (await Promise.all(files.map((f) => readRdf(resolve(f))))).flat();
  return { validator: await ReferenceValidator.create(await read(shapesFiles)), vocabularies: await read(vocabularyFiles) };
}

function validate(p: Profile, data: Quad[] | Store): Promise<NormalisedReport> {
  return p.validator.validate(p.vocabularies.length ? [...(data instanceof Store ? data.getQuads(null, null, null, null) : data), ...p.vocabularies] : data);
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
  const profiles = new Map<string, Profile>();
  const profile = async (id: string) => {
    let p = profiles.get(id);
    if (!p) profiles.set(id, (p = await profileFromManifest(id, layers)));
    return p;
  };
  let fallback: Profile;
  if (values.profile) fallback = await profile(values.profile);
  else if (values.shapes.length) fallback = await profileFromFiles(values.shapes, values.vocabulary);
  else throw new Error('give --profile or --shapes');
  const rules: Array<{ predicate: string; profile: Profile; id: string }> = [];
  for (const rule of values['profile-when']) {
    const at = rule.lastIndexOf('=');
    rules.push({ predicate: rule.slice(0, at), profile: await profile(rule.slice(at + 1)), id: rule.slice(at + 1) });
  }
  const shapesSeconds = (performance.now() - t0) / 1000;
  const files = positionals.map((f) => resolve(f));
  const shown = (file: string) => (file.startsWith(resolve(CORPUS)) ? relative(resolve(CORPUS), file) : file);

  if (values['each-file']) {
    // One report line per data file. A file that does not parse gets an error line instead: the two
    // engines come with different parsers, and where those disagree the comparison should say so.
    for (const file of files) {
      let data: Quad[];
      try {
        data = await readRdf(file);
      } catch (e) {
        process.stdout.write(`${JSON.stringify({ file: shown(file), graph: null, error: (e as Error).message.split('\n')[0] })}\n`);
        continue;
      }
      const report = await validate(fallback, data);
      process.stdout.write(`${JSON.stringify({ file: shown(file), graph: null, profile: values.profile ?? 'shapes', ...report })}\n`);
    }
    return;
  }

  if (!values['per-graph']) {
    const data = (await Promise.all(files.map(readRdf))).flat();
    const t1 = performance.now();
    const report = await validate(fallback, data);
    const seconds = (performance.now() - t1) / 1000;
    process.stdout.write(`${JSON.stringify(report, null, 1)}\n`);
    console.error(`shacl-engine: shapes ${shapesSeconds.toFixed(2)} s, validation ${seconds.toFixed(3)} s`);
    return;
  }

  let parseMs = 0;
  let validateMs = 0;
  let records = 0;
  let datasets = 0;
  // The slowest record is reported apart: on data.gov.be it is the national catalogue (17,828
  // dcat:dataset links, each a result), which takes most of shacl-engine's time on its own.
  let slowest = { graph: '', results: 0, seconds: 0 };
  for (const file of files) {
    const t1 = performance.now();
    const graphs = await readNamedGraphs(file);
    parseMs += performance.now() - t1;
    for (const name of [...graphs.keys()].sort()) {
      const g = graphs.get(name) as Quad[];
      const rule = rules.find((r) => g.some((q) => q.predicate.value === r.predicate));
      // The graph is indexed before the clock starts, as pyshacl_report.py builds its rdflib graphs while
      // parsing: both engines are timed on validation alone.
      const store = new Store(g);
      const t2 = performance.now();
      const report = await validate(rule?.profile ?? fallback, store);
      const ms = performance.now() - t2;
      validateMs += ms;
      if (ms / 1000 > slowest.seconds) slowest = { graph: name, results: report.results.length, seconds: +(ms / 1000).toFixed(3) };
      records++;
      datasets += new Set(g.filter((q) => q.predicate.value === RDF_TYPE && q.object.value === DCAT_DATASET).map((q) => q.subject.value)).size;
      const timing = values.timings ? { ms: +ms.toFixed(2) } : {};
      process.stdout.write(`${JSON.stringify({ file: shown(file), graph: name, profile: rule?.id ?? values.profile ?? 'shapes', ...timing, ...report })}\n`);
    }
  }
  console.error(JSON.stringify({
    engine: 'shacl-engine',
    records,
    datasets,
    shapesSeconds: +shapesSeconds.toFixed(3),
    parseSeconds: +(parseMs / 1000).toFixed(3),
    validationSeconds: +(validateMs / 1000).toFixed(3),
    datasetsPerSecond: validateMs ? +(datasets / (validateMs / 1000)).toFixed(1) : null,
    slowest,
  }));
}

await main();
