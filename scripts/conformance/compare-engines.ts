// Runs both reference engines, shacl-engine and pySHACL, on every example file of every profile manifest
// (each file validated on its own against the profile's default layers) and compares their reports with
// compare-reports.ts. Prints one summary row per profile and every disagreement; the reports are kept in
// the output folder for a closer look.
//
//   npx tsx scripts/conformance/compare-engines.ts [--out /tmp/vindbaar-conformance] [--profile ID] [--all-layers]
//
// --all-layers loads every layer of each manifest (recommended, vocabularies, deprecated ...), not only
// its default ones, to exercise the constraints those add (sh:or, sh:pattern, sh:hasValue, sh:node).
//
// The data.gov.be LDES pages are left out here (they are validated per record by the commands in
// dcat-profiles/README.md, "Reference engines").
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { corpusPath, hasCorpus } from '../../test/support/corpus.js';
import { PROFILES_DIR, readProfile } from '../../test/support/shacl-reference.js';

const HERE = import.meta.dirname;
const RDF_FILE = /\.(ttl|nt|nq|trig|jsonld|rdf|xml)$/;
// Not data: ISO 19139 inputs of the conversion tests, a JSON-LD context, and the OSLO JSON-LD test files
// whose remote context is not in the corpus (each has an N-Triples twin that is used instead).
const SKIP = (path: string) => path.endsWith('/input.xml') || path.endsWith('/context.jsonld') || (path.includes('oslo-dcat-ap-vl-testdata/') && path.endsWith('.jsonld'));

function filesUnder(dir: string): string[] {
  const abs = corpusPath(dir);
  if (!statSync(abs).isDirectory()) return [abs];
  return readdirSync(abs, { recursive: true, encoding: 'utf8' })
    .map((f) => join(abs, f))
    .filter((f) => RDF_FILE.test(f) && statSync(f).isFile() && !SKIP(f))
    .sort();
}

function run(command: string, args: string[], out: string): void {
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`${command} ${args.slice(0, 3).join(' ')} ... failed (${r.status}):\n${r.stderr}`);
  writeFileSync(out, r.stdout);
}

function main() {
  if (!hasCorpus) throw new Error('the reference corpus is needed (set VINDBAAR_CORPUS)');
  const { values } = parseArgs({ options: { out: { type: 'string', default: '/tmp/vindbaar-conformance' }, profile: { type: 'string' }, 'all-layers': { type: 'boolean', default: false } } });
  mkdirSync(values.out, { recursive: true });
  const setup = spawnSync(join(HERE, 'setup.sh'), { encoding: 'utf8' });
  if (setup.status !== 0) throw new Error(`setup.sh failed:\n${setup.stderr}`);
  const python = setup.stdout.trim();
  const ids = values.profile ? [values.profile] : readdirSync(PROFILES_DIR).filter((f) => f.endsWith('.json') && !f.startsWith('shacl-')).map((f) => f.slice(0, -5)).sort();
  let allAgree = true;
  for (const id of ids) {
    const m = readProfile(id);
    const layers = values['all-layers'] ? ['--layers', [...new Set([...m.shapes.map((s) => s.layer), ...m.vocabularies.map((v) => v.layer)])].join(',')] : [];
    const files = m.examples.filter((e) => !e.path.startsWith('real/datagovbe-ldes')).flatMap((e) => filesUnder(e.path));
    if (files.length === 0) continue;
    const se = join(values.out, `${id}.shacl-engine.jsonl`);
    const py = join(values.out, `${id}.pyshacl.jsonl`);
    run('npx', ['tsx', join(HERE, 'shacl-engine-report.ts'), '--profile', id, ...layers, '--each-file', ...files], se);
    run(python, [join(HERE, 'pyshacl_report.py'), '--profile', id, ...layers, '--each-file', ...files], py);
    const cmp = spawnSync('npx', ['tsx', join(HERE, 'compare-reports.ts'), se, py, '--show', '1000'], { encoding: 'utf8' });
    console.log(`## ${id} (${files.length} files)\n${cmp.stdout}`);
    if (cmp.status !== 0) allAgree = false;
  }
  process.exitCode = allAgree ? 0 : 1;
}

main();
