// The labels a search document gives the facet values it holds, which pages show for them.
import { describe, expect, it } from 'vitest';
import { searchDocument } from '../src/search/document.js';

describe('search document labels', () => {
  it('names a skolemised publisher with no name of its own after the record\'s contact point, and nothing else so', () => {
    const genid = 'http://data.gov.be/.well-known/genid/ee9d1cccd74240bb9fc6d191c915358317-560032beb2ae84e9';
    const contactPoint = [{ type: 'Kind', fn: { '@none': 'Rijksdienst voor Arbeidsvoorziening (RVA)' }, hasURL: ['https://www.rva.be/nl/kantoren'] }];
    const doc = searchDocument('x', 'Dataset', 'c', { title: { nl: 'RVA' }, publisher: genid, contactPoint });
    expect(doc.labels[genid]).toEqual({ '@none': 'Rijksdienst voor Arbeidsvoorziening (RVA)' });
    // A publisher the source names by a meaningful IRI (an enterprise number) keeps being named by it.
    const kbo = 'https://org.belgif.be/id/CbeRegisteredEntity/0207373429';
    expect(searchDocument('y', 'Dataset', 'c', { publisher: kbo, contactPoint }).labels[kbo]).toBeUndefined();
    // A name of its own comes first.
    const named = searchDocument('z', 'Dataset', 'c', { publisher: { iri: genid, name: { nl: 'RVA' } }, contactPoint });
    expect(named.labels[genid]).toEqual({ nl: 'RVA' });
  });
});
