-- A key's own term (the end it was given when created), kept apart from expires_at, which a rotation
-- shortens to the grace period. The key that replaces it inherits the term: rotating a key a second
-- time (say, because the new key was lost) must not hand out a key that ends with the first grace.
ALTER TABLE api_keys ADD COLUMN term_ends_at timestamptz;
-- Keys rotated before this column existed have lost their term; the end they have is the best known.
UPDATE api_keys SET term_ends_at = expires_at;
