-- 0006_api_tokens.sql: API tokens for partners' bulk uploads (合作方).
-- Shown once when made; only the SHA-256 is kept.
CREATE TABLE api_tokens (
	id ID_PK,
	user_id BIGINT NOT NULL REFERENCES users (id),
	token_hash TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	revoked_at BIGINT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
