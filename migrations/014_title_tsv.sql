-- The title and keyword lexemes of each search document (weights A and B of tsv), with their own GIN
-- index: relevance ranking reads these few hundred bytes instead of the whole vector for records whose
-- title or keywords match (see src/search/postgres.ts). Generated, so no write path can forget it.
ALTER TABLE search_docs ADD COLUMN title_tsv tsvector GENERATED ALWAYS AS (ts_filter(tsv, '{a,b}')) STORED;
CREATE INDEX search_docs_title_tsv ON search_docs USING gin (title_tsv);
