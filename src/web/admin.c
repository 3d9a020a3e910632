/*
 * admin.c - the operator console (/admin): the dashboard (moderators
 * and admins), and for admins the accounts (/admin/users), the audit log
 * (/admin/audit) and failed conversion jobs (/admin/jobs); code
 * batches are in admin_codes.c, VIP plans in admin_vip.c. The rules and
 * the audit entries are in domain/admin.h; this file reads forms and
 * builds pages.
 */
#include "web_internal.h"

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../base/utf8.h"
#include "../domain/admin.h"
#include "../domain/audit.h"
#include "../domain/auth.h"
#include "../domain/docs.h"
#include "../domain/ledger.h"
#include "../domain/perm.h"
#include "../domain/rank.h"
#include "../domain/vip.h"
#include "../store/store.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PER_PAGE 50
#define MAX_PAGE 1000
#define QUERY_MAX 100	/* bytes of a search term */

int web_console_page(struct page *p, struct web_app *app,
		     struct http_req *rq, struct http_resp *rs,
		     const char *path, enum perm_action perm)
{
	int rc;

	if ((rc = page_begin(p, app, rq, NULL, path)))
		return web_status(rc);
	if (!p->user.id) {
		web_redirect(rs, arena_sprintf(rq->arena, "/login?next=%s",
					       path));
		return WEB_CONSOLE_REDIRECTED;
	}
	if (!perm_can(&p->user, perm, 0))
		return 403;
	tv_set_bool(p->a, p->ctx, "is_admin",
		    perm_can(&p->user, PERM_ADMIN, 0));
	return 0;
}

int web_console_render(struct page *p, struct http_resp *rs,
		       const char *tpl, const char *title_key)
{
	int rc;

	tv_set_str(p->a, p->ctx, "title", page_t(p, title_key));
	rc = page_render(p, rs, tpl);
	http_resp_header(rs, "Cache-Control", "no-store");
	return rc;
}

int web_console_post(struct web_app *app, struct http_req *rq,
		     struct auth_user *u, enum perm_action perm)
{
	const char *tok;

	if (!web_post_ok(app, rq))
		return 403;
	web_user(app, rq, u, &tok);
	if (!perm_can(u, perm, 0))
		return 403;
	return 0;
}

/* The acting admin of a console POST: 0 with *u, or the status. */
static int console_post(struct web_app *app, struct http_req *rq,
			struct auth_user *u)
{
	return web_console_post(app, rq, u, PERM_ADMIN);
}

int web_page_number(struct http_req *rq)
{
	const char *v = http_query(rq, "page");
	char *end;
	long n;

	if (!v || !*v)
		return 1;
	n = strtol(v, &end, 10);
	return *end || n < 1 || n > MAX_PAGE ? 0 : (int)n;
}

/* "k1=v1&k2=v2" of the non-empty pairs (keys[i], vals[i]), in a. */
static const char *query_string(struct arena *a, const char *const *keys,
				const char *const *vals, size_t n)
{
	struct buf b;
	const char *out;
	size_t i;

	buf_init(&b, 4096);
	for (i = 0; i < n; i++) {
		if (!vals[i] || !*vals[i])
			continue;
		buf_addf(&b, "%s%s=", b.len ? "&" : "", keys[i]);
		web_url_encode(&b, vals[i]);
	}
	out = buf_error(&b) ? "" : arena_strndup(a, buf_str(&b), b.len);
	buf_release(&b);
	return out;
}

void web_set_pager(struct page *p, int page, bool more, const char *qs)
{
	tv_set_str(p->a, p->ctx, "qs", qs);
	if (page > 1)
		tv_set_int(p->a, p->ctx, "prev_page", page - 1);
	if (more)
		tv_set_int(p->a, p->ctx, "next_page", page + 1);
	tv_set_int(p->a, p->ctx, "page", page);
}

/* "MM-DD" of China day number day. */
static const char *day_label(struct arena *a, int day)
{
	time_t t = (time_t)(rank_day_start(day) + RANK_TZ_OFFSET);
	struct tm tm;
	char s[16];

	gmtime_r(&t, &tm);
	strftime(s, sizeof(s), "%m-%d", &tm);
	return arena_strdup(a, s);
}

/* ---- the dashboard -------------------------------------------------------*/

#define CHART_W 600	/* 30 bars of 20 units */
#define CHART_H 100
#define BAR_W 20

static const char *const metric_keys[STORE_ADMIN_METRICS] = {
	"admin_m_uploads", "admin_m_published", "admin_m_views",
	"admin_m_downloads", "admin_m_signups", "admin_m_issued",
	"admin_m_spent",
};

/* Bar heights for values v[0..ADMIN_DAYS) scaled to max; each bar
 * carries its day and value for the SVG's <title>. */
static struct tpl_val *bars(struct page *p, const struct admin_dashboard *d,
			    const int64_t *v, int64_t max)
{
	struct tpl_val *list = tv_list(p->a);
	int i;

	for (i = 0; i < ADMIN_DAYS; i++) {
		struct tpl_val *b = tv_push(p->a, list, tv_map(p->a));
		int64_t h = max > 0 ? v[i] * (CHART_H - 10) / max : 0;
		if (v[i] > 0 && h < 1)
			h = 1;
		tv_set_int(p->a, b, "x", (int64_t)i * BAR_W + 2);
		tv_set_int(p->a, b, "y", CHART_H - h);
		tv_set_int(p->a, b, "h", h);
		tv_set_int(p->a, b, "value", v[i]);
		tv_set_str(p->a, b, "day",
			   day_label(p->a, d->first_day + i));
	}
	return list;
}

static int64_t max_of(const int64_t *v)
{
	int64_t m = 0;
	int i;

	for (i = 0; i < ADMIN_DAYS; i++)
		if (v[i] > m)
			m = v[i];
	return m;
}

/* The points chart: issued as bars, spent as a line over them, on one
 * scale. */
static void points_chart(struct page *p, const struct admin_dashboard *d)
{
	const int64_t *iss = d->daily[STORE_ADMIN_ISSUED];
	const int64_t *sp = d->daily[STORE_ADMIN_SPENT];
	int64_t max = max_of(iss) > max_of(sp) ? max_of(iss) : max_of(sp);
	struct tpl_val *c = tv_set(p->a, p->ctx, "points", tv_map(p->a));
	struct buf b;
	int i;

	tv_set(p->a, c, "bars", bars(p, d, iss, max));
	buf_init(&b, 4096);
	for (i = 0; i < ADMIN_DAYS; i++) {
		int64_t h = max > 0 ? sp[i] * (CHART_H - 10) / max : 0;
		buf_addf(&b, "%s%d,%lld", i ? " " : "", i * BAR_W + BAR_W / 2,
			 (long long)(CHART_H - h));
	}
	if (!buf_error(&b))
		tv_set_str(p->a, c, "line", buf_str(&b));
	buf_release(&b);
	tv_set_int(p->a, c, "issued", d->total[STORE_ADMIN_ISSUED]);
	tv_set_int(p->a, c, "spent", d->total[STORE_ADMIN_SPENT]);
	tv_set_int(p->a, c, "max", max);
}

int web_admin(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct admin_dashboard *d;
	struct tpl_val *list, *q;
	struct page p;
	int m, rc;

	if ((rc = web_console_page(&p, ctx, rq, rs, "/admin", PERM_MODERATE)))
		return rc == WEB_CONSOLE_REDIRECTED ? 0 : rc;
	if (!(d = arena_alloc(p.a, sizeof(*d))))
		return 500;
	if ((rc = admin_dashboard_at(p.app->store, (int64_t)time(NULL), d)))
		return web_status(rc);
	tv_set_int(p.a, p.ctx, "chart_w", CHART_W);
	tv_set_int(p.a, p.ctx, "chart_h", CHART_H);
	tv_set_int(p.a, p.ctx, "bar_w", BAR_W - 4);
	tv_set_str(p.a, p.ctx, "from", day_label(p.a, d->first_day));
	tv_set_str(p.a, p.ctx, "to",
		   day_label(p.a, d->first_day + ADMIN_DAYS - 1));
	list = tv_set(p.a, p.ctx, "charts", tv_list(p.a));
	for (m = 0; m < STORE_ADMIN_ISSUED; m++) {
		struct tpl_val *c = tv_push(p.a, list, tv_map(p.a));
		tv_set_str(p.a, c, "id", metric_keys[m]);
		tv_set_str(p.a, c, "name", page_t(&p, metric_keys[m]));
		tv_set_int(p.a, c, "total", d->total[m]);
		tv_set_int(p.a, c, "max", max_of(d->daily[m]));
		tv_set(p.a, c, "bars", bars(&p, d, d->daily[m],
					    max_of(d->daily[m])));
	}
	points_chart(&p, d);
	q = tv_set(p.a, p.ctx, "queues", tv_map(p.a));
	tv_set_int(p.a, q, "jobs_queued", d->queues.jobs_queued);
	tv_set_int(p.a, q, "jobs_failed", d->queues.jobs_failed);
	tv_set_int(p.a, q, "docs_pending", d->queues.docs_pending);
	tv_set_int(p.a, q, "reports_open", d->queues.reports_open);
	tv_set_int(p.a, q, "comments_pending", d->queues.comments_pending);
	tv_set_int(p.a, q, "verifications_pending",
		   d->queues.verifications_pending);
	return web_console_render(&p, rs, "admin", "admin_title");
}

/* ---- accounts --------------------------------------------------------------*/

static struct tpl_val *user_map(struct page *p,
				const struct store_admin_user *u)
{
	struct tpl_val *m = tv_map(p->a);

	tv_set_int(p->a, m, "id", u->id);
	tv_set_str(p->a, m, "name", u->name);
	tv_set_str(p->a, m, "display_name", u->display_name);
	tv_set_str(p->a, m, "role", u->role);
	tv_set_str(p->a, m, "role_name",
		   page_t(p, arena_sprintf(p->a, "role_%s", u->role)));
	tv_set_str(p->a, m, "status",
		   page_t(p, arena_sprintf(p->a, "ustate_%s", u->status)));
	tv_set_bool(p->a, m, "suspended", !strcmp(u->status, "suspended"));
	if (u->suspended_until)
		tv_set_str(p->a, m, "until", web_when(p->a, u->suspended_until));
	tv_set_bool(p->a, m, "verified", u->verified);
	tv_set_str(p->a, m, "created", web_when(p->a, u->created_at));
	return m;
}

int web_admin_users(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	const char *q = http_query(rq, "q");
	struct store_admin_user *u;
	struct tpl_val *list;
	struct page p;
	int page = web_page_number(rq), rc;
	size_t n, i;
	bool more;

	if ((rc = web_console_page(&p, ctx, rq, rs, "/admin/users", PERM_ADMIN)))
		return rc == WEB_CONSOLE_REDIRECTED ? 0 : rc;
	if (!page || (q && strlen(q) > QUERY_MAX))
		return 400;
	if ((rc = store_admin_users(p.app->store, p.a, q ? q : "",
				    (page - 1) * PER_PAGE, PER_PAGE, &u, &n,
				    &more)))
		return web_status(rc);
	list = tv_set(p.a, p.ctx, "users", tv_list(p.a));
	for (i = 0; i < n; i++)
		tv_push(p.a, list, user_map(&p, &u[i]));
	tv_set_str(p.a, p.ctx, "q", q);
	{
		const char *keys[] = { "q" }, *vals[] = { q };
		web_set_pager(&p, page, more, query_string(p.a, keys, vals, 1));
	}
	return web_console_render(&p, rs, "admin_users", "admin_users");
}

/* A random form nonce (32 hex digits) for a grant, in a. */
static const char *form_nonce(struct arena *a)
{
	unsigned char rnd[16];
	char *hex = arena_alloc(a, 33);

	if (!hex)
		return "";
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(hex, 33, rnd, sizeof(rnd));
	return hex;
}

static int user_extras(struct page *p, int64_t id)
{
	struct store *s = p->app->store;
	struct store_admin_comment *c;
	struct store_ledger_entry *e;
	struct store_vip_plan *plans;
	struct store_audit *au;
	struct store_doc *docs;
	struct vip_status vs;
	struct tpl_val *list, *v;
	int64_t balance;
	size_t n, i;
	int rc;

	if ((rc = store_admin_user_docs(s, p->a, id, 50, &docs, &n)))
		return rc;
	list = tv_set(p->a, p->ctx, "docs", tv_list(p->a));
	for (i = 0; i < n; i++) {
		struct tpl_val *m = tv_push(p->a, list, tv_map(p->a));
		tv_set_int(p->a, m, "id", docs[i].id);
		tv_set_str(p->a, m, "title", docs[i].title);
		tv_set_str(p->a, m, "status", page_t(p, arena_sprintf(
			p->a, "state_%s", docs[i].status)));
		tv_set_bool(p->a, m, "published",
			    !strcmp(docs[i].status, "published"));
		tv_set_str(p->a, m, "when", web_when(p->a, docs[i].created_at));
	}
	if ((rc = store_admin_user_comments(s, p->a, id, 20, &c, &n)))
		return rc;
	list = tv_set(p->a, p->ctx, "comments", tv_list(p->a));
	for (i = 0; i < n; i++) {
		struct tpl_val *m = tv_push(p->a, list, tv_map(p->a));
		tv_set_str(p->a, m, "body", c[i].c.body);
		tv_set_int(p->a, m, "doc_id", c[i].doc_id);
		tv_set_str(p->a, m, "doc_title", c[i].doc_title);
		tv_set_str(p->a, m, "status", page_t(p, arena_sprintf(
			p->a, "cstate_%s", c[i].status)));
		tv_set_str(p->a, m, "when", web_when(p->a, c[i].c.created_at));
	}
	if ((rc = ledger_balance(s, id, &balance)) ||
	    (rc = store_ledger_history(s, p->a, id, 50, &e, &n)))
		return rc;
	tv_set_int(p->a, p->ctx, "balance", balance);
	list = tv_set(p->a, p->ctx, "ledger", tv_list(p->a));
	for (i = 0; i < n; i++) {
		struct tpl_val *m = tv_push(p->a, list, tv_map(p->a));
		tv_set_int(p->a, m, "tx", e[i].tx);
		tv_set_str(p->a, m, "when", web_when(p->a, e[i].created_at));
		tv_set_str(p->a, m, "amount",
			   arena_sprintf(p->a, "%+lld", (long long)e[i].amount));
		tv_set_str(p->a, m, "kind", e[i].kind);
		tv_set_str(p->a, m, "memo", e[i].memo);
	}
	if ((rc = vip_status_of(s, p->a, id, (int64_t)time(NULL), &vs)))
		return rc;
	v = tv_set(p->a, p->ctx, "vip", tv_map(p->a));
	tv_set_bool(p->a, v, "active", vs.active);
	if (vs.until)
		tv_set_str(p->a, v, "until", web_when(p->a, vs.until));
	if (vs.active)
		tv_set_str(p->a, v, "plan", p->lang == LANG_EN &&
						    *vs.plan.name_en
					       ? vs.plan.name_en
					       : vs.plan.name);
	if ((rc = store_vip_plans(s, p->a, false, &plans, &n)))
		return rc;
	list = tv_set(p->a, p->ctx, "plans", tv_list(p->a));
	for (i = 0; i < n; i++) {
		struct tpl_val *m = tv_push(p->a, list, tv_map(p->a));
		tv_set_int(p->a, m, "id", plans[i].id);
		tv_set_str(p->a, m, "name", p->lang == LANG_EN &&
						    *plans[i].name_en
					       ? plans[i].name_en
					       : plans[i].name);
		tv_set_int(p->a, m, "days", plans[i].days);
	}
	if ((rc = audit_list(s, p->a, AUDIT_USER, id, 50, &au, &n)))
		return rc;
	list = tv_set(p->a, p->ctx, "history", tv_list(p->a));
	for (i = 0; i < n; i++) {
		struct tpl_val *m = tv_push(p->a, list, tv_map(p->a));
		tv_set_str(p->a, m, "when", web_when(p->a, au[i].at));
		tv_set_str(p->a, m, "actor", au[i].actor_id ? au[i].actor_name
				: page_t(p, "admin_actor_system"));
		tv_set_str(p->a, m, "action", au[i].action);
		tv_set_str(p->a, m, "before", au[i].before);
		tv_set_str(p->a, m, "after", au[i].after);
		tv_set_str(p->a, m, "note", au[i].note);
	}
	return 0;
}

int web_admin_user(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	static const char *const roles[] = { "reader", "provider",
					     "moderator", "admin" };
	const char *done = http_query(rq, "done");
	struct store_admin_user u;
	struct tpl_val *list;
	struct page p;
	int64_t id;
	size_t i;
	int rc;

	if (docs_parse_id(http_param(rq, "id"), &id))
		return 400;
	if ((rc = web_console_page(&p, ctx, rq, rs,
			       arena_sprintf(rq->arena, "/admin/users/%lld",
					     (long long)id), PERM_ADMIN)))
		return rc == WEB_CONSOLE_REDIRECTED ? 0 : rc;
	if ((rc = store_read_begin(p.app->store)))
		return web_status(rc);
	rc = store_admin_user_get(p.app->store, p.a, id, &u);
	if (!rc) {
		tv_set(p.a, p.ctx, "user", user_map(&p, &u));
		rc = user_extras(&p, id);
	}
	if (!rc)
		rc = web_admin_user_sessions(&p, id);
	store_read_end(p.app->store);
	if (rc)
		return web_status(rc);
	list = tv_set(p.a, p.ctx, "roles", tv_list(p.a));
	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
		struct tpl_val *m = tv_push(p.a, list, tv_map(p.a));
		tv_set_str(p.a, m, "value", roles[i]);
		tv_set_str(p.a, m, "name", page_t(&p, arena_sprintf(
			p.a, "role_%s", roles[i])));
		tv_set_bool(p.a, m, "current", !strcmp(u.role, roles[i]));
	}
	tv_set_bool(p.a, p.ctx, "self", id == p.user.id);
	tv_set_str(p.a, p.ctx, "nonce", form_nonce(p.a));
	tv_set_int(p.a, p.ctx, "reason_max", ADMIN_REASON_MAX);
	tv_set_int(p.a, p.ctx, "message_max", ADMIN_MESSAGE_MAX);
	if (done && (!strcmp(done, "role") || !strcmp(done, "suspend") ||
		     !strcmp(done, "lift") || !strcmp(done, "points") ||
		     !strcmp(done, "vip") || !strcmp(done, "sessions") ||
		     !strcmp(done, "message")))
		tv_set_str(p.a, p.ctx, "done", page_t(&p, arena_sprintf(
			p.a, "admin_done_%s", done)));
	return web_console_render(&p, rs, "admin_user", "admin_users");
}

/* A whole number in lo..hi from form field name; false when missing or
 * malformed. */
bool web_form_int(struct http_req *rq, const char *name, long long lo,
		  long long hi, long long *v)
{
	const char *s = http_form(rq, name);
	char *end;

	if (!s || !*s)
		return false;
	*v = strtoll(s, &end, 10);
	return !*end && *v >= lo && *v <= hi;
}

/* A suspension's end typed as China time, "YYYY-MM-DDTHH:MM" (an
 * <input type="datetime-local">) or "YYYY-MM-DD" (midnight); false when
 * malformed or not a real date. */
static bool parse_until(const char *s, int64_t *out)
{
	int y, mo, d, h = 0, mi = 0, n;
	char extra;
	struct tm tm = { 0 };
	time_t t;

	n = sscanf(s, "%4d-%2d-%2dT%2d:%2d%c", &y, &mo, &d, &h, &mi, &extra);
	if ((n != 3 && n != 5) || (n == 3 && strlen(s) != 10) ||
	    y < 2000 || y > 2999 || mo < 1 || mo > 12 || d < 1 || d > 31 ||
	    h < 0 || h > 23 || mi < 0 || mi > 59)
		return false;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	t = timegm(&tm);
	if (t == (time_t)-1 || tm.tm_mday != d)	/* 02-30 rolled over */
		return false;
	*out = (int64_t)t - RANK_TZ_OFFSET;
	return true;
}

/* An action's failure as a page (400/403/404/409 with a message). */
static int action_failed(struct http_req *rq, struct http_resp *rs,
			 struct web_app *app, int rc, const char *bad_key)
{
	switch (rc) {
	case WK_EINVAL:
		return web_message(rq, rs, app, 400, "admin_users", bad_key);
	case WK_EFORBIDDEN:
		return web_message(rq, rs, app, 403, "admin_users",
				   "admin_err_self");
	case WK_ECONFLICT:
		return web_message(rq, rs, app, 409, "admin_users",
				   "admin_err_conflict");
	}
	return web_status(rc);
}

/* A one-time password-reset link for account id, shown this once to the
 * admin (the page is not stored: no-store, and only the hash is kept). */
static int reset_link(struct http_req *rq, struct http_resp *rs,
		      struct web_app *app, const struct auth_user *admin,
		      int64_t id, int64_t now)
{
	char token[AUTH_TOKEN_HEX];
	struct store_admin_user u;
	struct page p;
	int rc;

	if ((rc = page_begin(&p, app, rq, NULL,
			     arena_sprintf(rq->arena, "/admin/users/%lld",
					   (long long)id))))
		return web_status(rc);
	if ((rc = store_admin_user_get(app->store, p.a, id, &u)))
		return web_status(rc);
	if ((rc = auth_reset_create(app->store, admin->id, id, now, token)))
		return web_status(rc);
	tv_set_bool(p.a, p.ctx, "is_admin", true);
	tv_set(p.a, p.ctx, "user", user_map(&p, &u));
	tv_set_str(p.a, p.ctx, "reset_path",
		   arena_sprintf(p.a, "/reset/%s", token));
	sodium_memzero(token, sizeof(token));
	log_info("admin %lld: reset link made for user %lld",
		 (long long)admin->id, (long long)id);
	rc = web_console_render(&p, rs, "admin_reset", "admin_reset");
	http_resp_header(rs, "Referrer-Policy", "no-referrer");
	return rc;
}

int web_admin_user_act(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct web_app *app = ctx;
	const char *action = http_form(rq, "action");
	const char *reason = http_form(rq, "reason");
	const char *bad = "admin_err_form";
	int64_t id, now = (int64_t)time(NULL);
	struct auth_user u;
	long long v;
	int rc;

	if (docs_parse_id(http_param(rq, "id"), &id))
		return 400;
	if ((rc = console_post(app, rq, &u)))
		return rc;
	if (!action)
		return 400;
	if (!strcmp(action, "role")) {
		rc = admin_set_role(app->store, u.id, id, http_form(rq, "role"));
	} else if (!strcmp(action, "suspend")) {
		/* until: the end (China time), or days: how long; neither:
		 * until lifted. */
		const char *days = http_form(rq, "days");
		const char *end = http_form(rq, "until");
		int64_t until = 0;
		if (end && *end) {
			if (!parse_until(end, &until))
				return action_failed(rq, rs, app, WK_EINVAL,
						     "admin_err_until");
		} else if (days && *days) {
			if (!web_form_int(rq, "days", 1, 3650, &v))
				return action_failed(rq, rs, app, WK_EINVAL,
						     "admin_err_days");
			until = now + v * 86400;
		}
		bad = "admin_err_reason";
		rc = admin_suspend(app->store, u.id, id, until, reason, now);
	} else if (!strcmp(action, "lift")) {
		rc = admin_lift(app->store, u.id, id, reason);
	} else if (!strcmp(action, "points")) {
		struct ledger_result lr;
		if (!web_form_int(rq, "amount", 1, 1000000000, &v))
			return action_failed(rq, rs, app, WK_EINVAL,
					     "admin_err_amount");
		bad = "admin_err_reason";
		rc = admin_grant_points(app->store, rq->arena, u.id, u.name, id,
					v, http_form(rq, "nonce"), reason,
					&lr);
	} else if (!strcmp(action, "vip")) {
		long long days = 0;
		int64_t until;
		bool replayed;
		const char *d = http_form(rq, "days");
		if (!web_form_int(rq, "plan", 1, INT64_MAX, &v) ||
		    (d && *d && !web_form_int(rq, "days", 1, 3660, &days)))
			return action_failed(rq, rs, app, WK_EINVAL,
					     "admin_err_form");
		rc = admin_grant_vip(app->store, u.id, id, v, (int)days,
				     http_form(rq, "nonce"), now, &until,
				     &replayed);
	} else if (!strcmp(action, "sessions")) {
		int64_t ended;
		rc = admin_end_sessions(app->store, u.id, id, now, &ended);
	} else if (!strcmp(action, "message")) {
		bad = "admin_err_message";
		rc = admin_message(app->store, u.id, id,
				   http_form(rq, "message"), now);
	} else if (!strcmp(action, "reset")) {
		return reset_link(rq, rs, app, &u, id, now);
	} else {
		return 400;
	}
	if (rc)
		return action_failed(rq, rs, app, rc, bad);
	log_info("admin %lld: %s on user %lld", (long long)u.id, action,
		 (long long)id);
	return web_redirect(rs, arena_sprintf(rq->arena,
					      "/admin/users/%lld?done=%s",
					      (long long)id, action));
}

/* ---- the audit log -----------------------------------------------------------*/

/* The console page of an audited object, or NULL when it has none. */
static const char *object_link(struct arena *a, const char *type, int64_t id)
{
	static const struct {
		const char *type, *fmt;
	} pages[] = {
		{ AUDIT_USER, "/admin/users/%lld" },
		{ AUDIT_DOC, "/admin/review/%lld" },
		{ AUDIT_REPORT, "/mod/reports/%lld" },
		{ AUDIT_CODE_BATCH, "/admin/codes/%lld" },
	};
	for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++)
		if (!strcmp(type, pages[i].type) && id > 0)
			return arena_sprintf(a, pages[i].fmt, (long long)id);
	return NULL;
}

/* ?object=TYPE or TYPE:ID; false when malformed. */
static bool parse_object(struct arena *a, const char *v, const char **type,
			 int64_t *id)
{
	const char *colon;

	*type = "";
	*id = 0;
	if (!v || !*v)
		return true;
	colon = strchr(v, ':');
	if (colon && docs_parse_id(colon + 1, id))
		return false;
	*type = colon ? arena_strndup(a, v, (size_t)(colon - v)) : v;
	return *type && strlen(*type) <= 32;
}

int web_admin_audit(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	const char *actor = http_query(rq, "actor");
	const char *action = http_query(rq, "action");
	const char *object = http_query(rq, "object");
	const char *otype;
	struct store_audit *e;
	struct tpl_val *list;
	struct page p;
	int page = web_page_number(rq), rc;
	int64_t oid;
	size_t n, i;
	bool more;

	if ((rc = web_console_page(&p, ctx, rq, rs, "/admin/audit", PERM_ADMIN)))
		return rc == WEB_CONSOLE_REDIRECTED ? 0 : rc;
	if (!page || (actor && strlen(actor) > QUERY_MAX) ||
	    (action && strlen(action) > QUERY_MAX) ||
	    !parse_object(p.a, object, &otype, &oid))
		return 400;
	if ((rc = store_admin_audit(p.app->store, p.a, actor ? actor : "",
				    action ? action : "", otype, oid,
				    (page - 1) * PER_PAGE, PER_PAGE, &e, &n,
				    &more)))
		return web_status(rc);
	list = tv_set(p.a, p.ctx, "entries", tv_list(p.a));
	for (i = 0; i < n; i++) {
		struct tpl_val *m = tv_push(p.a, list, tv_map(p.a));
		tv_set_int(p.a, m, "id", e[i].id);
		tv_set_str(p.a, m, "when", web_when(p.a, e[i].at));
		tv_set_str(p.a, m, "actor", e[i].actor_id ? e[i].actor_name
				: page_t(&p, "admin_actor_system"));
		tv_set_int(p.a, m, "actor_id", e[i].actor_id);
		tv_set_str(p.a, m, "action", e[i].action);
		tv_set_str(p.a, m, "object_type", e[i].object_type);
		tv_set_int(p.a, m, "object_id", e[i].object_id);
		tv_set_str(p.a, m, "link", object_link(p.a, e[i].object_type,
						       e[i].object_id));
		tv_set_str(p.a, m, "before", e[i].before);
		tv_set_str(p.a, m, "after", e[i].after);
		tv_set_str(p.a, m, "note", e[i].note);
	}
	tv_set_str(p.a, p.ctx, "actor", actor);
	tv_set_str(p.a, p.ctx, "action", action);
	tv_set_str(p.a, p.ctx, "object", object);
	{
		const char *keys[] = { "actor", "action", "object" };
		const char *vals[] = { actor, action, object };
		web_set_pager(&p, page, more, query_string(p.a, keys, vals, 3));
	}
	return web_console_render(&p, rs, "admin_audit", "admin_audit");
}

/* ---- failed conversion jobs ----------------------------------------------------*/

int web_admin_jobs(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct store_admin_job *j;
	struct tpl_val *list;
	struct page p;
	int page = web_page_number(rq), rc;
	size_t n, i;
	bool more;

	if ((rc = web_console_page(&p, ctx, rq, rs, "/admin/jobs", PERM_ADMIN)))
		return rc == WEB_CONSOLE_REDIRECTED ? 0 : rc;
	if (!page)
		return 400;
	if ((rc = store_admin_jobs_failed(p.app->store, p.a,
					  (page - 1) * PER_PAGE, PER_PAGE, &j,
					  &n, &more)))
		return web_status(rc);
	list = tv_set(p.a, p.ctx, "jobs", tv_list(p.a));
	for (i = 0; i < n; i++) {
		struct tpl_val *m = tv_push(p.a, list, tv_map(p.a));
		tv_set_int(p.a, m, "id", j[i].j.id);
		tv_set_str(p.a, m, "kind", j[i].j.kind);
		tv_set_str(p.a, m, "filename", j[i].j.filename);
		tv_set_str(p.a, m, "batch", j[i].j.batch);
		tv_set_int(p.a, m, "provider_id", j[i].j.provider_id);
		tv_set_str(p.a, m, "reason", j[i].j.reason);
		tv_set_int(p.a, m, "attempts", j[i].j.attempts);
		tv_set_str(p.a, m, "created", web_when(p.a, j[i].created_at));
		tv_set_str(p.a, m, "ended", web_when(p.a, j[i].updated_at));
	}
	tv_set_bool(p.a, p.ctx, "retried", http_query(rq, "retried") != NULL);
	web_set_pager(&p, page, more, "");
	return web_console_render(&p, rs, "admin_jobs", "admin_jobs");
}

int web_admin_job_retry(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct web_app *app = ctx;
	struct auth_user u;
	int64_t id;
	int rc;

	if (docs_parse_id(http_param(rq, "id"), &id))
		return 400;
	if ((rc = console_post(app, rq, &u)))
		return rc;
	rc = admin_job_retry(app->store, u.id, id, (int64_t)time(NULL));
	if (rc == WK_ECONFLICT)
		return web_message(rq, rs, app, 409, "admin_jobs",
				   "admin_err_conflict");
	if (rc)
		return web_status(rc);
	log_info("admin %lld: job %lld queued again", (long long)u.id,
		 (long long)id);
	return web_redirect(rs, "/admin/jobs?retried=1");
}
