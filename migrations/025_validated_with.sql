-- The profile each record was last validated against, beside its report: an ingest compares it with
-- the profile it validates against for every record it reads, unchanged ones included, and reading it
-- out of the report would parse a JSON text of several kilobytes per record.
ALTER TABLE records ADD COLUMN validated_with text;
UPDATE records SET validated_with = validation->>'profile' WHERE validation IS NOT NULL;
