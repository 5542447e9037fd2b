-- The change feed (LDES at /feed): one event per creation, change and withdrawal of a dataset, series or
-- service, in the order they happened. A trigger appends them, so no write path can forget one.
-- The time is the clock's at the insert (not the transaction's start), so that events are in the order
-- of their sequence numbers: the feed's fragments are ranges of them.
CREATE TABLE feed_events (
  seq        bigserial PRIMARY KEY,
  record_id  text NOT NULL,
  iri        text NOT NULL,
  kind       text NOT NULL,
  version    integer NOT NULL,
  op         text NOT NULL,              -- create, update, delete
  at         timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX feed_events_record ON feed_events (record_id);
CREATE INDEX feed_events_at ON feed_events (at);

CREATE FUNCTION feed_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.kind NOT IN ('Dataset', 'DatasetSeries', 'DataService') THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    INSERT INTO feed_events (record_id, iri, kind, version, op)
      VALUES (NEW.id, NEW.iri, NEW.kind, NEW.version, CASE WHEN NEW.deleted_at IS NULL THEN 'create' ELSE 'delete' END);
  ELSIF NEW.deleted_at IS NOT NULL AND OLD.deleted_at IS NULL THEN
    INSERT INTO feed_events (record_id, iri, kind, version, op) VALUES (NEW.id, NEW.iri, NEW.kind, NEW.version, 'delete');
  ELSIF NEW.deleted_at IS NULL AND NEW.version <> OLD.version THEN
    INSERT INTO feed_events (record_id, iri, kind, version, op)
      VALUES (NEW.id, NEW.iri, NEW.kind, NEW.version, CASE WHEN OLD.deleted_at IS NOT NULL THEN 'create' ELSE 'update' END);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER records_feed AFTER INSERT OR UPDATE OF version, deleted_at ON records
  FOR EACH ROW EXECUTE FUNCTION feed_event();

-- What happened before the feed existed, from the version history: each version as a creation or a
-- change at the time it began, and each tombstone as a withdrawal.
INSERT INTO feed_events (record_id, iri, kind, version, op, at)
SELECT e.record_id, e.iri, e.kind, e.version, e.op, e.at FROM (
  SELECT v.record_id, r.iri, r.kind, v.version, CASE WHEN v.version = 1 THEN 'create' ELSE 'update' END AS op, v.valid_from AS at
    FROM record_versions v JOIN records r ON r.id = v.record_id
    WHERE r.kind IN ('Dataset', 'DatasetSeries', 'DataService')
      AND NOT (r.deleted_at IS NOT NULL AND v.version = r.version)
  UNION ALL
  SELECT r.id, r.iri, r.kind, r.version, CASE WHEN r.deleted_at IS NOT NULL THEN 'delete' WHEN r.version = 1 THEN 'create' ELSE 'update' END,
         COALESCE(r.deleted_at, r.last_modified)
    FROM records r WHERE r.kind IN ('Dataset', 'DatasetSeries', 'DataService')
) e ORDER BY e.at, e.record_id, e.version;
