// The reference corpus beside the project (../shared/corpus), read in place. Suites that need it skip
// with a message when it is absent, and fail instead when VINDBAAR_REQUIRE_SERVICES=1 (CI).
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const CORPUS = process.env.VINDBAAR_CORPUS ?? join(import.meta.dirname, '../../../shared/corpus');
export const hasCorpus = existsSync(join(CORPUS, 'MANIFEST.md'));

if (!hasCorpus) {
  if (process.env.VINDBAAR_REQUIRE_SERVICES === '1') throw new Error(`The reference corpus is required but not found at ${CORPUS}`);
  console.warn(`[vindbaar tests] reference corpus not found at ${CORPUS}: corpus suites are skipped`);
}

export function corpusPath(...parts: string[]): string {
  return join(CORPUS, ...parts);
}

export const LDES_ROOT = 'real/datagovbe-ldes/docs/https_3A_2F_2Fw3id.org_2Fsds_23Stream/root';
export function ldesPage(n: number): string {
  return corpusPath(LDES_ROOT, `2025-04-13T15_3A45_3A00.000Z_123187500_${n}`, 'index.trig');
}
