// Compares two normalised reports (or two files of per-graph report lines) from shacl-engine-report.ts
// and pyshacl_report.py: same verdict, and the same set of results, first by (focus node, path,
// constraint component, severity), the key the conformance suite will hold every engine to, then with
// source shape and value as well. Messages are not compared: each engine writes its own unless the shape
// has an sh:message.
//
//   npx tsx scripts/conformance/compare-reports.ts A.json B.json [--show 20]
//
// Exits 1 when the reports disagree.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { NormalisedReport, NormalisedResult } from '../../test/support/shacl-reference.js';

interface Line extends NormalisedReport {
  file?: string;
  graph?: string | null;
  profile?: string;
  /** Set instead of a report when the engine's parser rejected the file. */
  error?: string;
}

function read(path: string): Map<string, Line> {
  const text = readFileSync(path, 'utf8').trim();
  const out = new Map<string, Line>();
  if (text.startsWith('{\n') || !text.includes('\n{')) {
    out.set('(report)', JSON.parse(text) as Line);
    return out;
  }
  for (const l of text.split('\n')) {
    const line = JSON.parse(l) as Line;
    out.set(`${line.file} ${line.graph}`, line);
  }
  return out;
}

const coreKey = (r: NormalisedResult) => JSON.stringify([r.focusNode, r.path, r.component, r.severity]);
const fullKey = (r: NormalisedResult) => JSON.stringify([r.focusNode, r.path, r.component, r.severity, r.sourceShape, r.value ?? null]);

/** Multiset difference: the keys of a that b lacks (counting repeats). */
function minus(a: string[], b: string[]): string[] {
  const left = new Map<string, number>();
  for (const k of b) left.set(k, (left.get(k) ?? 0) + 1);
  const out: string[] = [];
  for (const k of a) {
    const n = left.get(k) ?? 0;
    if (n > 0) left.set(k, n - 1);
    else out.push(k);
  }
  return out;
}

function main() {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { show: { type: 'string', default: '20' } } });
  if (positionals.length !== 2) throw new Error('usage: compare-reports.ts A B');
  const [aPath, bPath] = positionals;
  const a = read(aPath);
  const b = read(bPath);
  const show = Number(values.show);
  let verdictsAgree = 0;
  let pairs = 0;
  let bothUnparsed = 0;
  let coreA = 0;
  let coreOnlyA = 0;
  let coreOnlyB = 0;
  let fullOnlyA = 0;
  let fullOnlyB = 0;
  const examples: string[] = [];
  for (const [key, ra] of a) {
    const rb = b.get(key);
    if (!rb) {
      examples.push(`${key}: only in ${aPath}`);
      continue;
    }
    if (ra.error !== undefined || rb.error !== undefined) {
      if (ra.error !== undefined && rb.error !== undefined) bothUnparsed++;
      else examples.push(`${key}: parsed by one engine only: ${ra.error ?? rb.error}`);
      continue;
    }
    pairs++;
    if (ra.conforms === rb.conforms) verdictsAgree++;
    else examples.push(`${key}: verdict ${ra.conforms} in ${aPath}, ${rb.conforms} in ${bPath}`);
    const ca = ra.results.map(coreKey);
    const cb = rb.results.map(coreKey);
    coreA += ca.length;
    const onlyA = minus(ca, cb);
    const onlyB = minus(cb, ca);
    coreOnlyA += onlyA.length;
    coreOnlyB += onlyB.length;
    for (const k of onlyA.slice(0, 3)) examples.push(`${key}: only in ${aPath}: ${k}`);
    for (const k of onlyB.slice(0, 3)) examples.push(`${key}: only in ${bPath}: ${k}`);
    fullOnlyA += minus(ra.results.map(fullKey), rb.results.map(fullKey)).length;
    fullOnlyB += minus(rb.results.map(fullKey), ra.results.map(fullKey)).length;
  }
  for (const key of b.keys()) if (!a.has(key)) examples.push(`${key}: only in ${bPath}`);
  const summary = {
    reports: pairs,
    verdictsAgree,
    resultsInA: coreA,
    coreOnlyInA: coreOnlyA,
    coreOnlyInB: coreOnlyB,
    withShapeAndValueOnlyInA: fullOnlyA,
    withShapeAndValueOnlyInB: fullOnlyB,
    bothUnparsed,
    parsedByOneOnly: 0,
    unpaired: 0,
  };
  for (const [k, ra] of a) {
    const rb = b.get(k);
    if (!rb) summary.unpaired++;
    else if ((ra.error === undefined) !== (rb.error === undefined)) summary.parsedByOneOnly++;
  }
  for (const k of b.keys()) if (!a.has(k)) summary.unpaired++;
  console.log(JSON.stringify(summary));
  for (const e of examples.slice(0, show)) console.log(e);
  if (examples.length > show) console.log(`... and ${examples.length - show} more`);
  const agree = verdictsAgree === pairs && coreOnlyA + coreOnlyB + fullOnlyA + fullOnlyB === 0 && summary.unpaired === 0 && summary.parsedByOneOnly === 0;
  process.exitCode = agree ? 0 : 1;
}

main();
