-- Harvested records withdrawn outside a harvest (an entity portal's or an administrator's DELETE): the
-- source stays the authority for them, so its next runs ask it for them again and bring back those it
-- still lists. A row is settled (deleted) once a run has heard the source on the record: read it, been
-- told it is gone, or listed the whole source without it. `seq` is new at each withdrawal, so that a
-- run tells a withdrawal made while it ran from one it found waiting when it began.
CREATE TABLE harvest_recalls (
  record_id    text PRIMARY KEY REFERENCES records(id) ON DELETE CASCADE,
  source_id    text NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  seq          bigserial NOT NULL,
  withdrawn_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX harvest_recalls_source ON harvest_recalls (source_id);
