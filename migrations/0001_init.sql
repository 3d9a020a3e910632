-- 0001_init.sql: the first schema.
-- Written in the SQL subset SQLite and PostgreSQL both accept. ID_PK is
-- replaced by the store: "INTEGER PRIMARY KEY" on SQLite, an identity
-- column on PostgreSQL. Times are Unix seconds; flags are 0/1 integers.

CREATE TABLE settings (
	name TEXT PRIMARY KEY,
	value TEXT NOT NULL,
	updated_at BIGINT NOT NULL
);

CREATE TABLE users (
	id ID_PK,
	name TEXT NOT NULL UNIQUE,
	display_name TEXT NOT NULL,
	role TEXT NOT NULL DEFAULT 'reader'
		CHECK (role IN ('reader', 'provider', 'moderator', 'admin')),
	bio TEXT NOT NULL DEFAULT '',
	verified INTEGER NOT NULL DEFAULT 0 CHECK (verified IN (0, 1)),
	password_hash TEXT,
	created_at BIGINT NOT NULL
);

CREATE TABLE categories (
	id ID_PK,
	parent_id BIGINT REFERENCES categories (id),
	slug TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	sort INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE blobs (
	sha256 TEXT PRIMARY KEY,
	size BIGINT NOT NULL,
	created_at BIGINT NOT NULL
);

CREATE TABLE documents (
	id ID_PK,
	title TEXT NOT NULL,
	format TEXT NOT NULL,
	sha256 TEXT NOT NULL REFERENCES blobs (sha256),
	size BIGINT NOT NULL,
	pages INTEGER NOT NULL DEFAULT 0,
	chars BIGINT NOT NULL DEFAULT 0,
	price INTEGER NOT NULL DEFAULT 0 CHECK (price >= 0),
	vip_free INTEGER NOT NULL DEFAULT 0 CHECK (vip_free IN (0, 1)),
	category_id BIGINT REFERENCES categories (id),
	provider_id BIGINT REFERENCES users (id),
	status TEXT NOT NULL DEFAULT 'pending'
		CHECK (status IN ('pending', 'published', 'rejected', 'removed')),
	description TEXT NOT NULL DEFAULT '',
	views BIGINT NOT NULL DEFAULT 0,
	downloads BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	published_at BIGINT
);
CREATE INDEX documents_status_published ON documents (status, published_at);
CREATE INDEX documents_category ON documents (category_id, status);
CREATE INDEX documents_provider ON documents (provider_id);

-- The document's structure and text, one row per block. char_start is the
-- block's offset in characters into the whole text, so the free preview
-- is read without touching the rest of the document.
CREATE TABLE doc_blocks (
	doc_id BIGINT NOT NULL REFERENCES documents (id),
	seq INTEGER NOT NULL,
	kind INTEGER NOT NULL,
	level INTEGER NOT NULL,
	char_start BIGINT NOT NULL,
	text TEXT NOT NULL,
	PRIMARY KEY (doc_id, seq)
);

-- One row per visitor per document per day: a view is counted once.
CREATE TABLE doc_views (
	doc_id BIGINT NOT NULL REFERENCES documents (id),
	day INTEGER NOT NULL,
	visitor TEXT NOT NULL,
	PRIMARY KEY (doc_id, day, visitor)
);

-- Counted views per document per day, for the rankings.
CREATE TABLE doc_view_days (
	doc_id BIGINT NOT NULL REFERENCES documents (id),
	day INTEGER NOT NULL,
	views BIGINT NOT NULL,
	PRIMARY KEY (doc_id, day)
);
CREATE INDEX doc_view_days_day ON doc_view_days (day);

CREATE TABLE comments (
	id ID_PK,
	doc_id BIGINT NOT NULL REFERENCES documents (id),
	user_id BIGINT NOT NULL REFERENCES users (id),
	parent_id BIGINT REFERENCES comments (id),
	body TEXT NOT NULL,
	status TEXT NOT NULL DEFAULT 'visible'
		CHECK (status IN ('pending', 'visible', 'hidden', 'deleted')),
	created_at BIGINT NOT NULL
);
CREATE INDEX comments_doc ON comments (doc_id, created_at);

-- Site fragments (碎片内容): operator-written snippets for named slots.
-- format 'text' is plain text, escaped on output, blank lines making
-- paragraphs; sanitized HTML comes with the operator console.
CREATE TABLE fragments (
	slot TEXT PRIMARY KEY,
	format TEXT NOT NULL DEFAULT 'text' CHECK (format IN ('text')),
	content TEXT NOT NULL,
	updated_at BIGINT NOT NULL
);
