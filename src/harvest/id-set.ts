// The ids of the records a run has seen, in a compact set: a harvest of a million records would hold a
// million strings in a Set (over 100 MB with its table); here each id is 8 bytes in an open-addressing
// table. Record ids are base32 digests (ingest/prepare.ts localId), so their first 12 characters are
// already 60 well-mixed bits. Two ids sharing those bits (about 1 in 10^12 per pair) would make a
// missing record look seen: it would then not be withdrawn, the safe side.
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const VALUE = new Map([...ALPHABET].map((c, i) => [c, BigInt(i)]));

function key(id: string): bigint {
  let k = 1n; // never 0: 0 marks an empty slot
  for (let i = 0; i < 12 && i < id.length; i++) k = (k << 5n) | (VALUE.get(id[i]) ?? BigInt(id.charCodeAt(i) & 31));
  return k;
}

export class IdSet {
  private table = new BigUint64Array(1 << 16);
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(id: string): void {
    if ((this.count + 1) * 2 > this.table.length) this.grow();
    if (this.put(this.table, key(id))) this.count++;
  }

  has(id: string): boolean {
    const k = key(id);
    const mask = this.table.length - 1;
    for (let i = Number(k & BigInt(mask)); ; i = (i + 1) & mask) {
      const v = this.table[i];
      if (v === 0n) return false;
      if (v === k) return true;
    }
  }

  private put(table: BigUint64Array, k: bigint): boolean {
    const mask = table.length - 1;
    for (let i = Number(k & BigInt(mask)); ; i = (i + 1) & mask) {
      const v = table[i];
      if (v === 0n) {
        table[i] = k;
        return true;
      }
      if (v === k) return false;
    }
  }

  private grow(): void {
    const next = new BigUint64Array(this.table.length * 2);
    for (const v of this.table) if (v !== 0n) this.put(next, v);
    this.table = next;
  }
}
