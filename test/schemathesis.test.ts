// The OpenAPI document tells the truth about every answer: schemathesis (PyPI) generates requests for
// every operation from the document and checks the service's answers against it: no 5xx, every status
// code and media type documented, every response body valid against its schema, requests outside the
// schema refused, undeclared methods answered 405. Only positive_data_acceptance is left out here: it
// counts as a failure any refusal of a request the schema allows, and no JSON Schema can say which
// strings are valid Turtle or SPARQL, which cursors this service gave out, or that a bounding box's west
// lies west of its east (`npm run fuzz` runs it too, with more examples, and lists those).
import { describe, expect, it } from 'vitest';
import { pythonVenv } from './support/python-venv.js';
import { runSchemathesis } from './support/schemathesis.js';
import { join } from 'node:path';

function available(): boolean {
  try {
    pythonVenv('schemathesis', join(import.meta.dirname, '../scripts/schemathesis/requirements.txt'));
    return true;
  } catch (e) {
    if (process.env.VINDBAAR_REQUIRE_SERVICES === '1') throw new Error(`VINDBAAR_REQUIRE_SERVICES=1 but schemathesis could not be installed: ${(e as Error).message}`);
    console.warn(`[vindbaar tests] schemathesis could not be installed, its suite is skipped: ${(e as Error).message}`);
    return false;
  }
}

describe.skipIf(!available())('schemathesis against the OpenAPI document', () => {
  it('finds no server error and no answer the document does not describe', async () => {
    const r = await runSchemathesis(['--checks', 'all', '--exclude-checks', 'positive_data_acceptance', '--max-examples', '5', '--seed', '1']);
    const summary = r.output.slice(r.output.lastIndexOf('SUMMARY'));
    expect(r.operations, summary).toBeGreaterThanOrEqual(60);
    expect(r.generated, summary).toBeGreaterThan(1000);
    expect(r.status, summary).toBe(0);
  }, 600_000);
});
