-- Quality facts per live dataset and service (src/quality/record-facts.ts), kept up to date from the change
-- feed and from link checks, so that KPIs over a million records are one aggregate query; and the
-- monthly KPI snapshots that show trends.

CREATE TABLE record_quality (
  record_id         text PRIMARY KEY REFERENCES records(id) ON DELETE CASCADE,
  kind              text NOT NULL,
  publisher         text NOT NULL DEFAULT '',      -- the first publisher's IRI ('' when none)
  access            text NOT NULL,                 -- public, restricted, non-public, unknown
  open_licence      boolean NOT NULL,
  hvd               boolean NOT NULL,
  score             smallint NOT NULL,
  band              text NOT NULL,
  findability       smallint NOT NULL,
  accessibility     smallint NOT NULL,
  interoperability  smallint NOT NULL,
  reusability       smallint NOT NULL,
  contextuality     smallint NOT NULL,
  verdict           text,                          -- conforms, warnings, violations; null when not validated
  modified          timestamptz,
  periodicity       text,                          -- EU frequency code (ANNUAL, MONTHLY...)
  computed_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX record_quality_publisher ON record_quality (publisher);

CREATE TABLE kpi_snapshots (
  month      date NOT NULL,                        -- first day of the month
  publisher  text NOT NULL,                        -- '*': the whole catalogue; '': records without publisher
  taken_at   timestamptz NOT NULL DEFAULT now(),
  figures    jsonb NOT NULL,
  PRIMARY KEY (month, publisher)
);

-- Facts of the records that exist already are made by the next discovery round, from the start of the feed.
UPDATE link_discovery SET feed_seq = 0;
