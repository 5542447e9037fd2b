-- Labels of the EU access-right concepts in the four languages of the catalogue. The kept vocabulary
-- snapshot lacks RESTRICTED, which the facet, the filter chip and record pages then showed as the
-- bare code.
INSERT INTO term_labels (iri, lang, label)
SELECT 'http://publications.europa.eu/resource/authority/access-right/' || code, lang, label
FROM (VALUES
  ('PUBLIC', 'nl', 'Publiek'), ('PUBLIC', 'en', 'Public'), ('PUBLIC', 'fr', 'Public'), ('PUBLIC', 'de', 'Öffentlich'),
  ('RESTRICTED', 'nl', 'Beperkt'), ('RESTRICTED', 'en', 'Restricted'), ('RESTRICTED', 'fr', 'Restreint'), ('RESTRICTED', 'de', 'Eingeschränkt'),
  ('NON_PUBLIC', 'nl', 'Niet publiek'), ('NON_PUBLIC', 'en', 'Non-public'), ('NON_PUBLIC', 'fr', 'Non public'), ('NON_PUBLIC', 'de', 'Nicht öffentlich')
) AS t(code, lang, label)
ON CONFLICT (iri, lang) DO NOTHING;
