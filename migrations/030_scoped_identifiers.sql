-- An identifier that is not unique by construction (not a UUID, an IRI or a URN: "begraafplaatsen",
-- "adressen") names a dataset within its publisher only: two cities may both call theirs
-- "begraafplaatsen". Such identifiers were keys on their own and linked different datasets of different
-- organisations as copies. They now count together with the publisher (src/dcat/identity.ts); the keys
-- of the old form go, and copies linked by nothing else become records of their own again (indexed
-- anew, so that search finds them). Records get the new keys when they next change.
-- Kept: UUIDs, absolute IRIs and URNs given as text, and identifiers given as IRIs (stored without their
-- scheme, as host and path: see normaliseIri).
DELETE FROM record_keys
WHERE key LIKE 'id:%' AND position('|' IN key) = 0
  AND key !~ '^id:(urn:uuid:)?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$'
  AND key !~ '^id:(https?://[^/[:space:]]+/[^[:space:]]+|urn:[a-z0-9-]+:[^[:space:]]+)$'
  AND key !~ '^id:[^/|[:space:]]+\.[^/|[:space:]]+/';
-- A copy stays linked while it shares a key with any other member of its group (the primary or another
-- copy of it: groups are joined through their members, not only to the primary).
WITH unlinked AS (
  UPDATE records c SET duplicate_of = NULL
  WHERE c.duplicate_of IS NOT NULL
    AND NOT EXISTS (
      SELECT 1 FROM record_keys kc JOIN record_keys km ON km.key = kc.key AND km.record_id <> c.id
      JOIN records m ON m.id = km.record_id AND (m.id = c.duplicate_of OR m.duplicate_of = c.duplicate_of)
      WHERE kc.record_id = c.id)
  RETURNING c.id, c.deleted_at
)
INSERT INTO outbox (record_id, op) SELECT id, 'upsert' FROM unlinked WHERE deleted_at IS NULL;
