/*
 * discover.c - finding documents: the rankings (sidebar, home page and
 * /rank), the category tree, tags (/tag/NAME), related documents and the
 * provider's other documents on a document page, "今日更新" on the home
 * page, and a signed-in reader's favourites (收藏) and history (浏览记录).
 * View counting lives here too: once per visitor per document per China
 * day, crawlers not at all.
 */
#include "seo.h"
#include "web_internal.h"

#include "../base/arena.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../domain/docs.h"
#include "../domain/perm.h"
#include "../domain/rank.h"
#include "../domain/review.h"
#include "../store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SIDEBAR_RANKS 10
#define HOME_RANKS 5
#define RANK_PAGE 50
#define TODAY_MAX 20
#define RELATED_MAX 6
#define PROVIDER_MAX 6
#define PEERS_MAX 500		/* same-category documents compared */
#define HISTORY_KEEP 200
#define LIST_PAGE 50

static struct tpl_val *rank_list_val(struct page *p, struct store_rank *r,
				     size_t n)
{
	struct tpl_val *list = tv_list(p->a);
	size_t i;

	for (i = 0; i < n; i++) {
		struct tpl_val *m = tv_push(p->a, list, tv_map(p->a));
		tv_set_int(p->a, m, "id", r[i].id);
		tv_set_int(p->a, m, "rank", (int64_t)i + 1);
		tv_set_str(p->a, m, "title", r[i].title);
		tv_set_str(p->a, m, "format", r[i].format);
		tv_set_int(p->a, m, "views", r[i].count);
		tv_set_int(p->a, m, "count", r[i].count);
	}
	return list;
}

static int set_rank(struct page *p, struct tpl_val *into, const char *key,
		    enum rank_kind kind, enum rank_window w, int limit)
{
	struct store_rank *r;
	size_t n;
	int rc = rank_list(p->app->store, p->a, kind, w, (int64_t)time(NULL),
			   limit, &r, &n);

	if (rc)
		return rc;
	return tv_set(p->a, into, key, rank_list_val(p, r, n)) ? 0
							       : WK_ENOMEM;
}

int web_sidebar_rankings(struct page *p)
{
	int rc;

	if ((rc = set_rank(p, p->ctx, "ranking", RANK_VIEWS, RANK_TODAY,
			   SIDEBAR_RANKS)) ||
	    (rc = set_rank(p, p->ctx, "ranking_dl", RANK_DOWNLOADS,
			   RANK_TODAY, SIDEBAR_RANKS)))
		return rc;
	return 0;
}

/* ---- the category tree -----------------------------------------------*/

/* Published documents of a category and all below it. */
static int64_t tree_count(const struct store_category *c, size_t n,
			  size_t i, int depth)
{
	int64_t sum = c[i].doc_count;
	size_t j;

	if (depth > 16)
		return sum;
	for (j = 0; j < n; j++)
		if (c[j].parent_id == c[i].id && j != i)
			sum += tree_count(c, n, j, depth + 1);
	return sum;
}

static struct tpl_val *cat_val(struct page *p, const struct store_category *c,
			       size_t n, size_t i, int depth)
{
	struct tpl_val *m = tv_map(p->a), *kids;
	size_t j;

	tv_set_str(p->a, m, "slug", c[i].slug);
	tv_set_str(p->a, m, "name", c[i].name);
	tv_set_int(p->a, m, "count", tree_count(c, n, i, 0));
	kids = tv_set(p->a, m, "children", tv_list(p->a));
	for (j = 0; depth < 4 && j < n; j++)
		if (c[j].parent_id == c[i].id && j != i)
			tv_push(p->a, kids, cat_val(p, c, n, j, depth + 1));
	return m;
}

/* cat_tree: the top-level categories with their children and counts
 * that include the children's documents. */
static int add_cat_tree(struct page *p)
{
	struct store_category *c;
	struct tpl_val *list;
	size_t n, i;
	int rc;

	if ((rc = store_category_list(p->app->store, p->a, &c, &n)))
		return rc;
	list = tv_set(p->a, p->ctx, "cat_tree", tv_list(p->a));
	for (i = 0; i < n; i++)
		if (!c[i].parent_id)
			tv_push(p->a, list, cat_val(p, c, n, i, 0));
	return list ? 0 : WK_ENOMEM;
}

int web_category_extras(struct page *p, const struct store_category *cat)
{
	struct store_category *c;
	struct tpl_val *kids, *crumbs;
	size_t n, i, depth;
	int64_t up;
	int rc;

	if ((rc = store_category_list(p->app->store, p->a, &c, &n)))
		return rc;
	kids = tv_set(p->a, p->ctx, "subcategories", tv_list(p->a));
	for (i = 0; i < n; i++)
		if (c[i].parent_id == cat->id && c[i].id != cat->id)
			tv_push(p->a, kids, cat_val(p, c, n, i, 3));
	/* Breadcrumb: the parents, outermost first. */
	crumbs = tv_set(p->a, p->ctx, "parents", tv_list(p->a));
	{
		size_t chain[8], k = 0;
		for (up = cat->parent_id, depth = 0; up && depth < 8; depth++) {
			for (i = 0; i < n && c[i].id != up; i++)
				;
			if (i == n)
				break;
			chain[k++] = i;
			up = c[i].parent_id;
		}
		while (k--) {
			struct tpl_val *m = tv_push(p->a, crumbs, tv_map(p->a));
			tv_set_str(p->a, m, "slug", c[chain[k]].slug);
			tv_set_str(p->a, m, "name", c[chain[k]].name);
		}
	}
	tv_set_str(p->a, p->ctx, "feed_url",
		   arena_sprintf(p->a, "/c/%s/feed.xml", cat->slug));
	tv_set_str(p->a, p->ctx, "feed_title",
		   arena_sprintf(p->a, "%s - %s", web_cfg(p->app)->site_name,
				 cat->name));
	return kids && crumbs ? 0 : WK_ENOMEM;
}

/* ---- home page -------------------------------------------------------*/

static int add_doc_list(struct page *p, struct tpl_val *into, const char *key,
			struct store_doc *d, size_t n)
{
	struct tpl_val *list = tv_set(p->a, into, key, tv_list(p->a));
	size_t i;

	for (i = 0; i < n; i++)
		tv_push(p->a, list, web_doc_summary(p, &d[i]));
	return list ? 0 : WK_ENOMEM;
}

int web_home_extras(struct page *p)
{
	static const struct {
		enum rank_window w;
		const char *key;
	} windows[] = {
		{ RANK_TODAY, "rank_today" },
		{ RANK_WEEK, "rank_week" },
		{ RANK_MONTH, "rank_month" },
		{ RANK_ALL, "rank_all" },
	};
	int64_t now = (int64_t)time(NULL);
	struct store_doc *today;
	struct store_tag *tags;
	struct tpl_val *rk, *tl;
	size_t n, i;
	int rc;

	if ((rc = store_doc_published_since(p->app->store, p->a,
					    rank_day_start(rank_day(now)),
					    TODAY_MAX, &today, &n)) ||
	    (rc = add_doc_list(p, p->ctx, "today", today, n)))
		return rc;
	tv_set_int(p->a, p->ctx, "today_count", (int64_t)n);
	if ((rc = store_doc_recommended(p->app->store, p->a,
					REVIEW_RECOMMENDED, &today, &n)) ||
	    (rc = add_doc_list(p, p->ctx, "recommended", today, n)))
		return rc;
	tv_set_bool(p->a, p->ctx, "has_recommended", n > 0);
	rk = tv_set(p->a, p->ctx, "ranks", tv_map(p->a));
	for (i = 0; i < sizeof(windows) / sizeof(windows[0]); i++)
		if ((rc = set_rank(p, rk, windows[i].key, RANK_VIEWS,
				   windows[i].w, HOME_RANKS)))
			return rc;
	if ((rc = set_rank(p, rk, "dl_week", RANK_DOWNLOADS, RANK_WEEK,
			   HOME_RANKS)) ||
	    (rc = add_cat_tree(p)) ||
	    (rc = store_tags_popular(p->app->store, p->a, 30, &tags, &n)))
		return rc;
	tl = tv_set(p->a, p->ctx, "popular_tags", tv_list(p->a));
	for (i = 0; i < n; i++) {
		struct tpl_val *m = tv_push(p->a, tl, tv_map(p->a));
		tv_set_str(p->a, m, "name", tags[i].name);
		tv_set_int(p->a, m, "count", tags[i].count);
	}
	tv_set_str(p->a, p->ctx, "feed_url", "/feed.xml");
	tv_set_str(p->a, p->ctx, "feed_title", web_cfg(p->app)->site_name);
	return rk && tl ? 0 : WK_ENOMEM;
}

/* ---- document page ---------------------------------------------------*/

static int popcount64(uint64_t v)
{
	return __builtin_popcountll(v);
}

/* Same-category documents nearest in simhash (Hamming distance), the
 * newest first among equals; filled up with the newest of the category
 * when there are few. */
static int add_related(struct page *p, const struct store_doc *d)
{
	struct store *s = p->app->store;
	struct tpl_val *list = tv_set(p->a, p->ctx, "related", tv_list(p->a));
	int64_t *ids, picked[RELATED_MAX];
	uint64_t *hs;
	size_t n, i, k = 0;
	int rc;

	if (!list)
		return WK_ENOMEM;
	if (!d->category_id)
		return 0;
	if ((rc = store_doc_simhash_peers(s, p->a, d->category_id, d->id,
					  PEERS_MAX, &ids, &hs, &n)))
		return rc;
	while (k < RELATED_MAX && k < n) {
		size_t best = n;
		int bd = 65;
		for (i = 0; i < n; i++) {
			int dist;
			if (!ids[i])
				continue;
			dist = d->has_simhash ? popcount64(hs[i] ^ d->simhash)
					      : 0;
			if (dist < bd) {
				bd = dist;
				best = i;
			}
		}
		if (best == n)
			break;
		picked[k++] = ids[best];
		ids[best] = 0;
	}
	for (i = 0; i < k; i++) {
		struct store_doc r;
		if ((rc = store_doc_get(s, p->a, picked[i], &r)))
			return rc;
		tv_push(p->a, list, web_doc_summary(p, &r));
	}
	return 0;
}

int web_doc_extras(struct page *p, const struct docs_view *v,
		   struct tpl_val *doc)
{
	struct store *s = p->app->store;
	const struct store_doc *d = &v->doc;
	struct store_tag *tags;
	struct store_doc *mine;
	struct store_image cover;
	const char **names, *summary;
	struct tpl_val *tl;
	bool has_cover, fav = false;
	size_t n, i;
	int rc;

	if ((rc = store_doc_tags(s, p->a, d->id, &tags, &n)))
		return rc;
	tl = tv_set(p->a, doc, "tags", tv_list(p->a));
	names = arena_alloc(p->a, sizeof(*names) * (n + 1));
	if (!tl || !names)
		return WK_ENOMEM;
	for (i = 0; i < n; i++) {
		struct tpl_val *m = tv_push(p->a, tl, tv_map(p->a));
		tv_set_str(p->a, m, "name", tags[i].name);
		names[i] = tags[i].name;
	}
	if ((rc = add_related(p, d)))
		return rc;
	if (d->provider_id) {
		size_t k;
		if ((rc = store_doc_by_provider(s, p->a, d->provider_id, d->id,
						PROVIDER_MAX, &mine, &k)) ||
		    (rc = add_doc_list(p, p->ctx, "provider_docs", mine, k)))
			return rc;
	}
	if (p->user.id &&
	    (rc = store_favorite_has(s, p->user.id, d->id, &fav)))
		return rc;
	tv_set_bool(p->a, doc, "favorited", fav);

	/* Search engines and link previews. */
	rc = store_image_get(s, p->a, d->id, "cover", 0, &cover);
	if (rc && rc != WK_ENOTFOUND)
		return rc;
	/* The cover is served only while page 1 is within the preview
	 * (docs_image's rule); without page images there is none. */
	has_cover = rc == 0 && v->npages > 0;
	summary = seo_summary(s, p->a, web_cfg(p->app), d, 120);
	if (*summary)
		tv_set_str(p->a, p->ctx, "description", summary);
	tv_set_str(p->a, p->ctx, "og_type", "article");
	if (has_cover)
		tv_set_str(p->a, p->ctx, "og_image",
			   arena_sprintf(p->a, "%s/d/%lld/cover",
					 web_cfg(p->app)->site_url,
					 (long long)d->id));
	tv_set_str(p->a, p->ctx, "jsonld",
		   seo_doc_jsonld(p->a, web_cfg(p->app), d, summary,
				  v->provider.id ? v->provider.display_name
						 : NULL,
				  has_cover, names, n));
	return 0;
}

void web_doc_viewed(struct web_app *app, struct http_req *rq, int64_t id)
{
	const char *ua = http_header(rq, "User-Agent");
	int64_t now = (int64_t)time(NULL);
	struct auth_user u;
	const char *tok;
	char visitor[40];

	if (docs_is_crawler(ua))
		return;
	web_user(app, rq, &u, &tok);
	if (u.id) {
		snprintf(visitor, sizeof(visitor), "u:%lld", (long long)u.id);
		if (store_history_add(app->store, u.id, id, now, HISTORY_KEEP))
			log_warn("history of account %lld not recorded",
				 (long long)u.id);
	} else {
		docs_visitor_key(app->visitor_key, rank_day(now), rq->ip, ua,
				 visitor);
	}
	if (docs_count_view(app->store, id, visitor, now))
		log_warn("view of document %lld not counted", (long long)id);
}

/* ---- the ranking page ------------------------------------------------*/

static int rank_load(struct page *p, struct web_app *app,
		     struct http_req *rq)
{
	const char *ws = http_query(rq, "w");
	int w = ws ? rank_window_parse(ws) : RANK_WEEK, rc, i;
	struct tpl_val *tabs;

	if (w < 0)
		return 400;
	if ((rc = page_begin(p, app, rq, NULL,
			     w == RANK_WEEK ? "/rank"
					    : arena_sprintf(rq->arena,
							    "/rank?w=%s",
							    rank_window_name(
								    w)))))
		return rc;
	tabs = tv_set(p->a, p->ctx, "tabs", tv_list(p->a));
	for (i = 0; i < 4; i++) {
		struct tpl_val *m = tv_push(p->a, tabs, tv_map(p->a));
		tv_set_str(p->a, m, "w", rank_window_name(i));
		tv_set_str(p->a, m, "label",
			   page_t(p, arena_sprintf(p->a, "rank_%s",
						   rank_window_name(i))));
		tv_set_bool(p->a, m, "current", i == w);
	}
	tv_set_str(p->a, p->ctx, "title",
		   arena_sprintf(p->a, "%s · %s", page_t(p, "rank_title"),
				 page_t(p, arena_sprintf(p->a, "rank_%s",
							 rank_window_name(w)))));
	tv_set_str(p->a, p->ctx, "description",
		   arena_sprintf(p->a, "%s — %s", page_t(p, "rank_title"),
				 web_cfg(app)->site_name));
	if ((rc = set_rank(p, p->ctx, "views_rank", RANK_VIEWS, w,
			   RANK_PAGE)) ||
	    (rc = set_rank(p, p->ctx, "downloads_rank", RANK_DOWNLOADS, w,
			   RANK_PAGE)))
		return rc;
	return page_sidebar(p);
}

int web_rank(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	return web_read_and_render(rq, rs, ctx, "rank", rank_load);
}

/* ---- tag pages -------------------------------------------------------*/

static int tag_load(struct page *p, struct web_app *app,
		    struct http_req *rq)
{
	const char *name = http_param(rq, "name");
	struct store_tag tag;
	struct store_doc *docs;
	size_t n;
	int rc;

	if ((rc = page_begin(p, app, rq, NULL,
			     arena_sprintf(rq->arena, "/tag/%s", name))) ||
	    (rc = store_tag_by_name(app->store, p->a, name, &tag)))
		return rc;
	/* The canonical URL percent-encodes the name. */
	{
		static const char hex[] = "0123456789ABCDEF";
		char *enc = arena_alloc(p->a, strlen(tag.name) * 3 + 1), *o;
		const unsigned char *c;
		if (!enc)
			return WK_ENOMEM;
		for (o = enc, c = (const unsigned char *)tag.name; *c; c++) {
			if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
			    (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' ||
			    *c == '.') {
				*o++ = (char)*c;
			} else {
				*o++ = '%';
				*o++ = hex[*c >> 4];
				*o++ = hex[*c & 15];
			}
		}
		*o = '\0';
		tv_set_str(p->a, p->ctx, "canonical",
			   arena_sprintf(p->a, "%s/tag/%s",
					 web_cfg(app)->site_url, enc));
	}
	if ((rc = store_tag_docs(app->store, p->a, tag.id, LIST_PAGE, 0,
				 &docs, &n)) ||
	    (rc = add_doc_list(p, p->ctx, "docs", docs, n)))
		return rc;
	tv_set_str(p->a, p->ctx, "title", tag.name);
	tv_set_str(p->a, p->ctx, "tag", tag.name);
	tv_set_int(p->a, p->ctx, "total", tag.count);
	tv_set_str(p->a, p->ctx, "description",
		   arena_sprintf(p->a, "%s · %s", tag.name,
				 web_cfg(app)->site_name));
	return page_sidebar(p);
}

int web_tag(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	return web_read_and_render(rq, rs, ctx, "tag", tag_load);
}

/* ---- favourites and history ------------------------------------------*/

int web_favorite(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct web_app *app = ctx;
	struct store_doc d;
	struct auth_user u;
	const char *tok;
	int64_t id;
	bool on;
	int rc;

	if (docs_parse_id(http_param(rq, "id"), &id))
		return 400;
	if (!web_post_ok(app, rq))
		return 403;
	web_user(app, rq, &u, &tok);
	if (!u.id)
		return web_redirect(rs, arena_sprintf(rq->arena,
						      "/login?next=/d/%lld",
						      (long long)id));
	if (!perm_can(&u, PERM_FAVORITE, 0))
		return 403;
	if ((rc = store_doc_get(app->store, rq->arena, id, &d)))
		return web_status(rc);
	if (strcmp(d.status, "published"))
		return 404;
	if ((rc = store_favorite_toggle(app->store, u.id, id,
					(int64_t)time(NULL), &on)))
		return web_status(rc);
	return web_redirect(rs, arena_sprintf(rq->arena, "/d/%lld#fav",
					      (long long)id));
}

static int my_list(struct http_req *rq, struct http_resp *rs,
		   struct web_app *app, bool history)
{
	const char *path = history ? "/me/history" : "/me/favorites";
	struct store_doc *docs;
	struct tpl_val *list;
	int64_t *at = NULL;
	struct page p;
	size_t n, i;
	int rc;

	if (store_read_begin(app->store))
		return 503;
	rc = page_begin(&p, app, rq, NULL, path);
	if (rc == 0 && !p.user.id) {
		store_read_end(app->store);
		return web_redirect(rs, arena_sprintf(rq->arena,
						      "/login?next=%s", path));
	}
	if (rc == 0)
		rc = history ? store_history(app->store, p.a, p.user.id,
					     HISTORY_KEEP, &docs, &at, &n)
			     : store_favorites(app->store, p.a, p.user.id,
					       HISTORY_KEEP, 0, &docs, &n);
	store_read_end(app->store);
	if (rc)
		return web_status(rc);
	list = tv_set(p.a, p.ctx, "docs", tv_list(p.a));
	for (i = 0; i < n; i++) {
		struct tpl_val *m = tv_push(p.a, list,
					    web_doc_summary(&p, &docs[i]));
		if (at)
			tv_set_str(p.a, m, "when", web_when(p.a, at[i]));
	}
	tv_set_str(p.a, p.ctx, "title",
		   page_t(&p, history ? "my_history" : "my_favorites"));
	tv_set_bool(p.a, p.ctx, history ? "is_history" : "is_favorites",
		    true);
	return page_render(&p, rs, "mylist");
}

int web_my_favorites(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	return my_list(rq, rs, ctx, false);
}

int web_my_history(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	return my_list(rq, rs, ctx, true);
}
