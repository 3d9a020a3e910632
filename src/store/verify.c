/*
 * verify.c - queries on real-name verification requests.
 */
#include "store_internal.h"

#include "../base/arena.h"
#include "../base/err.h"

#include <time.h>

#define V_COLS                                                             \
	"v.id, v.user_id, u.name, v.real_name, v.id_masked, v.status, "   \
	"v.reason, v.created_at FROM verifications v "                     \
	"JOIN users u ON u.id = v.user_id "

static void read_v(sqlite3_stmt *st, struct arena *a,
		   struct store_verification *v)
{
	v->id = sqlite3_column_int64(st, 0);
	v->user_id = sqlite3_column_int64(st, 1);
	v->user_name = col_text(st, 2, a);
	v->real_name = col_text(st, 3, a);
	v->id_masked = col_text(st, 4, a);
	v->status = col_text(st, 5, a);
	v->reason = col_text(st, 6, a);
	v->created_at = sqlite3_column_int64(st, 7);
}

int store_verification_add(struct store *s, int64_t user_id,
			   const char *real_name, const char *id_masked,
			   const char *id_hash, int64_t *id)
{
	sqlite3_stmt *st = stmt_get(
		s, "INSERT INTO verifications (user_id, real_name, id_masked, "
		   "id_hash, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id");
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_text(st, 2, real_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, id_masked, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, id_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)time(NULL));
	if ((rc = sqlite3_step(st)) != SQLITE_ROW)
		return step_error(st, rc, "add verification");
	*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

static int one(sqlite3_stmt *st, struct arena *a,
	       struct store_verification *out)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return WK_ENOTFOUND;
	}
	if (rc != SQLITE_ROW)
		return step_error(st, rc, "load verification");
	read_v(st, a, out);
	sqlite3_reset(st);
	return 0;
}

int store_verification_latest(struct store *s, struct arena *a,
			      int64_t user_id, struct store_verification *out)
{
	sqlite3_stmt *st = stmt_get(s, "SELECT " V_COLS "WHERE v.user_id = ? "
				       "ORDER BY v.id DESC LIMIT 1");
	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, user_id);
	return one(st, a, out);
}

int store_verification_get(struct store *s, struct arena *a, int64_t id,
			   struct store_verification *out)
{
	sqlite3_stmt *st = stmt_get(s, "SELECT " V_COLS "WHERE v.id = ?");
	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, id);
	return one(st, a, out);
}

int store_verification_pending(struct store *s, struct arena *a, int limit,
			       struct store_verification **out, size_t *n)
{
	sqlite3_stmt *st = stmt_get(s, "SELECT " V_COLS "WHERE v.status = "
				       "'pending' ORDER BY v.id LIMIT ?");
	struct store_verification *v = NULL;
	size_t k = 0, cap = 0;
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_int(st, 1, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = rows_grow(a, v, k, &cap, sizeof(*v));
		if (!v) {
			sqlite3_reset(st);
			return WK_ENOMEM;
		}
		read_v(st, a, &v[k++]);
	}
	if (rc != SQLITE_DONE)
		return step_error(st, rc, "list verifications");
	sqlite3_reset(st);
	*out = v;
	*n = k;
	return 0;
}

int store_verification_decide(struct store *s, int64_t id, bool approve,
			      const char *reason, int64_t moderator_id)
{
	sqlite3_stmt *st;
	bool own;
	int rc;

	if ((rc = tx_begin(s, &own)))
		return rc;
	st = stmt_get(s, "UPDATE verifications SET status = ?, reason = ?, "
			 "decided_at = ?, decided_by = ? WHERE id = ? AND "
			 "status = 'pending'");
	if (!st) {
		rc = WK_EIO;
		goto fail;
	}
	sqlite3_bind_text(st, 1, approve ? "approved" : "rejected", -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(st, 2, reason ? reason : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL));
	sqlite3_bind_int64(st, 4, moderator_id);
	sqlite3_bind_int64(st, 5, id);
	if ((rc = stmt_exec(st, "decide verification")))
		goto fail;
	if (sqlite3_changes(conn_db(s)) != 1) {
		rc = WK_ECONFLICT;
		goto fail;
	}
	if (approve) {
		/* Approval also makes a reader a provider: the request is
		 * how a reader applies to upload. */
		st = stmt_get(s, "UPDATE users SET verified = 1, role = "
				 "CASE WHEN role = 'reader' THEN 'provider' "
				 "ELSE role END WHERE id = (SELECT user_id "
				 "FROM verifications WHERE id = ?)");
		if (!st) {
			rc = WK_EIO;
			goto fail;
		}
		sqlite3_bind_int64(st, 1, id);
		if ((rc = stmt_exec(st, "mark verified")))
			goto fail;
	}
fail:
	return tx_end(s, own, rc);
}
