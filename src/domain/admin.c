/*
 * admin.c - the operator console's rules (see admin.h): dashboard
 * figures and audited actions on accounts and jobs.
 */
#include "admin.h"

#include "../base/arena.h"
#include "../base/err.h"
#include "../base/utf8.h"
#include "audit.h"
#include "ledger.h"
#include "notify.h"
#include "rank.h"
#include "vip.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

int admin_dashboard_at(struct store *s, int64_t now,
		       struct admin_dashboard *d)
{
	int m, i, rc;

	memset(d, 0, sizeof(*d));
	d->first_day = rank_day(now) - (ADMIN_DAYS - 1);
	if ((rc = store_read_begin(s)))
		return rc;
	for (m = 0; m < STORE_ADMIN_METRICS && !rc; m++)
		rc = store_admin_daily(s, (enum store_admin_metric)m,
				       d->first_day, ADMIN_DAYS, d->daily[m]);
	if (!rc)
		rc = store_admin_queues(s, &d->queues);
	store_read_end(s);
	for (m = 0; m < STORE_ADMIN_METRICS; m++)
		for (i = 0; i < ADMIN_DAYS; i++)
			d->total[m] += d->daily[m][i];
	return rc;
}

bool admin_role_valid(const char *role)
{
	return role && (!strcmp(role, "reader") || !strcmp(role, "provider") ||
			!strcmp(role, "moderator") || !strcmp(role, "admin"));
}

/* A reason typed in the console: present, bounded, valid UTF-8. */
static bool reason_ok(const char *reason)
{
	size_t n = reason ? strlen(reason) : 0;

	return n > 0 && n <= ADMIN_REASON_MAX && utf8_valid(reason, n);
}

int admin_set_role(struct store *s, int64_t admin_id, int64_t user_id,
		   const char *role)
{
	struct store_admin_user u;
	struct arena *a;
	int rc;

	if (!admin_role_valid(role))
		return WK_EINVAL;
	if (!(a = arena_new(0)))
		return WK_ENOMEM;
	if ((rc = store_write_begin(s)))
		goto out;
	if ((rc = store_admin_user_get(s, a, user_id, &u)))
		goto fail;
	if (!strcmp(u.role, role))
		goto fail;	/* nothing to change; rc is 0 */
	if (user_id == admin_id && strcmp(role, "admin")) {
		rc = WK_EFORBIDDEN;	/* the last admin could lock all out */
		goto fail;
	}
	if ((rc = store_account_set_role(s, user_id, role)) ||
	    (rc = store_session_delete_user(s, user_id)) ||
	    (rc = audit_log(s, admin_id, "user.role", AUDIT_USER, user_id,
			    arena_sprintf(a, "role=%s", u.role),
			    arena_sprintf(a, "role=%s", role), NULL)))
		goto fail;
	rc = store_write_commit(s);
	goto out;
fail:
	store_write_rollback(s);
out:
	arena_free(a);
	return rc;
}

/* "status=suspended until=T" (T 0: indefinitely) or "status=active". */
static const char *status_text(struct arena *a, const char *status,
			       int64_t until)
{
	if (strcmp(status, "suspended"))
		return arena_sprintf(a, "status=%s", status);
	return arena_sprintf(a, "status=suspended until=%lld",
			     (long long)until);
}

static int set_status(struct store *s, int64_t admin_id, int64_t user_id,
		      bool suspend, int64_t until, const char *reason)
{
	struct store_admin_user u;
	struct arena *a;
	int rc;

	if (!(a = arena_new(0)))
		return WK_ENOMEM;
	if ((rc = store_write_begin(s)))
		goto out;
	if ((rc = store_admin_user_get(s, a, user_id, &u)))
		goto fail;
	if (!suspend && strcmp(u.status, "suspended")) {
		rc = WK_ECONFLICT;
		goto fail;
	}
	if ((rc = store_account_set_status(s, user_id,
					   suspend ? "suspended" : "active",
					   suspend ? until : 0)) ||
	    (rc = audit_log(s, admin_id,
			    suspend ? "user.suspend" : "user.unsuspend",
			    AUDIT_USER, user_id,
			    status_text(a, u.status, u.suspended_until),
			    suspend ? status_text(a, "suspended", until)
				    : "status=active",
			    reason)))
		goto fail;
	rc = store_write_commit(s);
	goto out;
fail:
	store_write_rollback(s);
out:
	arena_free(a);
	return rc;
}

int admin_suspend(struct store *s, int64_t admin_id, int64_t user_id,
		  int64_t until, const char *reason, int64_t now)
{
	if (user_id == admin_id)
		return WK_EFORBIDDEN;
	if (!reason_ok(reason) || (until && until <= now))
		return WK_EINVAL;
	return set_status(s, admin_id, user_id, true, until, reason);
}

int admin_lift(struct store *s, int64_t admin_id, int64_t user_id,
	       const char *reason)
{
	if (reason && *reason && !reason_ok(reason))
		return WK_EINVAL;
	return set_status(s, admin_id, user_id, false, 0, reason);
}

int admin_message(struct store *s, int64_t admin_id, int64_t user_id,
		  const char *text, int64_t now)
{
	size_t n = text ? strlen(text) : 0;
	struct notify_event e = { .kind = NK_ADMIN_MESSAGE,
				  .object_type = AUDIT_USER,
				  .object_id = user_id, .note = text };
	struct store_admin_user u;
	struct arena *a;
	int rc;

	if (!n || n > ADMIN_MESSAGE_MAX || !utf8_valid(text, n))
		return WK_EINVAL;
	if (!(a = arena_new(0)))
		return WK_ENOMEM;
	if ((rc = store_write_begin(s)))
		goto out;
	if ((rc = store_admin_user_get(s, a, user_id, &u)) ||
	    (rc = notify_post(s, user_id, &e, now)) ||
	    (rc = audit_log(s, admin_id, "user.message", AUDIT_USER, user_id,
			    "", "", text))) {
		store_write_rollback(s);
		goto out;
	}
	rc = store_write_commit(s);
out:
	arena_free(a);
	return rc;
}

/* A form nonce: 16..64 ASCII letters and digits. */
static bool nonce_ok(const char *nonce)
{
	size_t n = nonce ? strlen(nonce) : 0, i;

	if (n < 16 || n > 64)
		return false;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)nonce[i]))
			return false;
	return true;
}

int admin_grant_points(struct store *s, struct arena *a, int64_t admin_id,
		       const char *admin_name, int64_t user_id,
		       int64_t amount, const char *nonce, const char *reason,
		       struct ledger_result *out)
{
	struct store_admin_user u;
	const char *memo, *key;
	int64_t before = 0;
	int rc;

	if (!nonce_ok(nonce) || !reason_ok(reason) || amount < 1 ||
	    amount > LEDGER_MAX_AMOUNT)
		return WK_EINVAL;
	key = arena_sprintf(a, "admin-grant:%s", nonce);
	/* The admin is named in the transaction's own record. */
	memo = arena_sprintf(a, "%s (admin %s #%lld)", reason,
			     admin_name ? admin_name : "",
			     (long long)admin_id);
	if (!key || !memo)
		return WK_ENOMEM;
	if ((rc = store_ledger_begin(s)))
		return rc;
	if ((rc = store_admin_user_get(s, a, user_id, &u)) ||
	    (rc = ledger_balance(s, user_id, &before)) ||
	    (rc = ledger_grant(s, a, user_id, amount, key, memo, out)))
		goto fail;
	/* A resubmitted form replays the grant: logged once already. */
	if (!out->replayed &&
	    (rc = audit_log(s, admin_id, "user.points_grant", AUDIT_USER,
			    user_id, arena_sprintf(a, "balance=%lld",
						   (long long)before),
			    arena_sprintf(a, "balance=%lld tx=%lld",
					  (long long)out->balance,
					  (long long)out->tx),
			    reason)))
		goto fail;
	/* The recipient is told once too, with the reason given. */
	if (!out->replayed) {
		struct notify_event e = { .kind = NK_POINTS_GRANTED,
					  .object_type = "ledger_tx",
					  .object_id = out->tx,
					  .note = reason, .amount = amount };
		if ((rc = notify_post(s, user_id, &e, (int64_t)time(NULL))))
			goto fail;
	}
	return store_write_commit(s);
fail:
	store_write_rollback(s);
	return rc;
}

int admin_grant_vip(struct store *s, int64_t admin_id, int64_t user_id,
		    int64_t plan_id, int days, const char *nonce, int64_t now,
		    int64_t *until, bool *replayed)
{
	char key[96];

	if (!nonce_ok(nonce) || admin_id <= 0)
		return WK_EINVAL;
	snprintf(key, sizeof(key), "admin-vip:%s", nonce);
	/* vip_add_period logs a grant by an admin in its transaction. */
	return vip_add_period(s, user_id, plan_id, days, "grant", admin_id,
			      key, now, until, replayed);
}

int admin_end_sessions(struct store *s, int64_t admin_id, int64_t user_id,
		       int64_t now, int64_t *ended)
{
	struct store_admin_session *sess;
	struct store_admin_user u;
	struct arena *a;
	size_t n = 0;
	int rc;

	*ended = 0;
	if (!(a = arena_new(0)))
		return WK_ENOMEM;
	if ((rc = store_write_begin(s)))
		goto out;
	if ((rc = store_admin_user_get(s, a, user_id, &u)) ||
	    (rc = store_admin_sessions(s, a, user_id, now, 1000, &sess, &n)) ||
	    (rc = store_session_delete_user(s, user_id)) ||
	    (rc = audit_log(s, admin_id, "user.sessions_end", AUDIT_USER,
			    user_id, arena_sprintf(a, "sessions=%zu", n),
			    "sessions=0", NULL))) {
		store_write_rollback(s);
		goto out;
	}
	if (!(rc = store_write_commit(s)))
		*ended = (int64_t)n;
out:
	arena_free(a);
	return rc;
}

int admin_job_retry(struct store *s, int64_t admin_id, int64_t id,
		    int64_t now)
{
	int rc;

	if ((rc = store_write_begin(s)))
		return rc;
	if ((rc = store_admin_job_retry(s, id, now)) ||
	    (rc = audit_log(s, admin_id, "job.retry", "job", id,
			    "status=done outcome=rejected", "status=queued",
			    NULL))) {
		store_write_rollback(s);
		return rc;
	}
	return store_write_commit(s);
}
