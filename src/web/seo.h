/*
 * seo.h - what search engines and feed readers get: the sitemap index
 * and its files, robots.txt, the RSS feeds, and a document page's
 * description, OpenGraph tags and schema.org JSON-LD. The builders are
 * separate from the handlers so unit tests can check their output.
 */
#ifndef WK_WEB_SEO_H
#define WK_WEB_SEO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct buf;
struct site_settings;
struct store;
struct store_doc;

/* URLs in one sitemap file: the sitemaps.org limit. */
#define SEO_SITEMAP_MAX 50000
/* Items in a feed. */
#define SEO_FEED_ITEMS 50

/* The sitemap index at base (the site URL, no trailing slash): the pages
 * file and one file per per_file published documents. */
int seo_sitemap_index(struct store *s, struct arena *a, const char *base,
		      int per_file, int64_t now, struct buf *out);
/* Sitemap file n: 0 the site's own pages (home, categories, rankings),
 * n >= 1 the n-th run of per_file published documents by id.
 * WK_ENOTFOUND past the last file. */
int seo_sitemap_file(struct store *s, struct arena *a, const char *base,
		     int n, int per_file, struct buf *out);

/* RSS 2.0 of the newest published documents (of one category when
 * category_id is not 0, named cat_name, at /c/cat_slug/feed.xml), each
 * described by the start of its free preview only. */
int seo_rss(struct store *s, struct arena *a, const struct site_settings *cfg,
	    int64_t category_id, const char *cat_name, const char *cat_slug,
	    int64_t now, struct buf *out);

/* The start of a document's text, whitespace collapsed, at most
 * max_chars characters and never past its free preview; "" when the
 * document has no text. In a. */
const char *seo_summary(struct store *s, struct arena *a,
			const struct site_settings *cfg,
			const struct store_doc *d, size_t max_chars);

/* schema.org JSON-LD of a document, safe inside <script> (no <, >, &,
 * U+2028 or U+2029 left unescaped). tags: n names. In a. */
const char *seo_doc_jsonld(struct arena *a, const struct site_settings *cfg,
			   const struct store_doc *d, const char *summary,
			   const char *author, bool has_cover,
			   const char *const *tags, size_t ntags);

/* "2024-05-01T08:30:00+08:00": Unix time t in China time (W3C
 * datetime, as sitemaps and JSON-LD want it). */
void seo_w3c_time(int64_t t, char out[32]);
/* "Wed, 01 May 2024 08:30:00 +0800" (RFC 822, as RSS wants it). */
void seo_rfc822_time(int64_t t, char out[40]);

#endif
