-- Keywords as a facet and a filter (src/search/document.ts, keywordValue): each record's keywords in
-- every language, in lower case, the same word once, to filter by; and those a reader of Dutch or
-- English pages counts in the facet (the record's keywords in that language, else in its first one,
-- and the untagged ones). Documents indexed before this have none: every live dataset, series and
-- service with keywords is queued for the indexer, which writes them again in the background.
ALTER TABLE search_docs ADD COLUMN keywords text[] NOT NULL DEFAULT '{}',
  ADD COLUMN keywords_nl text[] NOT NULL DEFAULT '{}',
  ADD COLUMN keywords_en text[] NOT NULL DEFAULT '{}';
CREATE INDEX search_docs_keywords ON search_docs USING gin (keywords);
INSERT INTO outbox (record_id, op)
  SELECT id, 'upsert' FROM records WHERE deleted_at IS NULL AND kind IN ('Dataset', 'DatasetSeries', 'DataService') AND json->'keyword' IS NOT NULL;
