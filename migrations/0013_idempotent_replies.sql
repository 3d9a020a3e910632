-- 0013_idempotent_replies.sql: replies to requests that carried an
-- Idempotency-Key header (docs/ledger.md), kept 24 hours.
--
-- A key belongs to one account (UNIQUE (user_id, idem_key)). The row is
-- claimed 'pending' by the request that runs the operation (owner names
-- the server process, so a restarted server can tell a dead owner's row
-- from a live one), then 'done' with the reply to replay: its status and
-- JSON body, or for a download the download id to serve again.
-- fingerprint is the SHA-256 of the method, path and body: the same key
-- with other parameters is refused.
CREATE TABLE idempotent_replies (
	id ID_PK,
	user_id BIGINT NOT NULL REFERENCES users (id),
	idem_key TEXT NOT NULL,
	fingerprint TEXT NOT NULL,
	state TEXT NOT NULL CHECK (state IN ('pending', 'done')),
	owner TEXT NOT NULL,
	status INTEGER NOT NULL DEFAULT 0,
	body TEXT NOT NULL DEFAULT '',
	download_id BIGINT REFERENCES downloads (id),
	created_at BIGINT NOT NULL,
	UNIQUE (user_id, idem_key)
);
CREATE INDEX idempotent_replies_created ON idempotent_replies (created_at);
