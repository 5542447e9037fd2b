// The binary COPY stream the store sends: read back field by field, it must give every value as
// written, whatever the characters and however the rows fall across chunks.
import { describe, expect, it } from 'vitest';
import { copyBinary, type CopyValue } from '../src/store/db.js';

/** Reads a binary COPY stream (header, rows of length-prefixed fields, trailer). */
function readCopy(chunks: Buffer[]): (string | null | Buffer)[][] {
  const all = Buffer.concat(chunks);
  expect(all.subarray(0, 11).toString('latin1')).toBe('PGCOPY\n\xff\r\n\0');
  let at = 19;
  const rows: (string | null | Buffer)[][] = [];
  for (;;) {
    const count = all.readInt16BE(at);
    at += 2;
    if (count === -1) break;
    const row: (string | null | Buffer)[] = [];
    for (let i = 0; i < count; i++) {
      const n = all.readInt32BE(at);
      at += 4;
      if (n < 0) row.push(null);
      else {
        row.push(all.subarray(at, at + n));
        at += n;
      }
    }
    rows.push(row);
  }
  expect(at).toBe(all.length);
  return rows;
}

const asText = (rows: (string | null | Buffer)[][], binary: Set<number>) =>
  rows.map((r) => r.map((v, i) => (v === null ? null : binary.has(i) ? [...(v as Buffer)] : (v as Buffer).toString('utf8'))));

describe('binary COPY stream', () => {
  it('gives back every value: multi-byte and astral characters, empty texts, nulls, binary values', () => {
    const rows: CopyValue[][] = [
      ['plain', null, '', new Uint8Array([0, 1, 2, 255])],
      ['Zuidelijke Bocht — ‘Noordzee’ éèç ß 北海 😀𝔸', 'x'.repeat(3), null, new Uint8Array(0)],
      ['\u0000\n\t"\\', '\ud800 lone surrogate', 'end', null],
    ];
    const back = asText(readCopy(copyBinary(rows)), new Set([3]));
    expect(back).toEqual([
      ['plain', null, '', [0, 1, 2, 255]],
      ['Zuidelijke Bocht — ‘Noordzee’ éèç ß 北海 😀𝔸', 'xxx', null, []],
      // A lone surrogate cannot be written in UTF-8: it becomes U+FFFD, as Buffer.from does.
      ['\u0000\n\t"\\', Buffer.from('\ud800 lone surrogate').toString('utf8'), 'end', null],
    ]);
  });

  it('keeps rows whole across chunk boundaries, with values larger than a chunk', () => {
    const big = 'ë'.repeat(700_000) + '😀'.repeat(200_000);
    const rows: CopyValue[][] = [];
    for (let i = 0; i < 3000; i++) rows.push([`record ${i} ${'é'.repeat(i % 700)}`, i % 500 === 0 ? big : `n${i}`, null]);
    const chunks = copyBinary(rows);
    expect(chunks.length).toBeGreaterThan(4);
    const back = asText(readCopy(chunks), new Set());
    expect(back.length).toBe(rows.length);
    for (let i = 0; i < rows.length; i++) expect(back[i]).toEqual(rows[i]);
  });

  it('is header and trailer only for no rows', () => {
    expect(readCopy(copyBinary([]))).toEqual([]);
  });
});
