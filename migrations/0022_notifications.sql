-- 0022_notifications.sql: in-site notifications (站内消息), one row per
-- message to one recipient (domain/notify.h, docs/domain.md).
--
-- A row keeps the event's parameters, never rendered text: kind says
-- what happened ("doc_rejected", "comment_reply"...), object_type and
-- object_id the thing it happened to, doc_id the document it links to
-- (0: none), subject a short title (the document's, at the time),
-- note the moderator's reason and amount the points. The inbox renders
-- them in the reader's language when shown. read_at is NULL until the
-- recipient marks the message read.
--
-- Bounded: posting one keeps only the newest 500 of its recipient.
CREATE TABLE notifications (
	id ID_PK,
	user_id BIGINT NOT NULL REFERENCES users (id),
	kind TEXT NOT NULL,
	object_type TEXT NOT NULL DEFAULT '',
	object_id BIGINT NOT NULL DEFAULT 0,
	doc_id BIGINT NOT NULL DEFAULT 0,
	subject TEXT NOT NULL DEFAULT '',
	note TEXT NOT NULL DEFAULT '',
	amount BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	read_at BIGINT
);
-- The inbox, newest first, and the pruning of the oldest.
CREATE INDEX notifications_user ON notifications (user_id, id);
-- The header's unread count: the recipient's rows with read_at NULL.
CREATE INDEX notifications_unread ON notifications (user_id, id)
	WHERE read_at IS NULL;
