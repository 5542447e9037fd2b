-- The register names the organisation that holds the data, and is searchable by it and by where access
-- is asked (its name, a request address or desk): the name is kept beside the publisher's IRI.
ALTER TABLE access_register ADD COLUMN publisher_name text;
DROP INDEX access_register_search;
CREATE INDEX access_register_search ON access_register USING gin (to_tsvector('simple',
  coalesce(title, '') || ' ' || coalesce(publisher_name, '') || ' ' || coalesce(publisher, '') || ' ' || coalesce(request, '') || ' ' ||
  coalesce(conditions, '') || ' ' || legal_basis::text || ' ' || purposes::text || ' ' || recipients::text || ' ' || decisions::text));
-- Existing entries take the name their record gives its publisher (Dutch, else English, else plain).
UPDATE access_register a SET publisher_name = coalesce(r.json->'publisher'->'name'->>'nl', r.json->'publisher'->'name'->>'en', r.json->'publisher'->>'name')
FROM records r WHERE r.id = a.record_id AND json_typeof(r.json->'publisher') = 'object';
