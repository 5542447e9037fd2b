-- What each record's validation found, as short keys (one per shape, constraint and property, whatever
-- the value or node), kept with its quality facts: an organisation's most frequent findings are then
-- counted from a few bytes per record instead of from every stored report (src/quality/findings.ts).
-- A key begins with its severity's rank (0 violation, 1 warning, 2 note), so that keys sort by it.
CREATE FUNCTION finding_keys(report json) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(array_agg(DISTINCT
           CASE f->>'severity' WHEN 'Violation' THEN '0' WHEN 'Warning' THEN '1' ELSE '2' END
           || left(md5(concat_ws('|', f->>'severity', f->>'component', coalesce(f->>'path', ''), f->>'shape')), 11)), '{}')
  FROM jsonb_array_elements(coalesce(report::jsonb->'results', '[]'::jsonb)) AS f
$$;
ALTER TABLE record_quality ADD COLUMN findings text[] NOT NULL DEFAULT '{}';
UPDATE record_quality q SET findings = finding_keys(r.validation) FROM records r WHERE r.id = q.record_id AND r.validation IS NOT NULL;
