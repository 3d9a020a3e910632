/* test_vip.c - VIP membership on a temporary data folder with a settable
 * clock (every call takes "now"): buying, time adding on, expiry, the
 * daily quota of VIP-free downloads (per China day, also under
 * concurrency), the member discount on purchases, admin grants, VIP
 * codes, and that `wenku check`'s rules see a VIP payment without its
 * period. */
#include "../harness.h"
#include "../../src/base/arena.h"
#include "../../src/base/err.h"
#include "../../src/domain/codes.h"
#include "../../src/domain/ledger.h"
#include "../../src/domain/purchase.h"
#include "../../src/domain/vip.h"
#include "../../src/store/store.h"
#include "ledger_util.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define DAY 86400
/* 2024-01-01 12:00 China time (04:00 UTC), a fixed "now". */
#define T0 ((int64_t)1704081600)

static int64_t grant(struct store *s, int64_t user, int64_t n,
		     const char *key)
{
	struct arena *a = arena_new(0);
	struct ledger_result r;
	int rc = ledger_grant(s, a, user, n, key, "test", &r);

	arena_free(a);
	return rc;
}

TEST(vip_buy_extends_and_expires)
{
	char dir[64], err[256];
	struct store *s = open_tmp(dir);
	struct arena *a = arena_new(0);
	struct store_vip_plan *plans;
	struct ledger_result r;
	struct vip_status st;
	enum vip_buy_outcome oc;
	int64_t u, poor, until, rev, ntx;
	size_t n;

	CHECK(s && a);
	if (!s || !a)
		return;
	/* The migration's plans: monthly, quarterly, yearly. */
	CHECK(store_vip_plans(s, a, true, &plans, &n) == 0 && n == 3);
	CHECK(n == 3 && plans[0].days == 30 && plans[0].price == 300 &&
	      plans[0].daily_quota == 10 && plans[0].discount == 20);
	u = add_user(s, "vipbuyer");
	poor = add_user(s, "vippoor");
	CHECK(grant(s, u, 1000, "t:u") == 0 && grant(s, poor, 100, "t:p") == 0);

	CHECK(vip_status_of(s, a, u, T0, &st) == 0 && !st.active &&
	      st.until == 0);
	CHECK(vip_buy(s, a, u, 1, "vip:u:k1", T0, &oc, &r, &until) == 0);
	CHECK(oc == VIP_BOUGHT && !r.replayed && until == T0 + 30 * DAY);
	CHECK(balance_of(s, u) == 700);
	CHECK(ledger_revenue(s, &rev) == 0 && rev == 300);
	ntx = tx_count(dir);
	/* A retry (double click): the same reply, nothing paid or added. */
	CHECK(vip_buy(s, a, u, 1, "vip:u:k1", T0 + 5, &oc, &r, &until) == 0);
	CHECK(oc == VIP_BOUGHT && r.replayed && until == T0 + 30 * DAY &&
	      r.balance == 700);
	CHECK(tx_count(dir) == ntx && balance_of(s, u) == 700);
	/* Even after the plan's price changed. */
	{
		sqlite3 *db = raw_open(dir);
		CHECK(db && raw_exec(db, "UPDATE vip_plans SET price = 350 "
					 "WHERE id = 1") == SQLITE_OK);
		sqlite3_close(db);
	}
	CHECK(vip_buy(s, a, u, 1, "vip:u:k1", T0 + 6, &oc, &r, &until) == 0);
	CHECK(oc == VIP_BOUGHT && r.replayed && r.balance == 700 &&
	      tx_count(dir) == ntx);
	{
		sqlite3 *db = raw_open(dir);
		CHECK(db && raw_exec(db, "UPDATE vip_plans SET price = 300 "
					 "WHERE id = 1") == SQLITE_OK);
		sqlite3_close(db);
	}
	/* The same key for another plan is a conflict. */
	CHECK(vip_buy(s, a, u, 2, "vip:u:k1", T0, &oc, &r, &until) ==
	      WK_ECONFLICT);
	/* Time adds on: ten days in, a second month ends 60 days after T0. */
	CHECK(vip_buy(s, a, u, 1, "vip:u:k2", T0 + 10 * DAY, &oc, &r,
		      &until) == 0);
	CHECK(oc == VIP_BOUGHT && until == T0 + 60 * DAY);
	CHECK(balance_of(s, u) == 400);
	CHECK(vip_status_of(s, a, u, T0 + 45 * DAY, &st) == 0 && st.active &&
	      st.plan.id == 1 && st.until == T0 + 60 * DAY &&
	      st.left_today == 10);
	/* Expired the moment the last period ends. */
	CHECK(vip_status_of(s, a, u, T0 + 60 * DAY, &st) == 0 && !st.active &&
	      st.until == T0 + 60 * DAY);
	/* After a lapse, a new period starts at the purchase, not before. */
	CHECK(vip_buy(s, a, u, 1, "vip:u:k3", T0 + 100 * DAY, &oc, &r,
		      &until) == 0);
	CHECK(until == T0 + 130 * DAY);
	CHECK(vip_status_of(s, a, u, T0 + 80 * DAY, &st) == 0 && !st.active);

	/* Short of points: nothing charged, no membership. */
	ntx = tx_count(dir);
	CHECK(vip_buy(s, a, poor, 1, "vip:p:k1", T0, &oc, &r, &until) == 0);
	CHECK(oc == VIP_SHORT && r.balance == 100 && until == 0);
	CHECK(tx_count(dir) == ntx && balance_of(s, poor) == 100);
	CHECK(vip_status_of(s, a, poor, T0, &st) == 0 && !st.active);
	/* A plan taken off sale can't be bought; members keep their time. */
	CHECK(store_vip_plan_set_active(s, 1, false) == 0);
	CHECK(vip_buy(s, a, u, 1, "vip:u:k4", T0 + 101 * DAY, &oc, &r,
		      &until) == 0 && oc == VIP_NO_PLAN);
	CHECK(vip_buy(s, a, u, 99, "vip:u:k5", T0, &oc, &r, &until) == 0 &&
	      oc == VIP_NO_PLAN);
	CHECK(vip_status_of(s, a, u, T0 + 101 * DAY, &st) == 0 && st.active);
	CHECK(store_vip_plans(s, a, true, &plans, &n) == 0 && n == 2);
	CHECK(store_vip_plans(s, a, false, &plans, &n) == 0 && n == 3);
	CHECK(store_ledger_check(s, err, sizeof(err)) == 0);
	arena_free(a);
	store_close(s);
	rm_tmp(dir);
}

TEST(vip_daily_quota_per_china_day)
{
	char dir[64];
	struct store *s = open_tmp(dir);
	struct arena *a = arena_new(0);
	struct store_vip_plan p = { 0, "两篇", "Two", 3, 10, 2, 0, true, 0 };
	enum vip_dl_outcome oc;
	struct vip_status st;
	int64_t u, other, plan, d[3], until;
	bool replayed;
	int i;

	CHECK(s && a);
	if (!s || !a)
		return;
	u = add_user(s, "quota");
	other = add_user(s, "nonmember");
	for (i = 0; i < 3; i++) {
		char t[32];
		snprintf(t, sizeof(t), "vipfree %d", i);
		d[i] = add_paid_doc(s, t, 5, other);
	}
	CHECK(store_vip_plan_add(s, &p, T0, &plan) == 0);
	CHECK(vip_add_period(s, u, plan, 0, "grant", 0, "vipgrant:q", T0,
			     &until, &replayed) == 0 &&
	      until == T0 + 3 * DAY && !replayed);

	CHECK(vip_use_download(s, u, d[0], T0, &oc) == 0 && oc == VIP_DL_OK);
	/* The same document again that day is not counted twice. */
	CHECK(vip_use_download(s, u, d[0], T0 + 60, &oc) == 0 &&
	      oc == VIP_DL_OK);
	CHECK(vip_status_of(s, a, u, T0, &st) == 0 && st.used_today == 1 &&
	      st.left_today == 1);
	CHECK(vip_use_download(s, u, d[1], T0 + 120, &oc) == 0 &&
	      oc == VIP_DL_OK);
	CHECK(vip_use_download(s, u, d[2], T0 + 180, &oc) == 0 &&
	      oc == VIP_DL_QUOTA);
	CHECK(vip_use_download(s, u, d[1], T0 + 200, &oc) == 0 &&
	      oc == VIP_DL_OK);
	/* T0 is 12:00 in China: 11:59:59 later is still the same day... */
	CHECK(vip_use_download(s, u, d[2], T0 + 12 * 3600 - 1, &oc) == 0 &&
	      oc == VIP_DL_QUOTA);
	/* ...and at midnight China time a new quota begins. */
	CHECK(vip_use_download(s, u, d[2], T0 + 12 * 3600, &oc) == 0 &&
	      oc == VIP_DL_OK);
	/* Not a member: before any period, after expiry, someone else. */
	CHECK(vip_use_download(s, u, d[0], T0 - 1, &oc) == 0 &&
	      oc == VIP_DL_NOT_MEMBER);
	CHECK(vip_use_download(s, u, d[0], T0 + 3 * DAY, &oc) == 0 &&
	      oc == VIP_DL_NOT_MEMBER);
	CHECK(vip_use_download(s, other, d[0], T0, &oc) == 0 &&
	      oc == VIP_DL_NOT_MEMBER);
	/* A grant with a key is given once; the key for another account is
	 * refused; days override the plan's. */
	CHECK(vip_add_period(s, u, plan, 0, "grant", 0, "vipgrant:q", T0,
			     &until, &replayed) == 0 &&
	      replayed && until == T0 + 3 * DAY);
	CHECK(vip_add_period(s, other, plan, 0, "grant", 0, "vipgrant:q", T0,
			     &until, &replayed) == WK_ECONFLICT);
	CHECK(vip_add_period(s, u, plan, 7, "grant", 0, "vipgrant:q2", T0,
			     &until, &replayed) == 0 &&
	      until == T0 + 10 * DAY);
	CHECK(vip_add_period(s, u, plan, 0, "buy", 0, "vipgrant:q3", T0,
			     &until, &replayed) == WK_EINVAL);
	arena_free(a);
	store_close(s);
	rm_tmp(dir);
}

struct quota_run {
	struct store *s;
	int64_t user, doc;
	enum vip_dl_outcome oc;
	int rc;
};

static void *download_once(void *arg)
{
	struct quota_run *q = arg;

	q->rc = vip_use_download(q->s, q->user, q->doc, T0, &q->oc);
	return NULL;
}

TEST(vip_quota_holds_under_concurrent_downloads)
{
	enum { N = 8 };
	char dir[64];
	struct store *s = open_tmp(dir);
	struct store_vip_plan p = { 0, "三篇", "", 30, 10, 3, 0, true, 0 };
	struct quota_run q[N];
	pthread_t th[N];
	int64_t u, prov, plan, until;
	bool replayed;
	int i, ok = 0, over = 0;

	CHECK(s != NULL);
	if (!s)
		return;
	u = add_user(s, "racer");
	prov = add_user(s, "racerprov");
	CHECK(store_vip_plan_add(s, &p, T0, &plan) == 0);
	CHECK(vip_add_period(s, u, plan, 0, "grant", 0, "g:racer", T0, &until,
			     &replayed) == 0);
	for (i = 0; i < N; i++) {
		char t[32];
		snprintf(t, sizeof(t), "race %d", i);
		q[i] = (struct quota_run){ s, u, add_paid_doc(s, t, 5, prov),
					   VIP_DL_NOT_MEMBER, -1 };
	}
	for (i = 0; i < N; i++)
		CHECK(pthread_create(&th[i], NULL, download_once, &q[i]) == 0);
	for (i = 0; i < N; i++) {
		pthread_join(th[i], NULL);
		CHECK(q[i].rc == 0);
		ok += q[i].oc == VIP_DL_OK;
		over += q[i].oc == VIP_DL_QUOTA;
	}
	CHECK(ok == 3 && over == N - 3);
	store_close(s);
	rm_tmp(dir);
}

TEST(vip_discount_on_purchases)
{
	char dir[64], err[256];
	struct store *s = open_tmp(dir);
	struct arena *a = arena_new(0);
	struct ledger_result r;
	enum vip_buy_outcome oc;
	enum buy_outcome boc;
	struct store_doc d;
	int64_t u, prov, id, id2, until, rev0, rev1;

	CHECK(s && a);
	if (!s || !a)
		return;
	CHECK(vip_price(10, 0) == 10 && vip_price(10, 20) == 8 &&
	      vip_price(10, 25) == 8 && vip_price(1, 40) == 1 &&
	      vip_price(100, 90) == 10 && vip_price(100, 95) == 10);
	u = add_user(s, "member");
	prov = add_user(s, "memberprov");
	id = add_paid_doc(s, "member doc", 10, prov);
	id2 = add_paid_doc(s, "member doc 2", 10, prov);
	CHECK(grant(s, u, 1000, "t:m") == 0);
	/* Not a member yet: full price. */
	CHECK(store_doc_get(s, a, id, &d) == 0);
	CHECK(purchase_buy(s, a, u, &d, 70, "licence", T0, &boc, &r) == 0 &&
	      boc == BUY_OK && balance_of(s, u) == 990);
	/* The monthly plan: 20% off. */
	CHECK(vip_buy(s, a, u, 1, "vip:m:1", T0, &oc, &r, &until) == 0 &&
	      oc == VIP_BOUGHT && balance_of(s, u) == 690);
	CHECK(ledger_revenue(s, &rev0) == 0);
	CHECK(store_doc_get(s, a, id2, &d) == 0);
	CHECK(purchase_buy(s, a, u, &d, 70, "licence", T0 + 60, &boc, &r) ==
	      0 && boc == BUY_OK);
	CHECK(balance_of(s, u) == 682);	/* 8 points, not 10 */
	CHECK(balance_of(s, prov) == 7 + 5);	/* 70% of 10, of 8 */
	CHECK(ledger_revenue(s, &rev1) == 0 && rev1 - rev0 == 3);
	CHECK(store_ledger_check(s, err, sizeof(err)) == 0);
	arena_free(a);
	store_close(s);
	rm_tmp(dir);
}

struct vip_redeemer {
	struct store *s;
	int64_t user;
	const char *code;
	enum code_outcome oc;
	int rc;
};

static void *redeem_vip(void *arg)
{
	struct vip_redeemer *r = arg;
	struct arena *a = arena_new(0);
	struct ledger_result lr;

	r->rc = codes_redeem(r->s, a, r->user, r->code, T0, &r->oc, &lr);
	arena_free(a);
	return NULL;
}

TEST(vip_codes_redeem_once)
{
	enum { N = 12 };
	char dir[64], err[256];
	char codes[3][CODE_TEXT];
	struct store *s = open_tmp(dir);
	struct arena *a = arena_new(0);
	struct vip_redeemer rd[N];
	struct ledger_result r;
	struct vip_status st;
	enum code_outcome oc;
	pthread_t th[N];
	int64_t u, v;
	int i, ok = 0, used = 0;

	CHECK(s && a);
	if (!s || !a)
		return;
	u = add_user(s, "vipcode");
	v = add_user(s, "vipcode2");
	CHECK(codes_generate_vip(s, "vipb", 2, 3, T0 + DAY, T0, codes) == 0);
	CHECK(codes_generate_vip(s, "vipb", 77, 1, T0 + DAY, T0, codes) ==
	      WK_ENOTFOUND);
	CHECK(codes_redeem(s, a, u, codes[0], T0, &oc, &r) == 0 &&
	      oc == CODE_VIP && !r.replayed && r.vip_until == T0 + 90 * DAY);
	CHECK(codes_redeem(s, a, u, codes[0], T0 + 9, &oc, &r) == 0 &&
	      oc == CODE_VIP && r.replayed && r.vip_until == T0 + 90 * DAY);
	CHECK(codes_redeem(s, a, v, codes[0], T0, &oc, &r) == 0 &&
	      oc == CODE_USED);
	CHECK(vip_status_of(s, a, u, T0 + DAY, &st) == 0 && st.active &&
	      st.plan.id == 2 && st.plan.discount == 30);
	CHECK(codes_redeem(s, a, v, codes[1], T0 + DAY, &oc, &r) == 0 &&
	      oc == CODE_EXPIRED);
	/* Many accounts at once on one code: one gets the membership. */
	for (i = 0; i < N; i++) {
		char name[24];
		snprintf(name, sizeof(name), "vipracer%d", i);
		rd[i] = (struct vip_redeemer){ s, add_user(s, name), codes[2],
					       CODE_INVALID, -1 };
	}
	for (i = 0; i < N; i++)
		CHECK(pthread_create(&th[i], NULL, redeem_vip, &rd[i]) == 0);
	for (i = 0; i < N; i++) {
		pthread_join(th[i], NULL);
		CHECK(rd[i].rc == 0);
		ok += rd[i].oc == CODE_VIP;
		used += rd[i].oc == CODE_USED;
	}
	CHECK(ok == 1 && used == N - 1);
	CHECK(store_ledger_check(s, err, sizeof(err)) == 0);
	arena_free(a);
	store_close(s);
	rm_tmp(dir);
}

TEST(vip_check_sees_payment_without_period)
{
	char dir[64], err[256];
	struct store *s = open_tmp(dir);
	struct arena *a = arena_new(0);
	struct ledger_result r;
	enum vip_buy_outcome oc;
	int64_t u, until;
	sqlite3 *db;

	CHECK(s && a);
	if (!s || !a)
		return;
	u = add_user(s, "vipcheck");
	CHECK(grant(s, u, 500, "t:c") == 0);
	CHECK(vip_buy(s, a, u, 1, "vip:c:1", T0, &oc, &r, &until) == 0 &&
	      oc == VIP_BOUGHT);
	CHECK(store_ledger_check(s, err, sizeof(err)) == 0);
	db = raw_open(dir);
	CHECK(db && raw_exec(db, "DELETE FROM vip_periods") == SQLITE_OK);
	sqlite3_close(db);
	err[0] = '\0';
	CHECK(store_ledger_check(s, err, sizeof(err)) != 0);
	CHECK(strstr(err, "VIP purchase") != NULL);
	arena_free(a);
	store_close(s);
	rm_tmp(dir);
}

/* The console edits a plan: members keep the quota and discount of the
 * period they have (and what they paid); new periods get the new terms.
 * Every change is audited; bad terms change nothing. */
TEST(vip_plan_edit_keeps_period_terms)
{
	char dir[64];
	struct store *s = open_tmp(dir);
	struct arena *a = arena_new(0);
	struct store_vip_plan p, got;
	struct ledger_result r;
	struct vip_status st;
	enum vip_buy_outcome oc;
	int64_t u, v, until, id;
	int disc;

	CHECK(s && a);
	if (!s || !a)
		return;
	u = add_user(s, "vipedit1");
	v = add_user(s, "vipedit2");
	CHECK(grant(s, u, 1000, "t:e1") == 0 && grant(s, v, 1000, "t:e2") == 0);
	CHECK(vip_buy(s, a, u, 1, "vip:e:1", T0, &oc, &r, &until) == 0 &&
	      oc == VIP_BOUGHT);
	CHECK(store_vip_plan_get(s, a, 1, &p) == 0);
	p.price = 500;
	p.daily_quota = 3;
	p.discount = 50;
	CHECK(vip_plan_update(s, u, &p) == 0);
	CHECK(store_vip_plan_get(s, a, 1, &got) == 0 && got.price == 500 &&
	      got.daily_quota == 3 && got.discount == 50 && got.active);
	/* The member of before: quota 10 and 20% off, 300 paid. */
	CHECK(vip_status_of(s, a, u, T0 + DAY, &st) == 0 && st.active &&
	      st.plan.daily_quota == 10 && st.plan.discount == 20 &&
	      st.left_today == 10);
	CHECK(vip_discount(s, u, T0 + DAY, &disc) == 0 && disc == 20);
	CHECK(balance_of(s, u) == 700);
	/* A new buyer: the new price and terms. */
	CHECK(vip_buy(s, a, v, 1, "vip:e:2", T0, &oc, &r, &until) == 0 &&
	      oc == VIP_BOUGHT);
	CHECK(balance_of(s, v) == 500);
	CHECK(vip_status_of(s, a, v, T0 + DAY, &st) == 0 &&
	      st.plan.daily_quota == 3 && st.plan.discount == 50);
	/* Refused terms: nothing written. */
	p.days = 0;
	CHECK(vip_plan_invalid(&p) && !strcmp(vip_plan_invalid(&p), "days"));
	CHECK(vip_plan_update(s, u, &p) == WK_EINVAL);
	p.days = 30;
	p.name = "";
	CHECK(vip_plan_update(s, u, &p) == WK_EINVAL);
	CHECK(store_vip_plan_get(s, a, 1, &got) == 0 && got.days == 30 &&
	      !strcmp(got.name, "月度VIP"));
	/* Add, off sale, on sale; twice the same is a conflict. */
	memset(&p, 0, sizeof(p));
	p.name = "周卡";
	p.name_en = "Weekly";
	p.days = 7;
	p.price = 90;
	p.daily_quota = 5;
	p.discount = 10;
	p.active = true;
	CHECK(vip_plan_create(s, u, &p, T0, &id) == 0 && id > 3);
	CHECK(vip_plan_set_sale(s, u, id, false) == 0);
	CHECK(vip_plan_set_sale(s, u, id, false) == WK_ECONFLICT);
	CHECK(vip_plan_set_sale(s, u, 999, true) == WK_ENOTFOUND);
	{
		sqlite3 *db = raw_open(dir);
		sqlite3_stmt *q = NULL;
		int n = -1;
		if (db && sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM "
					     "audit_log WHERE object_type = "
					     "'vip_plan' AND before_state "
					     "IS NOT NULL", -1, &q,
					     NULL) == SQLITE_OK &&
		    sqlite3_step(q) == SQLITE_ROW)
			n = sqlite3_column_int(q, 0);
		sqlite3_finalize(q);
		sqlite3_close(db);
		CHECK(n == 3);	/* edit, add, off sale */
	}
	arena_free(a);
	store_close(s);
	rm_tmp(dir);
}
