-- Work of which only one may run at a time in the whole deployment (a reindex): whoever holds the
-- lease renews it while it lives; a holder that died loses it when it runs out.
CREATE TABLE leases (
  name    text PRIMARY KEY,
  holder  text NOT NULL,               -- host, process and start of the holder
  since   timestamptz NOT NULL DEFAULT now(),
  until   timestamptz NOT NULL
);
