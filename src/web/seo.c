/*
 * seo.c - sitemaps, robots.txt, RSS feeds and a document's structured
 * data (see seo.h). Everything listed is a published document: the
 * store's queries filter on documents.status = 'published'.
 */
#include "seo.h"
#include "web_internal.h"

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../base/json.h"
#include "../base/log.h"
#include "../base/utf8.h"
#include "../domain/preview.h"
#include "../domain/rank.h"
#include "../store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- times ---------------------------------------------------------------*/

static void china_tm(int64_t t, struct tm *tm)
{
	time_t tt = (time_t)(t + RANK_TZ_OFFSET);
	gmtime_r(&tt, tm);
}

void seo_w3c_time(int64_t t, char out[32])
{
	struct tm tm;

	china_tm(t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%S+08:00", &tm);
}

void seo_rfc822_time(int64_t t, char out[40])
{
	static const char *days[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
				      "Fri", "Sat" };
	static const char *months[] = { "Jan", "Feb", "Mar", "Apr", "May",
					"Jun", "Jul", "Aug", "Sep", "Oct",
					"Nov", "Dec" };
	struct tm tm;
	char hms[16];

	china_tm(t, &tm);
	strftime(hms, sizeof(hms), "%H:%M:%S", &tm);
	snprintf(out, 40, "%s, %02d %s %04d %s +0800", days[tm.tm_wday % 7],
		 tm.tm_mday % 100, months[tm.tm_mon % 12],
		 (tm.tm_year + 1900) % 10000, hms);
}

/* XML text or attribute value (tpl_escape's five entities are XML's). */
static void xml_text(struct buf *b, const char *s)
{
	tpl_escape(b, s ? s : "", s ? strlen(s) : 0);
}

/* ---- sitemaps ------------------------------------------------------------*/

static int64_t doc_files(struct store *s, int per_file)
{
	int64_t docs = store_doc_count(s, 0);

	if (docs < 0)
		return docs;
	return docs == 0 ? 1 : (docs + per_file - 1) / per_file;
}

int seo_sitemap_index(struct store *s, struct arena *a, const char *base,
		      int per_file, int64_t now, struct buf *out)
{
	int64_t files = doc_files(s, per_file), i, lastmod;
	char when[32];
	int rc;

	(void)a;
	if (files < 0)
		return (int)files;
	buf_adds(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		      "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/"
		      "sitemap/0.9\">\n<sitemap><loc>");
	xml_text(out, base);
	seo_w3c_time(now, when);
	buf_addf(out, "/sitemap-pages.xml</loc><lastmod>%s</lastmod>"
		      "</sitemap>\n", when);
	for (i = 0; i < files; i++) {
		if ((rc = store_sitemap_lastmod(s, i * per_file, per_file,
						&lastmod)))
			return rc;
		buf_adds(out, "<sitemap><loc>");
		xml_text(out, base);
		buf_addf(out, "/sitemap-%lld.xml</loc>", (long long)i + 1);
		if (lastmod) {
			seo_w3c_time(lastmod, when);
			buf_addf(out, "<lastmod>%s</lastmod>", when);
		}
		buf_adds(out, "</sitemap>\n");
	}
	buf_adds(out, "</sitemapindex>\n");
	return buf_error(out);
}

static void url_entry(struct buf *out, const char *base, const char *path,
		      int64_t lastmod, const char *freq)
{
	char when[32];

	buf_adds(out, "<url><loc>");
	xml_text(out, base);
	xml_text(out, path);
	buf_adds(out, "</loc>");
	if (lastmod) {
		seo_w3c_time(lastmod, when);
		buf_addf(out, "<lastmod>%s</lastmod>", when);
	}
	if (freq)
		buf_addf(out, "<changefreq>%s</changefreq>", freq);
	buf_adds(out, "</url>\n");
}

int seo_sitemap_file(struct store *s, struct arena *a, const char *base,
		     int n, int per_file, struct buf *out)
{
	int64_t files = doc_files(s, per_file);
	size_t i, k;
	int rc;

	if (files < 0)
		return (int)files;
	if (n < 0 || n > files)
		return WK_ENOTFOUND;
	buf_adds(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		      "<urlset xmlns=\"http://www.sitemaps.org/schemas/"
		      "sitemap/0.9\">\n");
	if (n == 0) {
		struct store_category *cats;
		url_entry(out, base, "/", 0, "daily");
		url_entry(out, base, "/rank", 0, "daily");
		if ((rc = store_category_list(s, a, &cats, &k)))
			return rc;
		for (i = 0; i < k; i++)
			url_entry(out, base, arena_sprintf(a, "/c/%s",
							   cats[i].slug),
				  0, "daily");
	} else {
		struct store_url *u;
		if ((rc = store_sitemap_urls(s, a, (int64_t)(n - 1) * per_file,
					     per_file, &u, &k)))
			return rc;
		for (i = 0; i < k; i++) {
			char path[40];
			snprintf(path, sizeof(path), "/d/%lld",
				 (long long)u[i].id);
			url_entry(out, base, path, u[i].lastmod, NULL);
		}
	}
	buf_adds(out, "</urlset>\n");
	return buf_error(out);
}

/* ---- summaries, feeds ----------------------------------------------------*/

const char *seo_summary(struct store *s, struct arena *a,
			const struct site_settings *cfg,
			const struct store_doc *d, size_t max_chars)
{
	struct preview_opts po = {
		.share = cfg->preview_share,
		.min_chars = cfg->preview_min_chars,
	};
	int64_t limit = preview_limit(d->chars, &po);
	struct store_block *b;
	struct buf out;
	size_t n, i, chars = 0;
	const char *r;

	if ((int64_t)max_chars > limit)
		max_chars = limit > 0 ? (size_t)limit : 0;
	if (max_chars == 0 ||
	    store_doc_blocks(s, a, d->id, (int64_t)max_chars, &b, &n))
		return "";
	buf_init(&out, max_chars * 4 + 8);
	for (i = 0; i < n && chars < max_chars; i++) {
		const char *t = b[i].text;
		size_t len = strlen(t), j = 0;
		if (out.len && chars < max_chars) {
			buf_addc(&out, ' ');
			chars++;
		}
		while (j < len && chars < max_chars) {
			uint32_t c;
			size_t step = utf8_decode(t + j, len - j, &c);
			if (!step)
				break;
			if (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
			    c == 0x3000) {
				if (out.len && buf_str(&out)[out.len - 1] != ' ') {
					buf_addc(&out, ' ');
					chars++;
				}
			} else {
				buf_add(&out, t + j, step);
				chars++;
			}
			j += step;
		}
	}
	while (out.len && buf_str(&out)[out.len - 1] == ' ')
		buf_truncate(&out, out.len - 1);
	r = buf_error(&out) ? "" : arena_strndup(a, buf_str(&out), out.len);
	buf_release(&out);
	return r ? r : "";
}

int seo_rss(struct store *s, struct arena *a, const struct site_settings *cfg,
	    int64_t category_id, const char *cat_name, const char *cat_slug,
	    int64_t now, struct buf *out)
{
	struct store_doc *docs;
	char when[40];
	size_t n, i;
	int rc;

	if ((rc = store_doc_list(s, a, category_id, SEO_FEED_ITEMS, 0, &docs,
				 &n)))
		return rc;
	buf_adds(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		      "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/"
		      "2005/Atom\">\n<channel>\n<title>");
	xml_text(out, cfg->site_name);
	if (cat_name) {
		buf_adds(out, " - ");
		xml_text(out, cat_name);
	}
	buf_adds(out, "</title>\n<link>");
	xml_text(out, cfg->site_url);
	if (cat_slug) {
		buf_adds(out, "/c/");
		xml_text(out, cat_slug);
	} else {
		buf_adds(out, "/");
	}
	buf_adds(out, "</link>\n<description>");
	xml_text(out, cfg->slogan);
	buf_adds(out, "</description>\n<language>zh-cn</language>\n");
	seo_rfc822_time(n ? docs[0].published_at : now, when);
	buf_addf(out, "<lastBuildDate>%s</lastBuildDate>\n", when);
	buf_adds(out, "<atom:link rel=\"self\" type=\"application/rss+xml\" "
		      "href=\"");
	xml_text(out, cfg->site_url);
	if (cat_slug) {
		buf_adds(out, "/c/");
		xml_text(out, cat_slug);
	}
	buf_adds(out, "/feed.xml\"/>\n");
	for (i = 0; i < n; i++) {
		const struct store_doc *d = &docs[i];
		const char *link = arena_sprintf(a, "%s/d/%lld", cfg->site_url,
						 (long long)d->id);
		buf_adds(out, "<item>\n<title>");
		xml_text(out, d->title);
		buf_adds(out, "</title>\n<link>");
		xml_text(out, link);
		buf_adds(out, "</link>\n<guid isPermaLink=\"true\">");
		xml_text(out, link);
		buf_adds(out, "</guid>\n");
		seo_rfc822_time(d->published_at ? d->published_at
						: d->created_at, when);
		buf_addf(out, "<pubDate>%s</pubDate>\n", when);
		if (d->category_name) {
			buf_adds(out, "<category>");
			xml_text(out, d->category_name);
			buf_adds(out, "</category>\n");
		}
		buf_adds(out, "<description>");
		xml_text(out, seo_summary(s, a, cfg, d, 200));
		buf_adds(out, "</description>\n</item>\n");
	}
	buf_adds(out, "</channel>\n</rss>\n");
	return buf_error(out);
}

/* ---- JSON-LD -------------------------------------------------------------*/

const char *seo_doc_jsonld(struct arena *a, const struct site_settings *cfg,
			   const struct store_doc *d, const char *summary,
			   const char *author, bool has_cover,
			   const char *const *tags, size_t ntags)
{
	struct buf b, kw;
	char when[32];
	const char *r;
	size_t i;

	/* json_str escapes <, >, & and U+2028/9 as \u sequences, so the
	 * text cannot close the <script> element it sits in. */
	buf_init(&b, 64 << 10);
	buf_init(&kw, 4096);
	buf_adds(&b, "{\"@context\":\"https://schema.org\","
		     "\"@type\":\"DigitalDocument\"");
	json_key(&b, "name", 0);
	json_cstr(&b, d->title);
	json_key(&b, "url", 0);
	json_cstr(&b, arena_sprintf(a, "%s/d/%lld", cfg->site_url,
				    (long long)d->id));
	if (summary && *summary) {
		json_key(&b, "description", 0);
		json_cstr(&b, summary);
	}
	json_key(&b, "inLanguage", 0);
	json_cstr(&b, "zh-CN");
	json_key(&b, "fileFormat", 0);
	json_cstr(&b, d->format);
	seo_w3c_time(d->published_at ? d->published_at : d->created_at, when);
	json_key(&b, "datePublished", 0);
	json_cstr(&b, when);
	if (d->category_name) {
		json_key(&b, "genre", 0);
		json_cstr(&b, d->category_name);
	}
	for (i = 0; i < ntags; i++) {
		if (i)
			buf_adds(&kw, ",");
		buf_adds(&kw, tags[i]);
	}
	if (ntags) {
		json_key(&b, "keywords", 0);
		json_str(&b, buf_str(&kw), kw.len);
	}
	if (has_cover) {
		json_key(&b, "image", 0);
		json_cstr(&b, arena_sprintf(a, "%s/d/%lld/cover", cfg->site_url,
					    (long long)d->id));
	}
	if (author && *author) {
		buf_adds(&b, ",\"author\":{\"@type\":\"Person\"");
		json_key(&b, "name", 0);
		json_cstr(&b, author);
		buf_addc(&b, '}');
	}
	buf_adds(&b, ",\"publisher\":{\"@type\":\"Organization\"");
	json_key(&b, "name", 0);
	json_cstr(&b, cfg->site_name);
	json_key(&b, "url", 0);
	json_cstr(&b, cfg->site_url);
	buf_addc(&b, '}');
	json_key(&b, "isAccessibleForFree", 0);
	buf_adds(&b, d->price == 0 ? "true" : "false");
	buf_addf(&b, ",\"interactionStatistic\":{\"@type\":"
		     "\"InteractionCounter\",\"interactionType\":"
		     "\"https://schema.org/ReadAction\","
		     "\"userInteractionCount\":%lld}", (long long)d->views);
	buf_addc(&b, '}');
	r = buf_error(&b) ? NULL : arena_strndup(a, buf_str(&b), b.len);
	buf_release(&b);
	buf_release(&kw);
	return r;
}

/* ---- handlers ------------------------------------------------------------*/

static int xml_reply(struct http_resp *rs, const char *type)
{
	rs->content_type = type;
	http_resp_header(rs, "Cache-Control", "public, max-age=600");
	http_resp_header(rs, "X-Content-Type-Options", "nosniff");
	return 0;
}

int web_robots(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct web_app *app = ctx;
	static const char *const disallow[] = {
		"/me", "/mod", "/admin", "/api/", "/login", "/register",
		"/reset/", "/logout", "/upload", "/comments/", "/vip/buy",
		"/*/download", "/*/buy", "/*/favorite", "/*/report",
	};
	size_t i;

	(void)rq;
	buf_adds(&rs->body, "User-agent: *\n");
	for (i = 0; i < sizeof(disallow) / sizeof(disallow[0]); i++)
		buf_addf(&rs->body, "Disallow: %s\n", disallow[i]);
	buf_addf(&rs->body, "\nSitemap: %s/sitemap.xml\n", web_cfg(app)->site_url);
	return xml_reply(rs, "text/plain; charset=utf-8");
}

int web_sitemap_index(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct web_app *app = ctx;
	int rc;

	if (store_read_begin(app->store))
		return 503;
	rc = seo_sitemap_index(app->store, rq->arena, web_cfg(app)->site_url,
			       SEO_SITEMAP_MAX, (int64_t)time(NULL), &rs->body);
	store_read_end(app->store);
	if (rc)
		return web_status(rc);
	return xml_reply(rs, "application/xml; charset=utf-8");
}

int web_sitemap_file(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct web_app *app = ctx;
	const char *f = http_param(rq, "file");
	char *end;
	long n;
	int rc;

	/* "/sitemap-{file}": "pages.xml" or "N.xml", N from 1. */
	if (!strcmp(f, "pages.xml")) {
		n = 0;
	} else {
		n = strtol(f, &end, 10);
		if (f[0] < '1' || f[0] > '9' || strcmp(end, ".xml") ||
		    n < 1 || n > 100000)
			return 404;
	}
	if (store_read_begin(app->store))
		return 503;
	rc = seo_sitemap_file(app->store, rq->arena, web_cfg(app)->site_url,
			      (int)n, SEO_SITEMAP_MAX, &rs->body);
	store_read_end(app->store);
	if (rc)
		return web_status(rc);
	return xml_reply(rs, "application/xml; charset=utf-8");
}

static int feed(struct http_req *rq, struct http_resp *rs,
		struct web_app *app, const char *slug)
{
	struct store_category cat = { 0 };
	int rc = 0;

	if (store_read_begin(app->store))
		return 503;
	if (slug)
		rc = store_category_by_slug(app->store, rq->arena, slug, &cat);
	if (rc == 0)
		rc = seo_rss(app->store, rq->arena, web_cfg(app), cat.id,
			     slug ? cat.name : NULL, slug ? cat.slug : NULL,
			     (int64_t)time(NULL), &rs->body);
	store_read_end(app->store);
	if (rc)
		return web_status(rc);
	return xml_reply(rs, "application/rss+xml; charset=utf-8");
}

int web_feed(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	return feed(rq, rs, ctx, NULL);
}

int web_category_feed(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	return feed(rq, rs, ctx, http_param(rq, "slug"));
}
