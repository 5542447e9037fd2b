-- More facets and filters for the Postgres full-text backend: media types, high-value dataset
-- categories, languages and places, a bounding box (four numbers, so that "intersects" is four range
-- comparisons, answered the same way as in Elasticsearch) and the temporal coverage.
ALTER TABLE search_docs ADD COLUMN media_types text[] NOT NULL DEFAULT '{}';
ALTER TABLE search_docs ADD COLUMN hvd_categories text[] NOT NULL DEFAULT '{}';
ALTER TABLE search_docs ADD COLUMN languages text[] NOT NULL DEFAULT '{}';
ALTER TABLE search_docs ADD COLUMN spatial text[] NOT NULL DEFAULT '{}';
ALTER TABLE search_docs ADD COLUMN bbox_west double precision;
ALTER TABLE search_docs ADD COLUMN bbox_south double precision;
ALTER TABLE search_docs ADD COLUMN bbox_east double precision;
ALTER TABLE search_docs ADD COLUMN bbox_north double precision;
ALTER TABLE search_docs ADD COLUMN temporal_start timestamptz;
ALTER TABLE search_docs ADD COLUMN temporal_end timestamptz;
CREATE INDEX search_docs_facets_more ON search_docs USING gin (media_types, hvd_categories, languages, spatial);
CREATE INDEX search_docs_issued ON search_docs (issued);
-- Existing documents lack the new fields: queue every live searchable record for indexing.
INSERT INTO outbox (record_id, op)
  SELECT id, 'upsert' FROM records WHERE deleted_at IS NULL AND kind IN ('Dataset', 'DatasetSeries', 'DataService', 'Catalog');
