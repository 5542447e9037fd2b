-- Record bodies compress with lz4 where the server supports it: several times faster than the
-- default pglz on write, which is most of the cost of storing a record. Servers without lz4 keep pglz.
DO $$
BEGIN
  ALTER TABLE records ALTER COLUMN json SET COMPRESSION lz4, ALTER COLUMN nquads SET COMPRESSION lz4;
  ALTER TABLE record_versions ALTER COLUMN nquads SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
  RAISE NOTICE 'lz4 compression not available; keeping pglz';
END $$;
