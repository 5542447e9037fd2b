// One measured run in its own process (so peak RSS is its own): ingest or raw-parse a list of files.
// Usage: tsx bench/ingest-worker.ts <raw|vindbaar|prebuilt|create> <format> <databaseUrl|embedded:dir> <file>...
// prebuilt: parse, split, hash, validate and build every record's body first, unmeasured, then measure
// storing and indexing them alone: the database's share of an ingest, with none of the work before it.
import { createReadStream } from 'node:fs';
import { statSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Parser as N3Parser } from 'n3';
import { EventEmitter } from 'node:events';
import { openDb } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';
import { ingest, ingestFrom } from '../src/ingest/pipeline.js';
import { localSource } from '../src/ingest/local-source.js';
import type { RecordSource, SourceBatch } from '../src/ingest/source.js';
import { drainOutbox, indexWritten } from '../src/search/indexer.js';
import { PostgresSearch } from '../src/search/postgres.js';
import type { RdfFormat } from '../src/rdf/formats.js';
import type { UpsertResult } from '../src/store/records.js';
import { boundMemoryFor } from '../src/memory.js';
import { profileValidator, readManifest } from '../src/validation/profiles.js';


const [mode, format, target, ...files] = process.argv.slice(2);
const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
// Measured as the CLI runs: a large input gets the bounded heap.
if (mode !== 'raw') boundMemoryFor(bytes);
const DATASET = 'http://www.w3.org/ns/dcat#Dataset';

/** CPU seconds used by the whole machine so far (Linux), to tell the database's share from ours. */
function machineCpu(): number | undefined {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal: busy = all but idle and iowait
    return (f[0] + f[1] + f[2] + f[5] + f[6] + f[7]) / 100;
  } catch {
    return undefined;
  }
}

async function* allFiles() {
  for (const f of files) yield* createReadStream(f, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>;
}

async function raw(): Promise<{ datasets: number; quads: number }> {
  let datasets = 0;
  let quads = 0;
  for (const f of files) {
    await new Promise<void>((resolve, reject) => {
      const feed = createReadStream(f, { highWaterMark: 1 << 20 });
      new N3Parser({ format: format === 'trig' ? 'application/trig' : 'application/n-triples', baseIRI: pathToFileURL(f).href }).parse(feed as unknown as EventEmitter as never, (err, q) => {
        if (err) reject(err);
        else if (q) {
          quads++;
          if (q.object.value === DATASET) datasets++;
        } else resolve();
      });
    });
  }
  return { datasets, quads };
}

function validation() {
  const profile = process.env.BENCH_PROFILE ?? 'dcat-ap-3.0.1';
  if (profile === 'none') return undefined;
  const layers = readManifest(profile).defaultLayers;
  return { profile, layers, validator: profileValidator(profile, { layers }), policy: 'accept-with-report' as const };
}

async function run() {
  const t0 = performance.now();
  if (mode === 'raw') {
    const r = await raw();
    return { ...r, seconds: (performance.now() - t0) / 1000 };
  }
  // "embedded:<dir>": a PGlite folder created and migrated by an earlier process, as after a first start.
  const db = await openDb(target.startsWith('embedded:') ? { dataDir: target.slice('embedded:'.length) } : { databaseUrl: target });
  await migrate(db);
  if (mode === 'create') {
    await db.close();
    return { datasets: 0, seconds: 0 };
  }
  const search = new PostgresSearch(db);
  // The same path as the service: each batch is indexed as soon as it is committed.
  const opts = {
    catalogId: 'bench',
    source: { id: 'bench', kind: 'file', location: null },
    format: format as RdfFormat,
    baseIRI: pathToFileURL(files[0]).href,
    baseUrl: 'http://bench.test',
    batchSize: process.env.BENCH_BATCH ? Number(process.env.BENCH_BATCH) : undefined,
    // As the service ingests: validated against the default profile (BENCH_PROFILE=none to skip).
    validation: validation(),
    afterBatch: process.env.BENCH_NO_INDEX ? undefined : (r: UpsertResult) => indexWritten(db, search, r.changed, r.outboxSeqs),
  };
  let prebuilt: RecordSource | undefined;
  if (mode === 'prebuilt') {
    const source = localSource(allFiles(), { ...opts, batchSize: opts.batchSize ?? 250 });
    const batches: SourceBatch[] = [];
    for await (const b of source.batches()) {
      source.materialize(b.records);
      batches.push(b);
    }
    prebuilt = { batches: async function* () { yield* batches; }, materialize: () => undefined, release: () => undefined, close: async () => undefined };
  }
  const t1 = performance.now();
  const cpu0 = process.cpuUsage();
  const machine0 = machineCpu();
  const first = prebuilt ? await ingestFrom(db, prebuilt, opts) : await ingest(db, allFiles(), opts);
  const stored = performance.now();
  if (!process.env.BENCH_NO_INDEX) await drainOutbox(db, search);
  const indexed = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const machine1 = machineCpu();
  const nodeCpu = (cpu.user + cpu.system) / 1e6;
  const second = prebuilt ? first : await ingest(db, allFiles(), opts);
  const again = performance.now();
  await db.close();
  return {
    datasets: first.byKind.Dataset ?? 0,
    records: first.records,
    quads: first.quads,
    seconds: (indexed - t1) / 1000,
    storeSeconds: (stored - t1) / 1000,
    reingestSeconds: prebuilt ? 0 : (again - indexed) / 1000,
    reingestWrites: second.created + second.updated,
    // CPU seconds of the first ingest: this process, and everything else on the machine (the database).
    nodeCpuSeconds: +nodeCpu.toFixed(2),
    otherCpuSeconds: machine0 !== undefined && machine1 !== undefined ? +(machine1 - machine0 - nodeCpu).toFixed(2) : undefined,
  };
}

const result = await run();
console.log(JSON.stringify({ ...result, bytes, peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }));
