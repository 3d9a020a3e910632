/*
 * mine.c - an account's own records for "my account": what it bought
 * (entitlements, each with the licence text agreed to then) and what it
 * downloaded, newest first.
 */
#include "store_internal.h"

#include "../base/arena.h"
#include "../base/err.h"

static int list(struct store *s, struct arena *a, sqlite3_stmt *st,
		int64_t user_id, int limit, struct store_mine **out,
		size_t *n, const char *what)
{
	struct store_mine *v = NULL;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int(st, 2, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_mine *m;

		if (!(v = rows_grow(a, v, *n, &cap, sizeof(*v)))) {
			sqlite3_reset(st);
			return WK_ENOMEM;
		}
		m = &v[(*n)++];
		m->id = sqlite3_column_int64(st, 0);
		m->doc_id = sqlite3_column_int64(st, 1);
		m->title = col_text(st, 2, a);
		m->amount = sqlite3_column_int64(st, 3);
		m->created_at = sqlite3_column_int64(st, 4);
		m->license_text = col_text(st, 5, a);
	}
	if (rc != SQLITE_DONE)
		return step_error(st, rc, what);
	sqlite3_reset(st);
	*out = v;
	return 0;
}

int store_purchases_of(struct store *s, struct arena *a, int64_t user_id,
		       int limit, struct store_mine **out, size_t *n)
{
	return list(s, a,
		    stmt_get(s, "SELECT e.id, e.doc_id, d.title, e.price, "
				"e.created_at, e.license_text "
				"FROM entitlements e "
				"JOIN documents d ON d.id = e.doc_id "
				"WHERE e.user_id = ? ORDER BY e.id DESC "
				"LIMIT ?"),
		    user_id, limit, out, n, "list purchases");
}

int store_downloads_of(struct store *s, struct arena *a, int64_t user_id,
		       int limit, struct store_mine **out, size_t *n)
{
	return list(s, a,
		    stmt_get(s, "SELECT w.id, w.doc_id, d.title, 0, "
				"w.created_at, '' FROM downloads w "
				"JOIN documents d ON d.id = w.doc_id "
				"WHERE w.user_id = ? ORDER BY w.id DESC "
				"LIMIT ?"),
		    user_id, limit, out, n, "list downloads");
}
