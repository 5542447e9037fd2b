// Controlled vocabularies (EU authority tables, ADMS, Flemish code lists...) as snapshots kept in the
// project, in vocabularies/: for each concept its types, schemes and labels. SHACL validation against a
// profile's vocabulary layer needs those facts about the IRIs a record points at (a theme must be a
// skos:Concept in the data-theme scheme); the view gives them to referenced IRIs (see view.ts).
// Snapshots are built from the files the profile manifests name by scripts/build-vocabularies.ts.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const VOCABULARIES_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../vocabularies');

export interface VocabularySnapshot {
  scheme: string;
  title?: string;
  /** Where the snapshot was taken from, and under which terms. */
  source: string;
  licence: string;
  /** concept IRI -> t: types, s: schemes, l: labels by language */
  concepts: Record<string, { t?: string[]; s?: string[]; l?: Record<string, string> }>;
}

export interface Described {
  types?: readonly string[];
  schemes?: readonly string[];
}

/** scheme IRI -> file name in vocabularies/ */
export function snapshotIndex(dir = VOCABULARIES_DIR): Record<string, string> {
  const file = join(dir, 'index.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
}

const SKOS = 'http://www.w3.org/2004/02/skos/core#';

/** What the snapshots of the given schemes say about each of their concepts. Schemes without a
 * snapshot are returned in `missing`, so a caller can say that it could not check them.
 *
 * A scheme without a snapshot (the reference corpus lacks the list: EU corporate bodies, countries,
 * places...) is not checked against a list: an IRI in its namespace (the scheme IRI followed by "/" or
 * "#", as every EU authority table and GeoNames name their concepts) is taken as a skos:Concept of that
 * scheme, and the scheme as a skos:ConceptScheme. A SHACL engine given no data about the scheme would
 * report every such value (its skos:inScheme is missing); with the list it would report only unknown
 * codes. Values outside the namespace are still reported. */
export function loadVocabularies(schemes: string[], dir = VOCABULARIES_DIR): { describe: (iri: string) => Described | undefined; missing: string[] } {
  const index = snapshotIndex(dir);
  const facts = new Map<string, Described>();
  const missing: string[] = [];
  for (const scheme of schemes) {
    const file = index[scheme];
    if (!file) {
      missing.push(scheme);
      continue;
    }
    const snap = JSON.parse(readFileSync(join(dir, file), 'utf8')) as VocabularySnapshot;
    for (const [iri, c] of Object.entries(snap.concepts)) {
      const known = facts.get(iri);
      facts.set(iri, {
        types: [...new Set([...(known?.types ?? []), ...(c.t ?? [])])],
        schemes: [...new Set([...(known?.schemes ?? []), ...(c.s ?? [])])],
      });
    }
  }
  if (missing.length === 0) return { describe: (iri) => facts.get(iri), missing };
  const unlisted = (iri: string): Described | undefined => {
    for (const scheme of missing) {
      if (iri === scheme) return { types: [`${SKOS}ConceptScheme`] };
      if (iri.length > scheme.length + 1 && iri.startsWith(scheme) && (iri[scheme.length] === '/' || iri[scheme.length] === '#'))
        return { types: [`${SKOS}Concept`], schemes: [scheme] };
    }
    return undefined;
  };
  return { describe: (iri) => facts.get(iri) ?? unlisted(iri), missing };
}
