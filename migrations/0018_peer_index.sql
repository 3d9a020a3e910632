-- 0018_peer_index.sql: "related documents" compare a document with the
-- newest published ones of its category; this covering index lets that
-- read just those (not every document of the category, sorted).
CREATE INDEX documents_category_recent
	ON documents (category_id, status, published_at, id, simhash);
