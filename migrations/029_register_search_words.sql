-- The register is searchable by the numbers inside links and references: the number of a law in its
-- ELI (…/eli/wet/2018/07/30/2018040581/justel), a decision's reference (VTC/M/2021/045). Postgres's
-- parser keeps a URL or a path as one token, so the searched text and the query both have the
-- characters that join such parts replaced by spaces (see register.ts, which uses this expression
-- word for word so that the index serves it).
DROP INDEX access_register_search;
CREATE INDEX access_register_search ON access_register USING gin (to_tsvector('simple', translate(
  coalesce(title, '') || ' ' || coalesce(publisher_name, '') || ' ' || coalesce(publisher, '') || ' ' || coalesce(request, '') || ' ' ||
  coalesce(conditions, '') || ' ' || legal_basis::text || ' ' || purposes::text || ' ' || recipients::text || ' ' || decisions::text, '/:#?=&', '      ')));
