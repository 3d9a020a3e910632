/*
 * review.c - the console's review queue (/admin/review, moderators and
 * admins): pending uploads oldest first with their metadata, one
 * upload's preview beside its metadata, and the actions: approve,
 * reject with a reason, edit before approving, recommend on the home
 * page, take a published document down, and the same approve / reject
 * for many at once; the published documents and the recycle bin
 * (?tab=published, ?tab=bin: removed, hidden and rejected documents),
 * searched by title (?q=), and restoring from the bin. The rules and audit
 * entries are in domain/review.h.
 */
#include "web_internal.h"

#include "../base/arena.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../domain/audit.h"
#include "../domain/docs.h"
#include "../domain/perm.h"
#include "../domain/review.h"
#include "../store/store.h"
#include "cache.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PER_PAGE 50
#define BULK_MAX 200	/* documents in one bulk action */

static int review_render(struct page *p, struct http_resp *rs,
			 const char *tpl)
{
	return web_console_render(p, rs, tpl, "review_title");
}

static int review_post(struct web_app *app, struct http_req *rq,
		       struct auth_user *u)
{
	return web_console_post(app, rq, u, PERM_MODERATE);
}

static struct tpl_val *review_map(struct page *p,
				  const struct store_review_doc *r)
{
	struct tpl_val *m = web_doc_summary(p, &r->doc);

	tv_set_str(p->a, m, "provider", r->provider_name);
	tv_set_int(p->a, m, "provider_id", r->doc.provider_id);
	tv_set_int(p->a, m, "near_dup_of", r->doc.near_dup_of);
	tv_set_str(p->a, m, "near_dup_title", r->near_dup_title);
	tv_set_str(p->a, m, "uploaded", web_when(p->a, r->doc.created_at));
	tv_set_str(p->a, m, "status", page_t(p, arena_sprintf(
		p->a, "state_%s", r->doc.status)));
	tv_set_bool(p->a, m, "pending", !strcmp(r->doc.status, "pending"));
	tv_set_bool(p->a, m, "published",
		    !strcmp(r->doc.status, "published"));
	tv_set_bool(p->a, m, "recommended", r->recommended_at != 0);
	tv_set_bool(p->a, m, "can_takedown",
		    !strcmp(r->doc.status, "published") ||
			    !strcmp(r->doc.status, "hidden"));
	tv_set_bool(p->a, m, "in_bin", !strcmp(r->doc.status, "removed") ||
					       !strcmp(r->doc.status, "hidden") ||
					       !strcmp(r->doc.status, "rejected"));
	tv_set_str(p->a, m, "review_note", r->review_note);
	return m;
}

int web_admin_review(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	const char *done = http_query(rq, "done");
	const char *tab = http_query(rq, "tab");
	const char *q = http_query(rq, "q");
	enum store_review_which which = REVIEW_PENDING;
	struct store_review_doc *r;
	struct tpl_val *list;
	struct page p;
	int page = web_page_number(rq);
	size_t n, i;
	bool more;
	int rc;

	if ((rc = web_console_page(&p, ctx, rq, rs, "/admin/review",
				    PERM_MODERATE)))
		return rc == WEB_CONSOLE_REDIRECTED ? 0 : rc;
	if (!page)
		return 400;
	if (tab && !strcmp(tab, "published"))
		which = REVIEW_PUBLISHED;
	else if (tab && !strcmp(tab, "bin"))
		which = REVIEW_BIN;
	else if (tab && *tab && strcmp(tab, "pending"))
		return 400;
	if (q && strlen(q) > 200)
		return 400;
	if ((rc = store_review_list(p.app->store, p.a, which, q,
				    (page - 1) * PER_PAGE, PER_PAGE, &r, &n,
				    &more)))
		return web_status(rc);
	tv_set_bool(p.a, p.ctx, "bin", which == REVIEW_BIN);
	tv_set_bool(p.a, p.ctx, "tab_published", which == REVIEW_PUBLISHED);
	tv_set_bool(p.a, p.ctx, "tab_pending", which == REVIEW_PENDING);
	tv_set_str(p.a, p.ctx, "tab", which == REVIEW_BIN ? "bin"
				      : which == REVIEW_PUBLISHED ? "published"
								  : "pending");
	tv_set_str(p.a, p.ctx, "q", q ? q : "");
	tv_set_str(p.a, p.ctx, "qs", web_query_escape(p.a, q ? q : ""));
	list = tv_set(p.a, p.ctx, "docs", tv_list(p.a));
	for (i = 0; i < n; i++)
		tv_push(p.a, list, review_map(&p, &r[i]));
	tv_set_bool(p.a, p.ctx, "has_docs", n > 0 && which == REVIEW_PENDING);
	if (page > 1)
		tv_set_int(p.a, p.ctx, "prev_page", page - 1);
	if (more)
		tv_set_int(p.a, p.ctx, "next_page", page + 1);
	tv_set_int(p.a, p.ctx, "reason_max", REVIEW_REASON_MAX);
	if (done && *done && strlen(done) < 16 &&
	    strspn(done, "0123456789") == strlen(done))
		tv_set_str(p.a, p.ctx, "done", done);
	return review_render(&p, rs, "admin_review");
}

int web_admin_review_doc(struct http_req *rq, struct http_resp *rs,
			 void *ctx)
{
	const char *done = http_query(rq, "done");
	struct store_review_doc r;
	struct store_category *cats;
	struct store_audit *au;
	struct tpl_val *doc, *list;
	struct docs_view v;
	struct page p;
	int64_t id;
	size_t n, i;
	int rc;

	if (docs_parse_id(http_param(rq, "id"), &id))
		return 400;
	if ((rc = web_console_page(&p, ctx, rq, rs,
				   arena_sprintf(rq->arena, "/admin/review/%lld",
						 (long long)id),
				   PERM_MODERATE)))
		return rc == WEB_CONSOLE_REDIRECTED ? 0 : rc;
	if ((rc = store_read_begin(p.app->store)))
		return web_status(rc);
	rc = store_review_get(p.app->store, p.a, id, &r);
	store_read_end(p.app->store);
	if (rc)
		return web_status(rc);
	doc = tv_set(p.a, p.ctx, "doc", review_map(&p, &r));
	/* The reader's preview, as the document page cuts it. */
	rc = docs_review_view(p.app->store, p.a, web_cfg(p.app), id, &v);
	if (!rc) {
		struct tpl_val *pl = tv_set(p.a, doc, "page_images",
					    tv_list(p.a));
		tv_set_str(p.a, doc, "preview_html", v.preview_html);
		tv_set_bool(p.a, doc, "truncated", v.preview.truncated);
		for (i = 0; i < v.npages; i++) {
			struct tpl_val *m = tv_push(p.a, pl, tv_map(p.a));
			tv_set_int(p.a, m, "page", v.pages[i].page);
			tv_set_int(p.a, m, "width", v.pages[i].width);
			tv_set_int(p.a, m, "height", v.pages[i].height);
		}
	} else if (rc != WK_ENOTFOUND) {
		return web_status(rc);
	}
	/* What moderators did to it so far. */
	if ((rc = audit_list(p.app->store, p.a, AUDIT_DOC, id, 50, &au, &n)))
		return web_status(rc);
	list = tv_set(p.a, p.ctx, "history", tv_list(p.a));
	for (i = 0; i < n; i++) {
		struct tpl_val *m = tv_push(p.a, list, tv_map(p.a));
		tv_set_str(p.a, m, "when", web_when(p.a, au[i].at));
		tv_set_str(p.a, m, "actor", au[i].actor_name);
		tv_set_str(p.a, m, "action", au[i].action);
		tv_set_str(p.a, m, "before", au[i].before);
		tv_set_str(p.a, m, "after", au[i].after);
		tv_set_str(p.a, m, "note", au[i].note);
	}
	if ((rc = store_category_list(p.app->store, p.a, &cats, &n)))
		return web_status(rc);
	{
		const char *tags = review_tag_list(p.app->store, p.a, id);
		if (!tags)
			return 500;
		tv_set_str(p.a, doc, "tags", tags);
	}
	list = tv_set(p.a, p.ctx, "categories", tv_list(p.a));
	for (i = 0; i < n; i++) {
		struct tpl_val *m = tv_push(p.a, list, tv_map(p.a));
		tv_set_int(p.a, m, "id", cats[i].id);
		tv_set_str(p.a, m, "name", cats[i].name);
		tv_set_bool(p.a, m, "current", cats[i].id == r.doc.category_id);
	}
	tv_set_int(p.a, p.ctx, "price_max", web_cfg(p.app)->price_max);
	tv_set_int(p.a, p.ctx, "price_min", web_cfg(p.app)->price_min);
	tv_set_int(p.a, p.ctx, "reason_max", REVIEW_REASON_MAX);
	if (done && (!strcmp(done, "approve") || !strcmp(done, "reject") ||
		     !strcmp(done, "edit") || !strcmp(done, "recommend") ||
		     !strcmp(done, "unrecommend") ||
		     !strcmp(done, "takedown") || !strcmp(done, "restore") ||
		     !strcmp(done, "tags")))
		tv_set_str(p.a, p.ctx, "done", page_t(&p, arena_sprintf(
			p.a, "review_done_%s", done)));
	return review_render(&p, rs, "admin_review_doc");
}

static int act_failed(struct http_req *rq, struct http_resp *rs,
		      struct web_app *app, int rc, const char *bad_key)
{
	switch (rc) {
	case WK_EINVAL:
		return web_message(rq, rs, app, 400, "review_title", bad_key);
	case WK_ECONFLICT:
		return web_message(rq, rs, app, 409, "review_title",
				   "review_err_conflict");
	}
	return web_status(rc);
}

/* One action on one document by moderator u. */
static int act_one(struct web_app *app, struct arena *a,
		   const struct auth_user *u, int64_t id, const char *action,
		   const char *reason)
{
	int64_t now = (int64_t)time(NULL), revoked;
	bool given;
	int rc;

	if (!strcmp(action, "approve")) {
		rc = review_approve(app->store, a, u->id, id, now,
				    web_cfg(app)->reward_upload,
				    web_cfg(app)->reward_upload_daily, &given);
	} else if (!strcmp(action, "reject")) {
		rc = review_reject(app->store, a, u->id, id, reason, &revoked);
	} else {
		return WK_EINVAL;
	}
	if (!rc)
		log_info("moderator %lld: %s document %lld", (long long)u->id,
			 action, (long long)id);
	return rc;
}

int web_admin_review_act(struct http_req *rq, struct http_resp *rs,
			 void *ctx)
{
	struct web_app *app = ctx;
	const char *action = http_form(rq, "action");
	const char *bad = "review_err_form";
	struct auth_user u;
	int64_t id;
	int rc;

	if (docs_parse_id(http_param(rq, "id"), &id))
		return 400;
	if ((rc = review_post(app, rq, &u)))
		return rc;
	if (!action)
		return 400;
	if (!strcmp(action, "approve") || !strcmp(action, "reject")) {
		bad = "review_err_reason";
		rc = act_one(app, rq->arena, &u, id, action,
			     http_form(rq, "reason"));
	} else if (!strcmp(action, "edit")) {
		const char *cat = http_form(rq, "category");
		const char *price = http_form(rq, "price");
		const char *vf = http_form(rq, "vip_free");
		int64_t cid = 0;
		long pr;
		char *end;

		if (cat && *cat && docs_parse_id(cat, &cid))
			return act_failed(rq, rs, app, WK_EINVAL, bad);
		if (!price || !*price)
			return act_failed(rq, rs, app, WK_EINVAL, bad);
		pr = strtol(price, &end, 10);
		if (*end || pr < 0 || pr > web_cfg(app)->price_max ||
		    (pr > 0 && pr < web_cfg(app)->price_min))
			return act_failed(rq, rs, app, WK_EINVAL,
					  "review_err_price");
		rc = review_edit(app->store, rq->arena, u.id, id,
				 http_form(rq, "doc_title"), cid, (int)pr,
				 web_cfg(app)->price_max, vf && !strcmp(vf, "1"));
	} else if (!strcmp(action, "recommend") ||
		   !strcmp(action, "unrecommend")) {
		rc = review_recommend(app->store, rq->arena, u.id, id,
				      !strcmp(action, "recommend"),
				      (int64_t)time(NULL));
	} else if (!strcmp(action, "tags")) {
		bad = "review_err_tags";
		rc = review_tags(app->store, rq->arena, u.id, id,
				 http_form(rq, "tags"));
	} else if (!strcmp(action, "takedown")) {
		int64_t revoked;
		bad = "review_err_reason";
		rc = review_takedown(app->store, rq->arena, u.id, id,
				     http_form(rq, "reason"),
				     (int64_t)time(NULL), &revoked);
	} else if (!strcmp(action, "restore")) {
		const char *to;
		bool lifted;
		bad = "review_err_reason";
		rc = review_restore(app->store, rq->arena, u.id, id,
				    http_form(rq, "reason"),
				    (int64_t)time(NULL), &to, &lifted);
	} else {
		return 400;
	}
	if (rc)
		return act_failed(rq, rs, app, rc, bad);
	page_cache_bump();	/* lists, categories and the home page */
	return web_redirect(rs, arena_sprintf(rq->arena,
					      "/admin/review/%lld?done=%s",
					      (long long)id, action));
}

/* POST /admin/review: action approve|reject on every checked "ids";
 * each document its own transaction and audit entry. Documents no
 * longer pending are skipped; the count done is shown. */
int web_admin_review_bulk(struct http_req *rq, struct http_resp *rs,
			  void *ctx)
{
	struct web_app *app = ctx;
	const char *action = http_form(rq, "action");
	const char *reason = http_form(rq, "reason");
	struct auth_user u;
	size_t i, n = 0, done = 0;
	int rc;

	if ((rc = review_post(app, rq, &u)))
		return rc;
	if (!action || (strcmp(action, "approve") && strcmp(action, "reject")))
		return 400;
	if (!strcmp(action, "reject") &&
	    (!reason || !*reason || strlen(reason) > REVIEW_REASON_MAX))
		return act_failed(rq, rs, app, WK_EINVAL, "review_err_reason");
	for (i = 0; i < rq->nform; i++) {
		int64_t id;

		if (strcmp(rq->form_names[i], "ids"))
			continue;
		if (++n > BULK_MAX || docs_parse_id(rq->form_values[i], &id))
			return 400;
		rc = act_one(app, rq->arena, &u, id, action, reason);
		if (rc == WK_ECONFLICT || rc == WK_ENOTFOUND)
			continue;	/* decided meanwhile */
		if (rc)
			return act_failed(rq, rs, app, rc, "review_err_reason");
		done++;
	}
	if (!n)
		return act_failed(rq, rs, app, WK_EINVAL, "review_err_none");
	if (done)
		page_cache_bump();
	return web_redirect(rs, arena_sprintf(rq->arena,
					      "/admin/review?done=%zu", done));
}

/* GET /admin/review/{id}/page/{n}: a page image of the preview of a
 * document under review (pending or published), for moderators only;
 * never cached. */
int web_admin_review_image(struct http_req *rq, struct http_resp *rs,
			   void *ctx)
{
	struct web_app *app = ctx;
	const char *n = http_param(rq, "n"), *tok;
	struct auth_user u;
	unsigned char *png;
	size_t len;
	int64_t id;
	char *end;
	long page;
	int rc;

	if (docs_parse_id(http_param(rq, "id"), &id))
		return 400;
	page = n ? strtol(n, &end, 10) : 0;
	if (!n || *end || end == n || page < 1 || page > 100000 || n[0] == '0')
		return 400;
	web_user(app, rq, &u, &tok);
	if (!perm_can(&u, PERM_MODERATE, 0))
		return 403;
	if ((rc = docs_review_image(app->store, rq->arena, web_cfg(app), id,
				    (int)page, &png, &len)))
		return web_status(rc);
	if (arena_on_free(rq->arena, free, png))	/* freed at once */
		return 500;
	rs->data = png;
	rs->data_len = len;
	rs->content_type = "image/png";
	http_resp_header(rs, "Cache-Control", "no-store");
	http_resp_header(rs, "Content-Security-Policy",
			 "default-src 'none'; sandbox");
	return 0;
}
