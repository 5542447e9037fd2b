// Builds vocabularies/*.json from the vocabulary files the profile manifests name in the reference
// corpus: concept IRIs with their types, schemes and labels (nl, en, fr, de). Run again when a manifest
// names another vocabulary:  npx tsx scripts/build-vocabularies.ts [corpus]
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseString } from '../src/rdf/parse.js';
import { formatForPath } from '../src/rdf/formats.js';
import { profileIds, readManifest } from '../src/validation/profiles.js';
import { VOCABULARIES_DIR, type VocabularySnapshot } from '../src/validation/vocabularies.js';

const corpus = process.argv[2] ?? process.env.VINDBAAR_CORPUS ?? join(import.meta.dirname, '../../shared/corpus');
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const SKOS = 'http://www.w3.org/2004/02/skos/core#';
const LANGS = ['nl', 'en', 'fr', 'de'];

// The corpus takes these files from the metadata101/dcat-ap repository; the vocabularies are public
// code lists of their publishers.
const LICENCES: [RegExp, string][] = [
  [/^http:\/\/publications\.europa\.eu\//, 'EU Vocabularies, © European Union, reused under CC BY 4.0 (Commission Decision 2011/833/EU)'],
  [/^http:\/\/purl\.org\/adms\//, 'ADMS controlled vocabularies, © European Union (ISA programme), CC BY 4.0'],
];

/** Concepts the EU table holds that the corpus's copy lacks: that copy of the access-right table has
 * PUBLIC and NON_PUBLIC only, while the EU authority table also has RESTRICTED ("available under
 * certain conditions"), which DCAT-AP records use; without it a valid code is reported. */
const SUPPLEMENTS: Record<string, VocabularySnapshot['concepts']> = {
  'http://publications.europa.eu/resource/authority/access-right': {
    'http://publications.europa.eu/resource/authority/access-right/RESTRICTED': {
      t: [`${SKOS}Concept`],
      s: ['http://publications.europa.eu/resource/authority/access-right'],
      l: { de: 'eingeschränkt', en: 'restricted', fr: 'restreint', nl: 'beperkt' },
    },
  },
};

const wanted = new Map<string, string>();
for (const id of profileIds())
  for (const v of readManifest(id).vocabularies) if (v.path && !wanted.has(v.scheme)) wanted.set(v.scheme, v.path);

mkdirSync(VOCABULARIES_DIR, { recursive: true });
const index: Record<string, string> = {};
for (const [scheme, path] of [...wanted].sort()) {
  const file = join(corpus, path);
  const quads = await parseString(readFileSync(file, 'utf8'), { format: formatForPath(file) ?? 'rdfxml', baseIRI: `file://${file}` });
  const concepts: VocabularySnapshot['concepts'] = {};
  const entry = (iri: string) => (concepts[iri] ??= {});
  for (const q of quads) {
    if (q.subject.termType !== 'NamedNode') continue;
    const p = q.predicate.value;
    if (p === RDF_TYPE) (entry(q.subject.value).t ??= []).push(q.object.value);
    else if (p === `${SKOS}inScheme`) (entry(q.subject.value).s ??= []).push(q.object.value);
    else if (p === `${SKOS}prefLabel` && q.object.termType === 'Literal' && LANGS.includes(q.object.language)) (entry(q.subject.value).l ??= {})[q.object.language] = q.object.value;
  }
  Object.assign(concepts, SUPPLEMENTS[scheme] ?? {});
  // Everything the file says about types and schemes, as a SHACL engine would see it in the data graph
  // (some published lists name their scheme differently from the profile: that shows in validation).
  const kept = Object.keys(concepts).sort();
  const name = `${scheme.replace(/^https?:\/\//, '').replace(/[^a-zA-Z0-9]+/g, '-').replace(/-+$/, '')}.json`;
  const snapshot: VocabularySnapshot = {
    scheme,
    title: concepts[scheme]?.l?.en,
    source: `corpus ${path}`,
    licence: LICENCES.find(([re]) => re.test(scheme))?.[1] ?? 'see the publisher of the scheme',
    concepts: Object.fromEntries(kept.map((iri) => [iri, concepts[iri]])),
  };
  writeFileSync(join(VOCABULARIES_DIR, name), `${JSON.stringify(snapshot)}\n`);
  index[scheme] = name;
  console.log(`${name}: ${kept.length} concepts`);
}
writeFileSync(join(VOCABULARIES_DIR, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
