-- 0015_reports.sql: reports (违规举报) and copyright takedowns, strikes,
-- the audit log of moderators' actions.

-- A reported document can be hidden while a moderator looks at it:
-- documents.status gains 'hidden'. Everything public (lists, rankings,
-- search, sitemap, downloads) shows only 'published', so hidden and
-- removed documents vanish from all of it at once.
--
-- SQLite cannot alter a CHECK constraint, and rebuilding documents
-- would drop the triggers and indexes other migrations hang on it. A
-- wider IN list changes nothing stored, so the constraint's text is
-- edited in place, as SQLite's ALTER TABLE documentation describes for
-- loosening a constraint; RESET makes this connection reload the
-- schema, and the CREATE TABLEs below bump the schema cookie for the
-- others.
-- sqlite-only begin
PRAGMA writable_schema = ON;
UPDATE sqlite_master
	SET sql = replace(sql, '''rejected'', ''removed'')',
			  '''rejected'', ''removed'', ''hidden'')')
	WHERE type = 'table' AND name = 'documents'
	AND sql NOT LIKE '%''hidden''%';
PRAGMA writable_schema = RESET;
-- sqlite-only end
-- postgres-only begin
ALTER TABLE documents DROP CONSTRAINT IF EXISTS documents_status_check;
ALTER TABLE documents ADD CONSTRAINT documents_status_check
	CHECK (status IN ('pending', 'published', 'rejected', 'removed',
			  'hidden'));
-- postgres-only end

-- One row per report. reporter_id is NULL for a visitor who was not
-- signed in. A copyright claim (reason 'copyright') carries the
-- claimant's name, contact and proof of rights. status follows the
-- moderator's decision on the report:
--   open      waiting in the queue
--   dismissed nothing wrong found (a hidden document is published again)
--   hidden    the document is hidden pending review
--   removed   the document is removed; note is shown to its provider,
--             who may answer with a counter-notice (counter_text)
--   restored  the document was published again after hiding or removal
CREATE TABLE reports (
	id ID_PK,
	doc_id BIGINT NOT NULL REFERENCES documents (id),
	reason TEXT NOT NULL CHECK (reason IN ('copyright', 'secret',
		'illegal', 'porn', 'spam', 'other')),
	details TEXT NOT NULL DEFAULT '',
	reporter_id BIGINT REFERENCES users (id),
	reporter_ip TEXT NOT NULL DEFAULT '',
	claimant_name TEXT NOT NULL DEFAULT '',
	claimant_contact TEXT NOT NULL DEFAULT '',
	proof TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open',
		'dismissed', 'hidden', 'removed', 'restored')),
	note TEXT NOT NULL DEFAULT '',
	decided_by BIGINT REFERENCES users (id),
	decided_at BIGINT,
	counter_text TEXT NOT NULL DEFAULT '',
	counter_at BIGINT,
	created_at BIGINT NOT NULL
);
CREATE INDEX reports_status ON reports (status, id);
CREATE INDEX reports_doc ON reports (doc_id, id);

-- An upheld copyright claim: one strike per removed document against
-- its provider, lifted (lifted_at) when the document is restored. A
-- provider with strike_limit live strikes may not upload.
CREATE TABLE strikes (
	id ID_PK,
	user_id BIGINT NOT NULL REFERENCES users (id),
	doc_id BIGINT NOT NULL REFERENCES documents (id),
	report_id BIGINT NOT NULL REFERENCES reports (id),
	created_at BIGINT NOT NULL,
	lifted_at BIGINT
);
CREATE INDEX strikes_user ON strikes (user_id, lifted_at);
CREATE UNIQUE INDEX strikes_live_doc ON strikes (doc_id)
	WHERE lifted_at IS NULL;

-- Every moderator's action: who, when, what, on which object, and the
-- object's state before and after (short text, "status=published").
-- Append-only, like the ledger.
CREATE TABLE audit_log (
	id ID_PK,
	at BIGINT NOT NULL,
	actor_id BIGINT REFERENCES users (id),
	action TEXT NOT NULL,
	object_type TEXT NOT NULL,
	object_id BIGINT NOT NULL,
	before_state TEXT NOT NULL DEFAULT '',
	after_state TEXT NOT NULL DEFAULT '',
	note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id, id);
CREATE INDEX audit_log_at ON audit_log (at);

-- sqlite-only begin
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
-- sqlite-only end
-- postgres-only begin
CREATE FUNCTION audit_append_only() RETURNS trigger AS $$
BEGIN
	RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_log_append_only
	BEFORE UPDATE OR DELETE ON audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
-- postgres-only end

-- The moderation queue of comments (pre-approval) lists pending ones.
CREATE INDEX comments_status ON comments (status, id);
