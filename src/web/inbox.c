/*
 * inbox.c - the signed-in account's notifications (站内消息,
 * domain/notify.h): the inbox page, marking read, the header's unread
 * count and the JSON API.
 *
 * A notification is stored as parameters; here it becomes text in the
 * reader's language (the catalogue's "notify_<kind>") and a link to
 * what it is about. Every query names the signed-in account, so another
 * account's notification is "not found", exactly like a missing one.
 */
#include "web_internal.h"

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../base/json.h"
#include "../base/log.h"
#include "../domain/docs.h"
#include "../domain/notify.h"
#include "../store/store.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define INBOX_PER_PAGE 20	/* notifications on a page of the inbox */
#define API_PER_PAGE 50		/* ... in a page of the API's list */

/* Where a notification leads (NULL: nowhere to go), in a. */
static const char *link_of(struct arena *a, const struct store_notification *n)
{
	enum notify_kind k;

	if (!notify_kind_parse(n->kind, &k))
		return NULL;
	switch (k) {
	case NK_DOC_REJECTED:
	case NK_DOC_HIDDEN:
	case NK_DOC_REMOVED:
	case NK_DOC_TAKEN_DOWN:
		/* Not public now: the provider's own list shows it. */
		return "/me/docs";
	case NK_REPORT_UPHELD:
	case NK_ADMIN_MESSAGE:
		return NULL;	/* the document is gone; the text is all */
	case NK_VERIFY_APPROVED:
	case NK_VERIFY_REJECTED:
		return "/me/verify";
	case NK_POINTS_GRANTED:
		return "/me";
	case NK_VIP_GRANTED:
		return "/vip";
	case NK_COMMENT_REPLY:
		return n->doc_id > 0 ? arena_sprintf(a, "/d/%" PRId64 "#c%"
						      PRId64, n->doc_id,
						     n->object_id)
				     : NULL;
	default:
		return n->doc_id > 0 ? arena_sprintf(a, "/d/%" PRId64,
						     n->doc_id)
				     : NULL;
	}
}

/* The notification's sentence in the page's language. */
static const char *text_of(struct page *p, const struct store_notification *n)
{
	const char *t = page_t(p, arena_sprintf(p->a, "notify_%s", n->kind));

	return *t ? t : page_t(p, "notify_other");
}

/* "+10 积分" (points) or "30 天" (a VIP grant's days). */
static const char *amount_text(struct page *p,
			       const struct store_notification *n)
{
	bool days = !strcmp(n->kind, "vip_granted");

	return arena_sprintf(p->a, "%s%" PRId64 " %s", days ? "" : "+",
			     n->amount,
			     page_t(p, days ? "notify_days" : "notify_points"));
}

void web_inbox_badge(struct page *p, struct tpl_val *me)
{
	int64_t unread;
	int rc;

	if (!p->user.id)
		return;
	if ((rc = notify_unread(p->app->store, p->user.id, &unread))) {
		/* A missing badge is no reason to fail the page. */
		log_warn("unread notifications of user %" PRId64 ": %s",
			 p->user.id, wk_strerror(rc));
		return;
	}
	if (unread > 0)
		tv_set_int(p->a, me, "unread", unread);
}

int web_inbox(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct web_app *app = ctx;
	struct store_notification *v;
	struct tpl_val *list;
	struct page p;
	int page = web_page_number(rq), rc;
	size_t n, i;
	bool more;

	if (!page)
		return 400;
	if (store_read_begin(app->store))
		return 503;
	rc = page_begin(&p, app, rq, NULL, "/me/inbox");
	if (rc == 0 && !p.user.id) {
		store_read_end(app->store);
		return web_redirect(rs, "/login?next=/me/inbox");
	}
	if (rc == 0)
		rc = notify_list(app->store, p.a, p.user.id, false, page,
				 INBOX_PER_PAGE, &v, &n, &more);
	store_read_end(app->store);
	if (rc)
		return web_status(rc);
	list = tv_set(p.a, p.ctx, "notes", tv_list(p.a));
	for (i = 0; i < n; i++) {
		struct tpl_val *m = tv_push(p.a, list, tv_map(p.a));
		tv_set_int(p.a, m, "id", v[i].id);
		tv_set_str(p.a, m, "kind", v[i].kind);
		tv_set_str(p.a, m, "text", text_of(&p, &v[i]));
		tv_set_str(p.a, m, "subject", v[i].subject);
		tv_set_str(p.a, m, "note", v[i].note);
		if (v[i].amount > 0)
			tv_set_str(p.a, m, "amount", amount_text(&p, &v[i]));
		tv_set_str(p.a, m, "link", link_of(p.a, &v[i]));
		tv_set_str(p.a, m, "when", web_when(p.a, v[i].created_at));
		tv_set_bool(p.a, m, "unread", v[i].read_at == 0);
	}
	if (page > 1)
		tv_set_int(p.a, p.ctx, "prev_page", page - 1);
	if (more)
		tv_set_int(p.a, p.ctx, "next_page", page + 1);
	tv_set_int(p.a, p.ctx, "page", page);
	tv_set_str(p.a, p.ctx, "title", page_t(&p, "inbox"));
	rc = page_render(&p, rs, "inbox");
	http_resp_header(rs, "Cache-Control", "no-store");
	return rc;
}

/* Mark id (a decimal id) or, with all set, everything of user_id read:
 * 0 with *changed, or WK_EINVAL / WK_ENOTFOUND / a store error. */
static int mark_read(struct web_app *app, int64_t user_id, const char *id,
		     bool all, int64_t *changed)
{
	int64_t nid, now = (int64_t)time(NULL);
	int rc;

	*changed = 0;
	if (all)
		return notify_read_all(app->store, user_id, now, changed);
	if (!id || docs_parse_id(id, &nid))
		return WK_EINVAL;
	if ((rc = notify_read(app->store, user_id, nid, now)))
		return rc;
	*changed = 1;
	return 0;
}

int web_inbox_read(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct web_app *app = ctx;
	const char *all = http_form(rq, "all"), *pg = http_form(rq, "page");
	struct auth_user u;
	const char *tok;
	int64_t changed;
	char *end;
	long back = 1;
	int rc;

	if (!web_post_ok(app, rq))
		return 403;
	web_user(app, rq, &u, &tok);
	if (!u.id)
		return web_redirect(rs, "/login?next=/me/inbox");
	if (pg && *pg) {
		back = strtol(pg, &end, 10);
		if (*end || back < 1 || back > NOTIFY_KEEP)
			return 400;
	}
	if (all && strcmp(all, "1"))
		return 400;
	rc = mark_read(app, u.id, http_form(rq, "id"), all != NULL,
		       &changed);
	if (rc)
		return web_status(rc);
	return web_redirect(rs, back > 1 ? arena_sprintf(rq->arena,
							 "/me/inbox?page=%ld",
							 back)
					 : "/me/inbox");
}

/* ---- the JSON API ---------------------------------------------------------*/

int web_api_notifications(struct http_req *rq, struct http_resp *rs,
			  void *ctx)
{
	struct web_app *app = ctx;
	const char *unread_s = http_query(rq, "unread");
	struct store_notification *v;
	struct buf *b = &rs->body;
	struct auth_user u;
	struct page p = { 0 };
	int page = web_page_number(rq), rc;
	const char *tok;
	int64_t unread;
	size_t n, i;
	bool bearer, more;

	if (!web_api_user(app, rq, rs, &u, &bearer, &tok))
		return 0;
	if (!u.id)
		return web_api_fail(rs, 401, "not_signed_in");
	if (!page || (unread_s && strcmp(unread_s, "0") &&
		      strcmp(unread_s, "1")))
		return web_api_fail(rs, 400, "bad_request");
	if ((rc = store_read_begin(app->store)))
		return web_api_fail(rs, 503, "unavailable");
	rc = notify_unread(app->store, u.id, &unread);
	if (!rc)
		rc = notify_list(app->store, rq->arena, u.id,
				 unread_s && !strcmp(unread_s, "1"), page,
				 API_PER_PAGE, &v, &n, &more);
	store_read_end(app->store);
	if (rc)
		return web_api_fail(rs, web_status(rc), "error");
	/* The sentences in the language asked for, as on the page. */
	p.app = app;
	p.rq = rq;
	p.a = rq->arena;
	p.lang = web_lang(rq);
	buf_reset(b);
	buf_addf(b, "{\"unread\":%" PRId64 ",\"page\":%d,\"more\":%s,"
		    "\"notifications\":[", unread, page,
		 more ? "true" : "false");
	for (i = 0; i < n; i++) {
		const char *link = link_of(rq->arena, &v[i]);
		buf_addf(b, "%s{\"id\":%" PRId64 ",\"kind\":", i ? "," : "",
			 v[i].id);
		json_cstr(b, v[i].kind);
		buf_adds(b, ",\"text\":");
		json_cstr(b, text_of(&p, &v[i]));
		buf_adds(b, ",\"object_type\":");
		json_cstr(b, v[i].object_type);
		buf_addf(b, ",\"object_id\":%" PRId64 ",\"doc_id\":%" PRId64
			    ",\"subject\":", v[i].object_id, v[i].doc_id);
		json_cstr(b, v[i].subject);
		buf_adds(b, ",\"note\":");
		json_cstr(b, v[i].note);
		buf_addf(b, ",\"amount\":%" PRId64 ",\"created_at\":%" PRId64
			    ",\"read\":%s,\"link\":", v[i].amount,
			 v[i].created_at, v[i].read_at ? "true" : "false");
		if (link)
			json_cstr(b, link);
		else
			buf_adds(b, "null");
		buf_addc(b, '}');
	}
	buf_adds(b, "]}\n");
	return web_api_json(rs, 200, b);
}

int web_api_notifications_read(struct http_req *rq, struct http_resp *rs,
				void *ctx)
{
	struct web_app *app = ctx;
	const char *body = rq->body.data ? rq->body.data : "";
	struct auth_user u;
	int64_t id = 0, all = 0, changed, unread = 0;
	int rc;

	if (!web_api_session(app, rq, rs, &u))
		return 0;
	/* {"id":N} marks one, {"all":1} every one. */
	rc = json_object_int(body, rq->body.len, "all", &all);
	if (rc == 0 || rc == WK_ENOTFOUND)
		rc = json_object_int(body, rq->body.len, "id", &id);
	if ((rc && rc != WK_ENOTFOUND) || (all != 0 && all != 1) ||
	    (!all && id <= 0) || (all && id))
		return web_api_fail(rs, 400, "bad_request");
	if (all)
		rc = notify_read_all(app->store, u.id, (int64_t)time(NULL),
				     &changed);
	else if (!(rc = notify_read(app->store, u.id, id,
				    (int64_t)time(NULL))))
		changed = 1;
	if (rc == WK_ENOTFOUND)
		return web_api_fail(rs, 404, "not_found");
	if (rc || (rc = notify_unread(app->store, u.id, &unread)))
		return web_api_fail(rs, web_status(rc), "error");
	buf_reset(&rs->body);
	buf_addf(&rs->body, "{\"read\":%" PRId64 ",\"unread\":%" PRId64 "}\n",
		 changed, unread);
	return web_api_json(rs, 200, &rs->body);
}
