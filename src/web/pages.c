/*
 * pages.c - the reader's pages: home, category, document, VIP (the
 * report form is in reports.c).
 */
#include "web_internal.h"

#include "../base/arena.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../base/utf8.h"
#include "../domain/docs.h"
#include "../domain/ledger.h"
#include "../domain/perm.h"
#include "../domain/purchase.h"
#include "../domain/vip.h"
#include "../store/store.h"
#include "cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PAGE_SIZE 20

static const char *format_badge(const char *fmt)
{
	static const struct { const char *f, *b; } badges[] = {
		{ "docx", "DOCX" }, { "doc", "DOC" }, { "pdf", "PDF" },
		{ "txt", "TXT" },   { "pptx", "PPT" }, { "xlsx", "XLS" },
		{ "epub", "EPUB" }, { "odt", "ODT" },  { "md", "MD" },
	};
	size_t i;
	for (i = 0; i < sizeof(badges) / sizeof(badges[0]); i++)
		if (!strcmp(badges[i].f, fmt))
			return badges[i].b;
	return "DOC";
}

static const char *date_str(struct arena *a, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char s[32];

	localtime_r(&tt, &tm);
	strftime(s, sizeof(s), "%Y-%m-%d", &tm);
	return arena_strdup(a, s);
}

struct tpl_val *web_doc_summary(struct page *p, const struct store_doc *d)
{
	struct tpl_val *m = tv_map(p->a);

	tv_set_int(p->a, m, "id", d->id);
	tv_set_str(p->a, m, "title", d->title);
	tv_set_str(p->a, m, "format", d->format);
	tv_set_str(p->a, m, "badge", format_badge(d->format));
	tv_set_int(p->a, m, "pages", d->pages);
	tv_set_int(p->a, m, "chars", d->chars);
	tv_set_int(p->a, m, "views", d->views);
	tv_set_int(p->a, m, "downloads", d->downloads);
	tv_set_int(p->a, m, "price", d->price);
	tv_set_bool(p->a, m, "vip_free", d->vip_free);
	tv_set_str(p->a, m, "category", d->category_name);
	tv_set_str(p->a, m, "category_slug", d->category_slug);
	tv_set_str(p->a, m, "date",
		   date_str(p->a, d->published_at ? d->published_at
						  : d->created_at));
	return m;
}

static int add_docs(struct page *p, const char *key, struct store_doc *docs,
		    size_t n)
{
	struct tpl_val *list = tv_set(p->a, p->ctx, key, tv_list(p->a));
	size_t i;

	for (i = 0; i < n; i++)
		if (!tv_push(p->a, list, web_doc_summary(p, &docs[i])))
			return WK_ENOMEM;
	return list ? 0 : WK_ENOMEM;
}

/* ?page=N, 1-based, bounded; 0 on a malformed value. */
static int page_number(struct http_req *rq)
{
	const char *s = http_query(rq, "page");
	char *end;
	long v;

	if (!s)
		return 1;
	v = strtol(s, &end, 10);
	if (*end || end == s || v < 1 || v > 10000)
		return 0;
	return (int)v;
}

static int home_load(struct page *p, struct web_app *app,
		     struct http_req *rq)
{
	struct store_doc *docs;
	size_t n;
	int rc;

	if ((rc = page_begin(p, app, rq, NULL, "/")) ||
	    (rc = page_sidebar(p)) ||
	    (rc = store_doc_list(app->store, p->a, 0, PAGE_SIZE, 0, &docs,
				 &n)) ||
	    (rc = add_docs(p, "docs", docs, n)) ||
	    (rc = web_home_extras(p)))
		return rc;
	tv_set_str(p->a, p->ctx, "title", web_cfg(app)->site_name);
	tv_set_str(p->a, p->ctx, "description",
		   arena_sprintf(p->a, "%s—%s", web_cfg(app)->site_name,
				 web_cfg(app)->slogan));
	return 0;
}

int web_read_and_render(struct http_req *rq, struct http_resp *rs,
			   struct web_app *app, const char *tpl,
			   int (*load)(struct page *, struct web_app *,
				       struct http_req *))
{
	const char *key = NULL;
	struct page p;
	int rc;

	if (page_cache_eligible(rq)) {
		key = arena_sprintf(rq->arena, "%d %s", web_lang(rq),
				    rq->raw_uri);
		if (key && page_cache_get(key, &rs->body)) {
			page_headers(rs, web_lang(rq), "HIT");
			return 0;
		}
	}
	if (store_read_begin(app->store))
		return 503;
	rc = load(&p, app, rq);
	store_read_end(app->store);
	if (rc)
		return rc > 0 ? rc : web_status(rc);
	rc = page_render(&p, rs, tpl);
	if (rc == 0 && key) {
		page_cache_put(key, buf_str(&rs->body), rs->body.len);
		http_resp_header(rs, "X-Cache", "MISS");
	}
	return rc;
}

int web_home(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	return web_read_and_render(rq, rs, ctx, "home", home_load);
}

static int category_load(struct page *p, struct web_app *app,
			 struct http_req *rq)
{
	const char *slug = http_param(rq, "slug");
	struct store_category cat;
	struct store_doc *docs;
	int64_t total;
	int page = page_number(rq), rc;
	size_t n;

	if (!page)
		return 400;
	if ((rc = page_begin(p, app, rq, NULL,
			     arena_sprintf(rq->arena, "/c/%s", slug))) ||
	    (rc = store_category_by_slug(app->store, p->a, slug, &cat)))
		return rc;
	total = store_doc_count(app->store, cat.id);
	if (total < 0)
		return 500;
	if ((rc = page_sidebar(p)) ||
	    (rc = store_doc_list(app->store, p->a, cat.id, PAGE_SIZE,
				 (page - 1) * PAGE_SIZE, &docs, &n)) ||
	    (rc = add_docs(p, "docs", docs, n)))
		return rc;
	if (n == 0 && page > 1)
		return 404;
	if ((rc = web_category_extras(p, &cat)))
		return rc;
	tv_set_str(p->a, p->ctx, "title", cat.name);
	tv_set_str(p->a, p->ctx, "category", cat.name);
	tv_set_str(p->a, p->ctx, "slug", cat.slug);
	tv_set_int(p->a, p->ctx, "total", total);
	tv_set_str(p->a, p->ctx, "description",
		   arena_sprintf(p->a, "%s · %s", cat.name,
				 web_cfg(app)->site_name));
	if (page > 1)
		tv_set_int(p->a, p->ctx, "prev_page", page - 1);
	if ((int64_t)page * PAGE_SIZE < total)
		tv_set_int(p->a, p->ctx, "next_page", page + 1);
	return 0;
}

int web_category(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	return web_read_and_render(rq, rs, ctx, "category", category_load);
}

/* Index of comment id among the first n comments, or -1. */
static long find_comment(const struct docs_view *v, size_t n, int64_t id)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (v->comments[i].id == id)
			return (long)i;
	return -1;
}

/* Comments as a thread: top-level comments, each with every reply below
 * it (replies to replies included, naming whom they answer). A reply
 * whose parent is not shown becomes top-level. */
static int add_comments(struct page *p, const struct docs_view *v)
{
	struct tpl_val *list = tv_set(p->a, p->ctx, "comments", tv_list(p->a));
	struct tpl_val **nodes;
	size_t i;

	if (!list)
		return WK_ENOMEM;
	nodes = arena_alloc(p->a, sizeof(*nodes) * (v->ncomments + 1));
	if (!nodes)
		return WK_ENOMEM;
	for (i = 0; i < v->ncomments; i++) {
		const struct store_comment *c = &v->comments[i];
		struct tpl_val *m = tv_map(p->a);
		long parent = c->parent_id ? find_comment(v, i, c->parent_id)
					   : -1;
		long root = parent;
		int depth = 0;

		tv_set_int(p->a, m, "id", c->id);
		/* Set on every comment: a reply must not inherit its
		 * parent's answer through the context stack. */
		tv_set_bool(p->a, m, "mine",
			    perm_can(&p->user, PERM_COMMENT_DELETE,
				     c->user_id));
		tv_set_str(p->a, m, "author", c->user_name);
		tv_set_str(p->a, m, "body", c->body);
		tv_set_str(p->a, m, "date", date_str(p->a, c->created_at));
		tv_set(p->a, m, "replies", tv_list(p->a));
		nodes[i] = m;
		while (root >= 0 && v->comments[root].parent_id && depth++ < 64)
			root = find_comment(v, (size_t)root,
					    v->comments[root].parent_id);
		if (root < 0) {
			tv_push(p->a, list, m);
			continue;
		}
		tv_set_str(p->a, m, "reply_to", v->comments[parent].user_name);
		tv_push(p->a, tv_get(nodes[root], "replies"), m);
	}
	tv_set_int(p->a, p->ctx, "comment_count", (int64_t)v->ncomments);
	return 0;
}


/* The buy/download box: what this visitor may do with d. */
static int buy_box(struct page *p, struct web_app *app, struct http_req *rq,
		   struct tpl_val *doc, const struct store_doc *d)
{
	static const struct {
		const char *q, *key, *cls;
	} notes[] = {
		{ "ok", "buy_ok", "notice-ok" },
		{ "already", "buy_already", "notice-ok" },
		{ "own", "buy_own", "notice-ok" },
		{ "free", "buy_free", "notice-ok" },
		{ "short", "buy_short", "error" },
		{ "quota", "vip_quota_used", "error" },
	};
	const char *q = http_query(rq, "buy");
	bool in = p->user.id != 0, may, can_buy;
	int64_t balance = 0;
	size_t i;
	int rc;

	/* The download route's own rule decides; whoever is signed in and
	 * may not download a paid document may buy it. */
	rc = purchase_may_download(app->store, p->user.id, d,
				   web_cfg(app)->guest_free_downloads);
	if (rc && rc != WK_EFORBIDDEN)
		return rc;
	may = rc == 0;
	if (in && d->price > 0 && !may) {
		/* A member: VIP-free documents within today's quota, and the
		 * member price for the rest. */
		struct vip_status st;
		bool counted = false;
		int used = 0;

		if ((rc = vip_status_of(app->store, p->a, p->user.id,
					(int64_t)time(NULL), &st)))
			return rc;
		if (st.active && d->vip_free &&
		    (rc = store_vip_used(app->store, p->user.id,
					 vip_day((int64_t)time(NULL)), d->id,
					 &used, &counted)))
			return rc;
		if (st.active && d->vip_free &&
		    (counted || used < st.plan.daily_quota)) {
			may = true;
			tv_set_bool(p->a, doc, "vip_download", true);
			tv_set_int(p->a, doc, "vip_left", st.left_today);
		}
		if (st.active && st.plan.discount > 0)
			tv_set_int(p->a, doc, "member_price",
				   vip_price(d->price, st.plan.discount));
	}
	can_buy = in && !may && d->price > 0;
	if (can_buy &&
	    (rc = ledger_balance(app->store, p->user.id, &balance)))
		return rc;
	tv_set_bool(p->a, doc, "can_download", may);
	tv_set_bool(p->a, doc, "can_buy", can_buy);
	tv_set_bool(p->a, doc, "need_login", !in && !may);
	tv_set_int(p->a, doc, "balance", balance);
	for (i = 0; q && i < sizeof(notes) / sizeof(notes[0]); i++)
		if (!strcmp(q, notes[i].q)) {
			tv_set_str(p->a, doc, "buy_notice",
				   page_t(p, notes[i].key));
			tv_set_str(p->a, doc, "buy_class", notes[i].cls);
		}
	return 0;
}

static int document_load(struct page *p, struct web_app *app,
			 struct http_req *rq)
{
	struct tpl_val *doc, *prov;
	struct docs_view v;
	int64_t id;
	int rc;

	if (docs_parse_id(http_param(rq, "id"), &id))
		return 400;
	if ((rc = page_begin(p, app, rq, NULL,
			     arena_sprintf(rq->arena, "/d/%lld",
					   (long long)id))) ||
	    (rc = docs_view(app->store, p->a, web_cfg(app), id, &v)))
		return rc;
	doc = tv_set(p->a, p->ctx, "doc", web_doc_summary(p, &v.doc));
	tv_set_str(p->a, doc, "preview_html", v.preview_html);
	tv_set_int(p->a, doc, "preview_chars", v.preview.chars);
	tv_set_bool(p->a, doc, "truncated", v.preview.truncated);
	tv_set_str(p->a, p->ctx, "title",
		   arena_sprintf(p->a, "%s.%s", v.doc.title, v.doc.format));
	tv_set_str(p->a, p->ctx, "description",
		   arena_sprintf(p->a, "%s · %s · %s", v.doc.title,
				 v.doc.category_name ? v.doc.category_name
						     : "",
				 web_cfg(app)->site_name));
	tv_set_str(p->a, p->ctx, "license_text", web_cfg(app)->license_text);
	tv_set_str(p->a, p->ctx, "disclaimer", web_cfg(app)->disclaimer);
	if ((rc = buy_box(p, app, rq, doc, &v.doc)))
		return rc;
	tv_set_str(p->a, p->ctx, "report_text", web_cfg(app)->report_text);
	if (http_query(rq, "comment") &&
	    !strcmp(http_query(rq, "comment"), "pending"))
		tv_set_str(p->a, p->ctx, "comment_notice",
			   page_t(p, "comment_pending"));
	if (v.provider.id) {
		prov = tv_set(p->a, p->ctx, "provider", tv_map(p->a));
		tv_set_int(p->a, prov, "id", v.provider.id);
		tv_set_str(p->a, prov, "name", v.provider.display_name);
		tv_set(p->a, prov, "initial",
		       tv_strn(p->a, v.provider.display_name,
			       utf8_offset(v.provider.display_name,
					   strlen(v.provider.display_name),
					   1)));
		tv_set_str(p->a, prov, "bio", v.provider.bio);
		tv_set_bool(p->a, prov, "has_avatar", v.provider.avatar != NULL);
		tv_set_bool(p->a, prov, "verified", v.provider.verified);
		tv_set_bool(p->a, prov, "is_provider",
			    !strcmp(v.provider.role, "provider"));
	}
	if (v.npages) {
		struct tpl_val *pl = tv_set(p->a, doc, "page_images",
					    tv_list(p->a));
		size_t i;
		for (i = 0; i < v.npages; i++) {
			struct tpl_val *m = tv_push(p->a, pl, tv_map(p->a));
			tv_set_int(p->a, m, "page", v.pages[i].page);
			tv_set_int(p->a, m, "width", v.pages[i].width);
			tv_set_int(p->a, m, "height", v.pages[i].height);
		}
	}
	if ((rc = add_comments(p, &v)) ||

	    (rc = page_sidebar(p)) ||
	    (rc = web_doc_extras(p, &v, doc)))
		return rc;
	return 0;
}

int web_document(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct web_app *app = ctx;
	int rc = web_read_and_render(rq, rs, app, "doc", document_load);
	int64_t id;

	/* Count the view after the read transaction: it writes. */
	if (rc == 0 && !docs_parse_id(http_param(rq, "id"), &id))
		web_doc_viewed(app, rq, id);
	return rc;
}

static int vip_load(struct page *p, struct web_app *app,
		    struct http_req *rq)
{
	int rc;

	if ((rc = page_begin(p, app, rq, NULL, "/vip")))
		return rc;
	tv_set_str(p->a, p->ctx, "title", page_t(p, "vip_title"));
	if ((rc = web_vip_page(p)))
		return rc;
	return page_sidebar(p);
}

int web_vip(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	return web_read_and_render(rq, rs, ctx, "vip", vip_load);
}
