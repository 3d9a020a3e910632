-- 0007_verifications.sql: real-name verification (实名认证) requests.
-- The ID number itself is never stored: only its mask (first 3 and last
-- 4 characters) and a keyed hash that finds a number used twice. One
-- number verifies one account: no two live requests share a hash.
CREATE TABLE verifications (
	id ID_PK,
	user_id BIGINT NOT NULL REFERENCES users (id),
	real_name TEXT NOT NULL,
	id_masked TEXT NOT NULL,
	id_hash TEXT NOT NULL,
	status TEXT NOT NULL DEFAULT 'pending'
		CHECK (status IN ('pending', 'approved', 'rejected')),
	reason TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	decided_at BIGINT,
	decided_by BIGINT REFERENCES users (id)
);
CREATE UNIQUE INDEX verifications_live_hash ON verifications (id_hash)
	WHERE status <> 'rejected';
CREATE INDEX verifications_user ON verifications (user_id, id);
CREATE INDEX verifications_status ON verifications (status, id);
