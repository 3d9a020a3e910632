-- 0014_search.sql: full-text search over documents (see docs/search.md).
--
-- SQLite: a contentless FTS5 table (the text stays in doc_blocks only)
-- with wenku's own tokenizer, registered on every connection before
-- migrations run: CJK bigrams plus each run's last character, folded
-- words, byte offsets for highlights. prefix='1' keeps an index of
-- one-character prefixes, so a 1-character query is one lookup. The
-- rowid is the document's id; every document is indexed whatever its
-- status, and searches join documents to keep the published ones.
-- Documents from before this migration are indexed here.

-- sqlite-only begin
CREATE VIRTUAL TABLE doc_fts USING fts5(
	title, body, content='', tokenize='wenku', prefix='1'
);
INSERT INTO doc_fts (rowid, title, body)
SELECT d.id, d.title, COALESCE((SELECT group_concat(text, char(10))
	FROM (SELECT text FROM doc_blocks WHERE doc_id = d.id ORDER BY seq)),
	'')
FROM documents d;
-- sqlite-only end

-- postgres-only begin
-- The same tokens, written by the store as space-separated text and
-- indexed with GIN; filled by the PostgreSQL backend's reindex.
CREATE TABLE doc_search (
	doc_id BIGINT PRIMARY KEY REFERENCES documents (id),
	tokens TSVECTOR NOT NULL
);
CREATE INDEX doc_search_tokens ON doc_search USING GIN (tokens);
-- postgres-only end
