/*
 * web_internal.h - what the files of src/web share: the application
 * state, page rendering and the one mapping of domain errors to status.
 */
#ifndef WK_WEB_INTERNAL_H
#define WK_WEB_INTERNAL_H

#include "../domain/auth.h"
#include "../domain/perm.h"
#include "../domain/settings.h"
#include "../domain/trace.h"
#include "../http/http.h"
#include "../tpl/tpl.h"
#include "web.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

enum { LANG_ZH, LANG_EN, LANG_COUNT };

#define WEB_MAX_MSGS 1024

/* A message catalogue as C strings (the same pairs as strings[]). */
struct web_msgs {
	const char *keys[WEB_MAX_MSGS];
	const char *vals[WEB_MAX_MSGS];
	size_t n;
};

/* One version of the database settings and what is made from them. A
 * request may hold one while a newer replaces it, so a replaced version
 * is kept WEB_CONF_GRACE_S seconds (far longer than any request runs)
 * before it is freed. */
#define WEB_CONF_GRACE_S 600
struct web_conf {
	struct site_settings s;
	const char *qr_svg;		/* customer-service QR code */
	uint64_t fingerprint;		/* of the settings rows it was read from */
	struct arena *a;		/* holds all of it */
	struct web_conf *older;		/* the version it replaced */
	int64_t replaced_at;		/* monotonic seconds; 0: in force */
};

struct web_app {
	struct store *store;
	struct tpl_set *tpl;
	struct arena *perm;		/* lives as long as the app */
	/* The settings in force: replaced whole when they change
	 * (web_settings_reload); read with web_cfg(). */
	_Atomic(struct web_conf *) conf;
	pthread_mutex_t reload_mu;	/* one reload at a time */
	int64_t (*conf_clock)(void);	/* monotonic seconds, for pruning */
	struct tpl_val *strings[LANG_COUNT];	/* message catalogues */
	struct web_msgs msgs[LANG_COUNT];
	char asset_etag[24];		/* one tag for all built-in files */
	struct auth *auth;
	unsigned char trace_key[TRACE_KEY_BYTES];	/* download marks */
	unsigned char visitor_key[32];	/* keys hashed visitor ids */
	/* Who may read /metrics besides loopback (web_metrics_allow). */
	struct http_cidr metrics_from[WEB_METRICS_FROM_MAX];
	size_t nmetrics_from;
	double started;			/* Unix time the site started */
	/* Bytes downloads may hold at once, and how many they hold now
	 * (buy.c). */
	size_t download_budget;
	atomic_size_t download_held;
	/* The start-up settings (web_startup_setting), for the console. */
	struct {
		const char *name, *value, *source;
	} startup[WEB_STARTUP_MAX];
	size_t nstartup;
};

/* The clock that ages replaced settings versions (NULL: the monotonic
 * one); for tests. */
void web_set_conf_clock(struct web_app *app, int64_t (*now)(void));

/* The settings in force now. */
static inline const struct site_settings *web_cfg(struct web_app *app)
{
	return &atomic_load_explicit(&app->conf, memory_order_acquire)->s;
}

/* The customer-service QR code (SVG) of the settings in force, or NULL. */
static inline const char *web_qr_svg(struct web_app *app)
{
	return atomic_load_explicit(&app->conf, memory_order_acquire)->qr_svg;
}

struct buf;
/* s percent-encoded (all but A-Z a-z 0-9 - _ . ~), appended to b; also
 * good for RFC 5987 filename*=. */
void web_url_encode(struct buf *b, const char *s);
/* The same into a new string in a ("" when out of memory). */
const char *web_query_escape(struct arena *a, const char *s);

struct page;
/* The pager of a console list: page, prev/next links, the query string
 * qs to keep. */
void web_set_pager(struct page *p, int page, bool more, const char *qs);
/* Form field name as a whole number in [lo, hi]; false when missing or
 * not one. */
bool web_form_int(struct http_req *rq, const char *name, long long lo,
		  long long hi, long long *v);

/* A page being built: the request, its language and the template
 * context, which already holds site, t (strings), lang, nav. */
struct page {
	struct web_app *app;
	struct http_req *rq;
	struct arena *a;
	int lang;
	struct tpl_val *ctx;
	struct auth_user user;	/* id 0: not signed in */
};

/* Start a page: common context plus title and canonical path. */
int page_begin(struct page *p, struct web_app *app, struct http_req *rq,
	       const char *title, const char *path);
/* Render template name with p->ctx into rs (HTML, CSP, no-store). */
int page_render(struct page *p, struct http_resp *rs, const char *name);
/* A form page: the error message (key, may be NULL), rendered with
 * status and never stored by caches. */
int page_render_form(struct page *p, struct http_resp *rs, const char *name,
		     const char *error_key, int status);
/* Content type and the security and language headers of a page;
 * cache: "HIT", "MISS" or NULL. */
void page_headers(struct http_resp *rs, int lang, const char *cache);
/* The reader's language: LANG_ZH unless English was asked for. */
int web_lang(struct http_req *rq);
/* A message from the page's catalogue ("" when missing). */
const char *page_t(struct page *p, const char *key);
/* A message from the catalogue of lang ("" when missing). */
const char *web_msg(struct web_app *app, int lang, const char *key);

/* Sidebar context: reading ranking, contact box; optional provider. */
int page_sidebar(struct page *p);

/* HTTP status for a domain error code. */
int web_status(int err);

/* The error page (http_error_fn). */
void web_error_page(struct http_req *rq, struct http_resp *rs, int status,
		    void *ctx);

/* ---- sessions (auth.c) ---- */

/* The signed-in account of the request (out->id 0 when none) and its
 * session token (NULL when none). */
void web_user(struct web_app *app, struct http_req *rq,
	      struct auth_user *out, const char **token);
/* A JSON API call that changes something for the signed-in account
 * (session cookie plus the X-CSRF-Token header): true with *u, or false
 * with the 401/403 reply already written. */
/* The account an API call acts for: an API token (Authorization:
 * Bearer, *bearer true) or the session cookie (*token). false, with a
 * 401 written, when a token is given and is not valid; u->id 0 when
 * there is neither. */
bool web_api_user(struct web_app *app, struct http_req *rq,
		  struct http_resp *rs, struct auth_user *u, bool *bearer,
		  const char **token);
bool web_api_session(struct web_app *app, struct http_req *rq,
		     struct http_resp *rs, struct auth_user *u);
/* Check a state-changing request: same-site Origin (when sent) and the
 * form's csrf field against the session (or pre-session) token. */
bool web_post_ok(struct web_app *app, struct http_req *rq);
/* A JSON reply (no-store, a CSP that loads nothing) with b as its body
 * (b may be &rs->body); an error reply {"error":{"code":CODE}}. */
int web_api_json(struct http_resp *rs, int status, struct buf *b);
int web_api_fail(struct http_resp *rs, int status, const char *code);
/* A 303 redirect to path (a local path only). */
int web_redirect(struct http_resp *rs, const char *path);

/* ---- the Idempotency-Key header (idem.c) ---- */

/* What a wrapped handler learns about its key: download_id is, on
 * entry, the download to serve again (0: log a new one) and, on return,
 * the download served. */
struct web_idem {
	int64_t download_id;
};
/* Run fn (an API handler) honouring the request's Idempotency-Key
 * header: without one, fn as it is; with one, its first reply recorded
 * for the signed-in account (csrf: a session plus X-CSRF-Token, as
 * web_api_session) and replayed to retries. */
int web_idempotent(struct http_req *rq, struct http_resp *rs, void *ctx,
		   bool csrf, http_handler fn);
/* The key state of a request run by web_idempotent (NULL: none). */
struct web_idem *web_idem_of(struct http_req *rq);

/* Areas' handlers. */
int web_login_form(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_login(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_register_form(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_register(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_reset_form(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_reset(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_logout(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_me(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_me_password(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_me_profile(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_comment_post(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_comment_delete(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_api_login(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_api_register(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_api_logout(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_api_me(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_upload_form(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_me_avatar(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_avatar(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_upload(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_my_docs(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_api_upload(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_verify_form(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_verify_request(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_me_signin(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_api_signin(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_api_ledger(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_me_redeem(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_api_redeem(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_doc_buy(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_doc_download(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_api_doc_purchase(struct http_req *rq, struct http_resp *rs,
			 void *ctx);
int web_api_doc_download(struct http_req *rq, struct http_resp *rs,
			 void *ctx);
int web_api_payment_notify(struct http_req *rq, struct http_resp *rs,
			   void *ctx);
/* The registration bonus for a new account (logged, never fatal). */
void web_reward_register(struct web_app *app, struct http_req *rq,
			 int64_t user_id);
/* Balance, sign-in button and history on the account page. */
int web_me_points(struct page *p);
/* Every slot's fragment into the page (one read; page_begin calls it):
 * text as a list of paragraphs under the slot's key, sanitized HTML as
 * key_html, and key_on (fragments.c). */
int web_fragments(struct page *p);
/* ---- the console's shared steps (admin.c) ---- */

/* The signed-in operator of a console GET page at path with permission
 * perm: 0, a status, or WEB_CONSOLE_REDIRECTED when a redirect to sign
 * in was written (the handler then returns 0). Sets is_admin. */
#define WEB_CONSOLE_REDIRECTED 1
int web_console_page(struct page *p, struct web_app *app,
		     struct http_req *rq, struct http_resp *rs,
		     const char *path, enum perm_action perm);
/* Render a console page titled by title_key, never cached. */
int web_console_render(struct page *p, struct http_resp *rs,
		       const char *tpl, const char *title_key);
/* The acting operator of a console POST (CSRF, permission perm): 0 with
 * *u, or the status. */
int web_console_post(struct web_app *app, struct http_req *rq,
		     struct auth_user *u, enum perm_action perm);
/* ?page=N (1..1000, default 1); 0 for a malformed one. */
int web_page_number(struct http_req *rq);

/* The settings page (settings.c) and the fragments page (fragments.c). */
int web_admin_settings(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_admin_settings_post(struct http_req *rq, struct http_resp *rs,
			    void *ctx);
int web_admin_fragments(struct http_req *rq, struct http_resp *rs,
			void *ctx);
int web_admin_fragment_post(struct http_req *rq, struct http_resp *rs,
			    void *ctx);
/* "YYYY-MM-DD HH:MM" of t in the server's local time, in a. */
const char *web_when(struct arena *a, int64_t t);
/* The VIP page's plans and the member's status (vip.c). */
int web_vip_page(struct page *p);
int web_vip_buy(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_api_vip_plans(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_api_vip_buy(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_mod_verifications(struct http_req *rq, struct http_resp *rs,
			  void *ctx);
int web_mod_verify_decide(struct http_req *rq, struct http_resp *rs,
			  void *ctx);

/* ---- reports and moderation (reports.c) ---- */
struct comment_rules;
/* The comment rules of the site's settings. */
void web_comment_rules(struct web_app *app, struct comment_rules *r);
/* A page with a status and a message from the catalogue. */
int web_message(struct http_req *rq, struct http_resp *rs,
		struct web_app *app, int status, const char *title_key,
		const char *text_key);
/* The CSRF token for forms a visitor who is not signed in may send:
 * bound to the pre-session cookie, which is set when missing (auth.c). */
const char *web_pre_csrf(struct web_app *app, struct http_req *rq,
			 struct http_resp *rs);
int web_report_post(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_counter_form(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_counter_post(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_mod_reports(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_mod_report(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_mod_report_decide(struct http_req *rq, struct http_resp *rs,
			  void *ctx);
int web_mod_comments(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_mod_comment_decide(struct http_req *rq, struct http_resp *rs,
			   void *ctx);

/* ---- the operator console (admin.c) ---- */
int web_admin(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_admin_users(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_admin_user(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_admin_user_act(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_admin_audit(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_admin_jobs(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_admin_codes(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_admin_codes_create(struct http_req *rq, struct http_resp *rs,
			   void *ctx);
int web_admin_code_batch(struct http_req *rq, struct http_resp *rs,
			 void *ctx);
int web_admin_code_batch_void(struct http_req *rq, struct http_resp *rs,
			      void *ctx);
int web_admin_job_retry(struct http_req *rq, struct http_resp *rs,
			void *ctx);
/* An account's sessions and API tokens into the page (sessions,
 * session_count, tokens; admin_sessions.c). 0 or a store error. */
int web_admin_user_sessions(struct page *p, int64_t id);
/* admin_vip.c: the console's VIP plans */
int web_admin_vip(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_admin_vip_add(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_admin_vip_plan(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_admin_vip_plan_post(struct http_req *rq, struct http_resp *rs,
			    void *ctx);
/* review.c: the console's review queue */
int web_admin_review(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_admin_review_bulk(struct http_req *rq, struct http_resp *rs,
			  void *ctx);
int web_admin_review_doc(struct http_req *rq, struct http_resp *rs,
			 void *ctx);
int web_admin_review_act(struct http_req *rq, struct http_resp *rs,
			 void *ctx);
int web_admin_review_image(struct http_req *rq, struct http_resp *rs,
			   void *ctx);

/* The largest upload the server reads (the upload_max_mb setting may
 * lower it). */
#define UPLOAD_MAX ((size_t)200 << 20)
int web_home(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_category(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_document(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_report(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_vip(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_api_document(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_static(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_page_image(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_cover_image(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_healthz(struct http_req *rq, struct http_resp *rs, void *ctx);
/* The conversion runners' ingest_pool_idle_ms (-1: none in this process). */
int64_t web_ingest_idle_ms(void);
/* GET /metrics (metrics.c). */
int web_metrics(struct http_req *rq, struct http_resp *rs, void *ctx);
/* Search (search.c). */
int web_search(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_api_search(struct http_req *rq, struct http_resp *rs, void *ctx);

/* ---- discovery and SEO (discover.c, seo.c) ---- */

struct docs_view;
struct store_category;
/* Run a page's loader inside one read transaction and render template
 * tpl (anonymous GETs through the page micro-cache). */
int web_read_and_render(struct http_req *rq, struct http_resp *rs,
			struct web_app *app, const char *tpl,
			int (*load)(struct page *, struct web_app *,
				    struct http_req *));
/* Sidebar rankings: ranking (阅读排行) and ranking_dl (下载排行), today. */
int web_sidebar_rankings(struct page *p);
/* Home page: today (今日更新), ranks, cat_tree, popular_tags, feed. */
int web_home_extras(struct page *p);
/* Category page: subcategories, parents (breadcrumb), its feed. */
int web_category_extras(struct page *p, const struct store_category *cat);
/* Document page: tags, related, provider_docs, favourite state,
 * description, OpenGraph and JSON-LD. */
int web_doc_extras(struct page *p, const struct docs_view *v,
		   struct tpl_val *doc);
/* Count a document view (not crawlers) and add it to a signed-in
 * reader's history. Failures are logged. */
void web_doc_viewed(struct web_app *app, struct http_req *rq, int64_t id);
int web_rank(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_tag(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_favorite(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_my_favorites(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_my_history(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_robots(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_sitemap_index(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_sitemap_file(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_feed(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_category_feed(struct http_req *rq, struct http_resp *rs, void *ctx);

/* ---- notifications (inbox.c) ---- */
/* The signed-in reader's unread count as me.unread (one indexed count;
 * nothing when 0, not signed in, or on failure, which is logged). */
void web_inbox_badge(struct page *p, struct tpl_val *me);
int web_inbox(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_inbox_read(struct http_req *rq, struct http_resp *rs, void *ctx);
int web_api_notifications(struct http_req *rq, struct http_resp *rs,
			  void *ctx);
int web_api_notifications_read(struct http_req *rq, struct http_resp *rs,
				void *ctx);

/* Load the message catalogues i18n/zh-CN.txt and i18n/en.txt. */
int web_i18n_load(struct web_app *app, char *err, size_t errlen);

/* Document summary for lists (id, title, format, badge, views...). */
struct store_doc;
struct tpl_val *web_doc_summary(struct page *p, const struct store_doc *d);

#endif
