/*
 * notify.c - the notifications table (0022_notifications.sql): append,
 * prune to the newest per recipient, list, count unread, mark read.
 * Every query names its recipient, so one account's rows can't be read
 * or changed through another's id.
 */
#include "store_internal.h"

#include "../base/err.h"

int store_notify_add(struct store *s, const struct store_notification *n,
		     int keep)
{
	sqlite3_stmt *st;
	bool own;
	int rc;

	if ((rc = tx_begin(s, &own)))
		return rc;
	st = stmt_get(s, "INSERT INTO notifications (user_id, kind, "
			 "object_type, object_id, doc_id, subject, note, "
			 "amount, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return tx_end(s, own, WK_EIO);
	sqlite3_bind_int64(st, 1, n->user_id);
	sqlite3_bind_text(st, 2, n->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, n->object_type ? n->object_type : "", -1,
			  SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, n->object_id);
	sqlite3_bind_int64(st, 5, n->doc_id);
	sqlite3_bind_text(st, 6, n->subject ? n->subject : "", -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(st, 7, n->note ? n->note : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, n->amount);
	sqlite3_bind_int64(st, 9, n->created_at);
	if ((rc = stmt_exec(st, "add notification")))
		return tx_end(s, own, rc);
	/* Everything older than the recipient's newest keep rows goes. */
	st = stmt_get(s, "DELETE FROM notifications WHERE user_id = ?1 AND "
			 "id <= (SELECT id FROM notifications WHERE user_id = "
			 "?1 ORDER BY id DESC LIMIT 1 OFFSET ?2)");
	if (!st)
		return tx_end(s, own, WK_EIO);
	sqlite3_bind_int64(st, 1, n->user_id);
	sqlite3_bind_int(st, 2, keep);
	return tx_end(s, own, stmt_exec(st, "prune notifications"));
}

int store_notify_list(struct store *s, struct arena *a, int64_t user_id,
		      bool unread_only, int limit, int offset,
		      struct store_notification **out, size_t *n)
{
	sqlite3_stmt *st = stmt_get(
		s, "SELECT id, kind, object_type, object_id, doc_id, subject, "
		   "note, amount, created_at, COALESCE(read_at, 0) "
		   "FROM notifications WHERE user_id = ?1 "
		   "AND (?2 = 0 OR read_at IS NULL) "
		   "ORDER BY id DESC LIMIT ?3 OFFSET ?4");
	struct store_notification *v = NULL;
	size_t k = 0, cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int(st, 2, unread_only ? 1 : 0);
	sqlite3_bind_int(st, 3, limit);
	sqlite3_bind_int(st, 4, offset);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = rows_grow(a, v, k, &cap, sizeof(*v));
		if (!v) {
			sqlite3_reset(st);
			return WK_ENOMEM;
		}
		v[k].id = sqlite3_column_int64(st, 0);
		v[k].user_id = user_id;
		v[k].kind = col_text(st, 1, a);
		v[k].object_type = col_text(st, 2, a);
		v[k].object_id = sqlite3_column_int64(st, 3);
		v[k].doc_id = sqlite3_column_int64(st, 4);
		v[k].subject = col_text(st, 5, a);
		v[k].note = col_text(st, 6, a);
		v[k].amount = sqlite3_column_int64(st, 7);
		v[k].created_at = sqlite3_column_int64(st, 8);
		v[k].read_at = sqlite3_column_int64(st, 9);
		k++;
	}
	if (rc != SQLITE_DONE)
		return step_error(st, rc, "list notifications");
	sqlite3_reset(st);
	*out = v;
	*n = k;
	return 0;
}

int store_notify_unread(struct store *s, int64_t user_id, int64_t *count)
{
	sqlite3_stmt *st = stmt_get(s, "SELECT COUNT(*) FROM notifications "
				       "WHERE user_id = ? AND read_at IS NULL");
	int rc;

	*count = 0;
	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, user_id);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW)
		return step_error(st, rc, "count unread notifications");
	*count = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

int store_notify_read(struct store *s, int64_t user_id, int64_t id,
		      int64_t now)
{
	sqlite3_stmt *st;
	int rc;

	/* Only the recipient's row: any other id is "not found". */
	st = stmt_get(s, "UPDATE notifications SET read_at = COALESCE("
			 "read_at, ?) WHERE id = ? AND user_id = ?");
	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, id);
	sqlite3_bind_int64(st, 3, user_id);
	if ((rc = stmt_exec(st, "mark notification read")))
		return rc;
	return sqlite3_changes(conn_db(s)) == 1 ? 0 : WK_ENOTFOUND;
}

int store_notify_read_all(struct store *s, int64_t user_id, int64_t now,
			  int64_t *changed)
{
	sqlite3_stmt *st = stmt_get(s, "UPDATE notifications SET read_at = ? "
				       "WHERE user_id = ? AND read_at IS NULL");
	int rc;

	*changed = 0;
	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, user_id);
	if ((rc = stmt_exec(st, "mark notifications read")))
		return rc;
	*changed = sqlite3_changes(conn_db(s));
	return 0;
}
