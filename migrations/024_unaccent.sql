-- Accent-insensitive full text: "donnees" finds "données", "chomage" finds "chômage", as researchers
-- type without accents as often as with them. Our own text search configurations, copies of Postgres's
-- dutch, english, french, german and simple ones, strip accents (the unaccent extension) before the
-- stemmer sees a word. Words of ASCII letters only need no stripping and keep their mapping.
-- Where the server lacks the unaccent extension the configurations are plain copies: search works,
-- accent-sensitive as before.
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS unaccent;
EXCEPTION WHEN others THEN
  RAISE NOTICE 'unaccent is not available on this server: searches stay accent-sensitive';
END $$;

CREATE TEXT SEARCH CONFIGURATION vindbaar_dutch (COPY = pg_catalog.dutch);
CREATE TEXT SEARCH CONFIGURATION vindbaar_english (COPY = pg_catalog.english);
CREATE TEXT SEARCH CONFIGURATION vindbaar_french (COPY = pg_catalog.french);
CREATE TEXT SEARCH CONFIGURATION vindbaar_german (COPY = pg_catalog.german);
CREATE TEXT SEARCH CONFIGURATION vindbaar_simple (COPY = pg_catalog.simple);

DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'unaccent') THEN
    ALTER TEXT SEARCH CONFIGURATION vindbaar_dutch ALTER MAPPING FOR hword, hword_part, word WITH unaccent, dutch_stem;
    ALTER TEXT SEARCH CONFIGURATION vindbaar_english ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
    ALTER TEXT SEARCH CONFIGURATION vindbaar_french ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
    ALTER TEXT SEARCH CONFIGURATION vindbaar_german ALTER MAPPING FOR hword, hword_part, word WITH unaccent, german_stem;
    ALTER TEXT SEARCH CONFIGURATION vindbaar_simple ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
  END IF;
END $$;

-- Every search document is rebuilt with the new configurations by the indexer.
INSERT INTO outbox (record_id, op) SELECT id, 'upsert' FROM records WHERE deleted_at IS NULL;
