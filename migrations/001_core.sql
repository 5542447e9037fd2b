-- Core catalogue: catalogues, sources, records with their version history, the indexer's outbox,
-- the search documents of the Postgres full-text backend, and API keys.

CREATE TABLE catalogs (
  id          text PRIMARY KEY,
  iri         text,
  title       text,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sources (
  id          text PRIMARY KEY,
  kind        text NOT NULL,            -- push, file, url (harvest types follow)
  location    text,
  catalog_id  text NOT NULL REFERENCES catalogs(id),
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE records (
  id             text PRIMARY KEY,      -- local id, stable: derived from catalogue and IRI
  iri            text NOT NULL,
  kind           text NOT NULL,         -- Catalog, Dataset, DatasetSeries, DataService, Resource
  catalog_id     text NOT NULL REFERENCES catalogs(id),
  source_id      text REFERENCES sources(id),
  parent_iri     text,                  -- the dcat:Catalog that lists it, when the input says so
  hash           text NOT NULL,         -- order-independent content hash of the triples
  json           json NOT NULL,         -- JSON-LD record, keyed by /context.jsonld (json, not jsonb: it is only served, and json is cheaper to write)
  nquads         text NOT NULL,         -- the source triples, as received
  warnings       json,
  version        integer NOT NULL DEFAULT 1,
  first_seen     timestamptz NOT NULL DEFAULT now(),
  last_modified  timestamptz NOT NULL DEFAULT now(),
  deleted_at     timestamptz
);
-- Not unique: left-over triples about a record's subject are kept as a Resource record beside it.
CREATE INDEX records_catalog_iri ON records (catalog_id, iri);
CREATE INDEX records_iri ON records (iri);
CREATE INDEX records_kind_catalog ON records (kind, catalog_id) WHERE deleted_at IS NULL;

-- Earlier versions of a record; the current one lives in records.
CREATE TABLE record_versions (
  record_id    text NOT NULL REFERENCES records(id) ON DELETE CASCADE,
  version      integer NOT NULL,
  hash         text NOT NULL,
  nquads       text NOT NULL,
  valid_from   timestamptz NOT NULL,
  valid_to     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (record_id, version)
);

-- Changes the search indexer has still to apply, in order.
CREATE TABLE outbox (
  seq        bigserial PRIMARY KEY,
  record_id  text NOT NULL,
  op         text NOT NULL,             -- upsert or delete
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Postgres full-text search backend: one row per searchable record.
CREATE TABLE search_docs (
  record_id      text PRIMARY KEY REFERENCES records(id) ON DELETE CASCADE,
  kind           text NOT NULL,
  catalog_id     text NOT NULL,
  title          text NOT NULL,
  tsv            tsvector NOT NULL,
  themes         text[] NOT NULL DEFAULT '{}',
  publishers     text[] NOT NULL DEFAULT '{}',
  formats        text[] NOT NULL DEFAULT '{}',
  licenses       text[] NOT NULL DEFAULT '{}',
  access_rights  text[] NOT NULL DEFAULT '{}',
  labels         jsonb NOT NULL DEFAULT '{}',
  issued         timestamptz,
  modified       timestamptz,
  indexed_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX search_docs_tsv ON search_docs USING gin (tsv);
CREATE INDEX search_docs_facets ON search_docs USING gin (themes, publishers, formats, licenses, access_rights);
CREATE INDEX search_docs_modified ON search_docs (modified);

CREATE TABLE api_keys (
  id          text PRIMARY KEY,
  prefix      text NOT NULL UNIQUE,     -- shown in lists, identifies the key
  secret_hash text NOT NULL,            -- scrypt of the secret part
  role        text NOT NULL,            -- admin
  label       text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz,
  revoked_at  timestamptz
);
