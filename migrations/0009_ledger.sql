-- 0009_ledger.sql: the double-entry points ledger (see docs/ledger.md).
--
-- Every movement of points is a transaction of two or more postings that
-- sum to zero. Postings and transactions are append-only: a correction is
-- a new transaction, never an edit. ledger_accounts.balance is a cache of
-- the sum of an account's postings, kept in the same transaction that
-- posts, and `store_ledger_check()` proves it.

-- One account per user ('user'), and one each for the platform's revenue
-- and for issuance (where points enter the system: its balance is minus
-- every point in circulation, the only balance allowed below zero).
CREATE TABLE ledger_accounts (
	id ID_PK,
	kind TEXT NOT NULL CHECK (kind IN ('user', 'revenue', 'issuance')),
	user_id BIGINT REFERENCES users (id),
	balance BIGINT NOT NULL DEFAULT 0
		CHECK (kind = 'issuance' OR balance >= 0),
	CHECK ((kind = 'user') = (user_id IS NOT NULL)),
	UNIQUE (kind, user_id)
);
-- UNIQUE treats NULLs as distinct: the system accounts need their own.
CREATE UNIQUE INDEX ledger_accounts_system ON ledger_accounts (kind)
	WHERE user_id IS NULL;

-- idem_key: the caller's idempotency key, one transaction per key.
-- request_hash: hash of the operation and its parameters, so a key
-- reused with other parameters is refused. reply: the first reply
-- (JSON), replayed for a retry.
CREATE TABLE ledger_transactions (
	id ID_PK,
	idem_key TEXT NOT NULL UNIQUE,
	kind TEXT NOT NULL,
	request_hash TEXT NOT NULL,
	reply TEXT NOT NULL,
	memo TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL
);

CREATE TABLE ledger_postings (
	id ID_PK,
	tx_id BIGINT NOT NULL REFERENCES ledger_transactions (id),
	account_id BIGINT NOT NULL REFERENCES ledger_accounts (id),
	amount BIGINT NOT NULL CHECK (amount <> 0)
);
CREATE INDEX ledger_postings_tx ON ledger_postings (tx_id);
CREATE INDEX ledger_postings_account ON ledger_postings (account_id, id);

-- Append-only, enforced by the schema itself.
-- sqlite-only begin
CREATE TRIGGER ledger_postings_no_update BEFORE UPDATE ON ledger_postings
BEGIN
	SELECT RAISE(ABORT, 'ledger_postings are append-only');
END;
CREATE TRIGGER ledger_postings_no_delete BEFORE DELETE ON ledger_postings
BEGIN
	SELECT RAISE(ABORT, 'ledger_postings are append-only');
END;
CREATE TRIGGER ledger_transactions_no_update
BEFORE UPDATE ON ledger_transactions
BEGIN
	SELECT RAISE(ABORT, 'ledger_transactions are append-only');
END;
CREATE TRIGGER ledger_transactions_no_delete
BEFORE DELETE ON ledger_transactions
BEGIN
	SELECT RAISE(ABORT, 'ledger_transactions are append-only');
END;
-- sqlite-only end
-- postgres-only begin
CREATE FUNCTION ledger_append_only() RETURNS trigger AS $$
BEGIN
	RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER ledger_postings_append_only
	BEFORE UPDATE OR DELETE OR TRUNCATE ON ledger_postings
	FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER ledger_transactions_append_only
	BEFORE UPDATE OR DELETE OR TRUNCATE ON ledger_transactions
	FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();
-- postgres-only end
