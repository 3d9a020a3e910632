/*
 * jobs.c - the durable conversion queue (table jobs, see 0002_jobs.sql).
 */
#include "store_internal.h"

#include "../base/arena.h"
#include "../base/err.h"

#include <string.h>
#include <time.h>

#define JOB_COLS                                                           \
	"id, sha256, filename, batch, COALESCE(category_id, 0), "         \
	"COALESCE(provider_id, 0), price, publish, status, outcome, "     \
	"reason, COALESCE(doc_id, 0), attempts, owner, kind, vip_free "

static void read_job(sqlite3_stmt *st, struct arena *a, struct store_job *j)
{
	j->id = sqlite3_column_int64(st, 0);
	j->sha256 = col_text(st, 1, a);
	j->filename = col_text(st, 2, a);
	j->batch = col_text(st, 3, a);
	j->category_id = sqlite3_column_int64(st, 4);
	j->provider_id = sqlite3_column_int64(st, 5);
	j->price = sqlite3_column_int(st, 6);
	j->publish = sqlite3_column_int(st, 7) != 0;
	j->status = col_text(st, 8, a);
	j->outcome = col_text(st, 9, a);
	j->reason = col_text(st, 10, a);
	j->doc_id = sqlite3_column_int64(st, 11);
	j->attempts = sqlite3_column_int(st, 12);
	j->owner = col_text(st, 13, a);
	j->kind = col_text(st, 14, a);
	j->vip_free = sqlite3_column_int(st, 15) != 0;
}

int store_job_add(struct store *s, struct store_job *j)
{
	sqlite3_stmt *st = stmt_get(
		s, "INSERT INTO jobs (sha256, filename, batch, category_id, "
		   "provider_id, price, publish, status, outcome, reason, "
		   "doc_id, created_at, updated_at, kind, vip_free) "
		   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
		   "RETURNING id");
	int64_t now = (int64_t)time(NULL);
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, j->sha256, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, j->filename ? j->filename : "", -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(st, 3, j->batch ? j->batch : "", -1, SQLITE_STATIC);
	bind_id(st, 4, j->category_id);
	bind_id(st, 5, j->provider_id);
	sqlite3_bind_int(st, 6, j->price);
	sqlite3_bind_int(st, 7, j->publish);
	sqlite3_bind_text(st, 8, j->outcome ? "done" : "queued", -1,
			  SQLITE_STATIC);
	if (j->outcome)
		sqlite3_bind_text(st, 9, j->outcome, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, j->reason ? j->reason : "", -1,
			  SQLITE_STATIC);
	bind_id(st, 11, j->doc_id);
	sqlite3_bind_int64(st, 12, now);
	sqlite3_bind_int64(st, 13, now);
	sqlite3_bind_text(st, 14, j->kind ? j->kind : "convert", -1,
			  SQLITE_STATIC);
	sqlite3_bind_int(st, 15, j->vip_free);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW)
		return step_error(st, rc, "queue job");
	j->id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

int store_job_claim(struct store *s, struct arena *a, const char *kind,
		    const char *owner, int64_t now, int lease,
		    int max_attempts, struct store_job *out)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = store_write_begin(s)))
		return rc;
	/* Jobs that keep killing their runners end here. */
	st = stmt_get(s, "UPDATE jobs SET status = 'done', "
			 "outcome = 'rejected', reason = 'the conversion "
			 "was interrupted too many times', updated_at = ? "
			 "WHERE status = 'queued' AND attempts >= ?");
	if (!st)
		goto fail;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int(st, 2, max_attempts);
	if ((rc = stmt_exec(st, "give up on jobs")))
		goto fail_rc;
	st = stmt_get(s, "UPDATE jobs SET status = 'running', "
			 "attempts = attempts + 1, owner = ?, lease_until = ?, "
			 "updated_at = ? WHERE id = (SELECT id FROM jobs "
			 "WHERE (status = 'queued' OR (status = 'running' AND "
			 "lease_until < ?)) AND (? IS NULL OR kind = ?) "
			 "ORDER BY id LIMIT 1) RETURNING " JOB_COLS);
	if (!st)
		goto fail;
	sqlite3_bind_text(st, 1, owner, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now + lease);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_int64(st, 4, now);
	if (kind) {
		sqlite3_bind_text(st, 5, kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, kind, -1, SQLITE_STATIC);
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		rc = store_write_commit(s);
		return rc ? rc : WK_ENOTFOUND;
	}
	if (rc != SQLITE_ROW) {
		rc = step_error(st, rc, "claim job");
		goto fail_rc;
	}
	read_job(st, a, out);
	sqlite3_reset(st);
	return store_write_commit(s);
fail:
	rc = WK_EIO;
fail_rc:
	store_write_rollback(s);
	return rc;
}

int store_job_finish(struct store *s, int64_t id, const char *outcome,
		     const char *reason, int64_t doc_id)
{
	sqlite3_stmt *st = stmt_get(
		s, "UPDATE jobs SET status = 'done', outcome = ?, reason = ?, "
		   "doc_id = ?, owner = '', updated_at = ? WHERE id = ?");
	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, outcome, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, reason ? reason : "", -1, SQLITE_STATIC);
	bind_id(st, 3, doc_id);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL));
	sqlite3_bind_int64(st, 5, id);
	return stmt_exec(st, "finish job");
}

int store_job_requeue(struct store *s, int64_t id)
{
	sqlite3_stmt *st = stmt_get(
		s, "UPDATE jobs SET status = 'queued', owner = '', "
		   "lease_until = 0, updated_at = ? WHERE id = ? AND "
		   "status = 'running'");
	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)time(NULL));
	sqlite3_bind_int64(st, 2, id);
	return stmt_exec(st, "requeue job");
}

/* Collect rows of a job query. */
static int collect(sqlite3_stmt *st, struct arena *a, struct store_job **out,
		   size_t *n)
{
	struct store_job *v = NULL;
	size_t k = 0, cap = 0;
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = rows_grow(a, v, k, &cap, sizeof(*v));
		if (!v) {
			sqlite3_reset(st);
			return WK_ENOMEM;
		}
		read_job(st, a, &v[k++]);
	}
	if (rc != SQLITE_DONE)
		return step_error(st, rc, "list jobs");
	sqlite3_reset(st);
	*out = v;
	*n = k;
	return 0;
}

int store_job_running(struct store *s, struct arena *a,
		      struct store_job **out, size_t *n)
{
	sqlite3_stmt *st = stmt_get(s, "SELECT " JOB_COLS "FROM jobs "
				       "WHERE status = 'running' ORDER BY id");
	if (!st)
		return WK_EIO;
	return collect(st, a, out, n);
}

int store_job_batch(struct store *s, struct arena *a, const char *batch,
		    int64_t after_id, int limit, struct store_job **out,
		    size_t *n, int64_t *pending)
{
	sqlite3_stmt *st = stmt_get(s, "SELECT COUNT(*) FROM jobs WHERE "
				       "batch = ? AND status <> 'done'");
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, batch, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW)
		return step_error(st, rc, "count jobs");
	*pending = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	st = stmt_get(s, "SELECT " JOB_COLS "FROM jobs WHERE batch = ? AND "
			 "status = 'done' AND id > ? ORDER BY id LIMIT ?");
	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, batch, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, after_id);
	sqlite3_bind_int(st, 3, limit);
	return collect(st, a, out, n);
}

int store_job_get(struct store *s, struct arena *a, int64_t id,
		  struct store_job *out)
{
	sqlite3_stmt *st = stmt_get(s, "SELECT " JOB_COLS "FROM jobs "
				       "WHERE id = ?");
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return WK_ENOTFOUND;
	}
	if (rc != SQLITE_ROW)
		return step_error(st, rc, "load job");
	read_job(st, a, out);
	sqlite3_reset(st);
	return 0;
}

int store_job_counts(struct store *s, const char *batch,
		     struct store_job_counts *c)
{
	sqlite3_stmt *st = stmt_get(
		s, "SELECT status, COALESCE(outcome, ''), COUNT(*) FROM jobs "
		   "WHERE (? IS NULL OR batch = ?) GROUP BY 1, 2");
	int rc;

	if (!st)
		return WK_EIO;
	memset(c, 0, sizeof(*c));
	if (batch) {
		sqlite3_bind_text(st, 1, batch, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, batch, -1, SQLITE_STATIC);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *status = (const char *)sqlite3_column_text(st, 0);
		const char *outcome = (const char *)sqlite3_column_text(st, 1);
		int64_t n = sqlite3_column_int64(st, 2);
		if (!strcmp(status, "queued"))
			c->queued += n;
		else if (!strcmp(status, "running"))
			c->running += n;
		else if (!strcmp(outcome, "imported"))
			c->imported += n;
		else if (!strcmp(outcome, "duplicate"))
			c->duplicate += n;
		else if (!strcmp(outcome, "near-duplicate"))
			c->near_duplicate += n;
		else
			c->rejected += n;
	}
	if (rc != SQLITE_DONE)
		return step_error(st, rc, "count jobs");
	sqlite3_reset(st);
	return 0;
}
