// `npm run fuzz`, second part: schemathesis against a freshly started embedded Vindbaar, every check
// (see test/support/schemathesis.ts). Exit status: schemathesis's.
// Usage: npx tsx scripts/schemathesis/run.ts [--max-examples N] [other schemathesis options]
import { runSchemathesis } from '../../test/support/schemathesis.js';

const args = process.argv.slice(2);
const r = await runSchemathesis(['--checks', 'all', ...(args.includes('--max-examples') ? [] : ['--max-examples', '25']), ...args], { echo: true });
process.exit(r.status);
