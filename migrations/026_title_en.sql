-- English pages sort, suggest and mark by the English title (English, then Dutch, then any); the
-- column holds it only where it differs from the Dutch-first title, so most rows carry nothing more.
ALTER TABLE search_docs ADD COLUMN title_en text;
CREATE INDEX search_docs_title_en ON search_docs (lower(coalesce(title_en, title)), record_id);
-- Records with an English title get it at the indexer's next pass.
INSERT INTO outbox (record_id, op)
  SELECT id, 'upsert' FROM records WHERE deleted_at IS NULL AND (json->'title')::text LIKE '%"en"%';
