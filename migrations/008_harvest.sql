-- Harvesting: sources that are fetched on a schedule, each run with its counts and one row per item
-- that changed or failed, the pages a source was last read from (for conditional GET and for the
-- records an unchanged page still holds), and withdrawals that wait for an operator.

ALTER TABLE sources ADD COLUMN url text;
ALTER TABLE sources ADD COLUMN schedule text;                  -- cron, UTC; null: only on demand
ALTER TABLE sources ADD COLUMN organisation text;              -- the organisation that owns the source
ALTER TABLE sources ADD COLUMN deletion_policy text NOT NULL DEFAULT 'withdraw-missing';  -- or keep-missing
ALTER TABLE sources ADD COLUMN max_withdraw_share real NOT NULL DEFAULT 0.2;
ALTER TABLE sources ADD COLUMN credentials text;               -- an Authorization header value, if the source needs one
ALTER TABLE sources ADD COLUMN options json;                   -- type-specific settings (page size, format, ...)
ALTER TABLE sources ADD COLUMN state json;                     -- where an incremental source stopped (LDES, CKAN)
ALTER TABLE sources ADD COLUMN enabled boolean NOT NULL DEFAULT true;
ALTER TABLE sources ADD COLUMN title text;
ALTER TABLE sources ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE sources ADD COLUMN scheduled_at timestamptz;       -- the last cron time a run was queued for
ALTER TABLE sources ADD COLUMN lease_holder text;              -- the run harvesting it now, renewed while it lives
ALTER TABLE sources ADD COLUMN lease_until timestamptz;

CREATE TABLE harvest_runs (
  id            bigserial PRIMARY KEY,
  source_id     text NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  status        text NOT NULL DEFAULT 'running',   -- running, succeeded, partial, failed, awaiting-confirmation
  trigger       text NOT NULL DEFAULT 'manual',    -- manual, schedule, api
  complete      boolean NOT NULL DEFAULT false,    -- every page was read: the run saw the whole source
  pages         integer NOT NULL DEFAULT 0,
  pages_not_modified integer NOT NULL DEFAULT 0,
  records       integer NOT NULL DEFAULT 0,
  created       integer NOT NULL DEFAULT 0,
  updated       integer NOT NULL DEFAULT 0,
  unchanged     integer NOT NULL DEFAULT 0,
  deleted       integer NOT NULL DEFAULT 0,
  failed        integer NOT NULL DEFAULT 0,
  rejected      integer NOT NULL DEFAULT 0,
  pending_withdrawals integer NOT NULL DEFAULT 0,
  bytes         bigint NOT NULL DEFAULT 0,
  error         text,
  worker        text,
  started_at    timestamptz NOT NULL DEFAULT now(),
  finished_at   timestamptz
);
CREATE INDEX harvest_runs_source ON harvest_runs (source_id, id DESC);

-- One row per item that changed or failed (unchanged records are counted, not logged).
CREATE TABLE harvest_items (
  run_id     bigint NOT NULL REFERENCES harvest_runs(id) ON DELETE CASCADE,
  seq        integer NOT NULL,
  action     text NOT NULL,          -- created, updated, deleted, rejected, failed, pending-withdrawal
  record_id  text,
  iri        text,
  location   text,                   -- where: the page URL, with line or member when known
  message    text,
  PRIMARY KEY (run_id, seq)
);

-- What each page of a source gave last time: validators for a conditional GET, a digest of the body,
-- and the records it held, so that a page that did not change still counts as seen.
CREATE TABLE harvest_pages (
  source_id     text NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  url           text NOT NULL,
  etag          text,
  last_modified text,
  digest        text,
  record_ids    text[] NOT NULL DEFAULT '{}',
  immutable     boolean NOT NULL DEFAULT false,
  next          text,                -- the page that followed it (paged catalogues)
  catalog       text,                -- N-Triples of the catalogue node as the page gave it
  fetched_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source_id, url)
);

-- Records a run would withdraw but may not on its own (more than the source's share): an operator confirms.
CREATE TABLE harvest_withdrawals (
  run_id     bigint NOT NULL REFERENCES harvest_runs(id) ON DELETE CASCADE,
  record_id  text NOT NULL,
  PRIMARY KEY (run_id, record_id)
);

-- Provenance of the current version of each record: the run that brought it and when it was fetched.
ALTER TABLE records ADD COLUMN run_id bigint;
ALTER TABLE records ADD COLUMN fetched_at timestamptz;
CREATE INDEX records_source_live ON records (source_id) WHERE deleted_at IS NULL;
