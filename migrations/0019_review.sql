-- 0019_review.sql: the console's review queue (/admin/review).
--
-- review_note: why a moderator rejected an upload, shown to its provider
-- on /me/docs ('' until then). recommended_at: when a moderator pinned a
-- published document to the home page's 推荐 list (NULL: not pinned);
-- the partial index keeps that list a read of the pinned rows only.
ALTER TABLE documents ADD COLUMN review_note TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN recommended_at BIGINT;
CREATE INDEX documents_recommended ON documents (recommended_at)
	WHERE recommended_at IS NOT NULL;
-- The queue: pending documents, oldest first.
CREATE INDEX documents_pending ON documents (created_at, id)
	WHERE status = 'pending';
