/*
 * admin_codes.c - the console's redemption-code batches (/admin/codes,
 * admins): create a batch and download its codes once as CSV (only
 * their hashes are kept), list batches with their redemptions, void a
 * batch. The rules and audit entries are in domain/codes.h.
 */
#include "web_internal.h"

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../base/utf8.h"
#include "../domain/codes.h"
#include "../domain/docs.h"
#include "../domain/perm.h"
#include "../store/store.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PER_PAGE 50

static struct tpl_val *batch_map(struct page *p,
				 const struct store_code_batch *b)
{
	struct tpl_val *m = tv_map(p->a);

	tv_set_int(p->a, m, "id", b->id);
	tv_set_str(p->a, m, "name", b->name);
	if (b->vip_plan_id)
		tv_set_str(p->a, m, "plan", *b->plan_name
						    ? b->plan_name
						    : arena_sprintf(
							  p->a, "#%lld",
							  (long long)
							  b->vip_plan_id));
	else
		tv_set_int(p->a, m, "points", b->points);
	tv_set_int(p->a, m, "count", b->count);
	tv_set_int(p->a, m, "redeemed", b->redeemed);
	tv_set_str(p->a, m, "expires", web_when(p->a, b->expires_at));
	tv_set_str(p->a, m, "created", web_when(p->a, b->created_at));
	if (b->voided_at)
		tv_set_str(p->a, m, "voided", web_when(p->a, b->voided_at));
	return m;
}

int web_admin_codes(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct store_code_batch *b;
	struct store_vip_plan *plans;
	struct tpl_val *list;
	struct page p;
	int page = web_page_number(rq), rc;
	size_t n, i;
	bool more;

	if ((rc = web_console_page(&p, ctx, rq, rs, "/admin/codes", PERM_ADMIN)))
		return rc == WEB_CONSOLE_REDIRECTED ? 0 : rc;
	if (!page)
		return 400;
	if ((rc = store_code_batches(p.app->store, p.a, (page - 1) * PER_PAGE,
				     PER_PAGE, &b, &n, &more)))
		return web_status(rc);
	list = tv_set(p.a, p.ctx, "batches", tv_list(p.a));
	for (i = 0; i < n; i++)
		tv_push(p.a, list, batch_map(&p, &b[i]));
	if ((rc = store_vip_plans(p.app->store, p.a, false, &plans, &n)))
		return web_status(rc);
	list = tv_set(p.a, p.ctx, "plans", tv_list(p.a));
	for (i = 0; i < n; i++) {
		struct tpl_val *m = tv_push(p.a, list, tv_map(p.a));
		tv_set_int(p.a, m, "id", plans[i].id);
		tv_set_str(p.a, m, "name", p.lang == LANG_EN &&
						   *plans[i].name_en
					      ? plans[i].name_en
					      : plans[i].name);
	}
	tv_set_str(p.a, p.ctx, "default_name",
		   arena_sprintf(p.a, "batch-%lld", (long long)time(NULL)));
	tv_set_int(p.a, p.ctx, "max_count", CODES_CONSOLE_MAX);
	web_set_pager(&p, page, more, "");
	return web_console_render(&p, rs, "admin_codes", "admin_codes");
}

/* A batch name typed in the console: 1..64 bytes of UTF-8 without
 * control characters. */
static bool batch_name_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0, i;

	if (n < 1 || n > 64 || !utf8_valid(s, n))
		return false;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

/* The batch name as a file name: ASCII letters, digits, '-', '_' and
 * '.', anything else '_'. */
static const char *file_part(struct arena *a, const char *name)
{
	char *out = arena_strdup(a, name), *c;

	for (c = out; c && *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' ||
		      *c == '.'))
			*c = '_';
	return out ? out : "batch";
}

int web_admin_codes_create(struct http_req *rq, struct http_resp *rs,
			   void *ctx)
{
	struct web_app *app = ctx;
	const char *name = http_form(rq, "name");
	const char *kind = http_form(rq, "kind");
	long long points = 0, plan = 0, count, days;
	int64_t now = (int64_t)time(NULL), id, expires;
	char (*codes)[CODE_TEXT];
	struct auth_user u;
	char when[32];
	struct tm tm;
	time_t et;
	size_t i;
	int rc;

	if ((rc = web_console_post(app, rq, &u, PERM_ADMIN)))
		return rc;
	if (!batch_name_ok(name) || !kind ||
	    !web_form_int(rq, "count", 1, CODES_CONSOLE_MAX, &count) ||
	    !web_form_int(rq, "days", 1, 3650, &days) ||
	    ((strcmp(kind, "points") ||
	      !web_form_int(rq, "points", 1, CODES_MAX_POINTS, &points)) &&
	     (strcmp(kind, "vip") ||
	      !web_form_int(rq, "plan", 1, INT64_MAX, &plan))))
		return web_message(rq, rs, app, 400, "admin_codes",
				   "admin_err_codes");
	if (!(codes = calloc((size_t)count, sizeof(*codes))))
		return 500;
	expires = now + days * 86400;
	rc = codes_create_batch(app->store, u.id, name, points, plan,
				(size_t)count, expires, now, codes, &id);
	if (rc) {
		sodium_memzero(codes, (size_t)count * sizeof(*codes));
		free(codes);
		if (rc == WK_ECONFLICT)
			return web_message(rq, rs, app, 409, "admin_codes",
					   "admin_err_batch_taken");
		if (rc == WK_ENOTFOUND || rc == WK_EINVAL)
			return web_message(rq, rs, app, 400, "admin_codes",
					   "admin_err_codes");
		return web_status(rc);
	}
	/* The only time the codes exist in clear: this reply. Not logged,
	 * not cached, not kept. */
	et = (time_t)expires;
	gmtime_r(&et, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	buf_reset(&rs->body);
	buf_addf(&rs->body, "code,%s,expires\r\n", plan ? "vip_plan" : "points");
	for (i = 0; i < (size_t)count; i++)
		buf_addf(&rs->body, "%s,%lld,%s\r\n", codes[i],
			 plan ? plan : points, when);
	sodium_memzero(codes, (size_t)count * sizeof(*codes));
	free(codes);
	if (buf_error(&rs->body))
		return 500;
	rs->status = 200;
	rs->content_type = "text/csv; charset=utf-8";
	http_resp_header(rs, "Content-Disposition",
			 arena_sprintf(rq->arena,
				       "attachment; filename=codes-%s.csv",
				       file_part(rq->arena, name)));
	http_resp_header(rs, "Cache-Control", "no-store");
	log_info("admin %lld: code batch %lld made (%lld codes)",
		 (long long)u.id, (long long)id, count);
	return 0;
}

int web_admin_code_batch(struct http_req *rq, struct http_resp *rs,
			 void *ctx)
{
	struct store_code_redemption *r;
	struct store_code_batch b;
	struct tpl_val *list;
	struct page p;
	int64_t id;
	size_t n, i;
	int rc;

	if (docs_parse_id(http_param(rq, "id"), &id))
		return 400;
	if ((rc = web_console_page(&p, ctx, rq, rs,
			       arena_sprintf(rq->arena, "/admin/codes/%lld",
					     (long long)id), PERM_ADMIN)))
		return rc == WEB_CONSOLE_REDIRECTED ? 0 : rc;
	if ((rc = store_read_begin(p.app->store)))
		return web_status(rc);
	rc = store_code_batch_get(p.app->store, p.a, id, &b);
	if (!rc)
		rc = store_code_redemptions(p.app->store, p.a, b.name, 1000,
					    &r, &n);
	store_read_end(p.app->store);
	if (rc)
		return web_status(rc);
	tv_set(p.a, p.ctx, "batch", batch_map(&p, &b));
	list = tv_set(p.a, p.ctx, "redemptions", tv_list(p.a));
	for (i = 0; i < n; i++) {
		struct tpl_val *m = tv_push(p.a, list, tv_map(p.a));
		tv_set_int(p.a, m, "user_id", r[i].user_id);
		tv_set_str(p.a, m, "user_name", r[i].user_name);
		tv_set_str(p.a, m, "when", web_when(p.a, r[i].at));
		if (r[i].points)
			tv_set_int(p.a, m, "points", r[i].points);
		else
			tv_set_int(p.a, m, "plan_id", r[i].vip_plan_id);
	}
	tv_set_bool(p.a, p.ctx, "just_voided",
		    http_query(rq, "voided") != NULL);
	return web_console_render(&p, rs, "admin_code_batch", "admin_codes");
}

int web_admin_code_batch_void(struct http_req *rq, struct http_resp *rs,
			      void *ctx)
{
	struct web_app *app = ctx;
	struct auth_user u;
	int64_t id;
	int rc;

	if (docs_parse_id(http_param(rq, "id"), &id))
		return 400;
	if ((rc = web_console_post(app, rq, &u, PERM_ADMIN)))
		return rc;
	rc = codes_void_batch(app->store, u.id, id, (int64_t)time(NULL));
	if (rc == WK_ECONFLICT)
		return web_message(rq, rs, app, 409, "admin_codes",
				   "admin_err_conflict");
	if (rc)
		return web_status(rc);
	log_info("admin %lld: code batch %lld voided", (long long)u.id,
		 (long long)id);
	return web_redirect(rs, arena_sprintf(rq->arena,
					      "/admin/codes/%lld?voided=1",
					      (long long)id));
}
