// The cost of the quality score on ingest (issue target: under 10% of ingest time). The 20 data.gov.be
// LDES pages are ingested into an embedded store (parse, split, map, validate, score, store, index),
// then every stored record is scored again alone, the same work the ingest did for it; the ratio of
// the two is the share of ingest time the score takes. Prints a table and writes
// bench/results/quality-*.json.
// Usage: tsx bench/quality.ts
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { createServices } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { JsonNode } from '../src/dcat/json.js';
import { scoreRecord } from '../src/quality/mqa.js';
import { ingestPages } from './scale-records.js';

const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'vb-quality-'));
const services = await createServices(loadConfig({ VINDBAAR_DATA_DIR: dir, LOG_LEVEL: 'silent' }), pino({ level: 'silent' }));
const t0 = performance.now();
await ingestPages(services);
const ingestMs = performance.now() - t0;
const rows = await services.db.query<{ json: JsonNode; verdict: string | null }>(
  "SELECT json, validation->>'verdict' AS verdict FROM records WHERE deleted_at IS NULL AND kind IN ('Dataset', 'DatasetSeries', 'DataService')",
);
// Several rounds: one is too short to time well.
const ROUNDS = 20;
const t1 = performance.now();
const bands: Record<string, number> = {};
for (let round = 0; round < ROUNDS; round++)
  for (const r of rows.rows) {
    const s = scoreRecord(r.json, r.verdict ? r.verdict !== 'violations' : null);
    if (round === 0) bands[s.band] = (bands[s.band] ?? 0) + 1;
  }
const scoreMs = (performance.now() - t1) / ROUNDS;
const result = {
  records: rows.rows.length,
  'ingest ms': Math.round(ingestMs),
  'scoring ms': +scoreMs.toFixed(1),
  'µs per record': +((scoreMs * 1000) / rows.rows.length).toFixed(1),
  'share of ingest': `${((100 * scoreMs) / ingestMs).toFixed(2)}%`,
};
console.table([result]);
console.table([bands]);
await services.close();
rmSync(dir, { recursive: true, force: true });
mkdirSync(join(here, 'results'), { recursive: true });
const file = join(here, 'results', `quality-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), node: process.version, ...result, bands }, null, 2)}\n`);
console.log(`written ${file}`);
