/*
 * vip.c - VIP plans, membership periods and the daily quota of VIP-free
 * downloads (0012_vip.sql). The rules (time adds on, who may, what a
 * plan costs) are domain/vip.c's; this file only reads and writes rows.
 */
#include "store_internal.h"

#include "../base/arena.h"
#include "../base/err.h"

#include <string.h>

#define PLAN_COLS                                                          \
	"id, name, name_en, days, price, daily_quota, discount, active, "  \
	"position"

static void plan_row(sqlite3_stmt *st, struct arena *a,
		     struct store_vip_plan *p)
{
	p->id = sqlite3_column_int64(st, 0);
	p->name = col_text(st, 1, a);
	p->name_en = col_text(st, 2, a);
	p->days = sqlite3_column_int(st, 3);
	p->price = sqlite3_column_int64(st, 4);
	p->daily_quota = sqlite3_column_int(st, 5);
	p->discount = sqlite3_column_int(st, 6);
	p->active = sqlite3_column_int(st, 7) != 0;
	p->position = sqlite3_column_int(st, 8);
}

int store_vip_plans(struct store *s, struct arena *a, bool active_only,
		    struct store_vip_plan **out, size_t *n)
{
	sqlite3_stmt *st = stmt_get(
		s, "SELECT " PLAN_COLS " FROM vip_plans WHERE active >= ? "
		   "ORDER BY position, id LIMIT 100");
	struct store_vip_plan *v = NULL;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (!st)
		return WK_EIO;
	sqlite3_bind_int(st, 1, active_only ? 1 : 0);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!(v = rows_grow(a, v, *n, &cap, sizeof(*v)))) {
			sqlite3_reset(st);
			return WK_ENOMEM;
		}
		plan_row(st, a, &v[(*n)++]);
	}
	if (rc != SQLITE_DONE)
		return step_error(st, rc, "list VIP plans");
	sqlite3_reset(st);
	*out = v;
	return 0;
}

int store_vip_plan_get(struct store *s, struct arena *a, int64_t id,
		       struct store_vip_plan *out)
{
	sqlite3_stmt *st = stmt_get(
		s, "SELECT " PLAN_COLS " FROM vip_plans WHERE id = ?");
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		plan_row(st, a, out);
		sqlite3_reset(st);
		return 0;
	}
	if (rc != SQLITE_DONE)
		return step_error(st, rc, "read VIP plan");
	sqlite3_reset(st);
	return WK_ENOTFOUND;
}

/* The bounds of the vip_plans table's checks, and names of 1..100 (or
 * 0..100) bytes. */
static bool plan_ok(const struct store_vip_plan *p)
{
	return p->name && *p->name && strlen(p->name) <= 100 &&
	       (!p->name_en || strlen(p->name_en) <= 100) && p->days >= 1 &&
	       p->days <= 3660 && p->price >= 1 && p->price <= 1000000000 &&
	       p->daily_quota >= 0 && p->daily_quota <= 1000 &&
	       p->discount >= 0 && p->discount <= 90;
}

int store_vip_plan_add(struct store *s, const struct store_vip_plan *p,
		       int64_t now, int64_t *id)
{
	sqlite3_stmt *st;
	bool own;
	int rc;

	if (!plan_ok(p))
		return WK_EINVAL;
	if ((rc = tx_begin(s, &own)))
		return rc;
	st = stmt_get(s, "INSERT INTO vip_plans (name, name_en, days, price, "
			 "daily_quota, discount, active, position, "
			 "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return tx_end(s, own, WK_EIO);
	sqlite3_bind_text(st, 1, p->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, p->name_en ? p->name_en : "", -1,
			  SQLITE_STATIC);
	sqlite3_bind_int(st, 3, p->days);
	sqlite3_bind_int64(st, 4, p->price);
	sqlite3_bind_int(st, 5, p->daily_quota);
	sqlite3_bind_int(st, 6, p->discount);
	sqlite3_bind_int(st, 7, p->active ? 1 : 0);
	sqlite3_bind_int(st, 8, p->position);
	sqlite3_bind_int64(st, 9, now);
	rc = stmt_exec(st, "add VIP plan");
	if (!rc && id)
		*id = sqlite3_last_insert_rowid(conn_db(s));
	return tx_end(s, own, rc);
}

int store_vip_plan_set_active(struct store *s, int64_t id, bool active)
{
	sqlite3_stmt *st;
	bool own;
	int rc;

	if ((rc = tx_begin(s, &own)))
		return rc;
	st = stmt_get(s, "UPDATE vip_plans SET active = ? WHERE id = ?");
	if (!st)
		return tx_end(s, own, WK_EIO);
	sqlite3_bind_int(st, 1, active ? 1 : 0);
	sqlite3_bind_int64(st, 2, id);
	rc = stmt_exec(st, "change VIP plan");
	if (!rc && sqlite3_changes(conn_db(s)) != 1)
		rc = WK_ENOTFOUND;
	return tx_end(s, own, rc);
}

/* A period from before 0023 without terms takes its plan's. */
int store_vip_plan_update(struct store *s, const struct store_vip_plan *p)
{
	sqlite3_stmt *st;
	bool own;
	int rc;

	if (!plan_ok(p))
		return WK_EINVAL;
	if ((rc = tx_begin(s, &own)))
		return rc;
	st = stmt_get(s, "UPDATE vip_plans SET name = ?, name_en = ?, "
			 "days = ?, price = ?, daily_quota = ?, discount = ?, "
			 "position = ? WHERE id = ?");
	if (!st)
		return tx_end(s, own, WK_EIO);
	sqlite3_bind_text(st, 1, p->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, p->name_en ? p->name_en : "", -1,
			  SQLITE_STATIC);
	sqlite3_bind_int(st, 3, p->days);
	sqlite3_bind_int64(st, 4, p->price);
	sqlite3_bind_int(st, 5, p->daily_quota);
	sqlite3_bind_int(st, 6, p->discount);
	sqlite3_bind_int(st, 7, p->position);
	sqlite3_bind_int64(st, 8, p->id);
	rc = stmt_exec(st, "change VIP plan");
	if (!rc && sqlite3_changes(conn_db(s)) != 1)
		rc = WK_ENOTFOUND;
	return tx_end(s, own, rc);
}

int store_vip_plan_uses(struct store *s, struct arena *a, int64_t now,
			struct store_vip_plan_use **out, size_t *n)
{
	/* Members: users whose newest period covering now is of the plan
	 * (as store_vip_current decides). */
	sqlite3_stmt *st = stmt_get(
		s, "SELECT v.plan_id, COUNT(*), 0 FROM vip_periods v "
		   "WHERE v.starts_at <= ?1 AND v.ends_at > ?1 AND v.id = "
		   "(SELECT w.id FROM vip_periods w WHERE w.user_id = "
		   "v.user_id AND w.starts_at <= ?1 AND w.ends_at > ?1 "
		   "ORDER BY w.starts_at DESC, w.id DESC LIMIT 1) "
		   "GROUP BY v.plan_id UNION ALL "
		   "SELECT plan_id, 0, COUNT(*) FROM vip_periods "
		   "GROUP BY plan_id LIMIT 200");
	struct store_vip_plan_use *v = NULL;
	size_t cap = 0, i;
	int rc;

	*out = NULL;
	*n = 0;
	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, now);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);

		for (i = 0; i < *n && v[i].plan_id != id; i++)
			;
		if (i == *n) {
			if (!(v = rows_grow(a, v, *n, &cap, sizeof(*v)))) {
				sqlite3_reset(st);
				return WK_ENOMEM;
			}
			memset(&v[i], 0, sizeof(v[i]));
			v[i].plan_id = id;
			(*n)++;
		}
		v[i].members += sqlite3_column_int64(st, 1);
		v[i].periods += sqlite3_column_int64(st, 2);
	}
	if (rc != SQLITE_DONE)
		return step_error(st, rc, "count VIP plan members");
	sqlite3_reset(st);
	*out = v;
	return 0;
}

#define PERIOD_COLS                                                        \
	"id, user_id, plan_id, starts_at, ends_at, source, "               \
	"COALESCE(daily_quota, (SELECT daily_quota FROM vip_plans p "      \
	"WHERE p.id = plan_id), 0), COALESCE(discount, (SELECT discount "  \
	"FROM vip_plans p WHERE p.id = plan_id), 0)"

static void period_row(sqlite3_stmt *st, struct arena *a,
		       struct store_vip_period *p)
{
	p->id = sqlite3_column_int64(st, 0);
	p->user_id = sqlite3_column_int64(st, 1);
	p->plan_id = sqlite3_column_int64(st, 2);
	p->starts_at = sqlite3_column_int64(st, 3);
	p->ends_at = sqlite3_column_int64(st, 4);
	p->source = a ? col_text(st, 5, a) : NULL;
	p->daily_quota = sqlite3_column_int(st, 6);
	p->discount = sqlite3_column_int(st, 7);
}

int store_vip_current(struct store *s, int64_t user_id, int64_t now,
		      struct store_vip_period *cur, int64_t *until)
{
	sqlite3_stmt *st;
	int rc;

	memset(cur, 0, sizeof(*cur));
	*until = 0;
	st = stmt_get(s, "SELECT " PERIOD_COLS " FROM vip_periods "
			 "WHERE user_id = ? AND starts_at <= ? AND ends_at > ? "
			 "ORDER BY starts_at DESC, id DESC LIMIT 1");
	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, now);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		period_row(st, NULL, cur);
	else if (rc != SQLITE_DONE)
		return step_error(st, rc, "read VIP period");
	sqlite3_reset(st);
	st = stmt_get(s, "SELECT COALESCE(MAX(ends_at), 0) FROM vip_periods "
			 "WHERE user_id = ?");
	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, user_id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW)
		return step_error(st, rc, "read VIP end");
	*until = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

int store_vip_period_add(struct store *s, const struct store_vip_period *p,
			 int64_t tx_id, int64_t granted_by,
			 const char *idem_key, int64_t now)
{
	sqlite3_stmt *st;
	bool own;
	int rc;

	if (p->ends_at <= p->starts_at || !idem_key)
		return WK_EINVAL;
	if ((rc = tx_begin(s, &own)))
		return rc;
	st = stmt_get(s, "INSERT INTO vip_periods (user_id, plan_id, "
			 "starts_at, ends_at, source, tx_id, granted_by, "
			 "idem_key, created_at, daily_quota, discount) "
			 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return tx_end(s, own, WK_EIO);
	sqlite3_bind_int64(st, 1, p->user_id);
	sqlite3_bind_int64(st, 2, p->plan_id);
	sqlite3_bind_int64(st, 3, p->starts_at);
	sqlite3_bind_int64(st, 4, p->ends_at);
	sqlite3_bind_text(st, 5, p->source, -1, SQLITE_STATIC);
	bind_id(st, 6, tx_id);
	bind_id(st, 7, granted_by);
	sqlite3_bind_text(st, 8, idem_key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 9, now);
	sqlite3_bind_int(st, 10, p->daily_quota);
	sqlite3_bind_int(st, 11, p->discount);
	return tx_end(s, own, stmt_exec(st, "add VIP period"));
}

int store_vip_period_by_key(struct store *s, const char *idem_key,
			    struct store_vip_period *out)
{
	sqlite3_stmt *st = stmt_get(s, "SELECT " PERIOD_COLS
				       " FROM vip_periods WHERE idem_key = ?");
	int rc;

	memset(out, 0, sizeof(*out));
	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, idem_key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		period_row(st, NULL, out);
		sqlite3_reset(st);
		return 0;
	}
	if (rc != SQLITE_DONE)
		return step_error(st, rc, "read VIP period");
	sqlite3_reset(st);
	return WK_ENOTFOUND;
}

int store_vip_used(struct store *s, int64_t user_id, int64_t day,
		   int64_t doc_id, int *count, bool *counted)
{
	sqlite3_stmt *st = stmt_get(
		s, "SELECT COUNT(*), COALESCE(SUM(doc_id = ?), 0) "
		   "FROM vip_downloads WHERE user_id = ? AND day = ?");
	int rc;

	*count = 0;
	*counted = false;
	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, doc_id);
	sqlite3_bind_int64(st, 2, user_id);
	sqlite3_bind_int64(st, 3, day);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW)
		return step_error(st, rc, "count VIP downloads");
	*count = sqlite3_column_int(st, 0);
	*counted = sqlite3_column_int(st, 1) != 0;
	sqlite3_reset(st);
	return 0;
}

int store_vip_download_add(struct store *s, int64_t user_id, int64_t doc_id,
			   int64_t day, int64_t now)
{
	sqlite3_stmt *st;
	bool own;
	int rc;

	if ((rc = tx_begin(s, &own)))
		return rc;
	st = stmt_get(s, "INSERT INTO vip_downloads (user_id, doc_id, day, "
			 "created_at) VALUES (?, ?, ?, ?)");
	if (!st)
		return tx_end(s, own, WK_EIO);
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, doc_id);
	sqlite3_bind_int64(st, 3, day);
	sqlite3_bind_int64(st, 4, now);
	return tx_end(s, own, stmt_exec(st, "count VIP download"));
}
