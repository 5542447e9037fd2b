-- The messages one address had accepted lately, counted at every submission (the per-address limit).
CREATE INDEX feedback_client ON feedback (client, created_at);
