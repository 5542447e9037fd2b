// Content negotiation by the rules of RFC 9110: q-values, and the most specific range deciding.
import { describe, it, expect } from 'vitest';
import { choose, RECORD_OFFERS } from '../src/api/negotiate.js';

const pick = (accept: string | undefined) => choose(accept, RECORD_OFFERS)?.type;

describe('choose', () => {
  it('lets the most specific matching range set an offer quality, so q=0 excludes it even beside a wildcard', () => {
    expect(pick('application/json;q=0, */*')).not.toBe('application/json');
    expect(pick('application/json;q=0, application/*')).not.toBe('application/json');
    expect(pick('text/turtle;q=0, text/*;q=0.9, */*;q=0.1')).toBe('text/html');
    expect(pick('*/*;q=0')).toBeUndefined();
  });

  it('prefers higher quality, then the more specific range, then the order of the header', () => {
    expect(pick(undefined)).toBe('application/json');
    expect(pick('text/turtle;q=0.5, application/rdf+xml')).toBe('application/rdf+xml');
    expect(pick('application/n-triples, text/turtle')).toBe('application/n-triples');
    expect(pick('text/*, text/turtle')).toBe('text/turtle');
    expect(pick('image/png')).toBeUndefined();
  });

  it('takes the other names of a syntax for the syntax, as clients such as rdflib send them', () => {
    expect(pick('text/n3, */*;q=0.1')).toBe('text/turtle');
    expect(pick('text/turtle, application/x-turtle, */*;q=0.1')).toBe('text/turtle');
    expect(pick('text/plain, */*;q=0.1')).toBe('application/n-triples');
    expect(pick('application/x-trig')).toBe('application/trig');
    expect(pick('text/n3;q=0, */*')).toBe('application/json');
  });

  it('reads the JSON-LD profile of the range that won', () => {
    const r = choose('application/ld+json;profile="http://www.w3.org/ns/json-ld#expanded", application/ld+json;q=0.5', RECORD_OFFERS);
    expect(r).toMatchObject({ format: 'jsonld', profile: 'expanded' });
  });
});
