// KPI snapshot of a million records (target: under 60 s). The 1,999 data.gov.be datasets of the LDES
// pages are ingested through the pipeline into a real Postgres and copied in SQL to BENCH_KPI_N
// (bench/scale-records.ts: other publishers, themes and dates); each record gets two links (one of its
// own, one shared by ten records; 5% broken). Measured:
// - facts: the change feed followed for the first BENCH_KPI_FACTS_N records (their JSON read, links
//   replaced, score and facts computed and stored), the rate at which the facts keep up with changes;
//   the rest of the facts are copied in SQL from the real records' (same values, new ids);
// - the snapshot: every figure for the catalogue and every publisher, stored for the month (3 runs);
// - the peer in the same run: the same kind of aggregate computed straight from the records' JSON in
//   SQL, as a catalogue without a facts table must (publisher, access rights, HVD only; no scores,
//   links or timeliness), the floor for "read every record".
// Usage: tsx bench/kpi.ts <postgres-url>
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { createServices } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { takeSnapshot } from '../src/quality/kpis.js';
import { cloneTo, ingestPages } from './scale-records.js';

const here = dirname(fileURLToPath(import.meta.url));
const N = Number(process.env.BENCH_KPI_N ?? 1_000_000);
const FACTS_N = Number(process.env.BENCH_KPI_FACTS_N ?? 100_000);
const databaseUrl = process.argv[2];
if (!databaseUrl) {
  console.error('usage: tsx bench/kpi.ts <postgres-url>');
  process.exit(2);
}
const say = (m: string) => console.error(`[kpi ${new Date().toISOString().slice(11, 19)}] ${m}`);
const dir = mkdtempSync(join(tmpdir(), 'vb-kpi-'));
const services = await createServices(loadConfig({ VINDBAAR_DATA_DIR: dir, LOG_LEVEL: 'silent', VINDBAAR_SAMPLE_DATA: 'false', DATABASE_URL: databaseUrl }), pino({ level: 'silent' }));
const { db } = services;
const time = async <T>(f: () => Promise<T>): Promise<[T, number]> => {
  const t = performance.now();
  const r = await f();
  return [r, (performance.now() - t) / 1000];
};
try {
  say('ingesting the LDES pages');
  await ingestPages(services);
  say(`copying to ${N} records`);
  const records = await cloneTo(db, N);

  say(`following the change feed for ${FACTS_N} records`);
  const [seen, factsSeconds] = await time(() => services.links.discover(2000, FACTS_N));
  // The rest of the facts as SQL copies of the real records' (a copy's id starts with its original's).
  say('copying the other facts');
  await db.query('UPDATE link_discovery SET feed_seq = (SELECT max(seq) FROM feed_events)');
  await db.query(`
    INSERT INTO record_quality (record_id, kind, publisher, access, open_licence, hvd, score, band, findability, accessibility, interoperability, reusability, contextuality, verdict, modified, periodicity)
    SELECT r.id, q.kind, coalesce(r.json ->> 'publisher', q.publisher), q.access, q.open_licence, q.hvd, q.score, q.band, q.findability, q.accessibility, q.interoperability,
           q.reusability, q.contextuality, q.verdict, (r.json ->> 'modified')::timestamptz, q.periodicity
    FROM records r JOIN record_quality q ON q.record_id = left(r.id, 16)
    WHERE r.deleted_at IS NULL AND r.kind = 'Dataset' AND length(r.id) > 16
    ON CONFLICT (record_id) DO NOTHING`);
  say('links: two per record, 5% broken');
  await db.query(`
    INSERT INTO links (url, host, state, status, checked_at)
    SELECT 'https://host' || (n % 500) || '.example/data/' || n || '.csv', 'host' || (n % 500) || '.example',
           CASE WHEN n % 20 = 0 THEN 'broken' ELSE 'ok' END, CASE WHEN n % 20 = 0 THEN 404 ELSE 200 END, now()
    FROM generate_series(1, (SELECT count(*) FROM record_quality)::int * 11 / 10) n ON CONFLICT DO NOTHING`);
  await db.query(`
    INSERT INTO record_links (record_id, url, role)
    SELECT q.record_id, 'https://host' || (n % 500) || '.example/data/' || n || '.csv', 'download'
      FROM (SELECT record_id, row_number() OVER (ORDER BY record_id) AS n FROM record_quality) q
    UNION ALL
    SELECT q.record_id, 'https://host' || ((c + n / 10) % 500) || '.example/data/' || (c + n / 10) || '.csv', 'access'
      FROM (SELECT record_id, row_number() OVER (ORDER BY record_id) AS n FROM record_quality) q, (SELECT count(*) AS c FROM record_quality) k
    ON CONFLICT DO NOTHING`);
  await db.query('ANALYZE record_quality; ANALYZE record_links; ANALYZE links');
  const facts = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM record_quality')).rows[0].n;
  const linkRows = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM record_links')).rows[0].n;

  const runs: number[] = [];
  let rowsWritten = 0;
  for (let i = 0; i < 3; i++) {
    const [n, s] = await time(() => takeSnapshot(db));
    rowsWritten = n;
    runs.push(s);
    say(`snapshot ${i + 1}: ${s.toFixed(1)} s, ${n} rows`);
  }
  const peerRuns: number[] = [];
  for (let i = 0; i < 3; i++) {
    const [, s] = await time(() =>
      db.query(`SELECT json ->> 'publisher' AS publisher, count(*), count(*) FILTER (WHERE json -> 'accessRights' ->> 'iri' LIKE '%/PUBLIC' OR json ->> 'accessRights' LIKE '%/PUBLIC'),
                  count(*) FILTER (WHERE json -> 'hvdCategory' IS NOT NULL)
                FROM records WHERE deleted_at IS NULL AND kind IN ('Dataset', 'DatasetSeries', 'DataService') GROUP BY ROLLUP (json ->> 'publisher')`),
    );
    peerRuns.push(s);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const rows = [
    {
      step: `facts kept from the change feed (${seen} records)`,
      seconds: +factsSeconds.toFixed(1),
      'records/s': Math.round(seen / factsSeconds),
    },
    {
      step: `KPI snapshot: every figure, catalogue + ${rowsWritten - 1} publishers, ${facts} records, ${linkRows} record links (median of 3)`,
      seconds: +median(runs).toFixed(1),
      'records/s': Math.round(facts / median(runs)),
    },
    {
      step: 'peer: counts by publisher, access and HVD straight from the records’ JSON (median of 3)',
      seconds: +median(peerRuns).toFixed(1),
      'records/s': Math.round(records / median(peerRuns)),
    },
  ];
  console.log(`\nKPIs over ${records} records on Postgres`);
  console.table(rows);
  mkdirSync(join(here, 'results'), { recursive: true });
  const file = join(here, 'results', `kpi-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), node: process.version, records, snapshotRuns: runs, peerRuns, rows }, null, 2)}\n`);
  console.log(`written ${file}`);
} finally {
  await services.close();
  rmSync(dir, { recursive: true, force: true });
}
