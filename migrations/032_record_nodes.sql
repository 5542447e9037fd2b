-- The IRIs of the nodes a record holds besides its own subject (its distributions, agents, contact
-- points, locations, described with it), so that /resolve answers for any IRI held here, not only a
-- record's: by the record or records that hold it. One row per node and record, replaced with the
-- record's other derived parts when it changes; a purged record takes its rows with it.
CREATE TABLE record_nodes (
  iri        text NOT NULL,
  record_id  text NOT NULL REFERENCES records(id) ON DELETE CASCADE,
  PRIMARY KEY (iri, record_id)
);
CREATE INDEX record_nodes_record ON record_nodes (record_id);

-- The records already held: the subjects of their stored N-Triples (one triple per line, an IRI
-- subject written as <…> at the start of its line, and an IRI holds neither '>' nor a space), other
-- than the record's own. Lines cut with string functions: three times faster than a regular
-- expression over the same text, which counts when a store of a million records is upgraded.
INSERT INTO record_nodes (iri, record_id)
SELECT DISTINCT n.iri, n.id
FROM (
  SELECT substr(l, 2, strpos(l, '> ') - 2) AS iri, r.id, r.iri AS own
  FROM records r CROSS JOIN LATERAL string_to_table(r.nquads, E'\n') AS l
  WHERE l LIKE '<%'
) n
WHERE n.iri <> n.own
ON CONFLICT DO NOTHING;
