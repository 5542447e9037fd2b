// Writes the JSON-LD contexts Vindbaar ships for offline parsing into contexts/, minified, with an
// index of the URLs they answer for. Sources are the official SEMIC releases (CC-BY 4.0), read from
// the reference corpus beside the project.  Run: npx tsx scripts/bundle-contexts.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const corpus = process.env.VINDBAAR_CORPUS ?? join(import.meta.dirname, '../../shared/corpus');
const out = join(import.meta.dirname, '../contexts');

const bundles = [
  {
    file: 'dcat-ap-3.0.1.jsonld',
    from: 'shapes/dcat-ap-3.0/3.0.1/context/dcat-ap.jsonld',
    urls: ['https://semiceu.github.io/DCAT-AP/releases/3.0.1/context/dcat-ap.jsonld'],
  },
  {
    file: 'dcat-ap-3.0.0.jsonld',
    from: 'shapes/dcat-ap-3.0/3.0.0/context/dcat-ap.jsonld',
    urls: ['https://semiceu.github.io/DCAT-AP/releases/3.0.0/context/dcat-ap.jsonld'],
  },
  {
    file: 'dcat-ap-hvd-3.0.0.jsonld',
    from: 'shapes/dcat-ap-hvd/3.0.0/context/hvd.jsonld',
    urls: ['https://semiceu.github.io/DCAT-AP/releases/3.0.0-hvd/context/hvd.jsonld'],
  },
  {
    file: 'dcat-ap-3-examples.jsonld',
    from: 'examples/semic-dcat-ap-3.0.1/context.jsonld',
    urls: ['https://semiceu.github.io/uri.semic.eu-generated/DCAT-AP/releases/3.0.0/html/examples/context.jsonld'],
  },
];

const index: Record<string, string> = {};
for (const b of bundles) {
  const doc: unknown = JSON.parse(readFileSync(join(corpus, b.from), 'utf8'));
  writeFileSync(join(out, b.file), JSON.stringify(doc) + '\n');
  for (const url of b.urls) index[url] = b.file;
}
writeFileSync(join(out, 'index.json'), JSON.stringify(index, null, 2) + '\n');
console.log(`wrote ${bundles.length} contexts to ${out}`);
