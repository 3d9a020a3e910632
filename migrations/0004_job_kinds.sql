-- 0004_job_kinds.sql: a second kind of job. 'convert' turns a file into
-- a document; 'pages' renders the free preview pages of a document in
-- an Office format through LibreOffice, after it is published (doc_id).
ALTER TABLE jobs ADD COLUMN kind TEXT NOT NULL DEFAULT 'convert'
	CHECK (kind IN ('convert', 'pages'));
