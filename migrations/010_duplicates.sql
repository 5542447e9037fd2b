-- The same dataset from two sources is linked, not merged: each record keeps keys by which a copy is
-- recognised (see src/dcat/identity.ts), and a copy points at the record chosen as primary. Search
-- shows the primary only; the record pages show the copies with their provenance.
CREATE TABLE record_keys (
  key         text NOT NULL,
  record_id   text NOT NULL REFERENCES records(id) ON DELETE CASCADE,
  catalog_id  text NOT NULL,             -- copies live in other catalogues: only those are looked for
  PRIMARY KEY (key, catalog_id, record_id)
);
CREATE INDEX record_keys_record ON record_keys (record_id);
ALTER TABLE records ADD COLUMN duplicate_of text;
CREATE INDEX records_duplicate_of ON records (duplicate_of) WHERE duplicate_of IS NOT NULL;
