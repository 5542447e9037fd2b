// Public feedback as W3C Dataset Usage Vocabulary (DUV) in RDF: each message a duv:UserFeedback that is
// a Web Annotation (oa:) on the record, motivated as a quality assessment (an error report, also a
// dqv:UserQualityFeedback) or as a question; a public answer is an annotation replying to it.
import { dataFactory, type Quad } from '../rdf/terms.js';
import { PREFIXES } from '../rdf/namespaces.js';
import type { Feedback } from './feedback.js';

const { namedNode, literal, quad, blankNode } = dataFactory;
const DUV = 'http://www.w3.org/ns/duv#';
const OA = 'http://www.w3.org/ns/oa#';
const DCT = 'http://purl.org/dc/terms/';
const DC = 'http://purl.org/dc/elements/1.1/';

/** A public message's IRI: a fragment of the public list of its record's feedback, which anyone may
 * read (the message's own address in the API is for the publisher, behind a key). */
export function feedbackIri(baseUrl: string, f: Pick<Feedback, 'id' | 'recordId'>): string {
  return `${baseUrl}/api/v1/records/${encodeURIComponent(f.recordId)}/feedback#${encodeURIComponent(f.id)}`;
}

export function duvQuads(baseUrl: string, items: Feedback[]): Quad[] {
  const out: Quad[] = [];
  const type = namedNode(`${PREFIXES.rdf}type`);
  const dateTime = (d: Date) => literal(d.toISOString(), namedNode(`${PREFIXES.xsd}dateTime`));
  const body = (subject: ReturnType<typeof namedNode>, text: string, lang: string | null) => {
    const b = blankNode();
    out.push(
      quad(subject, namedNode(`${OA}hasBody`), b),
      quad(b, type, namedNode(`${OA}TextualBody`)),
      quad(b, namedNode(`${PREFIXES.rdf}value`), lang ? literal(text, lang) : literal(text)),
      quad(b, namedNode(`${DC}format`), literal('text/plain')),
    );
  };
  for (const f of items) {
    const record = namedNode(f.recordIri);
    const fb = namedNode(feedbackIri(baseUrl, f));
    out.push(
      quad(record, namedNode(`${DUV}hasFeedback`), fb),
      quad(fb, type, namedNode(`${DUV}UserFeedback`)),
      quad(fb, type, namedNode(`${OA}Annotation`)),
      quad(fb, namedNode(`${OA}hasTarget`), record),
      quad(fb, namedNode(`${OA}motivatedBy`), f.kind === 'error' ? namedNode(`${PREFIXES.dqv}qualityAssessment`) : namedNode(`${OA}questioning`)),
      quad(fb, namedNode(`${DCT}created`), dateTime(f.createdAt)),
    );
    if (f.kind === 'error') out.push(quad(fb, type, namedNode(`${PREFIXES.dqv}UserQualityFeedback`)));
    body(fb, f.message, f.lang);
    if (f.answer) {
      const answer = namedNode(`${feedbackIri(baseUrl, f)}-answer`);
      out.push(
        quad(answer, type, namedNode(`${OA}Annotation`)),
        quad(answer, namedNode(`${OA}motivatedBy`), namedNode(`${OA}replying`)),
        quad(answer, namedNode(`${OA}hasTarget`), fb),
      );
      if (f.answeredAt) out.push(quad(answer, namedNode(`${DCT}created`), dateTime(f.answeredAt)));
      body(answer, f.answer, null);
    }
  }
  return out;
}
