/*
 * reports.c - queries on reports and takedowns, strikes, moderated
 * comments and the audit log (see store.h).
 */
#include "store_internal.h"

#include "../base/arena.h"
#include "../base/err.h"

#include <string.h>
#include <time.h>

/* ---- reports -------------------------------------------------------------*/

#define R_COLS                                                             \
	"r.id, r.doc_id, d.title, d.status, COALESCE(d.provider_id, 0), "  \
	"r.reason, r.details, COALESCE(r.reporter_id, 0), u.name, "        \
	"r.reporter_ip, r.claimant_name, r.claimant_contact, r.proof, "    \
	"r.status, r.note, COALESCE(r.decided_by, 0), "                    \
	"COALESCE(r.decided_at, 0), r.counter_text, "                      \
	"COALESCE(r.counter_at, 0), r.created_at FROM reports r "          \
	"JOIN documents d ON d.id = r.doc_id "                             \
	"LEFT JOIN users u ON u.id = r.reporter_id "

static void read_r(sqlite3_stmt *st, struct arena *a, struct store_report *r)
{
	r->id = sqlite3_column_int64(st, 0);
	r->doc_id = sqlite3_column_int64(st, 1);
	r->doc_title = col_text(st, 2, a);
	r->doc_status = col_text(st, 3, a);
	r->provider_id = sqlite3_column_int64(st, 4);
	r->reason = col_text(st, 5, a);
	r->details = col_text(st, 6, a);
	r->reporter_id = sqlite3_column_int64(st, 7);
	r->reporter_name = col_text(st, 8, a);
	r->reporter_ip = col_text(st, 9, a);
	r->claimant_name = col_text(st, 10, a);
	r->claimant_contact = col_text(st, 11, a);
	r->proof = col_text(st, 12, a);
	r->status = col_text(st, 13, a);
	r->note = col_text(st, 14, a);
	r->decided_by = sqlite3_column_int64(st, 15);
	r->decided_at = sqlite3_column_int64(st, 16);
	r->counter_text = col_text(st, 17, a);
	r->counter_at = sqlite3_column_int64(st, 18);
	r->created_at = sqlite3_column_int64(st, 19);
}

int store_report_add(struct store *s, const struct store_report *r,
		     int64_t *id)
{
	sqlite3_stmt *st = stmt_get(
		s, "INSERT INTO reports (doc_id, reason, details, reporter_id, "
		   "reporter_ip, claimant_name, claimant_contact, proof, "
		   "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
		   "RETURNING id");
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, r->doc_id);
	sqlite3_bind_text(st, 2, r->reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, r->details ? r->details : "", -1,
			  SQLITE_STATIC);
	bind_id(st, 4, r->reporter_id);
	sqlite3_bind_text(st, 5, r->reporter_ip ? r->reporter_ip : "", -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(st, 6, r->claimant_name ? r->claimant_name : "", -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(st, 7, r->claimant_contact ? r->claimant_contact
						     : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, r->proof ? r->proof : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 9, r->created_at);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW)
		return step_error(st, rc, "add report");
	*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

static int one_r(sqlite3_stmt *st, struct arena *a, struct store_report *out)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return WK_ENOTFOUND;
	}
	if (rc != SQLITE_ROW)
		return step_error(st, rc, "load report");
	read_r(st, a, out);
	sqlite3_reset(st);
	return out->reason ? 0 : WK_ENOMEM;
}

int store_report_get(struct store *s, struct arena *a, int64_t id,
		     struct store_report *out)
{
	sqlite3_stmt *st = stmt_get(s, "SELECT " R_COLS "WHERE r.id = ?");

	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, id);
	return one_r(st, a, out);
}

int store_report_latest(struct store *s, struct arena *a, int64_t doc_id,
			const char *status, struct store_report *out)
{
	sqlite3_stmt *st = stmt_get(s, "SELECT " R_COLS "WHERE r.doc_id = ? "
				       "AND r.status = ? ORDER BY r.id DESC "
				       "LIMIT 1");

	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, doc_id);
	sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
	return one_r(st, a, out);
}

int store_report_list(struct store *s, struct arena *a, const char *status,
		      const char *reason, int limit,
		      struct store_report **out, size_t *n)
{
	/* ?1 status ('' any), ?2 1 for "with a counter-notice", ?3 reason
	 * ('' any): one statement for every filter. */
	sqlite3_stmt *st = stmt_get(
		s, "SELECT " R_COLS "WHERE (?1 = '' OR r.status = ?1) "
		   "AND (?2 = 0 OR r.counter_at IS NOT NULL) "
		   "AND (?3 = '' OR r.reason = ?3) "
		   "ORDER BY r.id DESC LIMIT ?4");
	struct store_report *v = NULL;
	bool counter = status && !strcmp(status, "counter");
	size_t k = 0, cap = 0;
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, counter ? "removed" : status ? status : "",
			  -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, counter);
	sqlite3_bind_text(st, 3, reason ? reason : "", -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = rows_grow(a, v, k, &cap, sizeof(*v));
		if (!v) {
			sqlite3_reset(st);
			return WK_ENOMEM;
		}
		read_r(st, a, &v[k++]);
	}
	if (rc != SQLITE_DONE)
		return step_error(st, rc, "list reports");
	sqlite3_reset(st);
	*out = v;
	*n = k;
	return 0;
}

/* Run st (bound) and require exactly one changed row: WK_ECONFLICT when
 * none changed. */
static int exec_one(struct store *s, sqlite3_stmt *st, const char *what)
{
	int rc = stmt_exec(st, what);

	if (rc)
		return rc;
	return sqlite3_changes(conn_db(s)) == 1 ? 0 : WK_ECONFLICT;
}

int store_report_move(struct store *s, int64_t id, const char *from,
		      const char *to, const char *note, int64_t moderator_id,
		      int64_t now)
{
	sqlite3_stmt *st = stmt_get(
		s, "UPDATE reports SET status = ?, note = ?, decided_by = ?, "
		   "decided_at = ? WHERE id = ? AND status = ?");

	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, to, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, note ? note : "", -1, SQLITE_STATIC);
	bind_id(st, 3, moderator_id);
	sqlite3_bind_int64(st, 4, now);
	sqlite3_bind_int64(st, 5, id);
	sqlite3_bind_text(st, 6, from, -1, SQLITE_STATIC);
	return exec_one(s, st, "move report");
}

int store_report_counter(struct store *s, int64_t id, const char *text,
			 int64_t now)
{
	sqlite3_stmt *st = stmt_get(
		s, "UPDATE reports SET counter_text = ?, counter_at = ? "
		   "WHERE id = ? AND status = 'removed' AND counter_at IS NULL");

	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, id);
	return exec_one(s, st, "record counter-notice");
}

int store_doc_move(struct store *s, int64_t id, const char *from,
		   const char *to, int64_t now)
{
	sqlite3_stmt *st = stmt_get(
		s, "UPDATE documents SET status = ?1, published_at = CASE WHEN "
		   "?1 = 'published' THEN COALESCE(published_at, ?2) ELSE "
		   "published_at END WHERE id = ?3 AND status = ?4");
	store_categories_changed(s);	/* the counts move */

	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, to, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, id);
	sqlite3_bind_text(st, 4, from, -1, SQLITE_STATIC);
	return exec_one(s, st, "move document");
}

/* ---- strikes -------------------------------------------------------------*/

int store_strike_add(struct store *s, int64_t user_id, int64_t doc_id,
		     int64_t report_id, int64_t now)
{
	sqlite3_stmt *st = stmt_get(
		s, "INSERT INTO strikes (user_id, doc_id, report_id, "
		   "created_at) VALUES (?, ?, ?, ?)");

	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, doc_id);
	sqlite3_bind_int64(st, 3, report_id);
	sqlite3_bind_int64(st, 4, now);
	return stmt_exec(st, "add strike");
}

int store_strike_lift(struct store *s, int64_t doc_id, int64_t now,
		      int64_t *user_id, bool *lifted)
{
	sqlite3_stmt *st = stmt_get(
		s, "UPDATE strikes SET lifted_at = ? WHERE doc_id = ? AND "
		   "lifted_at IS NULL RETURNING user_id");
	int rc;

	*lifted = false;
	*user_id = 0;
	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, doc_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*lifted = true;
		*user_id = sqlite3_column_int64(st, 0);
	}
	if (rc != SQLITE_DONE)
		return step_error(st, rc, "lift strike");
	sqlite3_reset(st);
	return 0;
}

int store_strike_count(struct store *s, int64_t user_id, int64_t *n)
{
	sqlite3_stmt *st = stmt_get(s, "SELECT COUNT(*) FROM strikes WHERE "
				       "user_id = ? AND lifted_at IS NULL");
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, user_id);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW)
		return step_error(st, rc, "count strikes");
	*n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

/* ---- moderated comments --------------------------------------------------*/

int store_comment_add(struct store *s, int64_t doc_id, int64_t user_id,
		      int64_t parent_id, const char *body, const char *status,
		      int64_t *id)
{
	sqlite3_stmt *st = stmt_get(s, "INSERT INTO comments (doc_id, user_id, "
				       "parent_id, body, status, created_at) "
				       "VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, doc_id);
	sqlite3_bind_int64(st, 2, user_id);
	bind_id(st, 3, parent_id);
	sqlite3_bind_text(st, 4, body, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)time(NULL));
	if ((rc = sqlite3_step(st)) != SQLITE_ROW)
		return step_error(st, rc, "add comment");
	*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

int store_comment_queue(struct store *s, struct arena *a, const char *status,
			int limit, struct store_mod_comment **out, size_t *n)
{
	sqlite3_stmt *st = stmt_get(
		s, "SELECT c.id, COALESCE(c.parent_id, 0), c.user_id, u.name, "
		   "c.body, c.created_at, c.doc_id, d.title, c.status "
		   "FROM comments c JOIN users u ON u.id = c.user_id "
		   "JOIN documents d ON d.id = c.doc_id "
		   "WHERE (?1 = '' AND c.status <> 'deleted') OR c.status = ?1 "
		   "ORDER BY c.id DESC LIMIT ?2");
	struct store_mod_comment *v = NULL;
	size_t k = 0, cap = 0;
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, status ? status : "", -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = rows_grow(a, v, k, &cap, sizeof(*v));
		if (!v) {
			sqlite3_reset(st);
			return WK_ENOMEM;
		}
		v[k].c.id = sqlite3_column_int64(st, 0);
		v[k].c.parent_id = sqlite3_column_int64(st, 1);
		v[k].c.user_id = sqlite3_column_int64(st, 2);
		v[k].c.user_name = col_text(st, 3, a);
		v[k].c.body = col_text(st, 4, a);
		v[k].c.created_at = sqlite3_column_int64(st, 5);
		v[k].doc_id = sqlite3_column_int64(st, 6);
		v[k].doc_title = col_text(st, 7, a);
		v[k].status = col_text(st, 8, a);
		k++;
	}
	if (rc != SQLITE_DONE)
		return step_error(st, rc, "list comments for moderation");
	sqlite3_reset(st);
	*out = v;
	*n = k;
	return 0;
}

int store_comment_move(struct store *s, int64_t id, const char *from,
		       const char *to)
{
	sqlite3_stmt *st = stmt_get(s, "UPDATE comments SET status = ? "
				       "WHERE id = ? AND status = ?");

	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, to, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	sqlite3_bind_text(st, 3, from, -1, SQLITE_STATIC);
	return exec_one(s, st, "move comment");
}

/* ---- audit log -------------------------------------------------------------*/

int store_audit_add(struct store *s, const struct store_audit *e)
{
	sqlite3_stmt *st = stmt_get(
		s, "INSERT INTO audit_log (at, actor_id, action, object_type, "
		   "object_id, before_state, after_state, note) "
		   "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");

	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, e->at);
	bind_id(st, 2, e->actor_id);
	sqlite3_bind_text(st, 3, e->action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, e->object_type, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, e->object_id);
	sqlite3_bind_text(st, 6, e->before ? e->before : "", -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(st, 7, e->after ? e->after : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, e->note ? e->note : "", -1, SQLITE_STATIC);
	return stmt_exec(st, "append to audit log");
}
