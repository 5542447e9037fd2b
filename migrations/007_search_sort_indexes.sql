-- Pages of search results in the orders researchers ask for most (newest first, by title) are read
-- from an index in that order and stop after the page, instead of sorting every match.
DROP INDEX IF EXISTS search_docs_modified;
CREATE INDEX search_docs_modified ON search_docs (modified DESC NULLS LAST, record_id);
CREATE INDEX search_docs_title ON search_docs (lower(title), record_id);
