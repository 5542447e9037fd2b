-- The public register of closed data and services: for restricted or non-public datasets and services,
-- who receives the data, why, on which legal basis, under which conditions, the authorisation decisions
-- of the competent privacy authority and the data protection officer to ask. Publishers maintain their
-- entries through the API; entries made from harvested DCAT (access rights, applicable legislation,
-- contact point) are kept up to date from the change feed.

CREATE TABLE access_register (
  id            text PRIMARY KEY,
  record_id     text NOT NULL,
  record_iri    text NOT NULL,
  catalog_id    text NOT NULL,
  origin        text NOT NULL,                  -- publisher (through the API) or harvested (from the record's DCAT)
  access        text NOT NULL,                  -- restricted, non-public, public
  title         text,                           -- the record's title, for listing and search
  publisher     text,                           -- the record's publisher IRI
  conditions    text,                           -- access conditions, in words
  legal_basis   jsonb NOT NULL DEFAULT '[]',    -- [{iri (ELI), label}]
  purposes      jsonb NOT NULL DEFAULT '[]',    -- [{label, iri}]
  recipients    jsonb NOT NULL DEFAULT '[]',    -- [{name, iri}]
  decisions     jsonb NOT NULL DEFAULT '[]',    -- [{authority, reference, date, url}]
  dpo           jsonb,                          -- {name, email, url}
  request       text,                           -- how to ask for access (a contact, a form)
  personal_data boolean,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX access_register_record ON access_register (record_id);
CREATE INDEX access_register_catalog ON access_register (catalog_id);
CREATE INDEX access_register_search ON access_register USING gin (to_tsvector('simple',
  coalesce(title, '') || ' ' || coalesce(conditions, '') || ' ' || legal_basis::text || ' ' || purposes::text || ' ' || recipients::text || ' ' || decisions::text));

-- Entries from harvested records already stored come with the next discovery round.
UPDATE link_discovery SET feed_seq = 0;
