/*
 * upload.c - providers' uploads: the upload page, POST /upload, the
 * "my documents" list, and POST /api/v1/documents for partners (an API
 * token as Authorization: Bearer, or a session with X-CSRF-Token).
 * Files go to the conversion queue (domain/ingest.h); nothing is parsed
 * here.
 */
#include "web_internal.h"

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../base/json.h"
#include "../base/log.h"
#include "../domain/ingest.h"
#include "../domain/tags.h"
#include "../domain/perm.h"
#include "../store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static struct ingest_pool *pool;

int64_t web_ingest_idle_ms(void)
{
	return ingest_pool_idle_ms(pool);
}

void web_set_ingest_pool(struct ingest_pool *p)
{
	pool = p;
}

/* A display name for an uploaded file: its last component, at most 120
 * bytes; never used as a path. */
static const char *display_name(struct arena *a, const char *name)
{
	const char *base;

	if (!name || !*name)
		return "upload";
	base = strrchr(name, '/');
	base = base ? base + 1 : name;
	if (strrchr(base, '\\'))
		base = strrchr(base, '\\') + 1;
	return arena_strndup(a, base, strlen(base) > 120 ? 120 : strlen(base));
}

/* Queue the request's file for user u. 0 with *job, or an HTTP status
 * and a message key in *why. */
static int take_upload(struct web_app *app, struct http_req *rq,
		       const struct auth_user *u, struct store_job *job,
		       const char **why)
{
	const char *field, *fname, *cat = http_form(rq, "category");
	const char *price_s = http_form(rq, "price");
	struct ingest_opts o;
	struct store_category c;
	const void *data;
	char err[256];
	size_t len;
	long price = 0;

	memset(&o, 0, sizeof(o));
	if (http_upload(rq, &field, &fname, &data, &len) || len == 0) {
		*why = "upload_no_file";
		return 400;
	}
	if (len > (size_t)web_cfg(app)->upload_max_mb << 20) {
		*why = "upload_too_big";
		return 413;
	}
	if (cat && *cat) {
		if (store_category_by_slug(app->store, rq->arena, cat, &c)) {
			*why = "upload_bad_category";
			return 400;
		}
		o.category_id = c.id;
	}
	if (price_s && *price_s) {
		char *end;
		price = strtol(price_s, &end, 10);
		/* 0 is free; a paid price within price_min..price_max. */
		if (*end || end == price_s || price < 0 ||
		    price > web_cfg(app)->price_max ||
		    (price > 0 && price < web_cfg(app)->price_min)) {
			*why = "upload_bad_price";
			return 400;
		}
	}
	{
		/* Tags as typed (checked here, split again at commit). */
		const char *tags = http_form(rq, "tags"), **v;
		size_t nt;
		if (tags && *tags) {
			if (tags_parse(rq->arena, tags, &v, &nt)) {
				*why = "upload_bad_tags";
				return 400;
			}
			o.tags = tags;
		}
	}
	o.filename = display_name(rq->arena, fname);
	o.provider_id = u->id;
	o.price = (int)price;
	/* VIP-free means something only for a paid document. */
	o.vip_free = price > 0 && http_form(rq, "vip_free") &&
		     !strcmp(http_form(rq, "vip_free"), "1");
	o.publish = web_cfg(app)->publish_uploads != 0;
	if (ingest_enqueue(app->store, rq->arena, data, len, &o, job, err,
			   sizeof(err))) {
		log_error("upload by %lld: %s", (long long)u->id, err);
		*why = "upload_failed";
		return 500;
	}
	if (pool)
		ingest_pool_wake(pool);
	return 0;
}

int web_upload_form(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct page p;
	int rc;

	if ((rc = page_begin(&p, ctx, rq, NULL, "/upload")))
		return web_status(rc);
	if (!p.user.id)
		return web_redirect(rs, "/login?next=/upload");
	if (!perm_can(&p.user, PERM_DOC_UPLOAD, 0))
		return 403;
	tv_set_str(p.a, p.ctx, "title", page_t(&p, "upload"));
	tv_set_int(p.a, p.ctx, "max_mb", web_cfg(p.app)->upload_max_mb);
	tv_set_int(p.a, p.ctx, "price_max", web_cfg(p.app)->price_max);
	tv_set_int(p.a, p.ctx, "price_min", web_cfg(p.app)->price_min);
	rc = page_render(&p, rs, "upload");
	http_resp_header(rs, "Cache-Control", "no-store");
	return rc;
}

int web_upload(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct web_app *app = ctx;
	struct store_job job;
	struct auth_user u;
	const char *tok, *why = NULL;
	int status;

	if (!web_post_ok(app, rq))
		return 403;
	web_user(app, rq, &u, &tok);
	if (!u.id)
		return web_redirect(rs, "/login?next=/upload");
	if (!perm_can(&u, PERM_DOC_UPLOAD, 0))
		return 403;
	status = take_upload(app, rq, &u, &job, &why);
	if (status)
		return status;
	return web_redirect(rs, "/me/docs");
}

int web_my_docs(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct store_upload *ups;
	struct tpl_val *list;
	struct page p;
	size_t n, i;
	int rc;

	if ((rc = page_begin(&p, ctx, rq, NULL, "/me/docs")))
		return web_status(rc);
	if (!p.user.id)
		return web_redirect(rs, "/login?next=/me/docs");
	if (!perm_can(&p.user, PERM_DOC_MINE, 0))
		return 403;
	if ((rc = store_uploads_of(p.app->store, p.a, p.user.id, 200, &ups,
				   &n)))
		return web_status(rc);
	list = tv_set(p.a, p.ctx, "uploads", tv_list(p.a));
	for (i = 0; i < n; i++) {
		struct tpl_val *m = tv_push(p.a, list, tv_map(p.a));
		const char *state;

		if (strcmp(ups[i].status, "done"))
			state = "state_converting";
		else if (!strcmp(ups[i].outcome, "rejected"))
			state = "state_rejected";
		else if (!strcmp(ups[i].outcome, "duplicate"))
			state = "state_duplicate";
		else if (!strcmp(ups[i].doc_status, "published"))
			state = "state_published";
		else if (!strcmp(ups[i].doc_status, "rejected"))
			state = "state_rejected";
		else if (!strcmp(ups[i].doc_status, "removed"))
			state = "state_removed";
		else if (!strcmp(ups[i].doc_status, "hidden"))
			state = "state_hidden";
		else
			state = "state_pending";
		tv_set_str(p.a, m, "filename", ups[i].filename);
		tv_set_str(p.a, m, "state", page_t(&p, state));
		tv_set_str(p.a, m, "state_class", state + 6);
		tv_set_str(p.a, m, "reason", ups[i].reason);
		tv_set_int(p.a, m, "doc_id", ups[i].doc_id);
		tv_set_bool(p.a, m, "linked",
			    !strcmp(ups[i].doc_status, "published"));
		tv_set_str(p.a, m, "title", ups[i].title);
		tv_set_bool(p.a, m, "removed",
			    !strcmp(ups[i].doc_status, "removed"));
	}
	if (p.user.strikes > 0)
		tv_set_int(p.a, p.ctx, "strikes", p.user.strikes);
	tv_set_bool(p.a, p.ctx, "uploads_suspended",
		    !perm_can(&p.user, PERM_DOC_UPLOAD, 0));
	tv_set_str(p.a, p.ctx, "title", page_t(&p, "my_docs"));
	rc = page_render(&p, rs, "mydocs");
	http_resp_header(rs, "Cache-Control", "no-store");
	return rc;
}

/* ---- POST /api/v1/documents -------------------------------------------------*/

int web_api_json(struct http_resp *rs, int status, struct buf *b)
{
	rs->status = status;
	rs->content_type = "application/json; charset=utf-8";
	http_resp_header(rs, "Cache-Control", "no-store");
	http_resp_header(rs, "Content-Security-Policy",
			 "default-src 'none'; frame-ancestors 'none'");
	if (b != &rs->body) {
		buf_reset(&rs->body);
		buf_add(&rs->body, b->data, b->len);
	}
	return 0;
}

int web_api_fail(struct http_resp *rs, int status, const char *code)
{
	buf_reset(&rs->body);
	buf_addf(&rs->body, "{\"error\":{\"code\":\"%s\"}}\n", code);
	return web_api_json(rs, status, &rs->body);
}

int web_api_upload(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct web_app *app = ctx;
	struct store_job job;
	struct auth_user u;
	const char *why = NULL;
	struct buf *b = &rs->body;
	int status;

	if (!web_api_session(app, rq, rs, &u))
		return 0;
	if (!perm_can(&u, PERM_DOC_UPLOAD, 0))
		return web_api_fail(rs, 403, "forbidden");
	status = take_upload(app, rq, &u, &job, &why);
	if (status)
		return web_api_fail(rs, status, why + 7);
	buf_reset(b);
	buf_addf(b, "{\"job\":%lld,\"status\":", (long long)job.id);
	json_cstr(b, job.status);
	buf_adds(b, ",\"outcome\":");
	json_cstr(b, job.outcome);
	if (job.doc_id)
		buf_addf(b, ",\"document\":%lld", (long long)job.doc_id);
	buf_adds(b, "}\n");
	return web_api_json(rs, 202, b);
}
