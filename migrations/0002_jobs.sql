-- 0002_jobs.sql: the durable conversion queue, and what duplicate
-- detection needs on documents.

-- 64-bit simhash of the document's normalised text (stored as a signed
-- integer), and the document a near duplicate resembles.
ALTER TABLE documents ADD COLUMN simhash BIGINT;
ALTER TABLE documents ADD COLUMN near_dup_of BIGINT REFERENCES documents (id);
CREATE INDEX documents_sha256 ON documents (sha256);

-- One row per file to convert. A job is claimed by a runner (owner
-- "host pid") until lease_until; a runner that dies leaves its job to be
-- claimed again, at most max attempts. outcome is set when status is
-- 'done'. filename is shown to people, never used as a path.
CREATE TABLE jobs (
	id ID_PK,
	sha256 TEXT NOT NULL REFERENCES blobs (sha256),
	filename TEXT NOT NULL DEFAULT '',
	batch TEXT NOT NULL DEFAULT '',
	category_id BIGINT REFERENCES categories (id),
	provider_id BIGINT REFERENCES users (id),
	price INTEGER NOT NULL DEFAULT 0 CHECK (price >= 0),
	publish INTEGER NOT NULL DEFAULT 0 CHECK (publish IN (0, 1)),
	status TEXT NOT NULL DEFAULT 'queued'
		CHECK (status IN ('queued', 'running', 'done')),
	outcome TEXT CHECK (outcome IN ('imported', 'duplicate',
		'near-duplicate', 'rejected')),
	reason TEXT NOT NULL DEFAULT '',
	doc_id BIGINT REFERENCES documents (id),
	attempts INTEGER NOT NULL DEFAULT 0,
	owner TEXT NOT NULL DEFAULT '',
	lease_until BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX jobs_status ON jobs (status, id);
CREATE INDEX jobs_batch ON jobs (batch, status);
