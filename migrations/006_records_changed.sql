-- A reindex catches up with what changed while it copied: records modified or withdrawn since a moment.
CREATE INDEX records_last_modified ON records (last_modified);
CREATE INDEX records_deleted_at ON records (deleted_at) WHERE deleted_at IS NOT NULL;
-- The record version a search document was built from: a late write of an older version is ignored.
ALTER TABLE search_docs ADD COLUMN version integer NOT NULL DEFAULT 0;
