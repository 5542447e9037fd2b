-- Feedback from researchers on datasets and services: an error in the data or a question, without an
-- account. It is routed to the record's contact point through a mail outbox (sent by SMTP when
-- configured, readable in the admin API either way), has a status and an answer that can be made public.

CREATE TABLE feedback (
  id             text PRIMARY KEY,
  record_id      text NOT NULL,                 -- no foreign key: accepted feedback outlives a purged record
  record_iri     text NOT NULL,
  catalog_id     text NOT NULL,
  kind           text NOT NULL,                 -- error, question
  message        text NOT NULL,
  name           text,
  email          text,                          -- optional; never shown publicly
  lang           text,
  status         text NOT NULL DEFAULT 'open',  -- open, answered, fixed
  answer         text,
  public         boolean NOT NULL DEFAULT false, -- question and answer shown on the record's page
  client         text,                          -- a hash of the sender's address (flood control), not the address
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  answered_at    timestamptz
);
CREATE INDEX feedback_record ON feedback (record_id, created_at);
CREATE INDEX feedback_status ON feedback (status, created_at);
CREATE INDEX feedback_catalog ON feedback (catalog_id);

CREATE TABLE mail_outbox (
  id              bigserial PRIMARY KEY,
  feedback_id     text,
  to_address      text NOT NULL,
  reply_to        text,
  subject         text NOT NULL,
  body            text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  sent_at         timestamptz,
  last_error      text
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE sent_at IS NULL;

-- Secrets the service makes for itself (the key that signs feedback forms), shared by all its processes.
CREATE TABLE app_secrets (
  name   text PRIMARY KEY,
  value  text NOT NULL
);
