-- Link checks (src/quality/link-checking.ts): every access, download and endpoint URL of the live
-- datasets and services, checked once however many records share it, re-checked on a schedule.

CREATE TABLE links (
  url            text PRIMARY KEY,
  host           text NOT NULL,
  state          text NOT NULL DEFAULT 'unchecked',  -- unchecked, ok, broken
  status         integer,                             -- last HTTP status received
  method         text,                                -- HEAD or GET: the request that gave the verdict
  final_url      text,                                -- where redirects ended
  redirects      integer,
  content_type   text,
  size           bigint,                              -- bytes, when the server says
  error          text,                                -- http, timeout, network, redirect-loop, too-many-redirects, blocked, invalid
  detail         text,
  attempts       integer,
  duration_ms    integer,
  failures       integer NOT NULL DEFAULT 0,          -- consecutive checks that failed
  first_seen     timestamptz NOT NULL DEFAULT now(),
  checked_at     timestamptz,
  ok_at          timestamptz,                         -- last time it answered 2xx
  broken_since   timestamptz,
  next_check_at  timestamptz NOT NULL DEFAULT now(),
  lease_until    timestamptz                          -- a checker holds it until then
);
CREATE INDEX links_due ON links (next_check_at);
CREATE INDEX links_state ON links (state);

-- Which record points to which link, in which role, and the format it declares there.
CREATE TABLE record_links (
  record_id        text NOT NULL REFERENCES records(id) ON DELETE CASCADE,
  url              text NOT NULL,
  role             text NOT NULL,                     -- access, download, endpoint
  declared_format  text,                              -- EU file-type code of the distribution's format or media type
  PRIMARY KEY (record_id, role, url)
);
CREATE INDEX record_links_url ON record_links (url);

-- How far the link discovery has read the change feed.
CREATE TABLE link_discovery (
  id        integer PRIMARY KEY CHECK (id = 1),
  feed_seq  bigint NOT NULL DEFAULT 0
);
INSERT INTO link_discovery (id, feed_seq) VALUES (1, 0);
