// Usage: tsx bench/ingest-warm.ts <databaseUrl> <databaseUrl>... (empty databases on one server)
// First ingests of the LDES pages, each into a new catalogue of one database, in one process:
// the first cold, the next with compiled code. Prints wall, this process's CPU and the machine's rest.
import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDb } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';
import { ingest } from '../src/ingest/pipeline.js';
import { PostgresSearch } from '../src/search/postgres.js';
import { indexWritten, drainOutbox } from '../src/search/indexer.js';
import type { UpsertResult } from '../src/store/records.js';
import { profileValidator, readManifest } from '../src/validation/profiles.js';
const root = join(process.env.VINDBAAR_CORPUS ?? '../shared/corpus', 'real/datagovbe-ldes/docs/https_3A_2F_2Fw3id.org_2Fsds_23Stream/root');
const files = readdirSync(root).filter((d) => d.includes('_123187500_')).map((d) => join(root, d, 'index.trig')).sort();
async function* all() {
  for (const f of files) yield* createReadStream(f, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>;
}
/** CPU seconds the whole machine has used (Linux): the database's share is this less our own. */
const machine = () => {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return (f[0] + f[1] + f[2] + f[5] + f[6] + f[7]) / 100;
};
const dbs = process.argv.slice(2);
const profile = 'dcat-ap-3.0.1';
const layers = readManifest(profile).defaultLayers;
const validator = profileValidator(profile, { layers });
for (const [i, url] of dbs.entries()) {
  const db = await openDb({ databaseUrl: url });
  await migrate(db);
  const search = new PostgresSearch(db);
  const opts = {
    catalogId: 'bench',
    source: { id: 'bench', kind: 'file', location: null },
    format: 'trig' as const,
    baseIRI: 'file:///x',
    baseUrl: 'http://bench.test',
    validation: { profile, layers, validator, policy: 'accept-with-report' as const },
    afterBatch: (r: UpsertResult) => indexWritten(db, search, r.changed, r.outboxSeqs),
  };
  const t = performance.now();
  const cpu0 = process.cpuUsage();
  const machine0 = machine();
  await ingest(db, all(), opts);
  await drainOutbox(db, search);
  const cpu = process.cpuUsage(cpu0);
  const node = (cpu.user + cpu.system) / 1e6;
  const seconds = (performance.now() - t) / 1000;
  console.log(`${i === 0 ? 'cold' : 'warm'}: ${seconds.toFixed(2)} s, Node ${node.toFixed(2)} CPU-s, database ${(machine() - machine0 - node).toFixed(2)} CPU-s`);
  await db.close();
}
