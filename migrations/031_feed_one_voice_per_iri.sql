-- The change feed speaks of a dataset by its IRI (as:object), and a dataset held in two catalogues (a
-- copy under the same IRI, see 010_duplicates.sql) must not be announced twice, nor withdrawn while it
-- lives on elsewhere. feed_events stays the log of every record's changes (the SPARQL store and the
-- link discovery follow it record by record); what /feed shows is marked "announced": of the live
-- records that share an IRI, one speaks for it (the primary, else the first seen), and only its
-- events are announced. The withdrawal of the one that spoke while another lives is announced as a
-- change of the one that speaks now, so that a mirror takes its triples instead of deleting the dataset.
ALTER TABLE feed_events ADD COLUMN announced boolean NOT NULL DEFAULT true;

CREATE OR REPLACE FUNCTION feed_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  speaker RECORD;
  shared boolean;
  speaks boolean := false;
BEGIN
  IF NEW.kind NOT IN ('Dataset', 'DatasetSeries', 'DataService') THEN
    RETURN NULL;
  END IF;
  -- The live record that speaks for the IRI now (this row included when it is live). By IRI first,
  -- alone (OFFSET 0 keeps the other conditions out of the scan): with the statistics of a table that is
  -- being filled, the planner would otherwise combine it with the index of live records and read
  -- thousands of entries per row written. Only the columns needed.
  SELECT o.id, o.iri, o.kind, o.version INTO speaker
    FROM (SELECT r.id, r.iri, r.kind, r.version, r.duplicate_of, r.deleted_at, r.first_seen FROM records r WHERE r.iri = NEW.iri OFFSET 0) o
    WHERE o.deleted_at IS NULL AND o.kind IN ('Dataset', 'DatasetSeries', 'DataService')
    ORDER BY o.duplicate_of IS NULL DESC, o.first_seen, o.id LIMIT 1;
  shared := FOUND;
  IF shared THEN
    speaks := speaker.id = NEW.id;
  END IF;
  IF TG_OP = 'INSERT' THEN
    INSERT INTO feed_events (record_id, iri, kind, version, op, announced)
      VALUES (NEW.id, NEW.iri, NEW.kind, NEW.version, CASE WHEN NEW.deleted_at IS NULL THEN 'create' ELSE 'delete' END,
              CASE WHEN NEW.deleted_at IS NULL THEN speaks ELSE NOT shared END);
  ELSIF NEW.deleted_at IS NOT NULL AND OLD.deleted_at IS NULL THEN
    INSERT INTO feed_events (record_id, iri, kind, version, op, announced) VALUES (NEW.id, NEW.iri, NEW.kind, NEW.version, 'delete', NOT shared);
    -- It spoke for the dataset (a primary), which lives on in another record: that one speaks now.
    IF shared AND NEW.duplicate_of IS NULL THEN
      INSERT INTO feed_events (record_id, iri, kind, version, op, announced) VALUES (speaker.id, speaker.iri, speaker.kind, speaker.version, 'update', true);
    END IF;
  ELSIF NEW.deleted_at IS NULL AND (NEW.version <> OLD.version OR OLD.deleted_at IS NOT NULL) THEN
    INSERT INTO feed_events (record_id, iri, kind, version, op, announced)
      VALUES (NEW.id, NEW.iri, NEW.kind, NEW.version, CASE WHEN OLD.deleted_at IS NOT NULL THEN 'create' ELSE 'update' END, speaks);
  ELSIF NEW.deleted_at IS NULL AND NEW.duplicate_of IS DISTINCT FROM OLD.duplicate_of THEN
    -- The duplicate linking changed who speaks for the IRI: the record that speaks now is announced
    -- with its own triples (nothing changed in it, so the SPARQL store merely loads it again).
    IF speaks AND EXISTS (SELECT 1 FROM records o WHERE o.iri = NEW.iri AND o.id <> NEW.id AND o.deleted_at IS NULL) THEN
      INSERT INTO feed_events (record_id, iri, kind, version, op, announced) VALUES (NEW.id, NEW.iri, NEW.kind, NEW.version, 'update', true);
    ELSIF NOT speaks AND OLD.duplicate_of IS NULL AND NOT EXISTS (
            -- It spoke before: no other primary under the IRI was seen before it.
            SELECT 1 FROM records o WHERE o.iri = NEW.iri AND o.id <> NEW.id AND o.deleted_at IS NULL AND o.duplicate_of IS NULL
              AND (o.first_seen, o.id) < (NEW.first_seen, NEW.id)) THEN
      INSERT INTO feed_events (record_id, iri, kind, version, op, announced) VALUES (speaker.id, speaker.iri, speaker.kind, speaker.version, 'update', true);
    END IF;
  END IF;
  RETURN NULL;
END $$;

-- A change of primary (duplicate_of) can change who speaks for an IRI.
DROP TRIGGER records_feed ON records;
CREATE TRIGGER records_feed AFTER INSERT OR UPDATE OF version, deleted_at, duplicate_of ON records
  FOR EACH ROW EXECUTE FUNCTION feed_event();
