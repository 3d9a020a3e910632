/*
 * buy.c - buying documents and downloading them: POST /d/{id}/buy,
 * GET /d/{id}/download and their API twins POST
 * /api/v1/documents/{id}/purchase and GET /api/v1/documents/{id}/download.
 *
 * The download is checked every time (free rules or an entitlement,
 * purchase.h) and serves the original file as an attachment with a
 * fixed type per format, never sniffed or shown inline.
 */
#include "web_internal.h"

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../domain/auth.h"
#include "../domain/docs.h"
#include "../domain/ledger.h"
#include "../domain/perm.h"
#include "../domain/purchase.h"
#include "../domain/sandbox.h"
#include "../domain/trace.h"
#include "../domain/vip.h"
#include "../store/store.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DOWNLOAD_MAX ((size_t)256 << 20)
/* Downloads an hour: per account, and per address for visitors who are
 * not signed in (free documents, guest_free_downloads). A retry of an
 * answered Idempotency-Key is not counted. */
#define DOWNLOADS_PER_HOUR 120
#define GUEST_DOWNLOADS_PER_HOUR 30
/* download()'s answer when over those limits (Retry-After set). */
#define DL_RATE_LIMITED 1429

static const char *mime_of(const char *fmt)
{
	static const struct {
		const char *f, *m;
	} types[] = {
		{ "docx", "application/vnd.openxmlformats-officedocument."
			  "wordprocessingml.document" },
		{ "pptx", "application/vnd.openxmlformats-officedocument."
			  "presentationml.presentation" },
		{ "xlsx", "application/vnd.openxmlformats-officedocument."
			  "spreadsheetml.sheet" },
		{ "pdf", "application/pdf" },
		{ "epub", "application/epub+zip" },
		{ "odt", "application/vnd.oasis.opendocument.text" },
		{ "doc", "application/msword" },
		{ "xls", "application/vnd.ms-excel" },
		{ "ppt", "application/vnd.ms-powerpoint" },
		{ "rtf", "application/rtf" },
		{ "txt", "text/plain; charset=utf-8" },
		{ "md", "text/markdown; charset=utf-8" },
	};
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(types[i].f, fmt))
			return types[i].m;
	return "application/octet-stream";
}

/* A published document by the {id} of the path: 0 or an HTTP status. */
static int load_doc(struct web_app *app, struct http_req *rq,
		    struct store_doc *d)
{
	int64_t id;
	int rc;

	if (docs_parse_id(http_param(rq, "id"), &id))
		return 400;
	if ((rc = store_doc_get(app->store, rq->arena, id, d)))
		return web_status(rc);
	return strcmp(d->status, "published") ? 404 : 0;
}

static int buy(struct web_app *app, struct http_req *rq,
	       const struct auth_user *u, struct store_doc *d,
	       enum buy_outcome *oc, struct ledger_result *r)
{
	int status, rc;

	if ((status = load_doc(app, rq, d)))
		return status;
	if (!perm_can(u, PERM_PROFILE_EDIT, u->id))
		return 403;
	rc = purchase_buy(app->store, rq->arena, u->id, d,
			  web_cfg(app)->provider_share, web_cfg(app)->license_text,
			  (int64_t)time(NULL), oc, r);
	return rc ? web_status(rc) : 0;
}

int web_doc_buy(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	static const char *const q[] = { "ok", "already", "free", "own",
					 "short" };
	struct web_app *app = ctx;
	struct ledger_result r;
	struct store_doc d;
	struct auth_user u;
	enum buy_outcome oc;
	const char *tok;
	int status;

	if (!web_post_ok(app, rq))
		return 403;
	web_user(app, rq, &u, &tok);
	if (!u.id)
		return web_redirect(
			rs, arena_sprintf(rq->arena, "/login?next=/d/%s",
					  http_param(rq, "id")));
	if ((status = buy(app, rq, &u, &d, &oc, &r)))
		return status;
	return web_redirect(rs, arena_sprintf(rq->arena, "/d/%" PRId64
					      "?buy=%s#buy", d.id, q[oc]));
}

static int api_purchase(struct http_req *rq, struct http_resp *rs,
			void *ctx)
{
	struct web_app *app = ctx;
	struct ledger_result r;
	struct store_doc d;
	struct auth_user u;
	enum buy_outcome oc;
	struct buf *b = &rs->body;
	int status;

	if (!web_api_session(app, rq, rs, &u))
		return 0;
	if ((status = buy(app, rq, &u, &d, &oc, &r)))
		return web_api_fail(rs, status, status == 404 ? "not_found"
					    : status == 403 ? "forbidden"
							    : "error");
	if (oc == BUY_SHORT)
		return web_api_fail(rs, 402, "insufficient_points");
	if (oc == BUY_FREE || oc == BUY_OWN)
		return web_api_fail(rs, 409, oc == BUY_FREE ? "free_document"
							   : "own_document");
	buf_reset(b);
	buf_addf(b, "{\"tx\":%" PRId64 ",\"balance\":%" PRId64
		    ",\"already\":%s}\n",
		 r.tx, r.balance, oc == BUY_ALREADY ? "true" : "false");
	return web_api_json(rs, 200, b);
}

int web_api_doc_purchase(struct http_req *rq, struct http_resp *rs,
			 void *ctx)
{
	return web_idempotent(rq, rs, ctx, true, api_purchase);
}

static void free_blob(void *p)
{
	free(p);
}

/* ---- the downloads' memory budget ----------------------------------------*/

void web_set_download_budget(struct web_app *app, size_t bytes)
{
	app->download_budget = bytes;
}

struct held {
	struct web_app *app;
	size_t n;
};

static void release(void *p)
{
	struct held *h = p;

	atomic_fetch_sub(&h->app->download_held, h->n);
}

/* Hold n bytes of the budget until the request ends (the reply sent):
 * false when they would pass it. */
static bool hold(struct web_app *app, struct http_req *rq, size_t n)
{
	size_t cur = atomic_load(&app->download_held);
	struct held *h = arena_alloc(rq->arena, sizeof(*h));

	if (!h)
		return false;
	do {
		if (n > app->download_budget ||
		    cur > app->download_budget - n)
			return false;
	} while (!atomic_compare_exchange_weak(&app->download_held, &cur,
					       cur + n));
	h->app = app;
	h->n = n;
	return arena_on_free(rq->arena, release, h) == 0;
}

/* A VIP member's free download of a VIP-free document: 0 (counted
 * against today's quota), 403 not a member, 429 the quota is used up. */
static int vip_download(struct web_app *app, const struct auth_user *u,
			const struct store_doc *d)
{
	enum vip_dl_outcome oc;
	int rc;

	if (!u->id || !d->vip_free)
		return 403;
	rc = vip_use_download(app->store, u->id, d->id, (int64_t)time(NULL),
			      &oc);
	if (rc)
		return web_status(rc);
	return oc == VIP_DL_OK ? 0 : oc == VIP_DL_QUOTA ? 429 : 403;
}

/* The download itself: 0 with the file in rs, or an HTTP status (401 a
 * guest who must sign in, 403 not bought, 429 a member's VIP-free quota
 * used up today). */
static int download(struct web_app *app, struct http_req *rq,
		    struct http_resp *rs, bool api)
{
	unsigned char *data;
	struct store_doc d;
	struct auth_user u;
	const char *tok;
	size_t len;
	int64_t dl;
	bool bearer;
	int status, rc;

	if (!api)
		web_user(app, rq, &u, &tok);
	else if (!web_api_user(app, rq, rs, &u, &bearer, &tok))
		return 401;
	if ((status = load_doc(app, rq, &d)))
		return status;
	if (u.id && !perm_can(&u, PERM_PROFILE_EDIT, u.id) && d.price > 0)
		return 403;	/* suspended: may not use paid rights */
	rc = purchase_may_download(app->store, u.id, &d,
				   web_cfg(app)->guest_free_downloads);
	if (rc == WK_EFORBIDDEN && !u.id)
		return 401;
	if (rc == WK_EFORBIDDEN && (status = vip_download(app, &u, &d)))
		return status;
	if (rc && rc != WK_EFORBIDDEN)
		return web_status(rc);
	if (!(web_idem_of(rq) && web_idem_of(rq)->download_id)) {
		unsigned retry = 0;
		int over = u.id ? auth_allow(app->auth, "download", u.id,
					     DOWNLOADS_PER_HOUR, 3600, &retry)
				: auth_allow_ip(app->auth, "download", rq->ip,
						GUEST_DOWNLOADS_PER_HOUR, 3600,
						&retry);
		if (over) {
			http_resp_header(rs, "Retry-After",
					 arena_sprintf(rq->arena, "%u",
						       retry ? retry : 60));
			return DL_RATE_LIMITED;
		}
	}
	/* The file and its stamped copy, until the reply has gone. */
	if (!hold(app, rq, (size_t)d.size * 2)) {
		log_warn("download of document %" PRId64 " put off: %zu MiB "
			 "held by downloads", d.id,
			 atomic_load(&app->download_held) >> 20);
		http_resp_header(rs, "Retry-After", "5");
		return 503;
	}
	if ((rc = store_blob_read(app->store, d.sha256, DOWNLOAD_MAX, &data,
				  &len)))
		return web_status(rc);
	if (web_idem_of(rq) && web_idem_of(rq)->download_id) {
		dl = web_idem_of(rq)->download_id;	/* a replay: same copy */
	} else if (store_download_add(app->store, u.id, d.id, rq->ip,
				      (int64_t)time(NULL), &dl)) {
		free(data);
		return 500;	/* an untraceable copy is not served */
	} else if (web_idem_of(rq)) {
		web_idem_of(rq)->download_id = dl;
	}
	{
		unsigned char *stamped;
		char mark[TRACE_MARK_MAX];
		size_t slen;

		trace_mark(app->trace_key, dl, mark);
		rc = trace_stamp(sandbox_self_exe(), d.format, data, len, mark,
				 &stamped, &slen);
		if (rc == 0) {
			free(data);
			data = stamped;
			len = slen;
		} else if (rc != WK_EUNSUPPORTED) {
			free(data);
			return 500;
		}
		/* Headers are borrowed until the reply is sent: not the stack. */
		http_resp_header(rs, "X-Download-Id",
				 arena_strdup(rq->arena, mark));
	}
	if (arena_on_free(rq->arena, free_blob, data)) {
		free(data);
		return 500;
	}
	rs->status = 200;
	rs->data = data;
	rs->data_len = len;
	rs->content_type = mime_of(d.format);
	http_resp_header(rs, "Content-Disposition",
			 arena_sprintf(rq->arena,
				       "attachment; filename=\"document-%" PRId64
				       ".%s\"; filename*=UTF-8''%s.%s",
				       d.id, d.format,
				       web_query_escape(rq->arena, d.title),
				       d.format));
	/* nosniff is on every response (app.c). */
	http_resp_header(rs, "Cache-Control", "private, no-store");
	http_resp_header(rs, "Content-Security-Policy",
			 "default-src 'none'; sandbox");
	return 0;
}

int web_doc_download(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	int status = download(ctx, rq, rs, false);

	if (status == DL_RATE_LIMITED)
		return web_message(rq, rs, ctx, 429, "too_many_title",
				   "download_rate_limited");
	if (status == 401)
		return web_redirect(
			rs, arena_sprintf(rq->arena, "/login?next=/d/%s",
					  http_param(rq, "id")));
	if (status == 429)
		return web_redirect(
			rs, arena_sprintf(rq->arena, "/d/%s?buy=quota#buy",
					  http_param(rq, "id")));
	return status;
}

static int api_download(struct http_req *rq, struct http_resp *rs,
			void *ctx)
{
	int status = download(ctx, rq, rs, true);

	if (status == DL_RATE_LIMITED)
		return web_api_fail(rs, 429, "rate_limited");
	if (status)
		return web_api_fail(rs, status, status == 401 ? "not_signed_in"
					    : status == 403 ? "not_purchased"
					    : status == 404 ? "not_found"
					    : status == 429 ? "vip_quota_used"
							    : "error");
	return 0;
}

int web_api_doc_download(struct http_req *rq, struct http_resp *rs,
			 void *ctx)
{
	return web_idempotent(rq, rs, ctx, false, api_download);
}
