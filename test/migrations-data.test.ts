// Migrations that change stored data, run on a database that holds data of the form before them.
import { mkdtempSync, readdirSync, symlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openDb } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';

const MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), '../migrations');

/** A folder holding the migrations before `version`, as an earlier release shipped them. */
function migrationsBefore(version: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'vb-migrations-'));
  for (const f of readdirSync(MIGRATIONS)) if (/^\d+_/.test(f) && Number(f.split('_')[0]) < version) symlinkSync(join(MIGRATIONS, f), join(dir, f));
  return dir;
}

describe('030: plain identifiers no longer link datasets of different publishers', () => {
  it('drops keys of plain identifiers, keeps UUIDs and IRIs, and unlinks only copies that share no key left with any member of their group', async () => {
    const old = migrationsBefore(30);
    const db = await openDb({ dataDir: 'memory://' });
    try {
      await migrate(db, old);
      const ids = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6'];
      for (const id of ids) await db.query('INSERT INTO catalogs (id) VALUES ($1)', [`cat-${id}`]);
      const record = (id: string, duplicateOf: string | null, deleted = false) =>
        db.query(
          `INSERT INTO records (id, iri, kind, catalog_id, hash, json, nquads, duplicate_of, deleted_at)
           VALUES ($1, $2, 'Dataset', $3, 'h', '{}', '', $4, ${deleted ? 'now()' : 'NULL'})`,
          [id, `https://${id}.example.be/id/dataset/1`, `cat-${id}`, duplicateOf],
        );
      await record('r1', null);
      for (const id of ['r2', 'r3', 'r4', 'r6']) await record(id, 'r1');
      await record('r5', 'r1', true);
      const keys: [string, string][] = [
        ['id:begraafplaatsen', 'r1'],
        ['id:begraafplaatsen', 'r2'], // two cities' "begraafplaatsen": nothing else in common
        ['id:0f8fad5b-d9cb-469f-a165-70867728950e', 'r1'],
        ['id:0f8fad5b-d9cb-469f-a165-70867728950e', 'r3'], // a UUID: the same dataset
        ['id:https://data.example.be/id/dataset/x', 'r3'],
        ['id:https://data.example.be/id/dataset/x', 'r4'], // shares an IRI with another copy only
        ['id:adressen', 'r1'],
        ['id:adressen', 'r5'], // withdrawn, linked by a plain identifier only
        ['id:data.example.be/id/dataset/y', 'r1'],
        ['id:data.example.be/id/dataset/y', 'r6'], // an identifier given as an IRI, stored as host and path
      ];
      for (const [key, id] of keys) await db.query('INSERT INTO record_keys (key, record_id, catalog_id) VALUES ($1, $2, $3)', [key, id, `cat-${id}`]);
      await db.query('DELETE FROM outbox');

      await migrate(db);

      const linked = await db.query<{ id: string; duplicate_of: string | null }>('SELECT id, duplicate_of FROM records ORDER BY id');
      expect(Object.fromEntries(linked.rows.map((r) => [r.id, r.duplicate_of]))).toEqual({ r1: null, r2: null, r3: 'r1', r4: 'r1', r5: null, r6: 'r1' });
      const kept = await db.query<{ key: string }>('SELECT DISTINCT key FROM record_keys ORDER BY key');
      expect(kept.rows.map((r) => r.key)).toEqual(['id:0f8fad5b-d9cb-469f-a165-70867728950e', 'id:data.example.be/id/dataset/y', 'id:https://data.example.be/id/dataset/x']);
      // The copy that is a record of its own again is indexed anew, so that search finds it; the
      // withdrawn one is not.
      const queued = await db.query<{ record_id: string }>("SELECT DISTINCT record_id FROM outbox WHERE op = 'upsert' ORDER BY record_id");
      expect(queued.rows.map((r) => r.record_id)).toEqual(['r2']);
    } finally {
      await db.close();
      rmSync(old, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('032: the nodes records hold are indexed', () => {
  it('indexes the IRI subjects of every stored record but its own, so that /resolve finds records stored before', async () => {
    const old = migrationsBefore(32);
    const db = await openDb({ dataDir: 'memory://' });
    try {
      await migrate(db, old);
      await db.query("INSERT INTO catalogs (id) VALUES ('c')");
      const nt = [
        '<https://data.example.be/id/dataset/1> <http://purl.org/dc/terms/publisher> <https://data.example.be/id/org/a> .',
        '<https://data.example.be/id/dataset/1> <http://www.w3.org/ns/dcat#distribution> <https://data.example.be/dist/1> .',
        '<https://data.example.be/dist/1> <http://www.w3.org/ns/dcat#accessURL> <https://files.example.be/1.csv> .',
        '<https://data.example.be/id/org/a> <http://xmlns.com/foaf/0.1/name> "A <b> c"@nl .',
        '_:b0 <http://www.w3.org/2006/vcard/ns#fn> "Dienst" .',
        '',
      ].join('\n');
      await db.query(`INSERT INTO records (id, iri, kind, catalog_id, hash, json, nquads) VALUES ('r1', 'https://data.example.be/id/dataset/1', 'Dataset', 'c', 'h', '{}', $1)`, [nt]);

      await migrate(db);

      const nodes = await db.query<{ iri: string; record_id: string }>('SELECT iri, record_id FROM record_nodes ORDER BY iri');
      expect(nodes.rows).toEqual([
        { iri: 'https://data.example.be/dist/1', record_id: 'r1' },
        { iri: 'https://data.example.be/id/org/a', record_id: 'r1' },
      ]);
    } finally {
      await db.close();
      rmSync(old, { recursive: true, force: true });
    }
  }, 60_000);
});
