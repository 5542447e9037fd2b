// The sample catalogue shipped in samples/, loaded on the first start of an empty store.
import { createReadStream, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Services } from './app.js';
import { forgetLabels } from './search/labels.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '../samples');

// A catalogue's name comes from its own dcat:Catalog record, in each reader's language; a title set
// here names one whose file has no such record, in every language alike.
export const SAMPLES: { file: string; catalogId: string; title?: string; profile: string }[] = [
  { file: 'flemish-work.ttl', catalogId: 'vlaanderen-werk', profile: 'dcat-ap-vl-2.0' },
  { file: 'datagovbe.ttl', catalogId: 'datagovbe', title: 'data.gov.be (selectie)', profile: 'dcat-ap-3.0.1' },
];

export async function loadSamplesIfEmpty(services: Services): Promise<boolean> {
  const r = await services.db.query<{ n: number }>('SELECT count(*)::int AS n FROM records');
  if ((r.rows[0]?.n ?? 0) > 0) return false;
  for (const s of SAMPLES) {
    const path = join(DIR, s.file);
    if (!existsSync(path)) continue;
    const report = await services.ingest(createReadStream(path), {
      catalogId: s.catalogId,
      source: { id: `sample:${s.catalogId}`, kind: 'file', location: `samples/${s.file}` },
      format: 'turtle',
      baseIRI: `file:///samples/${s.file}`,
      profile: s.profile,
    });
    if (s.title !== undefined) await services.db.query('UPDATE catalogs SET title = $2 WHERE id = $1', [s.catalogId, s.title]);
    forgetLabels();
    services.log.info({ sample: s.file, records: report.records, byKind: report.byKind }, 'sample catalogue loaded');
  }
  return true;
}
