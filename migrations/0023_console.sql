-- 0023_console.sql: indexes for the console's dashboard, and the terms
-- of a VIP period kept with the period.
--
-- The dashboard counts per day over 30 days by created_at (jobs, users,
-- ledger transactions) and published_at (documents); without these each
-- count read the whole table (EXPLAIN QUERY PLAN: SCAN jobs, SCAN users,
-- SCAN t; documents through a full scan of documents_status_published).
-- Downloads (downloads_created) and views (doc_view_days_day) had theirs.
CREATE INDEX jobs_created ON jobs (created_at, kind);
CREATE INDEX documents_published ON documents (published_at);
CREATE INDEX users_created ON users (created_at);
CREATE INDEX ledger_transactions_created
	ON ledger_transactions (created_at, kind);

-- A plan's terms may be edited in the console; a period keeps the daily
-- quota and discount of its plan when it was bought, granted or
-- redeemed (what was paid is in its ledger transaction, its length in
-- starts_at..ends_at). NULL: a period from before this migration, which
-- takes its plan's terms as of now (filled in below).
ALTER TABLE vip_periods ADD COLUMN daily_quota INTEGER;
ALTER TABLE vip_periods ADD COLUMN discount INTEGER;
UPDATE vip_periods SET
	daily_quota = (SELECT p.daily_quota FROM vip_plans p
		       WHERE p.id = vip_periods.plan_id),
	discount = (SELECT p.discount FROM vip_plans p
		    WHERE p.id = vip_periods.plan_id);
