-- 0003_doc_images.sql: page images of paged documents (the free preview
-- pages, watermark burned in) and cover thumbnails. The PNG itself is a
-- blob; page counts from 1; kind 'cover' has page 0.
CREATE TABLE doc_images (
	doc_id BIGINT NOT NULL REFERENCES documents (id),
	kind TEXT NOT NULL CHECK (kind IN ('page', 'cover')),
	page INTEGER NOT NULL,
	sha256 TEXT NOT NULL REFERENCES blobs (sha256),
	width INTEGER NOT NULL,
	height INTEGER NOT NULL,
	PRIMARY KEY (doc_id, kind, page)
);
