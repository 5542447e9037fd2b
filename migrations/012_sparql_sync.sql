-- How far a SPARQL store (one row per store: the embedded one is rebuilt each start and keeps no row)
-- has applied the change feed (feed_events.seq).
CREATE TABLE sparql_sync (
  store  text PRIMARY KEY,
  seq    bigint NOT NULL DEFAULT 0,
  synced_at timestamptz NOT NULL DEFAULT now()
);
