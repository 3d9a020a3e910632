-- 0020_codes_console.sql: the console's code batches and password resets.
--
-- A voided batch: its codes answer as expired from then on. Codes
-- already redeemed keep what they paid (the ledger is never edited).
ALTER TABLE redeem_codes ADD COLUMN voided_at BIGINT;

-- One-time password-reset links made by an admin. Only the token's
-- SHA-256 is kept; used_at is set once (UPDATE ... WHERE used_at IS
-- NULL), so a link works once.
CREATE TABLE password_resets (
	id ID_PK,
	token_hash TEXT NOT NULL UNIQUE,
	user_id BIGINT NOT NULL REFERENCES users (id),
	created_by BIGINT REFERENCES users (id),
	expires_at BIGINT NOT NULL,
	used_at BIGINT,
	created_at BIGINT NOT NULL
);
CREATE INDEX password_resets_user ON password_resets (user_id);
