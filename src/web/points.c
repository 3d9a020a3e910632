/*
 * points.c - points on the site: the registration bonus, the daily
 * sign-in (POST /me/signin, POST /api/v1/me/signin), redemption codes
 * (POST /me/redeem, POST /api/v1/codes/redeem), and the balance with its
 * history on the account page and at GET /api/v1/me/ledger.
 *
 * Every movement goes through the ledger (domain/ledger.c) under an
 * idempotency key naming what it is for, so a double click, a retry or
 * two tabs give a reward once.
 */
#include "web_internal.h"

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../base/json.h"
#include "../base/log.h"
#include "../domain/auth.h"
#include "../domain/codes.h"
#include "../domain/ledger.h"
#include "../domain/payments.h"
#include "../domain/perm.h"
#include "../domain/vip.h"
#include "../store/store.h"

#include <inttypes.h>
#include <string.h>
#include <time.h>

#define HISTORY_MAX 100	/* postings shown on /me and in the API */
/* Code guessing: attempts (right or wrong) per hour. */
#define REDEEM_PER_ACCOUNT 20
#define REDEEM_PER_IP 60

void web_reward_register(struct web_app *app, struct http_req *rq,
			 int64_t user_id)
{
	struct ledger_result r;
	int rc = ledger_reward_register(app->store, rq->arena, user_id,
					web_cfg(app)->reward_register, &r);
	if (rc)
		log_warn("registration bonus for user %" PRId64 " failed: %s",
			 user_id, wk_strerror(rc));
}

/* The i18n key naming what a posting was for, or NULL to show the memo. */
static const char *memo_key(const char *memo)
{
	if (!strcmp(memo, LEDGER_MEMO_REGISTER))
		return "points_for_register";
	if (!strcmp(memo, LEDGER_MEMO_SIGNIN))
		return "points_for_signin";
	if (!strcmp(memo, "redeem:code"))
		return "points_for_code";
	if (!strcmp(memo, LEDGER_MEMO_COMMENT))
		return "points_for_comment";
	if (!strcmp(memo, LEDGER_MEMO_REVOKE_COMMENT))
		return "points_for_comment_revoked";
	if (!strcmp(memo, LEDGER_MEMO_UPLOAD))
		return "points_for_upload";
	if (!strcmp(memo, LEDGER_MEMO_REVOKE_UPLOAD))
		return "points_for_upload_revoked";
	if (!strcmp(memo, LEDGER_MEMO_TOPUP))
		return "points_for_topup";
	if (!strncmp(memo, "vip:", 4))
		return "points_for_vip";
	return NULL;
}

const char *web_when(struct arena *a, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char s[32];

	localtime_r(&tt, &tm);
	strftime(s, sizeof(s), "%Y-%m-%d %H:%M", &tm);
	return arena_strdup(a, s);
}

int web_me_points(struct page *p)
{
	struct store_ledger_entry *e;
	struct tpl_val *list;
	int64_t balance;
	size_t n, i;
	int rc;

	if ((rc = ledger_balance(p->app->store, p->user.id, &balance)) ||
	    (rc = store_ledger_history(p->app->store, p->a, p->user.id,
				       HISTORY_MAX, &e, &n)))
		return rc;
	tv_set_int(p->a, p->ctx, "balance", balance);
	{
		struct vip_status st;
		struct tpl_val *v;

		if ((rc = vip_status_of(p->app->store, p->a, p->user.id,
					(int64_t)time(NULL), &st)))
			return rc;
		v = tv_set(p->a, p->ctx, "vip", tv_map(p->a));
		tv_set_bool(p->a, v, "active", st.active);
		if (st.until)
			tv_set_str(p->a, v, "until", web_when(p->a, st.until));
		if (st.active) {
			tv_set_str(p->a, v, "plan",
				   p->lang == LANG_EN && *st.plan.name_en
					   ? st.plan.name_en
					   : st.plan.name);
			tv_set_int(p->a, v, "left", st.left_today);
		}
	}
	{
		struct store_mine *m;
		struct tpl_val *l;
		size_t k, j;

		if ((rc = store_purchases_of(p->app->store, p->a, p->user.id,
					     HISTORY_MAX, &m, &k)))
			return rc;
		tv_set_bool(p->a, p->ctx, "has_purchases", k > 0);
		l = tv_set(p->a, p->ctx, "purchases", tv_list(p->a));
		for (j = 0; j < k; j++) {
			struct tpl_val *x = tv_push(p->a, l, tv_map(p->a));
			tv_set_int(p->a, x, "doc", m[j].doc_id);
			tv_set_str(p->a, x, "title", m[j].title);
			tv_set_int(p->a, x, "price", m[j].amount);
			tv_set_str(p->a, x, "when", web_when(p->a, m[j].created_at));
			/* The licence of this purchase, not today's. */
			tv_set_str(p->a, x, "license", m[j].license_text);
		}
		if ((rc = store_downloads_of(p->app->store, p->a, p->user.id,
					     HISTORY_MAX, &m, &k)))
			return rc;
		tv_set_bool(p->a, p->ctx, "has_downloads", k > 0);
		l = tv_set(p->a, p->ctx, "downloads", tv_list(p->a));
		for (j = 0; j < k; j++) {
			struct tpl_val *x = tv_push(p->a, l, tv_map(p->a));
			char mark[TRACE_MARK_MAX];

			trace_mark(p->app->trace_key, m[j].id, mark);
			tv_set_int(p->a, x, "doc", m[j].doc_id);
			tv_set_str(p->a, x, "title", m[j].title);
			tv_set_str(p->a, x, "mark", arena_strdup(p->a, mark));
			tv_set_str(p->a, x, "when", web_when(p->a, m[j].created_at));
		}
	}
	tv_set_bool(p->a, p->ctx, "signin_on", web_cfg(p->app)->reward_signin > 0);
	tv_set_int(p->a, p->ctx, "signin_reward", web_cfg(p->app)->reward_signin);
	list = tv_set(p->a, p->ctx, "history", tv_list(p->a));
	for (i = 0; i < n; i++) {
		struct tpl_val *m = tv_push(p->a, list, tv_map(p->a));
		const char *k = memo_key(e[i].memo);

		tv_set_str(p->a, m, "when", web_when(p->a, e[i].created_at));
		tv_set_str(p->a, m, "what", k ? page_t(p, k) : e[i].memo);
		tv_set_str(p->a, m, "amount",
			   arena_sprintf(p->a, "%+" PRId64, e[i].amount));
		tv_set_bool(p->a, m, "in", e[i].amount > 0);
	}
	return 0;
}

/* Today's sign-in for u: 0 with *r and *already, or an HTTP status. */
static int do_signin(struct web_app *app, struct http_req *rq,
		     const struct auth_user *u, struct ledger_result *r,
		     bool *already)
{
	int rc;

	if (!perm_can(u, PERM_PROFILE_EDIT, u->id))
		return 403;
	if (web_cfg(app)->reward_signin <= 0)
		return 404;	/* sign-in is off */
	rc = ledger_signin(app->store, rq->arena, u->id, (int64_t)time(NULL),
			   web_cfg(app)->reward_signin, r, already);
	return rc ? web_status(rc) : 0;
}

int web_me_signin(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct web_app *app = ctx;
	struct ledger_result r;
	struct auth_user u;
	const char *tok;
	bool already;
	int status;

	if (!web_post_ok(app, rq))
		return 403;
	web_user(app, rq, &u, &tok);
	if (!u.id)
		return web_redirect(rs, "/login?next=/me");
	if ((status = do_signin(app, rq, &u, &r, &already)))
		return status;
	return web_redirect(rs, already ? "/me?signin=again" : "/me?signin=ok");
}

int web_api_signin(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct web_app *app = ctx;
	struct ledger_result r;
	struct auth_user u;
	struct buf *b = &rs->body;
	bool already;
	int status;

	if (!web_api_session(app, rq, rs, &u))
		return 0;
	if ((status = do_signin(app, rq, &u, &r, &already)))
		return web_api_fail(rs, status, status == 404 ? "signin_off"
					    : status == 403 ? "forbidden"
							    : "error");
	buf_reset(b);
	buf_addf(b, "{\"already\":%s,\"reward\":%d,\"balance\":%" PRId64 "}\n",
		 already ? "true" : "false",
		 already ? 0 : web_cfg(app)->reward_signin, r.balance);
	return web_api_json(rs, 200, b);
}

int web_api_ledger(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct web_app *app = ctx;
	struct store_ledger_entry *e;
	struct auth_user u;
	struct buf *b = &rs->body;
	const char *tok;
	int64_t balance;
	size_t n, i;
	bool bearer;
	int rc;

	if (!web_api_user(app, rq, rs, &u, &bearer, &tok))
		return 0;
	if (!u.id)
		return web_api_fail(rs, 401, "not_signed_in");
	if ((rc = store_read_begin(app->store)))
		return web_api_fail(rs, 500, "error");
	rc = ledger_balance(app->store, u.id, &balance);
	if (!rc)
		rc = store_ledger_history(app->store, rq->arena, u.id,
					  HISTORY_MAX, &e, &n);
	store_read_end(app->store);
	if (rc)
		return web_api_fail(rs, 500, "error");
	buf_reset(b);
	buf_addf(b, "{\"balance\":%" PRId64 ",\"entries\":[", balance);
	for (i = 0; i < n; i++) {
		buf_addf(b, "%s{\"tx\":%" PRId64 ",\"at\":%" PRId64
			    ",\"amount\":%" PRId64 ",\"kind\":",
			 i ? "," : "", e[i].tx, e[i].created_at, e[i].amount);
		json_cstr(b, e[i].kind);
		buf_adds(b, ",\"memo\":");
		json_cstr(b, e[i].memo);
		buf_addc(b, '}');
	}
	buf_adds(b, "]}\n");
	return web_api_json(rs, 200, b);
}

/* 200 {"tx":N,"balance":M,"replayed":bool} for a posted (or replayed)
 * ledger operation. */
static int reply_tx(struct http_resp *rs, const struct ledger_result *r)
{
	buf_reset(&rs->body);
	buf_addf(&rs->body, "{\"tx\":%" PRId64 ",\"balance\":%" PRId64
			    ",\"replayed\":%s}\n",
		 r->tx, r->balance, r->replayed ? "true" : "false");
	return web_api_json(rs, 200, &rs->body);
}

/* Redeem typed for u: 0 with *outcome and *r, or an HTTP status (429
 * with *retry set when over the guessing limit). */
static int do_redeem(struct web_app *app, struct http_req *rq,
		     const struct auth_user *u, const char *typed,
		     enum code_outcome *outcome, struct ledger_result *r,
		     unsigned *retry)
{
	int rc;

	*retry = 0;
	if (!perm_can(u, PERM_PROFILE_EDIT, u->id))
		return 403;
	if (auth_allow(app->auth, "redeem", u->id, REDEEM_PER_ACCOUNT, 3600,
		       retry) ||
	    auth_allow_ip(app->auth, "redeem", rq->ip, REDEEM_PER_IP, 3600,
			  retry))
		return 429;
	rc = codes_redeem(app->store, rq->arena, u->id, typed,
			  (int64_t)time(NULL), outcome, r);
	return rc ? web_status(rc) : 0;
}

int web_me_redeem(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct web_app *app = ctx;
	enum code_outcome oc;
	struct ledger_result r;
	struct auth_user u;
	const char *tok;
	unsigned retry;
	int status;

	if (!web_post_ok(app, rq))
		return 403;
	web_user(app, rq, &u, &tok);
	if (!u.id)
		return web_redirect(rs, "/login?next=/me");
	status = do_redeem(app, rq, &u, http_form(rq, "code"), &oc, &r, &retry);
	if (status == 429)
		return web_redirect(rs, "/me?redeem=limited#redeem");
	if (status)
		return status;
	return web_redirect(rs, oc == CODE_OK	     ? "/me?redeem=ok#points"
			       : oc == CODE_VIP     ? "/vip?vip=code#status"
			       : oc == CODE_EXPIRED ? "/me?redeem=expired#redeem"
			       : oc == CODE_USED    ? "/me?redeem=used#redeem"
						    : "/me?redeem=invalid#redeem");
}

static int api_redeem(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	static const char *const codes[] = { "ok", "invalid_code", "expired",
					     "already_redeemed", "ok" };
	struct web_app *app = ctx;
	enum code_outcome oc;
	struct ledger_result r;
	struct auth_user u;
	struct buf code;
	unsigned retry;
	int status;

	if (!web_api_session(app, rq, rs, &u))
		return 0;
	buf_init(&code, 64);
	if (json_object_string(rq->body.data ? rq->body.data : "",
			       rq->body.len, "code", &code)) {
		buf_release(&code);
		return web_api_fail(rs, 400, "invalid_code");
	}
	status = do_redeem(app, rq, &u, buf_str(&code), &oc, &r, &retry);
	buf_release(&code);
	if (status == 429) {
		http_resp_header(rs, "Retry-After",
				 arena_sprintf(rq->arena, "%u",
					       retry ? retry : 60));
		return web_api_fail(rs, 429, "rate_limited");
	}
	if (status)
		return web_api_fail(rs, status, "forbidden");
	if (oc == CODE_VIP) {
		buf_reset(&rs->body);
		buf_addf(&rs->body, "{\"vip_until\":%" PRId64
				    ",\"balance\":%" PRId64 ",\"replayed\":%s}\n",
			 r.vip_until, r.balance, r.replayed ? "true" : "false");
		return web_api_json(rs, 200, &rs->body);
	}
	if (oc != CODE_OK)
		return web_api_fail(rs, oc == CODE_USED ? 409
					: oc == CODE_EXPIRED ? 410
							     : 404,
				    codes[oc]);
	return reply_tx(rs, &r);
}

int web_api_redeem(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	return web_idempotent(rq, rs, ctx, true, api_redeem);
}

/* POST /api/v1/payments/notify: server to server, authenticated by the
 * body's HMAC (payments.h), so no session and no CSRF. */
int web_api_payment_notify(struct http_req *rq, struct http_resp *rs,
			   void *ctx)
{
	struct web_app *app = ctx;
	const char *secret = web_cfg(app)->payment_secret;
	const char *body = rq->body.data ? rq->body.data : "";
	struct ledger_result r;
	int rc;

	if (!secret || strlen(secret) < PAYMENTS_MIN_SECRET)
		return web_api_fail(rs, 404, "payments_off");
	if (rq->body.len > PAYMENTS_MAX_BODY)
		return web_api_fail(rs, 413, "too_large");
	if (!payments_signature_ok(secret, body, rq->body.len,
				   http_header(rq, "X-Wenku-Signature"))) {
		log_warn("payment notification with a bad signature from %s",
			 rq->ip);
		return web_api_fail(rs, 401, "bad_signature");
	}
	rc = payments_credit(app->store, rq->arena, body, rq->body.len, &r);
	if (rc)
		return web_api_fail(rs, rc == WK_EINVAL	     ? 400
					: rc == WK_ENOTFOUND ? 404
					: rc == WK_ECONFLICT ? 409
							     : 500,
				    rc == WK_EINVAL	 ? "bad_request"
				    : rc == WK_ENOTFOUND ? "no_such_user"
				    : rc == WK_ECONFLICT ? "payment_id_reused"
							 : "error");
	return reply_tx(rs, &r);
}
