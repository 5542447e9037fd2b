// Picks a response format from an Accept header, honouring q-values.
import { FORMATS, type RdfFormat } from '../rdf/formats.js';

export type ResponseFormat = 'json' | RdfFormat;

const OFFERS: { type: string; format: ResponseFormat }[] = [
  { type: 'application/json', format: 'json' },
  { type: 'application/ld+json', format: 'jsonld' },
  ...FORMATS.filter((f) => f.format !== 'jsonld').map((f) => ({ type: f.mediaType, format: f.format as ResponseFormat })),
];

export const OFFERED_TYPES = OFFERS.map((o) => o.type);

interface Range {
  type: string;
  q: number;
  order: number;
}

function parseAccept(header: string): Range[] {
  return header
    .split(',')
    .map((part, order) => {
      const [type, ...params] = part.trim().split(';');
      const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const q = qParam ? Number(qParam.slice(2)) : 1;
      return { type: type.trim().toLowerCase(), q: Number.isFinite(q) ? q : 0, order };
    })
    .filter((r) => r.type.length > 0);
}

/** The best offer for the Accept header, or undefined when nothing offered is acceptable. */
export function negotiate(accept: string | undefined): ResponseFormat | undefined {
  if (!accept || accept.trim() === '') return 'json';
  const ranges = parseAccept(accept);
  let best: { format: ResponseFormat; q: number; specificity: number; order: number } | undefined;
  for (const offer of OFFERS) {
    for (const r of ranges) {
      const [rt, rs] = r.type.split('/');
      const [ot, os] = offer.type.split('/');
      const matches = r.type === '*/*' || (rt === ot && (rs === '*' || rs === os));
      if (!matches || r.q <= 0) continue;
      const specificity = r.type === '*/*' ? 0 : rs === '*' ? 1 : 2;
      const better =
        !best || r.q > best.q || (r.q === best.q && specificity > best.specificity) || (r.q === best.q && specificity === best.specificity && r.order < best.order);
      if (better) best = { format: offer.format, q: r.q, specificity, order: r.order };
    }
  }
  return best?.format;
}
