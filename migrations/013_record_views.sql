-- How often people opened each record's page, for "most viewed" on the home page. Counted in memory
-- and added here in batches, so a page view costs no write of its own.
CREATE TABLE record_views (
  record_id    text PRIMARY KEY REFERENCES records(id) ON DELETE CASCADE,
  views        bigint NOT NULL DEFAULT 0,
  last_viewed  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX record_views_views ON record_views (views DESC);
