/*
 * views.c - counting document views once per visitor per day, and the
 * reading rankings built from those counts.
 */
#include "store_internal.h"

#include "../base/arena.h"
#include "../base/err.h"

int store_view_record(struct store *s, int64_t doc_id, int day,
		      const char *visitor, bool *counted)
{
	sqlite3_stmt *st;
	int rc;

	*counted = false;
	if ((rc = db_exec(s, "BEGIN IMMEDIATE")))
		return rc;
	st = stmt_get(s, "INSERT INTO doc_views (doc_id, day, visitor) "
			 "VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
	if (!st)
		goto fail;
	sqlite3_bind_int64(st, 1, doc_id);
	sqlite3_bind_int(st, 2, day);
	sqlite3_bind_text(st, 3, visitor, -1, SQLITE_STATIC);
	if ((rc = stmt_exec(st, "record view")))
		goto fail_rc;
	if (sqlite3_changes(conn_db(s)) == 0)
		return db_exec(s, "COMMIT");

	st = stmt_get(s, "INSERT INTO doc_view_days (doc_id, day, views) "
			 "VALUES (?, ?, 1) ON CONFLICT (doc_id, day) DO UPDATE "
			 "SET views = doc_view_days.views + 1");
	if (!st)
		goto fail;
	sqlite3_bind_int64(st, 1, doc_id);
	sqlite3_bind_int(st, 2, day);
	if ((rc = stmt_exec(st, "count daily view")))
		goto fail_rc;
	st = stmt_get(s, "UPDATE documents SET views = views + 1 WHERE id = ?");
	if (!st)
		goto fail;
	sqlite3_bind_int64(st, 1, doc_id);
	if ((rc = stmt_exec(st, "count view")))
		goto fail_rc;
	if ((rc = db_exec(s, "COMMIT")))
		goto fail_rc;
	*counted = true;
	return 0;
fail:
	rc = WK_EIO;
fail_rc:
	db_exec(s, "ROLLBACK");
	return rc;
}

int store_rank_views(struct store *s, struct arena *a, int since_day,
		     int limit, struct store_rank **out, size_t *n)
{
	sqlite3_stmt *st;
	struct store_rank *v;
	size_t k = 0;
	int rc;

	if (limit <= 0 || limit > 100)
		return WK_EINVAL;
	if (since_day < 0) {
		st = stmt_get(s, "SELECT id, title, format, views "
				 "FROM documents WHERE status = 'published' "
				 "AND views > 0 "
				 "ORDER BY views DESC, id DESC LIMIT ?");
		if (!st)
			return WK_EIO;
		sqlite3_bind_int(st, 1, limit);
	} else {
		/* The window's rows first (the day index), then their
		 * documents: not every document probed for views. */
		st = stmt_get(s, "WITH t AS MATERIALIZED (SELECT doc_id, "
				 "SUM(views) AS n FROM doc_view_days "
				 "WHERE day >= ? GROUP BY doc_id) "
				 "SELECT d.id, d.title, d.format, t.n FROM t "
				 "JOIN documents d ON d.id = t.doc_id "
				 "WHERE d.status = 'published' "
				 "ORDER BY t.n DESC, d.id DESC LIMIT ?");
		if (!st)
			return WK_EIO;
		sqlite3_bind_int(st, 1, since_day);
		sqlite3_bind_int(st, 2, limit);
	}
	v = arena_alloc(a, sizeof(*v) * (size_t)limit);
	if (!v) {
		sqlite3_reset(st);
		return WK_ENOMEM;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && k < (size_t)limit) {
		v[k].id = sqlite3_column_int64(st, 0);
		v[k].title = col_text(st, 1, a);
		v[k].format = col_text(st, 2, a);
		v[k].count = sqlite3_column_int64(st, 3);
		k++;
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return step_error(st, rc, "rank documents");
	sqlite3_reset(st);
	*out = v;
	*n = k;
	return 0;
}
