/*
 * vip.h - VIP membership: plans bought with points, granted by an admin
 * or redeemed from a code; a daily quota of VIP-free downloads and a
 * discount on paid documents while a period is running.
 *
 * Time adds on: a new period starts where the member's last one ends
 * (or now, when that is past), so buying twice gives twice the days and
 * periods never overlap; the benefits of "now" are those of the plan
 * whose period covers it. Membership expires by itself when its last
 * period ends. A purchase is one ledger transaction (kind "vip", all to
 * revenue) and its period, written together under BEGIN IMMEDIATE with
 * the same idempotency key, so a retried purchase neither pays nor
 * extends twice. Days for the quota are China days (UTC+8), as for the
 * sign-in.
 */
#ifndef WK_VIP_H
#define WK_VIP_H

#include "../store/store.h"

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct ledger_result;

/* A member's state at one moment. */
struct vip_status {
	bool active;		/* a period covers now */
	struct store_vip_plan plan;	/* the current plan (when active) */
	int64_t until;		/* end of the last period (0: never) */
	int used_today;		/* VIP-free documents downloaded today */
	int left_today;		/* quota left today */
};

/* The China day number of t (for quotas). */
int64_t vip_day(int64_t t);

/* What a member with discount percent pays for a document of price:
 * price less the discount rounded down, at least 1 point. */
int64_t vip_price(int64_t price, int discount);

/* user_id's VIP status at now (all zero for a user who never was). */
int vip_status_of(struct store *s, struct arena *a, int64_t user_id,
		  int64_t now, struct vip_status *out);

/* The discount user_id gets at now (0 when not a member). Joins the
 * caller's transaction. */
int vip_discount(struct store *s, int64_t user_id, int64_t now,
		 int *discount);

enum vip_buy_outcome {
	VIP_BOUGHT,	/* paid now, or a replay of the same key */
	VIP_SHORT,	/* not enough points: nothing charged */
	VIP_NO_PLAN,	/* no such plan on sale */
};

/* user_id buys plan_id under idem_key (which the caller scopes to the
 * account, e.g. "vip:u7:<client key>"). 0 with *oc; for VIP_BOUGHT
 * *out (out->replayed for a retry) and *until, the new end of the
 * membership. WK_ECONFLICT: the key was used for something else. */
int vip_buy(struct store *s, struct arena *a, int64_t user_id,
	    int64_t plan_id, const char *idem_key, int64_t now,
	    enum vip_buy_outcome *oc, struct ledger_result *out,
	    int64_t *until);

/* Add a period of plan_id to user_id without payment: an admin's grant
 * (source "grant", by admin_id; days 0: the plan's) or a redeemed code
 * (source "code", admin_id 0). Once per idem_key: a retry by the same
 * user changes nothing (*replayed); the key used for another user is
 * WK_ECONFLICT. WK_ENOTFOUND for no such plan or user. */
int vip_add_period(struct store *s, int64_t user_id, int64_t plan_id,
		   int days, const char *source, int64_t admin_id,
		   const char *idem_key, int64_t now, int64_t *until,
		   bool *replayed);

/* ---- plans, as an admin changes them (the console's /admin/vip) ---- */

#define VIP_PLAN_NAME_MAX 100	/* bytes of a plan's name */

/* What is wrong with plan p (name 1..100 bytes and name_en 0..100 of
 * UTF-8 without control characters, days 1..3660, price 1..10^9,
 * daily_quota 0..1000, discount 0..90, position -1000..1000, the bounds
 * `wenku vip add-plan` takes): "name", "name_en", "days", "price",
 * "quota", "discount" or "position"; NULL when nothing is. */
const char *vip_plan_invalid(const struct store_vip_plan *p);

/* Add plan p (its active flag says whether on sale) as admin_id, with
 * the audit entry "vip_plan.add" in the same transaction. *id: the new
 * plan. WK_EINVAL when vip_plan_invalid. */
int vip_plan_create(struct store *s, int64_t admin_id,
		    const struct store_vip_plan *p, int64_t now, int64_t *id);

/* Change plan p->id's terms (not whether it is on sale) as admin_id,
 * audited as "vip_plan.edit" with the terms before and after. Periods
 * already recorded keep the quota and discount they were given and
 * purchases what they paid; the new terms apply to new periods.
 * Nothing changed: nothing written. WK_EINVAL, WK_ENOTFOUND. */
int vip_plan_update(struct store *s, int64_t admin_id,
		    const struct store_vip_plan *p);

/* Put plan id on sale or take it off as admin_id ("vip_plan.on_sale",
 * "vip_plan.off_sale"). Plans are never deleted: periods and codes name
 * them. WK_ENOTFOUND, WK_ECONFLICT when it is already so. */
int vip_plan_set_sale(struct store *s, int64_t admin_id, int64_t id,
		      bool on_sale);

enum vip_dl_outcome {
	VIP_DL_OK,	/* counted against today's quota (or was already) */
	VIP_DL_NOT_MEMBER,	/* no period covers now */
	VIP_DL_QUOTA,	/* today's quota is used up */
};

/* A member downloads VIP-free doc_id at now: counted once per document
 * per day, up to the plan's daily quota (checked and counted in one
 * write transaction, so concurrent downloads can't pass the quota). */
int vip_use_download(struct store *s, int64_t user_id, int64_t doc_id,
		     int64_t now, enum vip_dl_outcome *oc);

#endif
