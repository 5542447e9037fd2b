// The Postgres backend keeps each alternative of a query's stemmed terms once (ranking costs grow with
// the terms), and leaves queries with groups, negation or phrases as they are.
import { describe, expect, it } from 'vitest';
import { distinctAlternatives } from '../src/search/postgres.js';

describe('distinct alternatives of a tsquery', () => {
  it('keeps each alternative once, in the order first seen', () => {
    expect(distinctAlternatives("'water' | 'water' | 'wat' | 'water':*AB | 'wat':*AB | 'water':*AB")).toBe("'water' | 'wat' | 'water':*AB | 'wat':*AB");
    expect(distinctAlternatives("'bevolk' & 'statistiek' | 'bevolking' & 'statistiek' | 'bevolk' & 'statistiek'")).toBe("'bevolk' & 'statistiek' | 'bevolking' & 'statistiek'");
  });
  it('leaves groups, negations and phrases alone', () => {
    for (const q of ["'a' & !'b' | 'a' & !'b'", "( 'a' | 'b' ) & 'c' | ( 'a' | 'b' ) & 'c'", "'a' <-> 'b' | 'a' <-> 'b'"]) expect(distinctAlternatives(q)).toBe(q);
  });
  it('is not fooled by operator characters inside a quoted lexeme', () => {
    expect(distinctAlternatives("'x|y' | 'x|y'")).toBe("'x|y'");
  });
});
