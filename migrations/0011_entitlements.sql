-- 0011_entitlements.sql: what a purchase buys, and every download.
--
-- An entitlement is the right to download one document, bought once per
-- account (UNIQUE), in the same ledger transaction as the payment
-- (tx_id), with the licence text shown at the time of purchase.
CREATE TABLE entitlements (
	id ID_PK,
	user_id BIGINT NOT NULL REFERENCES users (id),
	doc_id BIGINT NOT NULL REFERENCES documents (id),
	tx_id BIGINT NOT NULL REFERENCES ledger_transactions (id),
	price BIGINT NOT NULL CHECK (price > 0),
	license_text TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	UNIQUE (user_id, doc_id)
);

-- One row per file served; user_id NULL for a guest (free documents).
CREATE TABLE downloads (
	id ID_PK,
	user_id BIGINT REFERENCES users (id),
	doc_id BIGINT NOT NULL REFERENCES documents (id),
	ip TEXT NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX downloads_doc ON downloads (doc_id);
CREATE INDEX downloads_user ON downloads (user_id, id);
