// Derives samples/datagovbe.ttl: 300 real data.gov.be dataset records for the sample catalogue.
//
// Source: the data.gov.be DCAT-AP LDES feed published in the Fedict/dcat repository
// (https://github.com/Fedict/dcat, commit 11311fc791d0f82ec8377202b81131d9b2062301, 2025-04-14), licence CC0-1.0.
// The 20 LDES pages of the 2025-04-13 snapshot are read in place from the reference corpus
// (../shared/corpus/real/datagovbe-ldes/docs/https_3A_2F_2Fw3id.org_2Fsds_23Stream/root/*/index.trig,
// or $VINDBAAR_CORPUS/real/datagovbe-ldes/...); nothing there is modified.
//
// Each LDES member is a named graph holding one dcat:Dataset description; the default graph holds the
// LDES / TREE / ActivityStreams wrapper. The script keeps every triple of each chosen member's named graph,
// drops the graph name and the whole default graph, relabels blank nodes so that members cannot collide,
// and skips the member that describes the data.gov.be catalogue itself (it lists 17,828 dataset links).
//
// Choice of members (deterministic; same input gives the same bytes):
//  1. one member per publisher (its first in feed order), plus one without any dct:publisher;
//  2. 30 HVD members (dcatap:hvdCategory / dcatap:applicableLegislation), evenly spaced over the feed;
//  3. the rest evenly spaced over the whole feed (about every 6th to 7th member) up to 300.
// The chosen members are written in feed order (page number, then order within the page).
//
// Run: npx tsx scripts/derive-datagovbe-sample.ts   (writes samples/datagovbe.ttl)
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DataFactory, Parser, Writer, type Quad, type Term } from 'n3';

const { blankNode, quad } = DataFactory;

export const TARGET = 300;
const HVD_TARGET = 30;
import { PREFIXES as PROJECT_PREFIXES } from '../src/rdf/namespaces.js';

const corpus = process.env.VINDBAAR_CORPUS ?? join(import.meta.dirname, '../../shared/corpus');
export const LDES_ROOT = join(corpus, 'real/datagovbe-ldes/docs/https_3A_2F_2Fw3id.org_2Fsds_23Stream/root');
const OUT = join(import.meta.dirname, '../samples/datagovbe.ttl');

const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const DCAT_DATASET = 'http://www.w3.org/ns/dcat#Dataset';
const DCT_PUBLISHER = 'http://purl.org/dc/terms/publisher';
const HVD_PROPS = new Set(['http://data.europa.eu/r5r/hvdCategory', 'http://data.europa.eu/r5r/applicableLegislation']);

// Candidate prefixes (the project's own); only those that occur in the output are declared.
const PREFIXES: Record<string, string> = PROJECT_PREFIXES;

export interface Member {
  /** position in the feed over all pages (0-based, dataset members only) */
  index: number;
  page: number;
  dataset: string;
  publishers: string[];
  hvd: boolean;
  quads: Quad[];
}

/** All dataset members of the feed, in feed order. */
export function readMembers(root = LDES_ROOT): Member[] {
  const pages = readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, d.name, 'index.trig')))
    .map((d) => d.name)
    .sort((a, b) => pageNumber(a) - pageNumber(b) || (a < b ? -1 : a > b ? 1 : 0));
  const members: Member[] = [];
  for (const page of pages) {
    const file = join(root, page, 'index.trig');
    const quads = new Parser({ format: 'application/trig', baseIRI: pathToFileURL(file).href }).parse(readFileSync(file, 'utf8'));
    const graphs = new Map<string, Quad[]>(); // insertion order = order of first appearance in the page
    for (const q of quads) {
      if (q.graph.termType === 'DefaultGraph') continue; // LDES / TREE / ActivityStreams wrapper
      let list = graphs.get(q.graph.value);
      if (!list) graphs.set(q.graph.value, (list = []));
      list.push(q);
    }
    for (const list of graphs.values()) {
      const dataset = list.find((q) => q.predicate.value === RDF_TYPE && q.object.value === DCAT_DATASET)?.subject.value;
      if (!dataset) continue; // the catalogue member
      const publishers = [...new Set(list.filter((q) => q.subject.value === dataset && q.predicate.value === DCT_PUBLISHER).map((q) => q.object.value))].sort();
      members.push({ index: members.length, page: pageNumber(page), dataset, publishers, hvd: list.some((q) => HVD_PROPS.has(q.predicate.value)), quads: list });
    }
  }
  return members;
}

function pageNumber(dir: string): number {
  const n = Number(dir.split('_').pop());
  return Number.isFinite(n) ? n : Number.MAX_SAFE_INTEGER;
}

/** `count` items spread evenly over `items` (first item included). */
function spread<T>(items: T[], count: number): T[] {
  if (count >= items.length) return [...items];
  const out: T[] = [];
  for (let k = 0; k < count; k++) out.push(items[Math.floor((k * items.length) / count)]!);
  return out;
}

export function choose(members: Member[], target = TARGET): Member[] {
  const chosen = new Set<number>();
  const seen = new Set<string>();
  for (const m of members) {
    const key = m.publishers.length ? m.publishers.join(' ') : '(none)';
    const fresh = m.publishers.length ? m.publishers.some((p) => !seen.has(p)) : !seen.has(key);
    if (fresh) chosen.add(m.index);
    for (const p of m.publishers.length ? m.publishers : [key]) seen.add(p);
  }
  const hvd = members.filter((m) => m.hvd);
  const hvdChosen = members.filter((m) => m.hvd && chosen.has(m.index)).length;
  for (const m of spread(hvd.filter((m) => !chosen.has(m.index)), Math.max(0, HVD_TARGET - hvdChosen))) chosen.add(m.index);
  const rest = members.filter((m) => !chosen.has(m.index));
  for (const m of spread(rest, Math.max(0, target - chosen.size))) chosen.add(m.index);
  return members.filter((m) => chosen.has(m.index));
}

/** The member's triples with graph names dropped and blank nodes relabelled `m<index>_<n>`. */
export function triples(m: Member): Quad[] {
  const labels = new Map<string, string>();
  const relabel = (t: Term) => {
    if (t.termType !== 'BlankNode') return t;
    let label = labels.get(t.value);
    if (!label) labels.set(t.value, (label = `m${String(m.index).padStart(4, '0')}_${labels.size + 1}`));
    return blankNode(label);
  };
  return m.quads.map((q) => quad(relabel(q.subject) as never, q.predicate, relabel(q.object) as never));
}

export async function toTurtle(quads: Quad[], header: string): Promise<string> {
  const used = new Set<string>();
  for (const q of quads)
    for (const t of [q.predicate, q.object, q.object.termType === 'Literal' ? q.object.datatype : q.subject])
      for (const [name, ns] of Object.entries(PREFIXES)) if (t.termType === 'NamedNode' && t.value.startsWith(ns)) used.add(name);
  const prefixes = Object.fromEntries(Object.entries(PREFIXES).filter(([name]) => used.has(name)));
  const body = await new Promise<string>((resolve, reject) => {
    const writer = new Writer({ format: 'text/turtle', prefixes });
    writer.addQuads(quads);
    writer.end((error, result: string) => (error ? reject(error) : resolve(result)));
  });
  return header + body;
}

/** Reads the feed, chooses the members and writes samples/datagovbe.ttl. */
export async function writeDatagovbeSample(): Promise<void> {
  const members = readMembers();
  const chosen = choose(members);
  const quads = chosen.flatMap(triples);
  const publishers = new Set(chosen.flatMap((m) => m.publishers));
  const header = [
    `# ${chosen.length} real data.gov.be dataset records (of ${members.length} in the feed), derived by scripts/derive-datagovbe-sample.ts`,
    '# from the data.gov.be DCAT-AP LDES feed in https://github.com/Fedict/dcat',
    '# (commit 11311fc791d0f82ec8377202b81131d9b2062301, 2025-04-14), licence CC0-1.0. See samples/README.md.',
    '# All triples of each chosen LDES member graph are kept as published; the LDES wrapper is dropped and blank',
    '# nodes are relabelled. Do not edit by hand: rerun the script.',
    '',
  ].join('\n');
  const text = await toTurtle(quads, header);

  // Self-check: the output parses and holds exactly the chosen triples (up to blank node labels).
  const back = new Parser({ format: 'text/turtle' }).parse(text);
  const key = (q: Quad) => `${q.subject.termType === 'BlankNode' ? '_' : q.subject.value} ${q.predicate.value} ${q.object.termType === 'BlankNode' ? '_' : q.object.id}`;
  const expected = quads.map(key).sort().join('\n');
  if (back.map(key).sort().join('\n') !== expected) throw new Error('round trip of samples/datagovbe.ttl changed the triples');

  writeFileSync(OUT, text);
  console.log(
    `samples/datagovbe.ttl: ${chosen.length} datasets from ${new Set(chosen.map((m) => m.page)).size} pages, ` +
      `${publishers.size} publishers (${chosen.filter((m) => !m.publishers.length).length} without), ` +
      `${chosen.filter((m) => m.hvd).length} HVD, ${quads.length} triples, ${Buffer.byteLength(text)} bytes`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await writeDatagovbeSample();
