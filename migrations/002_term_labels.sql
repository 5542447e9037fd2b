-- Labels for IRIs shown as facet values: publisher names taken from records, and the EU data themes.
CREATE TABLE term_labels (
  iri    text NOT NULL,
  lang   text NOT NULL,             -- '@none' for untagged labels
  label  text NOT NULL,
  PRIMARY KEY (iri, lang)
);

INSERT INTO term_labels (iri, lang, label)
SELECT 'http://publications.europa.eu/resource/authority/data-theme/' || code, lang, label
FROM (VALUES
  ('AGRI', 'nl', 'Landbouw, visserij, bosbouw en voeding'), ('AGRI', 'en', 'Agriculture, fisheries, forestry and food'),
  ('ECON', 'nl', 'Economie en financiën'), ('ECON', 'en', 'Economy and finance'),
  ('EDUC', 'nl', 'Onderwijs, cultuur en sport'), ('EDUC', 'en', 'Education, culture and sport'),
  ('ENER', 'nl', 'Energie'), ('ENER', 'en', 'Energy'),
  ('ENVI', 'nl', 'Milieu'), ('ENVI', 'en', 'Environment'),
  ('GOVE', 'nl', 'Overheid en publieke sector'), ('GOVE', 'en', 'Government and public sector'),
  ('HEAL', 'nl', 'Gezondheid'), ('HEAL', 'en', 'Health'),
  ('INTR', 'nl', 'Internationale vraagstukken'), ('INTR', 'en', 'International issues'),
  ('JUST', 'nl', 'Justitie, rechtsstelsel en openbare veiligheid'), ('JUST', 'en', 'Justice, legal system and public safety'),
  ('REGI', 'nl', 'Regio''s en steden'), ('REGI', 'en', 'Regions and cities'),
  ('SOCI', 'nl', 'Bevolking en samenleving'), ('SOCI', 'en', 'Population and society'),
  ('TECH', 'nl', 'Wetenschap en technologie'), ('TECH', 'en', 'Science and technology'),
  ('TRAN', 'nl', 'Vervoer'), ('TRAN', 'en', 'Transport'),
  ('OP_DATPRO', 'nl', 'Voorlopige gegevens'), ('OP_DATPRO', 'en', 'Provisional data')
) AS t(code, lang, label);
