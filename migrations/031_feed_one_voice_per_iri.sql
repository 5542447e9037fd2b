-- The change feed speaks of a dataset by its IRI (as:object), and a dataset held in two catalogues (a
-- copy under the same IRI, see 010_duplicates.sql) must not be announced twice, nor withdrawn while it
-- lives on elsewhere. For records sharing an IRI with another live record:
-- - a new one that arrives while another lives is not announced (the dataset exists already);
-- - a change of a copy is not announced (the primary speaks for the dataset);
-- - the withdrawal of a copy is not announced; the withdrawal of the primary while a copy lives is
--   announced as a change of the copy, so that a mirror takes its triples instead of deleting the dataset.
CREATE OR REPLACE FUNCTION feed_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  -- The columns needed only: a whole row would bring its JSON and N-Triples along.
  other RECORD;
  shared boolean;
BEGIN
  IF NEW.kind NOT IN ('Dataset', 'DatasetSeries', 'DataService') THEN
    RETURN NULL;
  END IF;
  -- By IRI first, alone (OFFSET 0 keeps the other conditions out of the scan): with the statistics of a
  -- table that is being filled, the planner would otherwise combine it with the index of live records
  -- and read thousands of entries per row written.
  SELECT o.id, o.iri, o.kind, o.version, o.duplicate_of INTO other
    FROM (SELECT r.id, r.iri, r.kind, r.version, r.duplicate_of, r.deleted_at, r.first_seen FROM records r WHERE r.iri = NEW.iri OFFSET 0) o
    WHERE o.id <> NEW.id AND o.deleted_at IS NULL AND o.kind IN ('Dataset', 'DatasetSeries', 'DataService')
    ORDER BY o.duplicate_of IS NULL DESC, o.first_seen, o.id LIMIT 1;
  shared := FOUND;
  IF TG_OP = 'INSERT' THEN
    IF NOT shared THEN
      INSERT INTO feed_events (record_id, iri, kind, version, op)
        VALUES (NEW.id, NEW.iri, NEW.kind, NEW.version, CASE WHEN NEW.deleted_at IS NULL THEN 'create' ELSE 'delete' END);
    END IF;
  ELSIF NEW.deleted_at IS NOT NULL AND OLD.deleted_at IS NULL THEN
    IF NOT shared THEN
      INSERT INTO feed_events (record_id, iri, kind, version, op) VALUES (NEW.id, NEW.iri, NEW.kind, NEW.version, 'delete');
    ELSIF NEW.duplicate_of IS NULL THEN
      INSERT INTO feed_events (record_id, iri, kind, version, op) VALUES (other.id, other.iri, other.kind, other.version, 'update');
    END IF;
  ELSIF NEW.deleted_at IS NULL AND (NEW.version <> OLD.version OR OLD.deleted_at IS NOT NULL) THEN
    IF NOT shared THEN
      INSERT INTO feed_events (record_id, iri, kind, version, op)
        VALUES (NEW.id, NEW.iri, NEW.kind, NEW.version, CASE WHEN OLD.deleted_at IS NOT NULL THEN 'create' ELSE 'update' END);
    ELSIF NEW.duplicate_of IS NULL AND other.duplicate_of IS NOT NULL THEN
      -- The primary changed (or came back) while a copy lives: it still speaks for the dataset.
      INSERT INTO feed_events (record_id, iri, kind, version, op) VALUES (NEW.id, NEW.iri, NEW.kind, NEW.version, 'update');
    END IF;
  END IF;
  RETURN NULL;
END $$;
