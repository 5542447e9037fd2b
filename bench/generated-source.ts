// A DCAT source of any size, served over HTTP on loopback: the 1,999 real data.gov.be datasets (each
// LDES member's graph) repeated with their IRIs and blank nodes minted anew per copy, written as
// N-Triples while the client reads, so neither side holds the whole dump.
// GET /dump.nt?n=<datasets>&offset=<first dataset> (offset lets several sources share one generator).
import { createServer, type Server } from 'node:http';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Parser as N3Parser, Writer as N3Writer, DataFactory, type Quad, type Term } from 'n3';

const DATASET = 'http://www.w3.org/ns/dcat#Dataset';
const MARK = '__COPY__';

function templates(ldesRoot: string): string[] {
  const pages = readdirSync(ldesRoot).filter((d) => d.includes('_123187500_')).map((d) => join(ldesRoot, d, 'index.trig'));
  const byGraph = new Map<string, Quad[]>();
  for (const p of pages)
    for (const q of new N3Parser({ format: 'application/trig', baseIRI: pathToFileURL(p).href }).parse(readFileSync(p, 'utf8')))
      if (q.graph.termType !== 'DefaultGraph') byGraph.set(q.graph.value, [...(byGraph.get(q.graph.value) ?? []), q]);
  const out: string[] = [];
  for (const quads of byGraph.values()) {
    if (!quads.some((q) => q.object.value === DATASET)) continue;
    const described = new Set(quads.map((q) => q.subject.value));
    const mint = <T extends Term>(t: T): T =>
      (t.termType === 'NamedNode' && described.has(t.value)
        ? DataFactory.namedNode(`${t.value}/g${MARK}`)
        : t.termType === 'BlankNode'
          ? DataFactory.blankNode(`g${MARK}${t.value.replace(/[^A-Za-z0-9]/g, '')}`)
          : t) as T;
    out.push(new N3Writer({ format: 'N-Triples' }).quadsToString(quads.map((q) => DataFactory.quad(mint(q.subject), q.predicate, mint(q.object)))));
  }
  return out;
}

export interface GeneratedSource {
  url: string;
  templates: number;
  close(): Promise<void>;
}

export async function startGeneratedSource(corpus: string): Promise<GeneratedSource> {
  const t = templates(join(corpus, 'real/datagovbe-ldes/docs/https_3A_2F_2Fw3id.org_2Fsds_23Stream/root'));
  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://localhost');
    const n = Number(u.searchParams.get('n') ?? 1000);
    const offset = Number(u.searchParams.get('offset') ?? 0);
    res.setHeader('content-type', 'application/n-triples');
    let i = offset;
    const end = offset + n;
    const more = () => {
      while (i < end) {
        const copy = Math.floor(i / t.length);
        const text = copy === 0 ? t[i % t.length].replaceAll(`/g${MARK}`, '').replaceAll(`g${MARK}`, 'g0') : t[i % t.length].replaceAll(MARK, String(copy));
        i++;
        if (!res.write(text)) return void res.once('drain', more);
      }
      res.end();
    };
    more();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  return {
    url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`,
    templates: t.length,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
