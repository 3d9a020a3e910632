-- 0012_vip.sql: VIP membership (see docs/ledger.md).
--
-- A plan is sold for points (or granted, or redeemed from a code) and
-- gives, for its number of days, a daily quota of downloads of VIP-free
-- documents and a discount on paid ones. Time adds on: a new period
-- starts where the member's last one ends (or now, when that is past),
-- so periods never overlap and the one covering "now" says which plan's
-- benefits apply.
CREATE TABLE vip_plans (
	id ID_PK,
	name TEXT NOT NULL,
	name_en TEXT NOT NULL DEFAULT '',
	days INTEGER NOT NULL CHECK (days BETWEEN 1 AND 3660),
	price BIGINT NOT NULL CHECK (price BETWEEN 1 AND 1000000000),
	daily_quota INTEGER NOT NULL CHECK (daily_quota BETWEEN 0 AND 1000),
	discount INTEGER NOT NULL CHECK (discount BETWEEN 0 AND 90),
	active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	position INTEGER NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL
);
INSERT INTO vip_plans (name, name_en, days, price, daily_quota, discount,
		       position, created_at)
VALUES ('月度VIP', 'Monthly VIP', 30, 300, 10, 20, 1, 0),
       ('季度VIP', 'Quarterly VIP', 90, 800, 15, 30, 2, 0),
       ('年度VIP', 'Yearly VIP', 365, 2800, 20, 40, 3, 0);

-- One row per period bought, granted or redeemed; append-only in use.
-- idem_key: the operation's key ("vip:..." for a purchase, the same as
-- its ledger transaction's; "code:<hash>" for a code), one period per
-- key. tx_id: the purchase's ledger transaction (NULL for a grant or a
-- code). granted_by: the admin who granted it.
CREATE TABLE vip_periods (
	id ID_PK,
	user_id BIGINT NOT NULL REFERENCES users (id),
	plan_id BIGINT NOT NULL REFERENCES vip_plans (id),
	starts_at BIGINT NOT NULL,
	ends_at BIGINT NOT NULL,
	source TEXT NOT NULL CHECK (source IN ('buy', 'grant', 'code')),
	tx_id BIGINT REFERENCES ledger_transactions (id),
	granted_by BIGINT REFERENCES users (id),
	idem_key TEXT NOT NULL UNIQUE,
	created_at BIGINT NOT NULL,
	CHECK (ends_at > starts_at),
	CHECK ((source = 'buy') = (tx_id IS NOT NULL))
);
CREATE INDEX vip_periods_user ON vip_periods (user_id, ends_at);

-- VIP-free downloads counted against the daily quota: a document once
-- per member per China day (downloading it again that day is free).
CREATE TABLE vip_downloads (
	id ID_PK,
	user_id BIGINT NOT NULL REFERENCES users (id),
	doc_id BIGINT NOT NULL REFERENCES documents (id),
	day BIGINT NOT NULL,
	created_at BIGINT NOT NULL,
	UNIQUE (user_id, day, doc_id)
);

-- An upload may be marked VIP-free; the flag travels with its job.
ALTER TABLE jobs ADD COLUMN vip_free INTEGER NOT NULL DEFAULT 0;

-- Codes worth a VIP plan instead of points.
CREATE TABLE redeem_codes_v2 (
	id ID_PK,
	hash TEXT NOT NULL UNIQUE,
	batch TEXT NOT NULL,
	points BIGINT NOT NULL CHECK (points >= 0),
	vip_plan_id BIGINT REFERENCES vip_plans (id),
	expires_at BIGINT NOT NULL,
	created_at BIGINT NOT NULL,
	CHECK ((points > 0) <> (vip_plan_id IS NOT NULL))
);
INSERT INTO redeem_codes_v2 (id, hash, batch, points, expires_at, created_at)
SELECT id, hash, batch, points, expires_at, created_at FROM redeem_codes;
DROP TABLE redeem_codes;
ALTER TABLE redeem_codes_v2 RENAME TO redeem_codes;
CREATE INDEX redeem_codes_batch ON redeem_codes (batch);
