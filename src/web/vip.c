/*
 * vip.c - VIP membership on the site: the VIP会员 page (plans and the
 * member's status), buying a plan (POST /vip/buy), and the API twins
 * GET /api/v1/vip/plans and POST /api/v1/vip/buy.
 *
 * A purchase's idempotency key is scoped to the account: the page's
 * form carries a random nonce made when it was shown ("vip:u7:f:..."),
 * so a double click or a resent form buys once; the API takes the
 * client's Idempotency-Key header ("vip:u7:k:..."), and without one
 * each call is a new purchase (time adds on).
 */
#include "web_internal.h"

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../base/json.h"
#include "../domain/docs.h"
#include "../domain/ledger.h"
#include "../domain/perm.h"
#include "../domain/vip.h"
#include "../store/store.h"

#include <inttypes.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

#define NONCE_HEX 32
#define CLIENT_KEY_MAX 255

static const char *plan_name(struct page *p, const struct store_vip_plan *pl)
{
	return p->lang == LANG_EN && pl->name_en && *pl->name_en ? pl->name_en
								 : pl->name;
}

int web_vip_page(struct page *p)
{
	static const struct {
		const char *q, *key, *cls;
	} notes[] = {
		{ "ok", "vip_buy_ok", "notice-ok" },
		{ "short", "vip_buy_short", "error" },
		{ "gone", "vip_buy_gone", "error" },
		{ "code", "redeem_vip", "notice-ok" },
	};
	struct web_app *app = p->app;
	struct store_vip_plan *plans;
	struct vip_status st;
	struct tpl_val *list, *me;
	int64_t now = (int64_t)time(NULL), balance = 0;
	const char *q = http_query(p->rq, "vip");
	unsigned char rnd[NONCE_HEX / 2];
	char nonce[NONCE_HEX + 1];
	size_t n, i;
	int rc;

	if ((rc = store_vip_plans(app->store, p->a, true, &plans, &n)))
		return rc;
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(nonce, sizeof(nonce), rnd, sizeof(rnd));
	list = tv_set(p->a, p->ctx, "plans", tv_list(p->a));
	for (i = 0; i < n; i++) {
		struct tpl_val *m = tv_push(p->a, list, tv_map(p->a));

		tv_set_int(p->a, m, "id", plans[i].id);
		tv_set_str(p->a, m, "name", plan_name(p, &plans[i]));
		tv_set_int(p->a, m, "days", plans[i].days);
		tv_set_int(p->a, m, "price", plans[i].price);
		tv_set_int(p->a, m, "quota", plans[i].daily_quota);
		tv_set_int(p->a, m, "discount", plans[i].discount);
		tv_set_int(p->a, m, "pays",
			   100 - plans[i].discount);	/* percent paid */
		tv_set_str(p->a, m, "nonce", nonce);
	}
	if (p->user.id) {
		if ((rc = vip_status_of(app->store, p->a, p->user.id, now,
					&st)) ||
		    (rc = ledger_balance(app->store, p->user.id, &balance)))
			return rc;
		me = tv_set(p->a, p->ctx, "member", tv_map(p->a));
		tv_set_bool(p->a, me, "active", st.active);
		tv_set_bool(p->a, me, "expired", !st.active && st.until);
		tv_set_bool(p->a, me, "never", !st.until);
		tv_set_int(p->a, me, "balance", balance);
		if (st.until)
			tv_set_str(p->a, me, "until",
				   web_when(p->a, st.until));
		if (st.active) {
			tv_set_str(p->a, me, "plan", plan_name(p, &st.plan));
			tv_set_int(p->a, me, "quota", st.plan.daily_quota);
			tv_set_int(p->a, me, "left", st.left_today);
			tv_set_int(p->a, me, "discount", st.plan.discount);
		}
	}
	for (i = 0; q && i < sizeof(notes) / sizeof(notes[0]); i++)
		if (!strcmp(q, notes[i].q)) {
			tv_set_str(p->a, p->ctx, "vip_notice",
				   page_t(p, notes[i].key));
			tv_set_str(p->a, p->ctx, "vip_class", notes[i].cls);
		}
	return 0;
}

/* Buy plan_id for u under key: 0 with *oc, *r and *until, or an HTTP
 * status. */
static int buy(struct web_app *app, struct http_req *rq,
	       const struct auth_user *u, int64_t plan_id, const char *key,
	       enum vip_buy_outcome *oc, struct ledger_result *r,
	       int64_t *until)
{
	int rc;

	if (!perm_can(u, PERM_PROFILE_EDIT, u->id))
		return 403;	/* suspended */
	rc = vip_buy(app->store, rq->arena, u->id, plan_id, key,
		     (int64_t)time(NULL), oc, r, until);
	return rc ? web_status(rc) : 0;
}

static bool hex_nonce(const char *s)
{
	size_t i;

	if (!s || strlen(s) != NONCE_HEX)
		return false;
	for (i = 0; i < NONCE_HEX; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

int web_vip_buy(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct web_app *app = ctx;
	enum vip_buy_outcome oc;
	struct ledger_result r;
	struct auth_user u;
	const char *tok, *nonce = http_form(rq, "nonce"), *key;
	int64_t plan, until;
	int status;

	if (!web_post_ok(app, rq))
		return 403;
	web_user(app, rq, &u, &tok);
	if (!u.id)
		return web_redirect(rs, "/login?next=/vip");
	if (docs_parse_id(http_form(rq, "plan"), &plan) || !hex_nonce(nonce))
		return 400;
	key = arena_sprintf(rq->arena, "vip:u%" PRId64 ":f:%s", u.id, nonce);
	if (!key)
		return 500;
	status = buy(app, rq, &u, plan, key, &oc, &r, &until);
	if (status == 409)	/* the nonce of another plan's form */
		return web_redirect(rs, "/vip?vip=gone#plans");
	if (status)
		return status;
	return web_redirect(rs, oc == VIP_BOUGHT  ? "/vip?vip=ok"
			       : oc == VIP_SHORT ? "/vip?vip=short#plans"
						 : "/vip?vip=gone#plans");
}

/* A member's status as JSON members of an open object. */
static void status_json(struct buf *b, const struct vip_status *st)
{
	buf_addf(b, "\"active\":%s,\"until\":%" PRId64,
		 st->active ? "true" : "false", st->until);
	if (st->active)
		buf_addf(b, ",\"plan\":%" PRId64 ",\"daily_quota\":%d,"
			    "\"left_today\":%d,\"discount\":%d",
			 st->plan.id, st->plan.daily_quota, st->left_today,
			 st->plan.discount);
}

int web_api_vip_plans(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct web_app *app = ctx;
	struct store_vip_plan *plans;
	struct vip_status st;
	struct auth_user u;
	struct buf *b = &rs->body;
	const char *tok;
	size_t n, i;
	bool bearer;
	int rc;

	if (!web_api_user(app, rq, rs, &u, &bearer, &tok))
		return 0;
	if ((rc = store_read_begin(app->store)))
		return web_api_fail(rs, 503, "unavailable");
	rc = store_vip_plans(app->store, rq->arena, true, &plans, &n);
	if (!rc)
		rc = vip_status_of(app->store, rq->arena, u.id,
				   (int64_t)time(NULL), &st);
	store_read_end(app->store);
	if (rc)
		return web_api_fail(rs, 500, "error");
	buf_reset(b);
	buf_adds(b, "{\"plans\":[");
	for (i = 0; i < n; i++) {
		buf_addf(b, "%s{\"id\":%" PRId64 ",\"name\":", i ? "," : "",
			 plans[i].id);
		json_cstr(b, plans[i].name);
		buf_adds(b, ",\"name_en\":");
		json_cstr(b, plans[i].name_en);
		buf_addf(b, ",\"days\":%d,\"price\":%" PRId64
			    ",\"daily_quota\":%d,\"discount\":%d}",
			 plans[i].days, plans[i].price, plans[i].daily_quota,
			 plans[i].discount);
	}
	buf_adds(b, "]");
	if (u.id) {
		buf_adds(b, ",\"member\":{");
		status_json(b, &st);
		buf_adds(b, "}");
	}
	buf_adds(b, "}\n");
	return web_api_json(rs, 200, b);
}

static bool client_key_ok(const char *k)
{
	size_t n = k ? strlen(k) : 0, i;

	if (n < 1 || n > CLIENT_KEY_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (k[i] < 0x21 || k[i] > 0x7e)
			return false;
	return true;
}

static int api_vip_buy(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct web_app *app = ctx;
	enum vip_buy_outcome oc;
	struct ledger_result r;
	struct vip_status st;
	struct auth_user u;
	struct buf *b = &rs->body;
	const char *ck = http_header(rq, "Idempotency-Key"), *key;
	int64_t plan, until;
	int status, rc;

	if (!web_api_session(app, rq, rs, &u))
		return 0;
	if (json_object_int(rq->body.data ? rq->body.data : "", rq->body.len,
			    "plan", &plan) ||
	    plan <= 0)
		return web_api_fail(rs, 400, "bad_request");
	if (ck) {
		if (!client_key_ok(ck))
			return web_api_fail(rs, 400, "bad_idempotency_key");
		key = arena_sprintf(rq->arena, "vip:u%" PRId64 ":k:%s", u.id,
				    ck);
	} else {
		unsigned char rnd[16];
		char hex[33];

		randombytes_buf(rnd, sizeof(rnd));
		sodium_bin2hex(hex, sizeof(hex), rnd, sizeof(rnd));
		key = arena_sprintf(rq->arena, "vip:u%" PRId64 ":r:%s", u.id,
				    hex);
	}
	if (!key)
		return web_api_fail(rs, 500, "error");
	status = buy(app, rq, &u, plan, key, &oc, &r, &until);
	if (status)
		return web_api_fail(rs, status,
				    status == 409   ? "idempotency_key_reused"
				    : status == 403 ? "forbidden"
						    : "error");
	if (oc == VIP_NO_PLAN)
		return web_api_fail(rs, 404, "no_such_plan");
	if (oc == VIP_SHORT)
		return web_api_fail(rs, 402, "insufficient_points");
	if ((rc = vip_status_of(app->store, rq->arena, u.id,
				(int64_t)time(NULL), &st)))
		return web_api_fail(rs, 500, "error");
	buf_reset(b);
	buf_addf(b, "{\"tx\":%" PRId64 ",\"balance\":%" PRId64
		    ",\"replayed\":%s,\"until\":%" PRId64 ",\"member\":{",
		 r.tx, r.balance, r.replayed ? "true" : "false", until);
	status_json(b, &st);
	buf_adds(b, "}}\n");
	return web_api_json(rs, 200, b);
}

/* The purchase is once per key by its ledger key already; the wrapper
 * also makes every retry's reply the first one, byte for byte. */
int web_api_vip_buy(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	return web_idempotent(rq, rs, ctx, true, api_vip_buy);
}
