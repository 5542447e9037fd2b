// rdflib and pySHACL (PyPI, pinned in scripts/conformance/requirements.txt) as the independent clients
// of the linked-data tests: rdflib reads every serialisation Vindbaar serves, pySHACL validates exported
// catalogue pages against the official shapes.
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pythonVenv, run } from './python-venv.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const REQUIREMENTS = join(ROOT, 'scripts/conformance/requirements.txt');
const PARSE = join(dirname(fileURLToPath(import.meta.url)), 'rdf-clients/rdflib_parse.py');
const PYSHACL_REPORT = join(ROOT, 'scripts/conformance/pyshacl_report.py');

export interface RdfClients {
  /** rdflib's reading of `data` in `format` (rdflib's format names), as N-Quads. */
  rdflibParse(data: string, format: string, base: string): string;
  /** pySHACL's report for a Turtle document against a profile's official shapes. */
  pyshacl(turtle: string, profile: string): { conforms: boolean; results: { focusNode: string; path?: string; message?: string; severity: string }[] };
}

export function rdfClientsForTests(): RdfClients | undefined {
  let python: string;
  try {
    python = pythonVenv('rdf-clients', REQUIREMENTS);
  } catch (e) {
    const message = (e as Error).message;
    if (process.env.VINDBAAR_REQUIRE_SERVICES === '1') throw new Error(`VINDBAAR_REQUIRE_SERVICES=1 but rdflib and pySHACL could not be installed: ${message}`);
    console.warn(`[vindbaar tests] rdflib and pySHACL could not be installed, their checks are skipped: ${message}`);
    return undefined;
  }
  return {
    rdflibParse: (data, format, base) => run(python, [PARSE, format, base], `rdflib could not read the ${format}`, 120_000, data),
    pyshacl(turtle, profile) {
      const dir = mkdtempSync(join(tmpdir(), 'vindbaar-pyshacl-'));
      try {
        const file = join(dir, 'data.ttl');
        writeFileSync(file, turtle);
        const out = run(python, [PYSHACL_REPORT, '--profile', profile, file], 'pySHACL failed', 300_000);
        return JSON.parse(out);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
