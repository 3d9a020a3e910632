/*
 * admin.c - the operator console's queries: daily figures for the
 * dashboard, queue sizes, account search, the audit log with filters and
 * failed conversion jobs (see store.h, "the operator console").
 */
#include "store_internal.h"

#include "../base/arena.h"
#include "../base/err.h"

#include <string.h>

/* China time (UTC+8), as domain/rank.c counts days. */
#define CN_OFFSET 28800

/* Timestamped rows bucketed by China day: the day expression and the
 * range are the same for every table. */
#define DAY_OF(col) "((" col " + 28800) / 86400)"

/* The ledger read from the transactions side: SQLite keeps the order
 * of a CROSS JOIN, so a day range costs one pass over the transactions
 * and an index lookup of each one's postings. Joined the other way (by
 * account) it read every posting the issuance or user accounts ever had:
 * 560 ms instead of 28 ms on 300,000 transactions. */
#define LEDGER_BY_TX                                                        \
	"ledger_transactions t CROSS JOIN ledger_postings p "               \
	"CROSS JOIN ledger_accounts a "

int store_admin_daily(struct store *s, enum store_admin_metric metric,
		      int first_day, int ndays, int64_t *out)
{
	sqlite3_stmt *st = NULL;
	int64_t from = (int64_t)first_day * 86400 - CN_OFFSET;
	int64_t to = from + (int64_t)ndays * 86400;
	int rc;

	if (ndays < 1 || ndays > 3660)
		return WK_EINVAL;
	switch (metric) {
	case STORE_ADMIN_UPLOADS:
		st = stmt_get(s, "SELECT " DAY_OF("created_at") ", COUNT(*) "
				 "FROM jobs WHERE kind = 'convert' AND "
				 "created_at >= ?1 AND created_at < ?2 "
				 "GROUP BY 1");
		break;
	case STORE_ADMIN_PUBLISHED:
		st = stmt_get(s, "SELECT " DAY_OF("published_at") ", COUNT(*) "
				 "FROM documents WHERE published_at >= ?1 AND "
				 "published_at < ?2 GROUP BY 1");
		break;
	case STORE_ADMIN_VIEWS:
		st = stmt_get(s, "SELECT day, SUM(views) FROM doc_view_days "
				 "WHERE day >= ?3 AND day < ?4 GROUP BY day");
		break;
	case STORE_ADMIN_DOWNLOADS:
		st = stmt_get(s, "SELECT " DAY_OF("created_at") ", COUNT(*) "
				 "FROM downloads WHERE created_at >= ?1 AND "
				 "created_at < ?2 GROUP BY 1");
		break;
	case STORE_ADMIN_SIGNUPS:
		st = stmt_get(s, "SELECT " DAY_OF("created_at") ", COUNT(*) "
				 "FROM users WHERE created_at >= ?1 AND "
				 "created_at < ?2 GROUP BY 1");
		break;
	case STORE_ADMIN_ISSUED:
		/* Points leave issuance only by grants (rewards, codes,
		 * top-ups, admin grants); revokes flow back in. */
		st = stmt_get(s, "SELECT " DAY_OF("t.created_at") ", "
				 "-SUM(p.amount) FROM " LEDGER_BY_TX
				 "WHERE p.tx_id = t.id AND a.id = p.account_id "
				 "AND a.kind = 'issuance' AND p.amount < 0 "
				 "AND t.created_at >= ?1 AND t.created_at < ?2 "
				 "GROUP BY 1");
		break;
	case STORE_ADMIN_SPENT:
		st = stmt_get(s, "SELECT " DAY_OF("t.created_at") ", "
				 "-SUM(p.amount) FROM " LEDGER_BY_TX
				 "WHERE p.tx_id = t.id AND a.id = p.account_id "
				 "AND a.kind = 'user' AND p.amount < 0 AND "
				 "t.kind IN ('purchase', 'vip') "
				 "AND t.created_at >= ?1 AND t.created_at < ?2 "
				 "GROUP BY 1");
		break;
	case STORE_ADMIN_METRICS:
		break;
	}
	if (!st)
		return metric < STORE_ADMIN_METRICS ? WK_EIO : WK_EINVAL;
	/* Unused parameters stay NULL; each statement names its own. */
	if (sqlite3_bind_parameter_count(st) >= 2) {
		sqlite3_bind_int64(st, 1, from);
		sqlite3_bind_int64(st, 2, to);
	}
	if (sqlite3_bind_parameter_count(st) >= 4) {
		sqlite3_bind_int64(st, 3, first_day);
		sqlite3_bind_int64(st, 4, (int64_t)first_day + ndays);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t d = sqlite3_column_int64(st, 0) - first_day;
		if (d >= 0 && d < ndays)
			out[d] += sqlite3_column_int64(st, 1);
	}
	if (rc != SQLITE_DONE)
		return step_error(st, rc, "count dashboard figures");
	sqlite3_reset(st);
	return 0;
}

int store_admin_queues(struct store *s, struct store_admin_queues *q)
{
	sqlite3_stmt *st = stmt_get(
		s, "SELECT "
		   "(SELECT COUNT(*) FROM jobs WHERE status = 'queued'), "
		   "(SELECT COUNT(*) FROM jobs WHERE status = 'done' AND "
		   " outcome = 'rejected'), "
		   "(SELECT COUNT(*) FROM documents WHERE status = 'pending'), "
		   "(SELECT COUNT(*) FROM reports WHERE status = 'open'), "
		   "(SELECT COUNT(*) FROM comments WHERE status = 'pending'), "
		   "(SELECT COUNT(*) FROM verifications WHERE "
		   " status = 'pending')");
	int rc;

	memset(q, 0, sizeof(*q));
	if (!st)
		return WK_EIO;
	if ((rc = sqlite3_step(st)) != SQLITE_ROW)
		return step_error(st, rc, "count queues");
	q->jobs_queued = sqlite3_column_int64(st, 0);
	q->jobs_failed = sqlite3_column_int64(st, 1);
	q->docs_pending = sqlite3_column_int64(st, 2);
	q->reports_open = sqlite3_column_int64(st, 3);
	q->comments_pending = sqlite3_column_int64(st, 4);
	q->verifications_pending = sqlite3_column_int64(st, 5);
	sqlite3_reset(st);
	return 0;
}

/* q with \ % _ escaped for LIKE ... ESCAPE '\' and wrapped as
 * %q% (prefix only: q%), in a. */
static char *like_pattern(struct arena *a, const char *q, bool prefix)
{
	size_t n = strlen(q), k = 0;
	char *p = arena_alloc(a, 2 * n + 3);

	if (!p)
		return NULL;
	if (!prefix)
		p[k++] = '%';
	for (; *q; q++) {
		if (*q == '%' || *q == '_' || *q == '\\')
			p[k++] = '\\';
		p[k++] = *q;
	}
	p[k++] = '%';
	p[k] = '\0';
	return p;
}

#define USER_COLS                                                           \
	"id, name, display_name, role, status, "                            \
	"COALESCE(suspended_until, 0), created_at, verified FROM users "

static void read_user(sqlite3_stmt *st, struct arena *a, void *row)
{
	struct store_admin_user *u = row;

	u->id = sqlite3_column_int64(st, 0);
	u->name = col_text(st, 1, a);
	u->display_name = col_text(st, 2, a);
	u->role = col_text(st, 3, a);
	u->status = col_text(st, 4, a);
	u->suspended_until = sqlite3_column_int64(st, 5);
	u->created_at = sqlite3_column_int64(st, 6);
	u->verified = sqlite3_column_int(st, 7) != 0;
}

int store_admin_users(struct store *s, struct arena *a, const char *q,
		      int offset, int limit, struct store_admin_user **out,
		      size_t *n, bool *more)
{
	sqlite3_stmt *st = stmt_get(
		s, "SELECT " USER_COLS
		   "WHERE ?1 = '%%' OR name LIKE ?1 ESCAPE '\\' OR "
		   "display_name LIKE ?1 ESCAPE '\\' "
		   "ORDER BY id DESC LIMIT ?2 OFFSET ?3");
	void *rows;
	char *pat;
	int rc;

	*n = 0;
	*more = false;
	if (limit < 1 || limit > 200 || offset < 0)
		return WK_EINVAL;
	if (!st)
		return WK_EIO;
	if (!(pat = like_pattern(a, q ? q : "", false)))
		return WK_ENOMEM;
	sqlite3_bind_text(st, 1, pat, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, limit + 1);
	sqlite3_bind_int(st, 3, offset);
	if (!(rc = collect_page(st, a, limit, sizeof(**out), read_user,
				"search users", &rows, n, more)))
		*out = rows;
	return rc;
}

int store_admin_user_get(struct store *s, struct arena *a, int64_t id,
			 struct store_admin_user *out)
{
	sqlite3_stmt *st = stmt_get(s, "SELECT " USER_COLS "WHERE id = ?");
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		read_user(st, a, out);
		sqlite3_reset(st);
		return 0;
	}
	if (rc != SQLITE_DONE)
		return step_error(st, rc, "get user");
	sqlite3_reset(st);
	return WK_ENOTFOUND;
}

int store_admin_user_docs(struct store *s, struct arena *a, int64_t user_id,
			  int limit, struct store_doc **out, size_t *n)
{
	sqlite3_stmt *st = stmt_get(s, "SELECT " DOC_COLS
				       "WHERE d.provider_id = ? "
				       "ORDER BY d.id DESC LIMIT ?");

	if (limit < 1 || limit > 1000)
		return WK_EINVAL;
	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int(st, 2, limit);
	return collect_docs(st, a, limit, out, n);
}

int store_admin_user_comments(struct store *s, struct arena *a,
			      int64_t user_id, int limit,
			      struct store_admin_comment **out, size_t *n)
{
	sqlite3_stmt *st = stmt_get(
		s, "SELECT c.id, COALESCE(c.parent_id, 0), c.user_id, u.name, "
		   "c.body, c.created_at, c.doc_id, d.title, c.status "
		   "FROM comments c JOIN users u ON u.id = c.user_id "
		   "JOIN documents d ON d.id = c.doc_id "
		   "WHERE c.user_id = ? ORDER BY c.id DESC LIMIT ?");
	struct store_admin_comment *v;
	size_t k = 0;
	int rc;

	if (limit < 1 || limit > 1000)
		return WK_EINVAL;
	if (!st)
		return WK_EIO;
	if (!(v = arena_alloc(a, sizeof(*v) * (size_t)limit)))
		return WK_ENOMEM;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int(st, 2, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && k < (size_t)limit) {
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
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return step_error(st, rc, "list a user's comments");
	sqlite3_reset(st);
	*out = v;
	*n = k;
	return 0;
}

static void read_audit(sqlite3_stmt *st, struct arena *a, void *row)
{
	struct store_audit *e = row;

	e->id = sqlite3_column_int64(st, 0);
	e->at = sqlite3_column_int64(st, 1);
	e->actor_id = sqlite3_column_int64(st, 2);
	e->actor_name = col_text(st, 3, a);
	e->action = col_text(st, 4, a);
	e->object_type = col_text(st, 5, a);
	e->object_id = sqlite3_column_int64(st, 6);
	e->before = col_text(st, 7, a);
	e->after = col_text(st, 8, a);
	e->note = col_text(st, 9, a);
}

int store_audit_list(struct store *s, struct arena *a,
		     const char *object_type, int64_t object_id, int limit,
		     struct store_audit **out, size_t *n)
{
	bool more;

	return store_admin_audit(s, a, NULL, NULL, object_type, object_id, 0,
				 limit, out, n, &more);
}

int store_admin_audit(struct store *s, struct arena *a, const char *actor,
		      const char *action, const char *object_type,
		      int64_t object_id, int offset, int limit,
		      struct store_audit **out, size_t *n, bool *more)
{
	sqlite3_stmt *st = stmt_get(
		s, "SELECT l.id, l.at, COALESCE(l.actor_id, 0), u.name, "
		   "l.action, l.object_type, l.object_id, l.before_state, "
		   "l.after_state, l.note FROM audit_log l "
		   "LEFT JOIN users u ON u.id = l.actor_id "
		   "WHERE (?1 = '' OR u.name = ?1) "
		   "AND (?2 = '%' OR l.action LIKE ?2 ESCAPE '\\') "
		   "AND (?3 = '' OR l.object_type = ?3) "
		   "AND (?4 = 0 OR l.object_id = ?4) "
		   "ORDER BY l.id DESC LIMIT ?5 OFFSET ?6");
	void *rows;
	char *pat;
	int rc;

	*n = 0;
	*more = false;
	if (limit < 1 || limit > 1000 || offset < 0)
		return WK_EINVAL;
	if (!st)
		return WK_EIO;
	if (!(pat = like_pattern(a, action ? action : "", true)))
		return WK_ENOMEM;
	sqlite3_bind_text(st, 1, actor ? actor : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, pat, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, object_type ? object_type : "", -1,
			  SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, object_id);
	sqlite3_bind_int(st, 5, limit + 1);
	sqlite3_bind_int(st, 6, offset);
	if (!(rc = collect_page(st, a, limit, sizeof(**out), read_audit,
				"search audit log", &rows, n, more)))
		*out = rows;
	return rc;
}

static void read_failed_job(sqlite3_stmt *st, struct arena *a, void *row)
{
	struct store_admin_job *v = row;
	struct store_job *j = &v->j;

	memset(v, 0, sizeof(*v));
	j->id = sqlite3_column_int64(st, 0);
	j->kind = col_text(st, 1, a);
	j->sha256 = col_text(st, 2, a);
	j->filename = col_text(st, 3, a);
	j->batch = col_text(st, 4, a);
	j->provider_id = sqlite3_column_int64(st, 5);
	j->reason = col_text(st, 6, a);
	j->attempts = sqlite3_column_int(st, 7);
	j->status = "done";
	j->outcome = "rejected";
	v->created_at = sqlite3_column_int64(st, 8);
	v->updated_at = sqlite3_column_int64(st, 9);
}

int store_admin_jobs_failed(struct store *s, struct arena *a, int offset,
			    int limit, struct store_admin_job **out,
			    size_t *n, bool *more)
{
	sqlite3_stmt *st = stmt_get(
		s, "SELECT id, kind, sha256, filename, batch, "
		   "COALESCE(provider_id, 0), reason, attempts, created_at, "
		   "updated_at FROM jobs WHERE status = 'done' AND "
		   "outcome = 'rejected' ORDER BY updated_at DESC, id DESC "
		   "LIMIT ? OFFSET ?");
	void *rows;
	int rc;

	*n = 0;
	*more = false;
	if (limit < 1 || limit > 200 || offset < 0)
		return WK_EINVAL;
	if (!st)
		return WK_EIO;
	sqlite3_bind_int(st, 1, limit + 1);
	sqlite3_bind_int(st, 2, offset);
	if (!(rc = collect_page(st, a, limit, sizeof(**out), read_failed_job,
				"list failed jobs", &rows, n, more)))
		*out = rows;
	return rc;
}

int store_admin_job_retry(struct store *s, int64_t id, int64_t now)
{
	sqlite3_stmt *st = stmt_get(
		s, "UPDATE jobs SET status = 'queued', outcome = NULL, "
		   "reason = '', attempts = 0, owner = '', lease_until = 0, "
		   "updated_at = ? WHERE id = ? AND status = 'done' AND "
		   "outcome = 'rejected'");
	sqlite3_stmt *ex;
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, id);
	if ((rc = stmt_exec(st, "retry job")))
		return rc;
	if (sqlite3_changes(conn_db(s)) == 1)
		return 0;
	if (!(ex = stmt_get(s, "SELECT 1 FROM jobs WHERE id = ?")))
		return WK_EIO;
	sqlite3_bind_int64(ex, 1, id);
	rc = sqlite3_step(ex);
	sqlite3_reset(ex);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return WK_EIO;
	return rc == SQLITE_ROW ? WK_ECONFLICT : WK_ENOTFOUND;
}

int store_admin_sessions(struct store *s, struct arena *a, int64_t user_id,
			 int64_t now, int limit,
			 struct store_admin_session **out, size_t *n)
{
	sqlite3_stmt *st = stmt_get(
		s, "SELECT created_at, last_seen_at, expires_at, ip, "
		   "user_agent FROM sessions WHERE user_id = ? AND "
		   "expires_at > ? ORDER BY last_seen_at DESC LIMIT ?");
	struct store_admin_session *v = NULL;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (limit < 1 || limit > 1000)
		return WK_EINVAL;
	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int(st, 3, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_admin_session *x;

		if (!(v = rows_grow(a, v, *n, &cap, sizeof(*v)))) {
			sqlite3_reset(st);
			return WK_ENOMEM;
		}
		x = &v[(*n)++];
		x->created_at = sqlite3_column_int64(st, 0);
		x->last_seen_at = sqlite3_column_int64(st, 1);
		x->expires_at = sqlite3_column_int64(st, 2);
		x->ip = col_text(st, 3, a);
		x->user_agent = col_text(st, 4, a);
	}
	if (rc != SQLITE_DONE)
		return step_error(st, rc, "list sessions");
	sqlite3_reset(st);
	*out = v;
	return 0;
}

int store_admin_tokens(struct store *s, struct arena *a, int64_t user_id,
		       int limit, struct store_admin_token **out, size_t *n)
{
	sqlite3_stmt *st = stmt_get(
		s, "SELECT id, name, created_at, COALESCE(revoked_at, 0) "
		   "FROM api_tokens WHERE user_id = ? ORDER BY id DESC "
		   "LIMIT ?");
	struct store_admin_token *v = NULL;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (limit < 1 || limit > 1000)
		return WK_EINVAL;
	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int(st, 2, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_admin_token *x;

		if (!(v = rows_grow(a, v, *n, &cap, sizeof(*v)))) {
			sqlite3_reset(st);
			return WK_ENOMEM;
		}
		x = &v[(*n)++];
		x->id = sqlite3_column_int64(st, 0);
		x->name = col_text(st, 1, a);
		x->created_at = sqlite3_column_int64(st, 2);
		x->revoked_at = sqlite3_column_int64(st, 3);
	}
	if (rc != SQLITE_DONE)
		return step_error(st, rc, "list API tokens");
	sqlite3_reset(st);
	*out = v;
	return 0;
}
