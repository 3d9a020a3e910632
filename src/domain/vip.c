/*
 * vip.c - VIP membership (vip.h).
 */
#include "vip.h"

#include "audit.h"
#include "ledger.h"
#include "notify.h"

#include "../base/arena.h"
#include "../base/err.h"
#include "../base/utf8.h"
#include "../store/store.h"

#include <inttypes.h>
#include <string.h>

#define DAY 86400
#define CHINA_OFFSET (8 * 3600)	/* China has no DST */

int64_t vip_day(int64_t t)
{
	return (t + CHINA_OFFSET) / DAY;
}

int64_t vip_price(int64_t price, int discount)
{
	int64_t p;

	if (discount <= 0)
		return price;
	if (discount > 90)
		discount = 90;
	p = price - price * discount / 100;
	return p < 1 ? 1 : p;
}

int vip_status_of(struct store *s, struct arena *a, int64_t user_id,
		  int64_t now, struct vip_status *out)
{
	struct store_vip_period cur;
	bool counted;
	int rc;

	memset(out, 0, sizeof(*out));
	if (user_id <= 0)
		return 0;
	if ((rc = store_vip_current(s, user_id, now, &cur, &out->until)))
		return rc;
	if (!cur.id)
		return 0;
	if ((rc = store_vip_plan_get(s, a, cur.plan_id, &out->plan)) ||
	    (rc = store_vip_used(s, user_id, vip_day(now), 0,
				 &out->used_today, &counted)))
		return rc;
	/* The terms of the period, which the plan's later edits leave. */
	out->plan.daily_quota = cur.daily_quota;
	out->plan.discount = cur.discount;
	out->active = true;
	out->left_today = out->plan.daily_quota > out->used_today
				  ? out->plan.daily_quota - out->used_today
				  : 0;
	return 0;
}

int vip_discount(struct store *s, int64_t user_id, int64_t now,
		 int *discount)
{
	struct store_vip_period cur;
	int64_t until;
	int rc;

	*discount = 0;
	if (user_id <= 0)
		return 0;
	if ((rc = store_vip_current(s, user_id, now, &cur, &until)) ||
	    !cur.id)
		return rc;
	*discount = cur.discount;
	return 0;
}

/* Where a new period of days starting no earlier than now begins. */
static int next_start(struct store *s, int64_t user_id, int64_t now,
		      int64_t *start)
{
	struct store_vip_period cur;
	int64_t until;
	int rc = store_vip_current(s, user_id, now, &cur, &until);

	*start = until > now ? until : now;
	return rc;
}

int vip_buy(struct store *s, struct arena *a, int64_t user_id,
	    int64_t plan_id, const char *idem_key, int64_t now,
	    enum vip_buy_outcome *oc, struct ledger_result *out,
	    int64_t *until)
{
	struct store_vip_period p = { 0 }, old;
	struct store_vip_plan plan;
	const char *memo;
	int64_t paid;
	int rc;

	memset(out, 0, sizeof(*out));
	*oc = VIP_NO_PLAN;
	*until = 0;
	if (user_id <= 0 || !idem_key || !*idem_key)
		return WK_EINVAL;
	if ((rc = store_ledger_begin(s)))
		return rc;
	/* A retry: the first reply again, whatever was decided since. */
	rc = store_vip_period_by_key(s, idem_key, &old);
	if (rc == 0) {
		if (old.user_id != user_id || old.plan_id != plan_id) {
			rc = WK_ECONFLICT;
			goto fail;
		}
		/* What was paid then (the plan's price may have changed
		 * since): replaying the spend with it returns its reply. */
		if (!(memo = arena_sprintf(a, "vip:%" PRId64, plan_id))) {
			rc = WK_ENOMEM;
			goto fail;
		}
		if ((rc = store_ledger_user_amount(s, idem_key, user_id,
						   &paid)))
			goto fail;
		rc = paid < 0 ? ledger_spend_vip(s, a, user_id, -paid, idem_key,
						 memo, out)
			      : WK_EIO;
		if (rc)
			goto fail;
		store_write_rollback(s);
		*oc = VIP_BOUGHT;
		*until = old.ends_at;
		return 0;
	}
	if (rc != WK_ENOTFOUND)
		goto fail;
	rc = store_vip_plan_get(s, a, plan_id, &plan);
	if (rc == WK_ENOTFOUND || (!rc && !plan.active)) {
		store_write_rollback(s);
		return 0;
	}
	if (rc)
		goto fail;
	if (!(memo = arena_sprintf(a, "vip:%" PRId64, plan_id))) {
		rc = WK_ENOMEM;
		goto fail;
	}
	if ((rc = next_start(s, user_id, now, &p.starts_at)))
		goto fail;
	rc = ledger_spend_vip(s, a, user_id, plan.price, idem_key, memo, out);
	if (rc == WK_EFORBIDDEN) {
		store_write_rollback(s);
		*oc = VIP_SHORT;
		return ledger_balance(s, user_id, &out->balance);
	}
	if (rc)
		goto fail;
	if (out->replayed) {	/* a key with a payment but no period */
		rc = WK_ECONFLICT;
		goto fail;
	}
	p.user_id = user_id;
	p.plan_id = plan_id;
	p.ends_at = p.starts_at + (int64_t)plan.days * DAY;
	p.source = "buy";
	p.daily_quota = plan.daily_quota;
	p.discount = plan.discount;
	if ((rc = store_vip_period_add(s, &p, out->tx, 0, idem_key, now)))
		goto fail;
	if ((rc = store_write_commit(s)))
		return rc;
	*oc = VIP_BOUGHT;
	*until = p.ends_at;
	return 0;
fail:
	store_write_rollback(s);
	return rc;
}

int vip_add_period(struct store *s, int64_t user_id, int64_t plan_id,
		   int days, const char *source, int64_t admin_id,
		   const char *idem_key, int64_t now, int64_t *until,
		   bool *replayed)
{
	struct store_vip_period p = { 0 }, old;
	struct store_vip_plan plan;
	struct arena *a;
	int rc;

	*until = 0;
	*replayed = false;
	if (user_id <= 0 || !idem_key || !*idem_key || days < 0 ||
	    days > 3660 ||
	    (strcmp(source, "grant") && strcmp(source, "code")))
		return WK_EINVAL;
	if (!(a = arena_new(0)))
		return WK_ENOMEM;
	if ((rc = store_write_begin(s)))
		goto out;
	rc = store_vip_period_by_key(s, idem_key, &old);
	if (rc == 0) {
		store_write_rollback(s);
		if (old.user_id != user_id || old.plan_id != plan_id) {
			rc = WK_ECONFLICT;
			goto out;
		}
		*replayed = true;
		*until = old.ends_at;
		goto out;
	}
	if (rc != WK_ENOTFOUND ||
	    (rc = store_vip_plan_get(s, a, plan_id, &plan)) ||
	    (rc = next_start(s, user_id, now, &p.starts_at))) {
		store_write_rollback(s);
		goto out;
	}
	p.user_id = user_id;
	p.plan_id = plan_id;
	p.ends_at = p.starts_at + (int64_t)(days ? days : plan.days) * DAY;
	p.source = source;
	p.daily_quota = plan.daily_quota;
	p.discount = plan.discount;
	if ((rc = store_vip_period_add(s, &p, 0, admin_id, idem_key, now))) {
		store_write_rollback(s);
		goto out;
	}
	/* An admin's grant is audited with the period it adds. */
	if (admin_id > 0 &&
	    (rc = audit_log(s, admin_id, "user.vip_grant", AUDIT_USER, user_id,
			    p.starts_at > now
				    ? arena_sprintf(a, "vip_until=%lld",
						    (long long)p.starts_at)
				    : "vip=none",
			    arena_sprintf(a, "vip_until=%lld",
					  (long long)p.ends_at),
			    arena_sprintf(a, "plan=%lld days=%d",
					  (long long)plan_id,
					  days ? days : plan.days)))) {
		store_write_rollback(s);
		goto out;
	}
	/* A grant (console or command line) is news to its member; a
	 * code they redeemed themselves is not. */
	if (!strcmp(source, "grant")) {
		struct notify_event e = { .kind = NK_VIP_GRANTED,
					  .object_type = "vip_plan",
					  .object_id = plan_id,
					  .subject = plan.name,
					  .amount = days ? days : plan.days };
		if ((rc = notify_post(s, user_id, &e, now))) {
			store_write_rollback(s);
			goto out;
		}
	}
	if (!(rc = store_write_commit(s)))
		*until = p.ends_at;
out:
	arena_free(a);
	return rc;
}

/* A plan name: bounded UTF-8 without control characters. */
static bool name_ok(const char *s, bool required)
{
	size_t n = s ? strlen(s) : 0, i;

	if ((required && n == 0) || n > VIP_PLAN_NAME_MAX ||
	    !utf8_valid(s ? s : "", n))
		return false;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

const char *vip_plan_invalid(const struct store_vip_plan *p)
{
	if (!name_ok(p->name, true))
		return "name";
	if (!name_ok(p->name_en, false))
		return "name_en";
	if (p->days < 1 || p->days > 3660)
		return "days";
	if (p->price < 1 || p->price > 1000000000)
		return "price";
	if (p->daily_quota < 0 || p->daily_quota > 1000)
		return "quota";
	if (p->discount < 0 || p->discount > 90)
		return "discount";
	if (p->position < -1000 || p->position > 1000)
		return "position";
	return NULL;
}

/* A plan's terms as the audit log keeps them. */
static const char *plan_text(struct arena *a, const struct store_vip_plan *p)
{
	return arena_sprintf(a, "name=%s name_en=%s days=%d price=%" PRId64
			     " quota=%d discount=%d position=%d on_sale=%d",
			     p->name, p->name_en ? p->name_en : "", p->days,
			     p->price, p->daily_quota, p->discount,
			     p->position, p->active ? 1 : 0);
}

int vip_plan_create(struct store *s, int64_t admin_id,
		    const struct store_vip_plan *p, int64_t now, int64_t *id)
{
	struct arena *a;
	int rc;

	if (vip_plan_invalid(p))
		return WK_EINVAL;
	if (!(a = arena_new(0)))
		return WK_ENOMEM;
	if ((rc = store_write_begin(s)))
		goto out;
	if ((rc = store_vip_plan_add(s, p, now, id)) ||
	    (rc = audit_log(s, admin_id, "vip_plan.add", AUDIT_VIP_PLAN, *id,
			    NULL, plan_text(a, p), NULL))) {
		store_write_rollback(s);
		goto out;
	}
	rc = store_write_commit(s);
out:
	arena_free(a);
	return rc;
}

int vip_plan_update(struct store *s, int64_t admin_id,
		    const struct store_vip_plan *p)
{
	struct store_vip_plan old, next;
	const char *before, *after;
	struct arena *a;
	int rc;

	if (vip_plan_invalid(p))
		return WK_EINVAL;
	if (!(a = arena_new(0)))
		return WK_ENOMEM;
	if ((rc = store_write_begin(s)))
		goto out;
	if ((rc = store_vip_plan_get(s, a, p->id, &old)))
		goto fail;
	next = *p;
	next.active = old.active;
	before = plan_text(a, &old);
	after = plan_text(a, &next);
	if (!before || !after) {
		rc = WK_ENOMEM;
		goto fail;
	}
	if (!strcmp(before, after))
		goto fail;	/* nothing to change; rc is 0 */
	if ((rc = store_vip_plan_update(s, &next)) ||
	    (rc = audit_log(s, admin_id, "vip_plan.edit", AUDIT_VIP_PLAN,
			    p->id, before, after, NULL)))
		goto fail;
	rc = store_write_commit(s);
	goto out;
fail:
	store_write_rollback(s);
out:
	arena_free(a);
	return rc;
}

int vip_plan_set_sale(struct store *s, int64_t admin_id, int64_t id,
		      bool on_sale)
{
	struct store_vip_plan old;
	struct arena *a;
	int rc;

	if (!(a = arena_new(0)))
		return WK_ENOMEM;
	if ((rc = store_write_begin(s)))
		goto out;
	if ((rc = store_vip_plan_get(s, a, id, &old)))
		goto fail;
	if (old.active == on_sale) {
		rc = WK_ECONFLICT;
		goto fail;
	}
	if ((rc = store_vip_plan_set_active(s, id, on_sale)) ||
	    (rc = audit_log(s, admin_id,
			    on_sale ? "vip_plan.on_sale" : "vip_plan.off_sale",
			    AUDIT_VIP_PLAN, id,
			    old.active ? "on_sale=1" : "on_sale=0",
			    on_sale ? "on_sale=1" : "on_sale=0", old.name)))
		goto fail;
	rc = store_write_commit(s);
	goto out;
fail:
	store_write_rollback(s);
out:
	arena_free(a);
	return rc;
}

int vip_use_download(struct store *s, int64_t user_id, int64_t doc_id,
		     int64_t now, enum vip_dl_outcome *oc)
{
	struct store_vip_period cur;
	int64_t until, day = vip_day(now);
	bool counted;
	int count, rc;

	*oc = VIP_DL_NOT_MEMBER;
	if (user_id <= 0)
		return 0;
	if ((rc = store_write_begin(s)))
		return rc;
	if ((rc = store_vip_current(s, user_id, now, &cur, &until)) ||
	    !cur.id)
		goto rollback;
	if ((rc = store_vip_used(s, user_id, day, doc_id, &count, &counted)))
		goto rollback;
	if (counted) {
		*oc = VIP_DL_OK;
		goto rollback;	/* nothing to write */
	}
	if (count >= cur.daily_quota) {
		*oc = VIP_DL_QUOTA;
		goto rollback;
	}
	if ((rc = store_vip_download_add(s, user_id, doc_id, day, now)))
		goto rollback;
	if (!(rc = store_write_commit(s)))
		*oc = VIP_DL_OK;
	return rc;
rollback:
	store_write_rollback(s);
	return rc;
}
