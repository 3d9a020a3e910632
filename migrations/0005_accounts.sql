-- 0005_accounts.sql: accounts that can sign in, and their sessions.

ALTER TABLE users ADD COLUMN email TEXT;
ALTER TABLE users ADD COLUMN status TEXT NOT NULL DEFAULT 'active'
	CHECK (status IN ('active', 'suspended', 'banned'));
ALTER TABLE users ADD COLUMN suspended_until BIGINT;
ALTER TABLE users ADD COLUMN password_changed_at BIGINT;

-- Only the SHA-256 of a session token is stored: a copy of this table
-- lets no one in. A session dies at expires_at (absolute) or when it has
-- not been seen for the idle time (checked against last_seen_at).
CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	user_id BIGINT NOT NULL REFERENCES users (id),
	created_at BIGINT NOT NULL,
	last_seen_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	ip TEXT NOT NULL DEFAULT '',
	user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Secrets the site keeps for itself (keyed hashes, CSRF tokens),
-- created on first start.
CREATE TABLE secrets (
	name TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
