-- Thematic views: named slices of the catalogue that an operator defines for a thematic portal (a
-- labour-market research portal, say). A view is a filter set in the search API's own vocabulary
-- (theme, publisher, format, access rights, HVD category, place...), kept as given (codes or IRIs) and
-- expanded when a search runs, so that it always means what the same search means. Title and
-- description are per page language ({"nl": ..., "en": ...}). The view is served as a page, a DCAT
-- catalogue of its own, a scope of the search API and an embeddable list.
CREATE TABLE thematic_views (
  id          text PRIMARY KEY,
  title       jsonb NOT NULL,
  description jsonb NOT NULL DEFAULT '{}',
  filters     jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
