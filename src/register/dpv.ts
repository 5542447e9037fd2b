// The access register in RDF: each entry a dpv:Process (W3C Data Privacy Vocabulary) on the dataset or
// service it is about (dpv:hasData), held by its publisher (dpv:hasDataController), with its purposes, recipients, legal basis (ELI IRIs), the
// authority whose decision allows it, and the data protection officer; DCAT terms carry the access
// rights and the conditions (dct:accessRights, dct:rights).
import { dataFactory, type Quad } from '../rdf/terms.js';
import { PREFIXES } from '../rdf/namespaces.js';
import type { RegisterEntry } from './register.js';

const { namedNode, literal, quad, blankNode } = dataFactory;
const DPV = 'https://w3id.org/dpv#';
const DCT = 'http://purl.org/dc/terms/';
const RDFS = 'http://www.w3.org/2000/01/rdf-schema#';
const FOAF = 'http://xmlns.com/foaf/0.1/';
const VCARD = 'http://www.w3.org/2006/vcard/ns#';
const ACCESS = 'http://publications.europa.eu/resource/authority/access-right/';

export const entryIri = (baseUrl: string, id: string) => `${baseUrl}/api/v1/register/${encodeURIComponent(id)}`;

const httpIri = (v: string | undefined) => (v && /^https?:\/\/\S+$/.test(v) ? v : undefined);

export function dpvQuads(baseUrl: string, entries: RegisterEntry[]): Quad[] {
  const out: Quad[] = [];
  const type = namedNode(`${PREFIXES.rdf}type`);
  const p = (local: string) => namedNode(`${DPV}${local}`);
  for (const e of entries) {
    const s = namedNode(entryIri(baseUrl, e.id));
    const add = (pred: ReturnType<typeof namedNode>, o: Parameters<typeof quad>[2]) => out.push(quad(s, pred, o));
    /** An IRI when there is one, else a node of `cls` with a label. */
    const thing = (iri: string | undefined, label: string | undefined, cls: string, labelPred = `${RDFS}label`) => {
      const known = httpIri(iri);
      if (known && !label) return namedNode(known);
      const n = known ? namedNode(known) : blankNode();
      out.push(quad(n, type, p(cls)));
      if (label) out.push(quad(n, namedNode(labelPred), literal(label)));
      return n;
    };
    add(type, p('Process'));
    add(p('hasData'), namedNode(e.recordIri));
    add(namedNode(`${DCT}accessRights`), namedNode(`${ACCESS}${e.access === 'non-public' ? 'NON_PUBLIC' : e.access.toUpperCase()}`));
    add(namedNode(`${DCT}source`), literal(e.origin));
    if (e.title) add(namedNode(`${DCT}title`), literal(e.title));
    // The organisation that holds the data decides what is shared: the controller, in DPV's terms.
    if (e.publisher || e.publisherName) add(p('hasDataController'), thing(e.publisher ?? undefined, e.publisherName ?? undefined, 'DataController', `${FOAF}name`));
    if (e.conditions) {
      const r = blankNode();
      add(namedNode(`${DCT}rights`), r);
      out.push(quad(r, type, namedNode(`${DCT}RightsStatement`)), quad(r, namedNode(`${RDFS}label`), literal(e.conditions)));
    }
    for (const l of e.legalBasis) add(p('hasLegalBasis'), thing(l.iri, l.label, 'LegalBasis'));
    for (const x of e.purposes) add(p('hasPurpose'), thing(x.iri, x.label, 'Purpose'));
    for (const r of e.recipients) add(p('hasRecipient'), thing(r.iri, r.name, 'Recipient', `${FOAF}name`));
    for (const d of e.decisions) {
      const authority = thing(undefined, d.authority, 'DataProtectionAuthority', `${FOAF}name`);
      add(p('hasAuthority'), authority);
      const decision = httpIri(d.url) ? namedNode(d.url!) : blankNode();
      add(namedNode(`${DCT}conformsTo`), decision);
      out.push(quad(decision, namedNode(`${DCT}publisher`), authority));
      if (d.reference) out.push(quad(decision, namedNode(`${DCT}identifier`), literal(d.reference)));
      if (d.date && /^\d{4}-\d{2}-\d{2}$/.test(d.date)) out.push(quad(decision, namedNode(`${DCT}issued`), literal(d.date, namedNode(`${PREFIXES.xsd}date`))));
    }
    if (e.dpo && (e.dpo.name || e.dpo.email || e.dpo.url)) {
      const d = blankNode();
      add(p('hasDataProtectionOfficer'), d);
      out.push(quad(d, type, p('DataProtectionOfficer')));
      if (e.dpo.name) out.push(quad(d, namedNode(`${VCARD}fn`), literal(e.dpo.name)));
      if (e.dpo.email) out.push(quad(d, namedNode(`${VCARD}hasEmail`), namedNode(`mailto:${e.dpo.email}`)));
      if (httpIri(e.dpo.url)) out.push(quad(d, namedNode(`${VCARD}hasURL`), namedNode(e.dpo.url!)));
    }
    if (e.personalData) {
      const d = blankNode();
      add(p('hasPersonalData'), d);
      out.push(quad(d, type, p('PersonalData')));
    }
  }
  return out;
}
