-- 0010_codes.sql: redemption codes (卡密). Only a code's SHA-256 is kept;
-- the code itself is shown once, in the batch's CSV export. Whether a
-- code was used is not a flag here but the ledger itself: redeeming
-- posts a grant whose idempotency key is 'code:' || hash, and keys are
-- unique, so a code can be redeemed once even under concurrent attempts.
CREATE TABLE redeem_codes (
	id ID_PK,
	hash TEXT NOT NULL UNIQUE,
	batch TEXT NOT NULL,
	points BIGINT NOT NULL CHECK (points > 0),
	expires_at BIGINT NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX redeem_codes_batch ON redeem_codes (batch);
