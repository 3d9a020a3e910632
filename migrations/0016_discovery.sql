-- 0016_discovery.sql: tags, favourites and reading history, and the
-- indexes the download ranking and the "new today" list need.

-- A tag is a short name shared by documents; doc_tags says where each
-- document's tag came from: the provider at upload, or the document's
-- own text (its most frequent terms).
CREATE TABLE tags (
	id ID_PK,
	name TEXT NOT NULL UNIQUE
);

CREATE TABLE doc_tags (
	doc_id BIGINT NOT NULL REFERENCES documents (id),
	tag_id BIGINT NOT NULL REFERENCES tags (id),
	source TEXT NOT NULL CHECK (source IN ('provider', 'keyword')),
	PRIMARY KEY (doc_id, tag_id)
);
CREATE INDEX doc_tags_tag ON doc_tags (tag_id, doc_id);

-- Tags a provider typed at upload, kept with the job until its
-- document exists (written in the job's own transaction).
CREATE TABLE job_tags (
	job_id BIGINT PRIMARY KEY REFERENCES jobs (id),
	tags TEXT NOT NULL
);

-- 收藏: a reader's favourite documents.
CREATE TABLE favorites (
	user_id BIGINT NOT NULL REFERENCES users (id),
	doc_id BIGINT NOT NULL REFERENCES documents (id),
	created_at BIGINT NOT NULL,
	PRIMARY KEY (user_id, doc_id)
);
CREATE INDEX favorites_user ON favorites (user_id, created_at);

-- 浏览记录: the documents a signed-in reader opened, last visit only,
-- kept to the newest 200 per reader.
CREATE TABLE reading_history (
	user_id BIGINT NOT NULL REFERENCES users (id),
	doc_id BIGINT NOT NULL REFERENCES documents (id),
	viewed_at BIGINT NOT NULL,
	PRIMARY KEY (user_id, doc_id)
);
CREATE INDEX reading_history_user ON reading_history (user_id, viewed_at);

-- 下载排行 counts downloads by time window.
CREATE INDEX downloads_created ON downloads (created_at, doc_id);
