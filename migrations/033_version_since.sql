-- When a record's current version began. last_modified moves whenever what is served for the record
-- changes (a report made anew, another catalogue's copy joining its group), so that HTTP validators
-- tell clients; the version history needs the time its triples last changed, which is this. Records
-- written before have none: their last_modified is the best reading there is (see versionSince).
ALTER TABLE records ADD COLUMN version_since timestamptz;
ALTER TABLE records ALTER COLUMN version_since SET DEFAULT now();
