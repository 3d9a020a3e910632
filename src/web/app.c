/*
 * app.c - the application: start-up, routes, the page frame shared by
 * every page, message catalogues, and error pages.
 */
#include "web_internal.h"

#include "../base/arena.h"
#include "../base/asset.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../domain/perm.h"
#include "../domain/qr.h"
#include "../store/store.h"
#include "cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A route with the server's body cap; UPLOAD_ROUTE takes multipart
 * bodies up to UPLOAD_MAX. */
#define ROUTE(m, p, f) { m, p, f, 0, false }
#define UPLOAD_ROUTE(m, p, f) { m, p, f, UPLOAD_MAX, true }

static const struct http_route routes[] = {
	ROUTE("GET", "/", web_home),
	ROUTE("GET", "/c/{slug}", web_category),
	ROUTE("GET", "/d/{id}", web_document),
	ROUTE("GET", "/d/{id}/report", web_report),
	ROUTE("GET", "/d/{id}/page/{n}", web_page_image),
	ROUTE("GET", "/d/{id}/cover", web_cover_image),
	ROUTE("GET", "/vip", web_vip),
	ROUTE("POST", "/vip/buy", web_vip_buy),
	ROUTE("GET", "/api/v1/vip/plans", web_api_vip_plans),
	ROUTE("POST", "/api/v1/vip/buy", web_api_vip_buy),
	ROUTE("GET", "/api/v1/documents/{id}", web_api_document),
	ROUTE("GET", "/search", web_search),
	ROUTE("GET", "/api/v1/search", web_api_search),
	ROUTE("GET", "/static/{*path}", web_static),
	ROUTE("GET", "/healthz", web_healthz),
	ROUTE("GET", "/metrics", web_metrics),
	ROUTE("GET", "/login", web_login_form),
	ROUTE("POST", "/login", web_login),
	ROUTE("GET", "/register", web_register_form),
	ROUTE("POST", "/register", web_register),
	ROUTE("GET", "/reset/{token}", web_reset_form),
	ROUTE("POST", "/reset/{token}", web_reset),
	ROUTE("POST", "/logout", web_logout),
	ROUTE("GET", "/me", web_me),
	ROUTE("POST", "/me/password", web_me_password),
	ROUTE("POST", "/me/profile", web_me_profile),
	ROUTE("POST", "/d/{id}/comments", web_comment_post),
	ROUTE("POST", "/comments/{id}/delete", web_comment_delete),
	ROUTE("POST", "/api/v1/auth/register", web_api_register),
	ROUTE("POST", "/api/v1/auth/login", web_api_login),
	ROUTE("POST", "/api/v1/auth/logout", web_api_logout),
	ROUTE("GET", "/api/v1/me", web_api_me),
	ROUTE("POST", "/me/signin", web_me_signin),
	ROUTE("POST", "/api/v1/me/signin", web_api_signin),
	ROUTE("GET", "/api/v1/me/ledger", web_api_ledger),
	ROUTE("POST", "/me/redeem", web_me_redeem),
	ROUTE("POST", "/api/v1/codes/redeem", web_api_redeem),
	ROUTE("POST", "/api/v1/payments/notify", web_api_payment_notify),
	ROUTE("POST", "/d/{id}/buy", web_doc_buy),
	ROUTE("GET", "/d/{id}/download", web_doc_download),
	ROUTE("POST", "/api/v1/documents/{id}/purchase", web_api_doc_purchase),
	ROUTE("GET", "/api/v1/documents/{id}/download", web_api_doc_download),
	ROUTE("GET", "/upload", web_upload_form),
	UPLOAD_ROUTE("POST", "/upload", web_upload),
	ROUTE("GET", "/me/docs", web_my_docs),
	UPLOAD_ROUTE("POST", "/api/v1/documents", web_api_upload),
	{ "POST", "/me/avatar", web_me_avatar, (size_t)8 << 20, true },
	ROUTE("GET", "/u/{id}/avatar", web_avatar),
	ROUTE("GET", "/me/verify", web_verify_form),
	ROUTE("POST", "/me/verify", web_verify_request),
	ROUTE("GET", "/mod/verifications", web_mod_verifications),
	ROUTE("POST", "/mod/verifications/{id}", web_mod_verify_decide),
	ROUTE("POST", "/d/{id}/report", web_report_post),
	ROUTE("GET", "/d/{id}/counter", web_counter_form),
	ROUTE("POST", "/d/{id}/counter", web_counter_post),
	ROUTE("GET", "/mod/reports", web_mod_reports),
	ROUTE("GET", "/mod/reports/{id}", web_mod_report),
	ROUTE("POST", "/mod/reports/{id}", web_mod_report_decide),
	ROUTE("GET", "/mod/comments", web_mod_comments),
	ROUTE("POST", "/mod/comments/{id}", web_mod_comment_decide),
	/* the operator console (admin.c) */
	ROUTE("GET", "/admin", web_admin),
	ROUTE("GET", "/admin/users", web_admin_users),
	ROUTE("GET", "/admin/users/{id}", web_admin_user),
	ROUTE("POST", "/admin/users/{id}", web_admin_user_act),
	ROUTE("GET", "/admin/audit", web_admin_audit),
	ROUTE("GET", "/admin/jobs", web_admin_jobs),
	ROUTE("GET", "/admin/fragments", web_admin_fragments),
	ROUTE("GET", "/admin/settings", web_admin_settings),
	ROUTE("POST", "/admin/settings", web_admin_settings_post),
	ROUTE("POST", "/admin/fragments/{slot}", web_admin_fragment_post),
	ROUTE("POST", "/admin/jobs/{id}/retry", web_admin_job_retry),
	ROUTE("GET", "/admin/review", web_admin_review),
	ROUTE("POST", "/admin/review", web_admin_review_bulk),
	ROUTE("GET", "/admin/review/{id}", web_admin_review_doc),
	ROUTE("POST", "/admin/review/{id}", web_admin_review_act),
	ROUTE("GET", "/admin/review/{id}/page/{n}", web_admin_review_image),
	ROUTE("GET", "/admin/codes", web_admin_codes),
	ROUTE("POST", "/admin/codes", web_admin_codes_create),
	ROUTE("GET", "/admin/codes/{id}", web_admin_code_batch),
	ROUTE("POST", "/admin/codes/{id}/void", web_admin_code_batch_void),
	ROUTE("GET", "/admin/vip", web_admin_vip),
	ROUTE("POST", "/admin/vip", web_admin_vip_add),
	ROUTE("GET", "/admin/vip/{id}", web_admin_vip_plan),
	ROUTE("POST", "/admin/vip/{id}", web_admin_vip_plan_post),
	/* discovery and SEO (discover.c, seo.c) */
	ROUTE("GET", "/rank", web_rank),
	ROUTE("GET", "/tag/{name}", web_tag),
	ROUTE("POST", "/d/{id}/favorite", web_favorite),
	ROUTE("GET", "/me/favorites", web_my_favorites),
	ROUTE("GET", "/me/history", web_my_history),
	/* notifications (inbox.c) */
	ROUTE("GET", "/me/inbox", web_inbox),
	ROUTE("POST", "/me/inbox/read", web_inbox_read),
	ROUTE("GET", "/api/v1/me/notifications", web_api_notifications),
	ROUTE("POST", "/api/v1/me/notifications/read",
	      web_api_notifications_read),
	ROUTE("GET", "/robots.txt", web_robots),
	ROUTE("GET", "/sitemap.xml", web_sitemap_index),
	ROUTE("GET", "/sitemap-{file}", web_sitemap_file),
	ROUTE("GET", "/feed.xml", web_feed),
	ROUTE("GET", "/c/{slug}/feed.xml", web_category_feed),
};

#define CSP                                                                 \
	"default-src 'self'; script-src 'self'; style-src 'self'; "        \
	"img-src 'self' data:; object-src 'none'; base-uri 'none'; "       \
	"form-action 'self'; frame-ancestors 'none'"

struct web_app *web_init(struct store *s, char *err, size_t errlen)
{
	struct web_app *app = calloc(1, sizeof(*app));
	unsigned long h = 5381;
	size_t i, j;

	if (!app) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	app->store = s;
	{
		struct timespec now;
		clock_gettime(CLOCK_REALTIME, &now);
		app->started = (double)now.tv_sec + now.tv_nsec / 1e9;
	}
	app->download_budget = (size_t)1 << 30;	/* serve sets its own */
	app->perm = arena_new(0);
	if (!app->perm) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	app->tpl = tpl_set_load(err, errlen);
	if (!app->tpl)
		goto fail;
	app->auth = auth_new(s, err, errlen);
	if (!app->auth)
		goto fail;
	if (trace_key(s, app->trace_key) ||
	    store_secret_key(s, "visitor", app->visitor_key,
			     sizeof(app->visitor_key))) {
		snprintf(err, errlen, "cannot load the site's secrets");
		goto fail;
	}

	pthread_mutex_init(&app->reload_mu, NULL);
	web_set_conf_clock(app, NULL);
	if (web_settings_reload(app)) {
		snprintf(err, errlen, "cannot load settings");
		goto fail;
	}
	if (web_i18n_load(app, err, errlen))
		goto fail;
	/* Built-in files change only with the binary: one tag for all. */
	for (i = 0; i < wk_nassets; i++)
		for (j = 0; j < wk_assets[i].len; j += 97)
			h = h * 33 + wk_assets[i].data[j] + wk_assets[i].len;
	snprintf(app->asset_etag, sizeof(app->asset_etag), "\"%lx\"", h);
	return app;
fail:
	web_free(app);
	return NULL;
}

void web_free(struct web_app *app)
{
	if (!app)
		return;
	page_cache_clear();
	for (struct web_conf *c = atomic_load(&app->conf), *o; c; c = o) {
		o = c->older;
		arena_free(c->a);
	}
	pthread_mutex_destroy(&app->reload_mu);
	auth_free(app->auth);
	tpl_set_free(app->tpl);
	arena_free(app->perm);
	free(app);
}

/* ---- query strings -----------------------------------------------------*/

void web_url_encode(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == '~') {
			buf_addc(b, (char)c);
		} else {
			buf_addc(b, '%');
			buf_addc(b, hex[c >> 4]);
			buf_addc(b, hex[c & 15]);
		}
	}
}

const char *web_query_escape(struct arena *a, const char *s)
{
	struct buf b;
	const char *out;

	buf_init(&b, 0);
	web_url_encode(&b, s);
	out = buf_error(&b) ? NULL : arena_strndup(a, buf_str(&b), b.len);
	buf_release(&b);
	return out ? out : "";
}

/* ---- settings in force ------------------------------------------------*/

/* Read the settings into a new version and put it in force, with what
 * follows from them (sign-in lifetimes, upload permission, strikes, the
 * QR code); rendered anonymous pages are dropped. */
static int64_t mono_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec;
}

void web_set_conf_clock(struct web_app *app, int64_t (*now)(void))
{
	app->conf_clock = now ? now : mono_s;
}

/* Free the versions replaced more than WEB_CONF_GRACE_S ago: a request
 * holds the version it started with only while it runs, far shorter
 * than that. Versions are replaced in order, so once one is that old all
 * before it are too. Under reload_mu; readers never walk the chain. */
static void prune_versions(struct web_app *app, struct web_conf *cur)
{
	struct web_conf *c = cur, *old, *next;
	int64_t now = app->conf_clock();

	if (cur->older)
		cur->older->replaced_at = now;
	while (c->older && c->older->replaced_at + WEB_CONF_GRACE_S >= now)
		c = c->older;
	old = c->older;
	c->older = NULL;
	for (; old; old = next) {
		next = old->older;
		arena_free(old->a);
	}
}

static int reload_locked(struct web_app *app, uint64_t fingerprint)
{
	struct web_conf *c;
	struct arena *a = arena_new(0);
	struct buf qr;

	if (!a)
		return WK_ENOMEM;
	c = arena_alloc(a, sizeof(*c));
	if (!c || settings_load(app->store, a, &c->s)) {
		arena_free(a);
		return WK_EIO;
	}
	c->a = a;
	c->fingerprint = fingerprint;
	c->qr_svg = NULL;
	c->replaced_at = 0;
	buf_init(&qr, 0);
	if (c->s.contact_url[0] &&
	    qr_svg(c->s.contact_url, c->s.contact_label, &qr) == 0)
		c->qr_svg = arena_strdup(a, buf_str(&qr));
	buf_release(&qr);
	c->older = atomic_load(&app->conf);
	auth_set_lifetimes(app->auth, c->s.session_idle_days * 86400,
			   c->s.session_max_days * 86400);
	perm_set_open_uploads(c->s.open_uploads != 0);
	perm_set_strike_limit(c->s.strike_limit);
	atomic_store_explicit(&app->conf, c, memory_order_release);
	page_cache_clear();
	prune_versions(app, c);
	return 0;
}

int web_settings_reload(struct web_app *app)
{
	uint64_t fp;
	int rc;

	pthread_mutex_lock(&app->reload_mu);
	rc = store_settings_fingerprint(app->store, &fp);
	if (!rc)
		rc = reload_locked(app, fp);
	pthread_mutex_unlock(&app->reload_mu);
	return rc;
}

int web_settings_poll(struct web_app *app)
{
	uint64_t fp;
	int rc;

	pthread_mutex_lock(&app->reload_mu);
	rc = store_settings_fingerprint(app->store, &fp);
	if (!rc && fp != atomic_load(&app->conf)->fingerprint) {
		rc = reload_locked(app, fp);
		if (!rc)
			log_info("settings changed: new values in force");
	}
	pthread_mutex_unlock(&app->reload_mu);
	return rc;
}

void web_http_config(struct web_app *app, struct http_config *cfg)
{
	cfg->routes = routes;
	cfg->nroutes = sizeof(routes) / sizeof(routes[0]);
	cfg->error = web_error_page;
	cfg->ctx = app;
}

int web_status(int err)
{
	switch (err) {
	case 0: return 200;
	case WK_ENOTFOUND: return 404;
	case WK_EINVAL:
	case WK_EMALFORMED: return 400;
	case WK_EFORBIDDEN: return 403;
	case WK_ECONFLICT: return 409;
	case WK_ETOOBIG: return 413;
	case WK_EUNSUPPORTED: return 415;
	}
	return 500;
}

/* ---- message catalogues ------------------------------------------------*/

static struct tpl_val *load_catalogue(struct web_app *app, int lang,
				      const char *name, char *err,
				      size_t errlen)
{
	struct web_msgs *msgs = &app->msgs[lang];
	const unsigned char *data;
	struct tpl_val *m;
	size_t len, i = 0;
	int owned;

	if (asset_get(name, &data, &len, &owned)) {
		snprintf(err, errlen, "missing message catalogue %s", name);
		return NULL;
	}
	m = tv_map(app->perm);
	while (m && i < len) {
		const char *line = (const char *)data + i;
		const char *nl = memchr(line, '\n', len - i);
		size_t n = nl ? (size_t)(nl - line) : len - i;
		const char *eq = memchr(line, '=', n);
		i += n + 1;
		if (n == 0 || line[0] == '#' || !eq)
			continue;
		{
			const char *k = line, *ke = eq, *v = eq + 1;
			const char *ve = line + n;
			char *key, *val;
			while (ke > k && ke[-1] == ' ')
				ke--;
			while (v < ve && *v == ' ')
				v++;
			key = arena_strndup(app->perm, k, (size_t)(ke - k));
			val = arena_strndup(app->perm, v, (size_t)(ve - v));
			if (!key || !val || msgs->n == WEB_MAX_MSGS ||
			    !tv_set_str(app->perm, m, key, val)) {
				m = NULL;
				break;
			}
			msgs->keys[msgs->n] = key;
			msgs->vals[msgs->n] = val;
			msgs->n++;
		}
	}
	if (owned)
		free((void *)data);
	if (!m)
		snprintf(err, errlen, "out of memory loading %s", name);
	return m;
}

int web_i18n_load(struct web_app *app, char *err, size_t errlen)
{
	app->strings[LANG_ZH] = load_catalogue(app, LANG_ZH, "i18n/zh-CN.txt",
					       err, errlen);
	app->strings[LANG_EN] = load_catalogue(app, LANG_EN, "i18n/en.txt",
					       err, errlen);
	return app->strings[LANG_ZH] && app->strings[LANG_EN] ? 0 : WK_EIO;
}

const char *web_msg(struct web_app *app, int lang, const char *key)
{
	const struct web_msgs *m = &app->msgs[lang];
	size_t i;

	for (i = 0; i < m->n; i++)
		if (!strcmp(m->keys[i], key))
			return m->vals[i];
	return "";
}

const char *page_t(struct page *p, const char *key)
{
	return web_msg(p->app, p->lang, key);
}

/* ---- the page frame ----------------------------------------------------*/

/* zh-CN unless the reader asked for English: ?lang=, the lang cookie,
 * or an Accept-Language that prefers English over Chinese. */
int web_lang(struct http_req *rq)
{
	const char *q = http_query(rq, "lang");
	const char *c = http_cookie(rq, "lang");
	const char *al;

	if (q)
		return !strcmp(q, "en") ? LANG_EN : LANG_ZH;
	if (c)
		return !strcmp(c, "en") ? LANG_EN : LANG_ZH;
	al = http_header(rq, "Accept-Language");
	if (al && !strncmp(al, "en", 2) && !strstr(al, "zh"))
		return LANG_EN;
	return LANG_ZH;
}

int page_begin(struct page *p, struct web_app *app, struct http_req *rq,
	       const char *title, const char *path)
{
	const struct site_settings *cfg = web_cfg(app);
	struct store_category *cats;
	struct tpl_val *site, *nav;
	size_t ncats, i;
	int rc;

	p->app = app;
	p->rq = rq;
	p->a = rq->arena;
	p->lang = web_lang(rq);
	p->ctx = tv_map(p->a);
	site = tv_set(p->a, p->ctx, "site", tv_map(p->a));
	tv_set_str(p->a, site, "name", cfg->site_name);
	tv_set_str(p->a, site, "slogan", cfg->slogan);
	tv_set_str(p->a, site, "url", cfg->site_url);
	tv_set_bool(p->a, site, "registration_open", cfg->registration_open);
	tv_set(p->a, p->ctx, "t", app->strings[p->lang]);
	tv_set_str(p->a, p->ctx, "lang", p->lang == LANG_EN ? "en" : "zh-CN");
	tv_set_str(p->a, p->ctx, "title", title);
	tv_set_str(p->a, p->ctx, "canonical",
		   arena_sprintf(p->a, "%s%s", cfg->site_url, path));
	tv_set_str(p->a, p->ctx, "path", path);
	if ((rc = store_category_list(app->store, p->a, &cats, &ncats)))
		return rc;
	nav = tv_set(p->a, p->ctx, "nav", tv_list(p->a));
	for (i = 0; i < ncats; i++) {
		struct tpl_val *c = tv_push(p->a, nav, tv_map(p->a));
		tv_set_str(p->a, c, "slug", cats[i].slug);
		tv_set_str(p->a, c, "name", cats[i].name);
		tv_set_int(p->a, c, "count", cats[i].doc_count);
	}
	{
		const char *token;
		web_user(app, rq, &p->user, &token);
		if (p->user.id) {
			struct tpl_val *me = tv_set(p->a, p->ctx, "me",
						    tv_map(p->a));
			char *csrf = arena_alloc(p->a, 33);
			tv_set_int(p->a, me, "id", p->user.id);
			tv_set_str(p->a, me, "name", p->user.name);
			tv_set_str(p->a, me, "display_name",
				   p->user.display_name);
			tv_set_str(p->a, me, "role", p->user.role);
			tv_set_bool(p->a, me, "can_upload",
				    perm_can(&p->user, PERM_DOC_UPLOAD, 0));
			tv_set_bool(p->a, me, "console",
				    perm_can(&p->user, PERM_MODERATE, 0));
			web_inbox_badge(p, me);
			if (csrf) {
				auth_csrf(app->auth, token, csrf);
				tv_set_str(p->a, p->ctx, "csrf", csrf);
			}
		}
	}
	if (!p->ctx || !site || !nav)
		return WK_ENOMEM;
	return web_fragments(p);
}

int page_sidebar(struct page *p)
{
	struct web_app *app = p->app;
	struct tpl_val *contact;
	int rc;

	if ((rc = web_sidebar_rankings(p)))
		return rc;
	contact = tv_set(p->a, p->ctx, "contact", tv_map(p->a));
	tv_set_str(p->a, contact, "label", web_cfg(app)->contact_label);
	tv_set_str(p->a, contact, "id", web_cfg(app)->contact_id);
	tv_set_str(p->a, contact, "qr", web_qr_svg(app));
	return contact ? 0 : WK_ENOMEM;
}

int page_render_form(struct page *p, struct http_resp *rs, const char *name,
		     const char *error_key, int status)
{
	int rc;

	if (error_key)
		tv_set_str(p->a, p->ctx, "error", page_t(p, error_key));
	rc = page_render(p, rs, name);
	rs->status = status;
	http_resp_header(rs, "Cache-Control", "no-store");
	return rc;
}

int page_render(struct page *p, struct http_resp *rs, const char *name)
{
	int rc;

	if (!p->ctx)
		return 500;
	rc = tpl_render(p->app->tpl, name, p->ctx, &rs->body);
	if (rc) {
		log_error("render %s: %s", name, wk_strerror(rc));
		return 500;
	}
	page_headers(rs, p->lang, NULL);
	return 0;
}

void page_headers(struct http_resp *rs, int lang, const char *cache)
{
	rs->content_type = "text/html; charset=utf-8";
	http_resp_header(rs, "Content-Security-Policy", CSP);
	http_resp_header(rs, "Cache-Control", "no-cache");
	http_resp_header(rs, "Content-Language",
			 lang == LANG_EN ? "en" : "zh-CN");
	if (cache)
		http_resp_header(rs, "X-Cache", cache);
}

/* ---- error pages ---------------------------------------------------------*/

void web_error_page(struct http_req *rq, struct http_resp *rs, int status,
		    void *ctx)
{
	struct web_app *app = ctx;
	const char *key;
	struct page p;

	switch (status) {
	case 400: key = "bad_request"; break;
	case 404: key = "not_found"; break;
	case 405: key = "method"; break;
	case 413: key = "too_large"; break;
	case 414:
	case 431: key = "too_long"; break;
	case 429: key = "too_many"; break;
	case 503: key = "busy"; break;
	default: key = "server_error";
	}
	rs->status = status;
	buf_reset(&rs->body);
	/* The error page avoids the database (it may be the failure). */
	memset(&p, 0, sizeof(p));
	p.app = app;
	p.rq = rq;
	p.a = rq->arena;
	p.lang = rq->path ? web_lang(rq) : LANG_ZH;
	p.ctx = tv_map(p.a);
	if (p.ctx) {
		struct tpl_val *site = tv_set(p.a, p.ctx, "site", tv_map(p.a));
		tv_set_str(p.a, site, "name", web_cfg(app)->site_name);
		tv_set_str(p.a, site, "slogan", web_cfg(app)->slogan);
		tv_set_bool(p.a, site, "registration_open",
			    web_cfg(app)->registration_open);
		tv_set(p.a, p.ctx, "t", app->strings[p.lang]);
		tv_set_str(p.a, p.ctx, "lang",
			   p.lang == LANG_EN ? "en" : "zh-CN");
		tv_set_int(p.a, p.ctx, "status", status);
		tv_set_str(p.a, p.ctx, "title", page_t(&p, arena_sprintf(
			p.a, "%s_title", key)));
		tv_set_str(p.a, p.ctx, "message", page_t(&p, arena_sprintf(
			p.a, "%s_text", key)));
	}
	if (page_render(&p, rs, "error")) {
		buf_reset(&rs->body);
		rs->content_type = "text/plain; charset=utf-8";
		buf_addf(&rs->body, "%d %s\n", status,
			 http_status_text(status));
	}
	rs->status = status;
}
