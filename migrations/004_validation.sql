-- Validation on ingest: each stored record keeps its report against the profile its source claims
-- (summary and results; messages are written when a report is shown), and the search document
-- carries the verdict (conforms / warnings / violations) as a facet.
ALTER TABLE records ADD COLUMN validation json;
ALTER TABLE search_docs ADD COLUMN validation text[] NOT NULL DEFAULT '{}';
CREATE INDEX search_docs_validation ON search_docs USING gin (validation);
ALTER TABLE sources ADD COLUMN profile text;
ALTER TABLE sources ADD COLUMN validation_policy text NOT NULL DEFAULT 'accept-with-report';
