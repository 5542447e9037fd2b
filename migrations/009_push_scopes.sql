-- Entity portals push their own records: an API key may be scoped to one organisation, and a catalogue
-- belongs to the organisation that created it (or that an operator named).
ALTER TABLE api_keys ADD COLUMN organisation text;
ALTER TABLE catalogs ADD COLUMN organisation text;
