-- The metadata quality band of each search document (MQA-compatible score, src/quality/mqa.ts), a facet
-- and a filter. Documents indexed before this have none: every live record is queued for the indexer,
-- which writes them again in the background.
ALTER TABLE search_docs ADD COLUMN quality text[] NOT NULL DEFAULT '{}';
CREATE INDEX search_docs_quality ON search_docs USING gin (quality);
INSERT INTO outbox (record_id, op) SELECT id, 'upsert' FROM records WHERE deleted_at IS NULL AND kind IN ('Dataset', 'DatasetSeries', 'DataService');
