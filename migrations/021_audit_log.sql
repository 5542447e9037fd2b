-- Who changed what, when and from where: every write and administrative request made with an API key,
-- and every refused one (401, 403), kept for administrators.
CREATE TABLE audit_log (
  id            bigserial PRIMARY KEY,
  at            timestamptz NOT NULL DEFAULT now(),
  key_id        text,                 -- the key that was accepted, if any
  key_prefix    text,                 -- the prefix of the key that was sent (never the secret)
  role          text,
  organisation  text,
  method        text NOT NULL,
  path          text NOT NULL,        -- without the query string
  route         text,                 -- the route pattern
  status        integer NOT NULL,
  address       text,                 -- the client's address
  duration_ms   integer
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_key ON audit_log (key_id, at);
