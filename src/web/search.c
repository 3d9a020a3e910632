/*
 * search.c - GET /search (the results page) and GET /api/v1/search
 * (the same as JSON).
 *
 * Parameters: q (cut at 100 characters), category (a slug), format,
 * price (free, paid, vip), sort (relevance, newest, views, downloads),
 * page (1..50). An unknown value is a 400, never a guess. Everything
 * shown is escaped: the page by the template engine (highlights are
 * segments, not markup), the JSON by its encoder, and snippet_html is
 * built with tpl_escape() around wenku's own <mark> tags.
 */
#include "web_internal.h"

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../base/json.h"
#include "../base/log.h"
#include "../domain/docsearch.h"
#include "../store/store.h"
#include "cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Read and check the parameters: 0 or an HTTP status. */
static int read_req(struct http_req *rq, struct docsearch_req *r)
{
	const char *page = http_query(rq, "page");
	const char *fmt = http_query(rq, "format");
	const char *cat = http_query(rq, "category");
	size_t i;

	memset(r, 0, sizeof(*r));
	r->q = http_query(rq, "q");
	r->sort = docsearch_sort(http_query(rq, "sort"));
	r->price = docsearch_price(http_query(rq, "price"));
	r->page = 1;
	if (r->sort < 0 || r->price < 0)
		return 400;
	if (page && *page) {
		char *end;
		long v = strtol(page, &end, 10);
		if (*end || v < 1 || v > DOCSEARCH_MAX_PAGE)
			return 400;
		r->page = (int)v;
	}
	if (fmt && *fmt) {
		for (i = 0; fmt[i]; i++)
			if (i >= 8 || !((fmt[i] >= 'a' && fmt[i] <= 'z') ||
					(fmt[i] >= '0' && fmt[i] <= '9')))
				return 400;
		r->format = fmt;
	}
	if (cat && *cat) {
		if (strlen(cat) > 64)
			return 400;
		r->category = cat;
	}
	return 0;
}

/* The query string of this search without its page ("q=..&sort=.."). */
static const char *query_string(struct arena *a, struct http_req *rq,
				const char *q)
{
	static const char *keys[] = { "category", "format", "price", "sort" };
	struct buf b;
	const char *out;
	size_t i;

	buf_init(&b, 4096);
	buf_adds(&b, "q=");
	web_url_encode(&b, q);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *v = http_query(rq, keys[i]);
		if (v && *v) {
			buf_addf(&b, "&%s=", keys[i]);
			web_url_encode(&b, v);
		}
	}
	out = buf_error(&b) ? "" : arena_strndup(a, buf_str(&b), b.len);
	buf_release(&b);
	return out;
}

static struct tpl_val *seg_list(struct page *p,
				const struct docsearch_seg *seg, size_t n)
{
	struct tpl_val *list = tv_list(p->a);
	size_t i;

	for (i = 0; i < n; i++) {
		struct tpl_val *m = tv_push(p->a, list, tv_map(p->a));
		tv_set_str(p->a, m, "text", seg[i].text);
		/* Set on every segment: an unset key would be looked up
		 * in the enclosing contexts. */
		tv_set_bool(p->a, m, "hl", seg[i].hl);
	}
	return list;
}

/* A <select>'s options with the chosen one marked. */
static void options(struct page *p, const char *key, const char *const *vals,
		    const char *const *labels, size_t n, const char *cur)
{
	struct tpl_val *list = tv_set(p->a, p->ctx, key, tv_list(p->a));
	size_t i;

	for (i = 0; i < n; i++) {
		struct tpl_val *m = tv_push(p->a, list, tv_map(p->a));
		tv_set_str(p->a, m, "value", vals[i]);
		tv_set_str(p->a, m, "label", page_t(p, labels[i]));
		tv_set_bool(p->a, m, "selected",
			    cur ? !strcmp(cur, vals[i]) : i == 0);
	}
}

static int search_load(struct page *p, struct web_app *app,
		       struct http_req *rq, const struct docsearch_req *r)
{
	static const char *sorts[] = { "relevance", "newest", "views",
				       "downloads" };
	static const char *sort_keys[] = { "sort_relevance", "sort_newest",
					   "sort_views", "sort_downloads" };
	static const char *prices[] = { "", "free", "paid", "vip" };
	static const char *price_keys[] = { "price_any", "price_free",
					    "price_paid", "price_vip" };
	static const char *formats[] = { "", "docx", "pdf", "pptx", "xlsx",
					 "epub", "odt", "txt", "md", "doc" };
	struct docsearch_result res;
	struct store_category *cats;
	struct tpl_val *list;
	const char *cat = http_query(rq, "category");
	size_t i, ncats;
	int rc;

	if ((rc = page_begin(p, app, rq, NULL, "/search")) ||
	    (rc = page_sidebar(p)))
		return rc;
	rc = docsearch_run(app->store, p->a, web_cfg(app), r, &res);
	if (rc == WK_EINVAL)
		return 400;
	if (rc)
		return rc;
	tv_set_str(p->a, p->ctx, "title",
		   res.q[0] ? arena_sprintf(p->a, "%s - %s", res.q,
					    page_t(p, "search"))
			    : page_t(p, "search"));
	tv_set_str(p->a, p->ctx, "search_q", res.q);
	tv_set_bool(p->a, p->ctx, "searched", !res.empty);
	tv_set_int(p->a, p->ctx, "total", res.total);
	list = tv_set(p->a, p->ctx, "hits", tv_list(p->a));
	for (i = 0; i < res.n; i++) {
		const struct docsearch_hit *h = &res.hits[i];
		struct tpl_val *m = tv_push(p->a, list,
					    web_doc_summary(p, &h->doc));
		tv_set(p->a, m, "title_segs",
		       seg_list(p, h->title, h->ntitle));
		tv_set(p->a, m, "snippet", seg_list(p, h->snippet,
						     h->nsnippet));
		tv_set_bool(p->a, m, "lead", h->lead);
		tv_set_bool(p->a, m, "trail", h->trail);
	}
	tv_set_str(p->a, p->ctx, "qs", query_string(p->a, rq, res.q));
	if (r->page > 1)
		tv_set_int(p->a, p->ctx, "prev_page", r->page - 1);
	if (r->page < res.pages)
		tv_set_int(p->a, p->ctx, "next_page", r->page + 1);
	tv_set_int(p->a, p->ctx, "page", r->page);
	tv_set_int(p->a, p->ctx, "pages", res.pages);
	options(p, "sorts", sorts, sort_keys, 4, http_query(rq, "sort"));
	options(p, "prices", prices, price_keys, 4, http_query(rq, "price"));
	list = tv_set(p->a, p->ctx, "formats", tv_list(p->a));
	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		struct tpl_val *m = tv_push(p->a, list, tv_map(p->a));
		const char *f = http_query(rq, "format");
		tv_set_str(p->a, m, "value", formats[i]);
		tv_set_str(p->a, m, "label",
			   i ? formats[i] : page_t(p, "format_any"));
		tv_set_bool(p->a, m, "selected",
			    f ? !strcmp(f, formats[i]) : i == 0);
	}
	/* Categories for the filter, the chosen one marked. */
	if ((rc = store_category_list(app->store, p->a, &cats, &ncats)))
		return rc;
	list = tv_set(p->a, p->ctx, "cat_options", tv_list(p->a));
	for (i = 0; i < ncats; i++) {
		struct tpl_val *m = tv_push(p->a, list, tv_map(p->a));
		tv_set_str(p->a, m, "slug", cats[i].slug);
		tv_set_str(p->a, m, "name", cats[i].name);
		tv_set_bool(p->a, m, "selected",
			    cat && !strcmp(cat, cats[i].slug));
	}
	return 0;
}

int web_search(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct web_app *app = ctx;
	struct docsearch_req r;
	const char *key = NULL;
	struct page p;
	int rc;

	if ((rc = read_req(rq, &r)))
		return rc;
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
	rc = search_load(&p, app, rq, &r);
	store_read_end(app->store);
	if (rc)
		return rc > 0 ? rc : web_status(rc);
	rc = page_render(&p, rs, "search");
	if (rc == 0 && key) {
		page_cache_put(key, buf_str(&rs->body), rs->body.len);
		http_resp_header(rs, "X-Cache", "MISS");
	}
	return rc;
}

/* ---- JSON ----------------------------------------------------------------*/

static void json_segs(struct buf *b, const struct docsearch_seg *seg,
		      size_t n, bool lead, bool trail, bool html)
{
	struct buf t;
	size_t i;

	buf_init(&t, 0);
	if (lead)
		buf_adds(&t, "…");
	for (i = 0; i < n; i++) {
		if (!html) {
			buf_adds(&t, seg[i].text);
			continue;
		}
		if (seg[i].hl)
			buf_adds(&t, "<mark>");
		tpl_escape(&t, seg[i].text, strlen(seg[i].text));
		if (seg[i].hl)
			buf_adds(&t, "</mark>");
	}
	if (trail)
		buf_adds(&t, "…");
	json_str(b, buf_str(&t), t.len);
	buf_release(&t);
}

static int api_fail(struct http_resp *rs, int status, const char *code)
{
	return web_api_fail(rs, status, code);
}

int web_api_search(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct web_app *app = ctx;
	struct docsearch_result res;
	struct docsearch_req r;
	struct buf *b = &rs->body;
	size_t i;
	int rc;

	if (read_req(rq, &r))
		return api_fail(rs, 400, "bad_request");
	if (store_read_begin(app->store))
		return api_fail(rs, 503, "unavailable");
	rc = docsearch_run(app->store, rq->arena, web_cfg(app), &r, &res);
	store_read_end(app->store);
	if (rc == WK_EINVAL)
		return api_fail(rs, 400, "bad_request");
	if (rc) {
		log_error("search failed: %s", wk_strerror(rc));
		return api_fail(rs, web_status(rc), "error");
	}
	buf_adds(b, "{\"q\":");
	json_cstr(b, res.q);
	buf_addf(b, ",\"total\":%lld,\"page\":%d,\"pages\":%d,\"hits\":[",
		 (long long)res.total, r.page, res.pages);
	for (i = 0; i < res.n; i++) {
		const struct docsearch_hit *h = &res.hits[i];
		buf_addf(b, "%s{\"id\":%lld,\"title\":", i ? "," : "",
			 (long long)h->doc.id);
		json_cstr(b, h->doc.title);
		buf_adds(b, ",\"title_html\":");
		json_segs(b, h->title, h->ntitle, false, false, true);
		buf_adds(b, ",\"format\":");
		json_cstr(b, h->doc.format);
		buf_addf(b, ",\"price\":%d,\"vip_free\":%s,\"views\":%lld,"
			    "\"downloads\":%lld,\"category\":",
			 h->doc.price, h->doc.vip_free ? "true" : "false",
			 (long long)h->doc.views, (long long)h->doc.downloads);
		json_cstr(b, h->doc.category_slug);
		buf_adds(b, ",\"snippet\":");
		json_segs(b, h->snippet, h->nsnippet, h->lead, h->trail,
			  false);
		buf_adds(b, ",\"snippet_html\":");
		json_segs(b, h->snippet, h->nsnippet, h->lead, h->trail, true);
		buf_addf(b, ",\"in_title\":%s,\"score\":%.6f}",
			 h->in_title ? "true" : "false", h->score);
	}
	buf_adds(b, "]}\n");
	return web_api_json(rs, 200, b);
}
