/*
 * auth.c - signing up, in and out, the account page, and the forms that
 * need an account (comments). Every POST here checks the same-site
 * Origin and the CSRF token first; permissions come from perm_can().
 */
#include "web_internal.h"

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../base/json.h"
#include "../base/log.h"
#include "../base/utf8.h"
#include "../domain/comments.h"
#include "../domain/docs.h"
#include "../domain/ledger.h"
#include "../domain/perm.h"
#include "../domain/sandbox.h"
#include "../store/store.h"
#include "cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <strings.h>

#define SESSION_COOKIE "wk_session"
#define SECURE_SESSION_COOKIE "__Host-wk_session"
#define PRE_COOKIE "wk_pre"
#define COMMENT_MAX_CHARS 2000
#define COMMENTS_PER_MINUTE 5
#define AVATAR_SIZE 128

static const char *cookie_name(struct http_req *rq)
{
	return http_is_https(rq) ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
}

void web_user(struct web_app *app, struct http_req *rq,
	      struct auth_user *out, const char **token)
{
	const char *t = http_cookie(rq, cookie_name(rq));

	memset(out, 0, sizeof(*out));
	*token = NULL;
	if (!t || strlen(t) != AUTH_TOKEN_HEX - 1)
		return;
	if (auth_session(app->auth, rq->arena, t, out) == 0)
		*token = t;
	else
		memset(out, 0, sizeof(*out));
}

bool web_api_user(struct web_app *app, struct http_req *rq,
		  struct http_resp *rs, struct auth_user *u, bool *bearer,
		  const char **token)
{
	const char *authz = http_header(rq, "Authorization");

	*bearer = false;
	*token = NULL;
	if (!authz || strncasecmp(authz, "Bearer ", 7)) {
		web_user(app, rq, u, token);
		return true;
	}
	memset(u, 0, sizeof(*u));
	if (auth_token_user(app->auth, rq->arena, authz + 7, u)) {
		memset(u, 0, sizeof(*u));
		web_api_fail(rs, 401, "bad_token");
		return false;
	}
	*bearer = true;
	return true;
}

bool web_api_session(struct web_app *app, struct http_req *rq,
		     struct http_resp *rs, struct auth_user *u)
{
	const char *tok;
	bool bearer;

	if (!web_api_user(app, rq, rs, u, &bearer, &tok))
		return false;
	if (!u->id) {
		web_api_fail(rs, 401, "not_signed_in");
		return false;
	}
	if (bearer)
		return true;	/* no cookie: nothing to forge */
	if (!auth_csrf_ok(app->auth, tok, http_header(rq, "X-CSRF-Token"))) {
		web_api_fail(rs, 403, "forbidden");
		return false;
	}
	return true;
}

/* The cookie attributes: HttpOnly and SameSite=Lax always; Secure (and
 * the __Host- name) behind an HTTPS proxy. */
static const char *cookie(struct http_req *rq, const char *name,
			  const char *value, long max_age)
{
	return arena_sprintf(rq->arena, "%s=%s; Path=/; Max-Age=%ld; "
				      "HttpOnly; SameSite=Lax%s",
			     name, value, max_age,
			     http_is_https(rq) ? "; Secure" : "");
}

static void set_session(struct http_req *rq, struct http_resp *rs,
			const char *token)
{
	http_resp_header(rs, "Set-Cookie",
			 cookie(rq, cookie_name(rq), token, 30L * 86400));
}

static void clear_session(struct http_req *rq, struct http_resp *rs)
{
	http_resp_header(rs, "Set-Cookie", cookie(rq, cookie_name(rq), "", 0));
}

int web_redirect(struct http_resp *rs, const char *path)
{
	rs->status = 303;
	http_resp_header(rs, "Location", path);
	http_resp_header(rs, "Cache-Control", "no-store");
	rs->content_type = "text/plain; charset=utf-8";
	return 0;
}

/* A safe place to go back to: a local path, not "//host". */
static const char *local_path(const char *p, const char *fallback)
{
	if (!p || p[0] != '/' || p[1] == '/' || p[1] == '\\' ||
	    strpbrk(p, "\r\n") || strlen(p) > 512)
		return fallback;
	return p;
}

/* Origin (or, without it, Referer) must name this host when sent. */
static bool same_origin(struct http_req *rq)
{
	const char *host = http_header(rq, "Host");
	const char *o = http_header(rq, "Origin");
	const char *site = http_header(rq, "Sec-Fetch-Site");
	const char *h;

	if (site && strcmp(site, "same-origin") && strcmp(site, "none"))
		return false;
	if (!o)
		o = http_header(rq, "Referer");
	if (!o)
		return true;	/* old clients: the CSRF token decides */
	if (!host)
		return false;
	h = strstr(o, "://");
	if (!h)
		return false;
	h += 3;
	return !strncasecmp(h, host, strlen(host)) &&
	       (h[strlen(host)] == '\0' || h[strlen(host)] == '/');
}

bool web_post_ok(struct web_app *app, struct http_req *rq)
{
	const char *token = http_cookie(rq, cookie_name(rq));
	const char *given = http_form(rq, "csrf");

	if (!same_origin(rq) || !given)
		return false;
	if (token && auth_csrf_ok(app->auth, token, given))
		return true;
	token = http_cookie(rq, PRE_COOKIE);
	return token && strlen(token) == AUTH_TOKEN_HEX - 1 &&
	       auth_csrf_ok(app->auth, token, given);
}

/* The pre-session cookie of a visitor (set when missing), and the CSRF
 * token of the forms on this page. */
static const char *pre_csrf(struct web_app *app, struct http_req *rq,
			    struct http_resp *rs)
{
	const char *pre = http_cookie(rq, PRE_COOKIE);
	char fresh[AUTH_TOKEN_HEX], *csrf;

	if (!pre || strlen(pre) != AUTH_TOKEN_HEX - 1) {
		auth_random_token(fresh);
		pre = arena_strdup(rq->arena, fresh);
		http_resp_header(rs, "Set-Cookie",
				 cookie(rq, PRE_COOKIE, pre, 86400));
	}
	csrf = arena_alloc(rq->arena, 33);
	if (csrf)
		auth_csrf(app->auth, pre, csrf);
	return csrf;
}

const char *web_pre_csrf(struct web_app *app, struct http_req *rq,
			 struct http_resp *rs)
{
	return pre_csrf(app, rq, rs);
}

static const char *reason_key(enum auth_reason why)
{
	switch (why) {
	case AR_NAME_INVALID: return "auth_name_invalid";
	case AR_NAME_TAKEN: return "auth_name_taken";
	case AR_PW_TOO_SHORT: return "auth_pw_short";
	case AR_PW_TOO_LONG: return "auth_pw_long";
	case AR_PW_INVALID: return "auth_pw_invalid";
	case AR_PW_COMMON: return "auth_pw_common";
	case AR_PW_SAME_AS_NAME: return "auth_pw_same";
	case AR_RATE_LIMITED: return "auth_rate_limited";
	case AR_SUSPENDED: return "auth_suspended";
	case AR_DISPLAY_INVALID: return "auth_display_invalid";
	case AR_EMAIL_INVALID: return "auth_email_invalid";
	case AR_BAD_CREDENTIALS:
	case AR_OK: break;
	}
	return "auth_bad_credentials";
}

/* Render the sign-in or sign-up form, with an error message when why is
 * not AR_OK. */
static int auth_form(struct http_req *rq, struct http_resp *rs,
		     struct web_app *app, const char *tpl, const char *title,
		     enum auth_reason why, int status)
{
	struct page p;
	int rc;

	if ((rc = page_begin(&p, app, rq, NULL, tpl[0] == 'l' ? "/login"
							     : "/register")))
		return web_status(rc);
	tv_set_str(p.a, p.ctx, "title", page_t(&p, title));
	tv_set_str(p.a, p.ctx, "form_csrf", pre_csrf(app, rq, rs));
	tv_set_str(p.a, p.ctx, "next",
		   local_path(http_query(rq, "next") ? http_query(rq, "next")
						     : http_form(rq, "next"),
			      "/"));
	tv_set_str(p.a, p.ctx, "name", http_form(rq, "name"));
	if (why != AR_OK)
		tv_set_str(p.a, p.ctx, "error", page_t(&p, reason_key(why)));
	rc = page_render(&p, rs, tpl);
	rs->status = status;
	http_resp_header(rs, "Cache-Control", "no-store");
	return rc;
}

int web_login_form(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	return auth_form(rq, rs, ctx, "login", "login", AR_OK, 200);
}

/* registration closed: sign-up refused on the page (403, saying so);
 * accounts are then made with `wenku user add`. */
static int registration_closed(struct http_req *rq, struct http_resp *rs,
			       struct web_app *app)
{
	return web_message(rq, rs, app, 403, "register",
			   "auth_registration_closed");
}

int web_register_form(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct web_app *app = ctx;

	if (!web_cfg(app)->registration_open)
		return registration_closed(rq, rs, app);
	return auth_form(rq, rs, ctx, "register", "register", AR_OK, 200);
}

int web_login(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct web_app *app = ctx;
	enum auth_reason why = AR_OK;
	char token[AUTH_TOKEN_HEX];
	unsigned retry = 0;
	int rc;

	if (!web_post_ok(app, rq))
		return 403;
	rc = auth_login(app->auth, http_form(rq, "name"),
			http_form(rq, "password"), rq->ip,
			http_header(rq, "User-Agent"), token, &why, &retry);
	if (rc) {
		if (why == AR_RATE_LIMITED) {
			char *ra = arena_sprintf(rq->arena, "%u",
						 retry ? retry : 60);
			http_resp_header(rs, "Retry-After", ra);
			return auth_form(rq, rs, app, "login", "login", why,
					 429);
		}
		return auth_form(rq, rs, app, "login", "login", why, 403);
	}
	set_session(rq, rs, token);
	return web_redirect(rs, local_path(http_form(rq, "next"), "/"));
}

int web_register(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct web_app *app = ctx;
	enum auth_reason why = AR_OK;
	char token[AUTH_TOKEN_HEX];
	const char *name = http_form(rq, "name");
	const char *pw = http_form(rq, "password");
	int64_t id;
	int rc;

	if (!web_post_ok(app, rq))
		return 403;
	if (!web_cfg(app)->registration_open)
		return registration_closed(rq, rs, app);
	if (!pw || !http_form(rq, "password2") ||
	    strcmp(pw, http_form(rq, "password2")))
		return auth_form(rq, rs, app, "register", "register",
				 AR_PW_INVALID, 400);
	rc = auth_register(app->auth, name, http_form(rq, "display_name"),
			   http_form(rq, "email"), pw, "reader", rq->ip, &id,
			   &why);
	if (rc)
		return auth_form(rq, rs, app, "register", "register", why,
				 why == AR_RATE_LIMITED ? 429 : 400);
	web_reward_register(app, rq, id);
	if (auth_start_session(app->auth, id, rq->ip,
			       http_header(rq, "User-Agent"), token))
		return web_redirect(rs, "/login");
	set_session(rq, rs, token);
	return web_redirect(rs, local_path(http_form(rq, "next"), "/"));
}

int web_logout(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct web_app *app = ctx;
	const char *token = http_cookie(rq, cookie_name(rq));

	if (!web_post_ok(app, rq))
		return 403;
	if (token)
		auth_logout(app->auth, token);
	clear_session(rq, rs);
	return web_redirect(rs, "/");
}

/* ---- the account page ------------------------------------------------------*/

/* The page with msg_key as a notice, or as an error when error. */
static int me_page_msg(struct http_req *rq, struct http_resp *rs,
		       struct web_app *app, const char *msg_key, bool error,
		       int status)
{
	struct store_account acc;
	struct page p;
	int rc;

	if ((rc = page_begin(&p, app, rq, NULL, "/me")))
		return web_status(rc);
	if (!p.user.id)
		return web_redirect(rs, "/login?next=/me");
	if ((rc = store_account_get(app->store, p.a, p.user.id, &acc)))
		return web_status(rc);
	tv_set_str(p.a, p.ctx, "title", page_t(&p, "my_account"));
	if (msg_key)
		tv_set_str(p.a, p.ctx, error ? "error" : "notice",
			   page_t(&p, msg_key));
	{
		struct store_user u;
		if (store_user_get(app->store, p.a, p.user.id, &u) == 0) {
			tv_set_str(p.a, p.ctx, "bio", u.bio);
			tv_set_bool(p.a, p.ctx, "has_avatar", u.avatar != NULL);
		}
	}
	if ((rc = web_me_points(&p)))
		return web_status(rc);
	rc = page_render(&p, rs, "me");
	rs->status = status;
	http_resp_header(rs, "Cache-Control", "no-store");
	return rc;
}

/* The answer to a form: an error notice goes with an error status. */
static int me_page(struct http_req *rq, struct http_resp *rs,
		   struct web_app *app, const char *msg_key, int status)
{
	return me_page_msg(rq, rs, app, msg_key, status >= 400, status);
}

int web_me(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	static const struct {
		const char *param, *value, *key;
		bool error;
	} notes[] = {
		{ "signin", "ok", "signin_ok", false },
		{ "signin", "again", "signin_again", false },
		{ "redeem", "ok", "redeem_ok", false },
		{ "redeem", "invalid", "redeem_invalid", true },
		{ "redeem", "expired", "redeem_expired", true },
		{ "redeem", "used", "redeem_used", true },
		{ "redeem", "limited", "redeem_limited", true },
	};
	size_t i;

	/* The notice after a redirect; the page itself is always 200. */
	for (i = 0; i < sizeof(notes) / sizeof(notes[0]); i++) {
		const char *v = http_query(rq, notes[i].param);
		if (v && !strcmp(v, notes[i].value))
			return me_page_msg(rq, rs, ctx, notes[i].key,
					   notes[i].error, 200);
	}
	return me_page(rq, rs, ctx, NULL, 200);
}

int web_me_password(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct web_app *app = ctx;
	enum auth_reason why = AR_OK;
	char token[AUTH_TOKEN_HEX];
	struct auth_user u;
	const char *cur;

	if (!web_post_ok(app, rq))
		return 403;
	web_user(app, rq, &u, &cur);
	if (!perm_can(&u, PERM_PROFILE_EDIT, u.id))
		return u.id ? 403 : web_redirect(rs, "/login?next=/me");
	if (!http_form(rq, "new") || !http_form(rq, "new2") ||
	    strcmp(http_form(rq, "new"), http_form(rq, "new2")))
		return me_page(rq, rs, app, "auth_pw_mismatch", 400);
	if (auth_change_password(app->auth, u.id, http_form(rq, "old"),
				 http_form(rq, "new"), rq->ip,
				 http_header(rq, "User-Agent"), token, &why))
		return me_page(rq, rs, app, reason_key(why), 400);
	set_session(rq, rs, token);
	return web_redirect(rs, "/me?changed=1");
}

int web_me_profile(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct web_app *app = ctx;
	const char *display = http_form(rq, "display_name");
	const char *bio = http_form(rq, "bio");
	struct auth_user u;
	const char *cur;
	size_t dn, bn;

	if (!web_post_ok(app, rq))
		return 403;
	web_user(app, rq, &u, &cur);
	if (!perm_can(&u, PERM_PROFILE_EDIT, u.id))
		return u.id ? 403 : web_redirect(rs, "/login?next=/me");
	if (!display || !bio || !utf8_valid(display, strlen(display)) ||
	    !utf8_valid(bio, strlen(bio)))
		return me_page(rq, rs, app, "auth_display_invalid", 400);
	dn = utf8_count(display, strlen(display));
	bn = utf8_count(bio, strlen(bio));
	if (dn < 1 || dn > 32 || bn > 200 || strpbrk(display, "\r\n"))
		return me_page(rq, rs, app, "auth_display_invalid", 400);
	if (store_account_set_profile(app->store, u.id, display, bio))
		return 500;
	page_cache_bump();
	return web_redirect(rs, "/me?saved=1");
}

int web_me_avatar(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct web_app *app = ctx;
	const char *field, *fname, *tok;
	const void *data;
	unsigned char *png;
	struct auth_user u;
	char err[256], hex[65];
	size_t len, plen;
	int rc;

	if (!web_post_ok(app, rq))
		return 403;
	web_user(app, rq, &u, &tok);
	if (!perm_can(&u, PERM_PROFILE_EDIT, u.id))
		return u.id ? 403 : web_redirect(rs, "/login?next=/me");
	if (http_upload(rq, &field, &fname, &data, &len) || !len)
		return me_page(rq, rs, app, "upload_no_file", 400);
	rc = sandbox_avatar(sandbox_self_exe(), data, len, AVATAR_SIZE, &png,
			    &plen, err, sizeof(err));
	if (rc)
		return me_page(rq, rs, app, "avatar_invalid", 400);
	rc = store_blob_put(app->store, png, plen, hex);
	free(png);
	if (rc || store_account_set_avatar(app->store, u.id, hex))
		return 500;
	page_cache_bump();
	return web_redirect(rs, "/me?saved=1");
}

int web_avatar(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct web_app *app = ctx;
	struct store_user u;
	unsigned char *png;
	size_t len;
	int64_t id;

	if (docs_parse_id(http_param(rq, "id"), &id))
		return 400;
	if (store_user_get(app->store, rq->arena, id, &u) || !u.avatar ||
	    store_blob_read(app->store, u.avatar, (size_t)2 << 20, &png,
			    &len))
		return 404;
	if (arena_on_free(rq->arena, free, png))
		return 500;
	rs->data = png;
	rs->data_len = len;
	rs->content_type = "image/png";
	http_resp_header(rs, "Cache-Control", "public, max-age=300");
	http_resp_header(rs, "Content-Security-Policy",
			 "default-src 'none'; sandbox");
	return 0;
}

/* ---- comments --------------------------------------------------------------*/

int web_comment_post(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct web_app *app = ctx;
	const char *body = http_form(rq, "body");
	const char *parent_s = http_form(rq, "parent");
	struct store_doc d;
	struct auth_user u;
	const char *tok;
	int64_t id, parent = 0, cid;
	size_t n;
	int rc;

	if (docs_parse_id(http_param(rq, "id"), &id))
		return 400;
	if (!web_post_ok(app, rq))
		return 403;
	web_user(app, rq, &u, &tok);
	if (!u.id)
		return web_redirect(rs, arena_sprintf(rq->arena,
						      "/login?next=/d/%lld",
						      (long long)id));
	if (!perm_can(&u, PERM_COMMENT_POST, 0))
		return 403;
	{
		unsigned retry;
		if (auth_allow(app->auth, "comment", u.id, COMMENTS_PER_MINUTE,
			       60, &retry)) {
			http_resp_header(rs, "Retry-After",
					 arena_sprintf(rq->arena, "%u",
						       retry ? retry : 60));
			return 429;
		}
	}
	if ((rc = store_doc_get(app->store, rq->arena, id, &d)))
		return web_status(rc);
	if (strcmp(d.status, "published"))
		return 404;
	if (!body || !utf8_valid(body, strlen(body)))
		return 400;
	while (*body == ' ' || *body == '\n' || *body == '\r' || *body == '\t')
		body++;
	n = utf8_count(body, strlen(body));
	if (n < 1 || n > COMMENT_MAX_CHARS)
		return 400;
	if (parent_s && *parent_s) {
		struct store_comment pc;
		const char *pstatus;
		int64_t pdoc;
		if (docs_parse_id(parent_s, &parent) ||
		    store_comment_get(app->store, rq->arena, parent, &pc,
				      &pdoc, &pstatus) ||
		    pdoc != id || strcmp(pstatus, "visible"))
			return 400;
	}
	{
		/* Blocked words, pre-approval and the reward: comments.h. */
		struct comment_rules rules;
		enum comment_outcome oc;
		web_comment_rules(app, &rules);
		if ((rc = comment_post(app->store, rq->arena, &rules, id, u.id,
				       parent, body, &cid, &oc)))
			return web_status(rc);
		if (oc == CO_BLOCKED)
			return web_message(rq, rs, app, 400, "comment_refused",
					   "comment_blocked");
		if (oc == CO_PENDING)
			return web_redirect(rs, arena_sprintf(rq->arena,
				"/d/%lld?comment=pending#comments",
				(long long)id));
	}
	page_cache_bump();
	return web_redirect(rs, arena_sprintf(rq->arena, "/d/%lld#c%lld",
					      (long long)id, (long long)cid));
}

int web_comment_delete(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct web_app *app = ctx;
	struct store_comment c;
	struct auth_user u;
	const char *tok, *status;
	int64_t id, doc;

	if (docs_parse_id(http_param(rq, "id"), &id))
		return 400;
	if (!web_post_ok(app, rq))
		return 403;
	web_user(app, rq, &u, &tok);
	if (!u.id)
		return 403;
	/* Someone else's comment and a missing one answer alike. */
	if (store_comment_get(app->store, rq->arena, id, &c, &doc, &status) ||
	    !strcmp(status, "deleted") ||
	    !perm_can(&u, PERM_COMMENT_DELETE, c.user_id))
		return 404;
	if (store_comment_set_status(app->store, id, "deleted"))
		return 500;
	{
		/* No points are left behind by posting and deleting. */
		int64_t taken;
		if (ledger_revoke_comment(app->store, rq->arena, c.user_id, id,
					  &taken))
			log_warn("reward for comment %lld not taken back",
				 (long long)id);
	}
	page_cache_bump();
	return web_redirect(rs, arena_sprintf(rq->arena, "/d/%lld#comments",
					      (long long)doc));
}

/* ---- JSON API: /api/v1/auth/... and /api/v1/me ---------------------------
 *
 * Bodies are JSON objects. A cross-site page cannot send a JSON body
 * without a CORS preflight (which this site never grants), and the
 * same-site Origin check applies too; signed-in calls that change
 * something also need the X-CSRF-Token header.
 */

static int api_reply(struct http_resp *rs, int status, const char *json)
{
	rs->status = status;
	rs->content_type = "application/json; charset=utf-8";
	http_resp_header(rs, "Cache-Control", "no-store");
	http_resp_header(rs, "Content-Security-Policy",
			 "default-src 'none'; frame-ancestors 'none'");
	buf_reset(&rs->body);
	buf_adds(&rs->body, json);
	buf_addc(&rs->body, '\n');
	return 0;
}

static int api_error(struct http_resp *rs, int status, const char *code)
{
	char json[160];
	snprintf(json, sizeof(json), "{\"error\":{\"code\":\"%s\"}}", code);
	return api_reply(rs, status, json);
}

/* A string member of the JSON body, or NULL. */
static const char *api_field(struct http_req *rq, const char *key)
{
	struct buf b;
	char *v = NULL;

	buf_init(&b, 4096);
	if (json_object_string(rq->body.data ? rq->body.data : "",
			       rq->body.len, key, &b) == 0)
		v = arena_strndup(rq->arena, buf_str(&b), b.len);
	buf_release(&b);
	return v;
}

static bool api_json_post_ok(struct http_req *rq)
{
	const char *ct = http_header(rq, "Content-Type");
	return ct && !strncasecmp(ct, "application/json", 16) &&
	       same_origin(rq);
}

/* {"user":{...},"csrf":"..."} for a session token. */
static int api_user(struct web_app *app, struct http_req *rq,
		    struct http_resp *rs, int status, const char *token)
{
	struct auth_user u;
	char csrf[33];
	struct buf *b = &rs->body;

	if (auth_session(app->auth, rq->arena, token, &u))
		return api_error(rs, 401, "not_signed_in");
	auth_csrf(app->auth, token, csrf);
	api_reply(rs, status, "");
	buf_reset(b);
	buf_addf(b, "{\"user\":{\"id\":%lld,\"name\":", (long long)u.id);
	json_cstr(b, u.name);
	buf_adds(b, ",\"display_name\":");
	json_cstr(b, u.display_name);
	buf_adds(b, ",\"role\":");
	json_cstr(b, u.role);
	buf_addf(b, ",\"active\":%s},\"csrf\":\"%s\"}\n",
		 u.active ? "true" : "false", csrf);
	return 0;
}

int web_api_login(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct web_app *app = ctx;
	enum auth_reason why;
	char token[AUTH_TOKEN_HEX];
	unsigned retry;

	if (!api_json_post_ok(rq))
		return api_error(rs, 403, "forbidden");
	if (auth_login(app->auth, api_field(rq, "name"),
		       api_field(rq, "password"), rq->ip,
		       http_header(rq, "User-Agent"), token, &why, &retry)) {
		if (why == AR_RATE_LIMITED) {
			http_resp_header(rs, "Retry-After",
					 arena_sprintf(rq->arena, "%u",
						       retry ? retry : 60));
			return api_error(rs, 429, "rate_limited");
		}
		return api_error(rs, 403, why == AR_SUSPENDED
						  ? "suspended"
						  : "bad_credentials");
	}
	set_session(rq, rs, token);
	return api_user(app, rq, rs, 200, token);
}

int web_api_register(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct web_app *app = ctx;
	const char *name, *pw;
	char token[AUTH_TOKEN_HEX];
	enum auth_reason why;
	int64_t id;

	if (!api_json_post_ok(rq))
		return api_error(rs, 403, "forbidden");
	if (!web_cfg(app)->registration_open) {
		/* The code for programs, the sentence for people. */
		buf_reset(&rs->body);
		buf_adds(&rs->body, "{\"error\":{\"code\":"
				    "\"registration_closed\",\"message\":");
		json_cstr(&rs->body, web_msg(app, web_lang(rq),
					     "auth_registration_closed"));
		buf_adds(&rs->body, "}}");
		return web_api_json(rs, 403, &rs->body);
	}
	name = api_field(rq, "name");
	pw = api_field(rq, "password");
	if (auth_register(app->auth, name, api_field(rq, "display_name"),
			  api_field(rq, "email"), pw, "reader", rq->ip, &id,
			  &why))
		return api_error(rs, why == AR_RATE_LIMITED ? 429
				 : why == AR_NAME_TAKEN	 ? 409
							 : 400,
				 reason_key(why) + 5);
	web_reward_register(app, rq, id);
	if (auth_start_session(app->auth, id, rq->ip,
			       http_header(rq, "User-Agent"), token))
		return api_error(rs, 500, "error");
	set_session(rq, rs, token);
	return api_user(app, rq, rs, 201, token);
}

int web_api_logout(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct web_app *app = ctx;
	const char *token = http_cookie(rq, cookie_name(rq));

	if (!same_origin(rq) || !token ||
	    !auth_csrf_ok(app->auth, token, http_header(rq, "X-CSRF-Token")))
		return api_error(rs, 403, "forbidden");
	auth_logout(app->auth, token);
	clear_session(rq, rs);
	return api_reply(rs, 200, "{\"ok\":true}");
}

int web_api_me(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	const char *token = http_cookie(rq, cookie_name(rq));
	if (!token)
		return api_error(rs, 401, "not_signed_in");
	return api_user(ctx, rq, rs, 200, token);
}

/* ---- password reset by a one-time link (made in the console) -------------*/

#define RESET_IP_LIMIT 30	/* attempts (page views and posts) an hour */

/* The reset page for token: the form, a refusal (status), or done. */
static int reset_page(struct http_req *rq, struct http_resp *rs,
		      struct web_app *app, const char *token, int status,
		      const char *error_key, bool done)
{
	struct page p;
	int rc;

	/* The token is not put in the page's own path (canonical links). */
	if ((rc = page_begin(&p, app, rq, NULL, "/reset")))
		return web_status(rc);
	tv_set_str(p.a, p.ctx, "title", page_t(&p, "reset_title"));
	/* The page is about the link's account, not whoever is signed in
	 * in this browser: shown as to a visitor. */
	tv_set(p.a, p.ctx, "me", tv_bool(p.a, false));
	if (done) {
		tv_set_bool(p.a, p.ctx, "done", true);
	} else if (status == 404 || status == 410) {
		tv_set_bool(p.a, p.ctx, "invalid", true);
	} else {
		tv_set_str(p.a, p.ctx, "form_csrf", pre_csrf(app, rq, rs));
		tv_set_str(p.a, p.ctx, "token", token);
	}
	if (error_key)
		tv_set_str(p.a, p.ctx, "error", page_t(&p, error_key));
	rc = page_render(&p, rs, "reset");
	rs->status = status;
	http_resp_header(rs, "Cache-Control", "no-store");
	http_resp_header(rs, "Referrer-Policy", "no-referrer");
	return rc;
}

/* Count an attempt from this address: 0, or non-zero when over the
 * limit (the 429 page written, or a status for the handler). */
static int reset_limited(struct http_req *rq, struct http_resp *rs,
			 struct web_app *app)
{
	unsigned retry = 0;
	int rc;

	if (!auth_allow_ip(app->auth, "reset", rq->ip, RESET_IP_LIMIT, 3600,
			   &retry))
		return 0;
	http_resp_header(rs, "Retry-After",
			 arena_sprintf(rq->arena, "%u", retry ? retry : 60));
	rc = web_message(rq, rs, app, 429, "reset_title",
			 "auth_rate_limited");
	return rc ? rc : 429;
}

int web_reset_form(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct web_app *app = ctx;
	const char *token = http_param(rq, "token");
	int64_t uid;
	int rc;

	if ((rc = reset_limited(rq, rs, app)))
		return rc == 429 ? 0 : rc;
	rc = auth_reset_check(app->store, token, (int64_t)time(NULL), &uid);
	if (rc && rc != WK_ENOTFOUND)
		return web_status(rc);
	return reset_page(rq, rs, app, token, rc ? 404 : 200, NULL, false);
}

int web_reset(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct web_app *app = ctx;
	const char *token = http_param(rq, "token");
	const char *pw = http_form(rq, "password");
	enum auth_reason why = AR_OK;
	int rc;

	if (!web_post_ok(app, rq))
		return 403;
	if ((rc = reset_limited(rq, rs, app)))
		return rc == 429 ? 0 : rc;
	if (!pw || !http_form(rq, "password2") ||
	    strcmp(pw, http_form(rq, "password2")))
		why = AR_PW_INVALID, rc = WK_EINVAL;
	else
		rc = auth_reset_use(app->store, token, pw, (int64_t)time(NULL),
				    &why);
	if (rc == WK_ENOTFOUND)
		return reset_page(rq, rs, app, token, 404, NULL, false);
	if (rc == WK_EINVAL) {
		/* A malformed or dead token says so rather than the rule. */
		int64_t uid;
		if (auth_reset_check(app->store, token, (int64_t)time(NULL),
				     &uid))
			return reset_page(rq, rs, app, token, 404, NULL,
					  false);
		return reset_page(rq, rs, app, token, 400, reason_key(why),
				  false);
	}
	if (rc)
		return web_status(rc);
	/* This browser's own session (if any) ended with the others. */
	clear_session(rq, rs);
	log_info("password set through a reset link");
	return reset_page(rq, rs, app, token, 200, NULL, true);
}
