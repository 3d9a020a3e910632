/*
 * docs.c - ingesting documents and assembling what a reader may see.
 */
#include "docs.h"

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../base/utf8.h"
#include "../parse/parse.h"
#include "rank.h"
#include "simhash.h"
#include "tags.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TITLE_MAX_CHARS 120

/* A title from the file name: its last component, extension dropped,
 * invalid UTF-8 refused, capped in length. */
static char *title_from_name(struct arena *a, const char *name)
{
	const char *base, *dot;
	size_t n;

	if (!name || !*name)
		return NULL;
	base = strrchr(name, '/');
	base = base ? base + 1 : name;
	dot = strrchr(base, '.');
	n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
	if (!n || !utf8_valid(base, n))
		return NULL;
	n = utf8_offset(base, n, TITLE_MAX_CHARS);
	return arena_strndup(a, base, n);
}

static const char *clean_title(struct arena *a, const char *t)
{
	size_t n;
	while (t && (*t == ' ' || *t == '\t'))
		t++;
	if (!t || !*t)
		return NULL;
	n = utf8_offset(t, strlen(t), TITLE_MAX_CHARS);
	return arena_strndup(a, t, n);
}

int docs_commit(struct store *s, const struct parse_result *r,
		const char *hex, size_t size, const struct docs_new *nd,
		int64_t near_dup_of, int64_t *id, char *err, size_t errlen)
{
	struct store_block *blocks;
	struct store_doc d;
	struct arena *a;
	int64_t chars = 0;
	size_t i, k = 0;
	int rc;

	a = arena_new(0);
	blocks = a ? arena_alloc(a, sizeof(*blocks) * (r->nblocks + 1)) : NULL;
	if (!blocks) {
		arena_free(a);
		snprintf(err, errlen, "out of memory");
		return WK_ENOMEM;
	}
	for (i = 0; i < r->nblocks; i++) {
		const struct parse_block *pb = &r->blocks[i];
		blocks[k].kind = pb->kind;
		blocks[k].level = pb->level;
		blocks[k].char_start = chars;
		blocks[k].text = pb->text ? pb->text : "";
		chars += (int64_t)utf8_count(blocks[k].text, pb->len);
		k++;
	}
	if (chars == 0) {
		arena_free(a);
		snprintf(err, errlen, "the document contains no text");
		return WK_EINVAL;
	}
	memset(&d, 0, sizeof(d));
	d.title = clean_title(a, r->title);
	if (!d.title)
		d.title = title_from_name(a, nd->filename);
	if (!d.title)
		d.title = clean_title(a, k ? blocks[0].text : NULL);
	if (!d.title)
		d.title = "未命名文档";
	d.format = nd->format ? nd->format : parse_format_name(r->format);
	d.sha256 = hex;
	d.size = (int64_t)size;
	d.pages = r->pages;
	d.chars = chars;
	d.price = nd->price;
	d.vip_free = nd->vip_free;
	d.category_id = nd->category_id;
	d.provider_id = nd->provider_id;
	d.near_dup_of = near_dup_of;
	/* A near duplicate always waits for a moderator. */
	d.status = nd->publish && !near_dup_of ? "published" : "pending";
	d.created_at = time(NULL);
	d.published_at = !strcmp(d.status, "published") ? d.created_at : 0;
	d.simhash = simhash_text(r->text, r->text_len);
	d.has_simhash = d.simhash != 0;
	rc = store_doc_insert(s, &d, blocks, k);
	for (i = 0; rc == 0 && i < r->nimages; i++) {
		const struct parse_image *im = &r->images[i];
		struct store_image img = {
			.kind = im->page ? "page" : "cover",
			.page = im->page,
			.width = im->width,
			.height = im->height,
		};
		char ihex[65];

		rc = store_blob_put(s, im->png, im->len, ihex);
		img.sha256 = ihex;
		if (rc == 0)
			rc = store_image_add(s, d.id, &img);
	}
	if (rc == 0)
		rc = tags_commit(s, d.id, nd->tags, r->text, r->text_len);
	if (rc) {
		snprintf(err, errlen, "the document could not be saved");
	} else {
		*id = d.id;
		log_info("document %lld \"%s\" (%s, %lld chars, %zu blocks, "
			 "%s)", (long long)d.id, d.title, d.format,
			 (long long)chars, k, d.status);
	}
	arena_free(a);
	return rc;
}

int docs_ingest(struct store *s, const void *data, size_t len,
		const struct docs_new *nd, int64_t *id, char *err,
		size_t errlen)
{
	struct parse_result r;
	char hex[65];
	int rc;

	rc = parse_document(data, len, NULL, &r, err, errlen);
	if (rc)
		return rc;
	if ((rc = store_blob_put(s, data, len, hex))) {
		snprintf(err, errlen, "the file could not be stored");
	} else if ((rc = store_write_begin(s))) {
		snprintf(err, errlen, "the document could not be saved");
	} else {
		rc = docs_commit(s, &r, hex, len, nd, 0, id, err, errlen);
		if (rc)
			store_write_rollback(s);
		else if ((rc = store_write_commit(s)))
			snprintf(err, errlen, "the document could not be saved");
	}
	parse_result_release(&r);
	return rc;
}

static int view_doc(struct store *s, struct arena *a,
		    const struct site_settings *cfg, int64_t id, bool review,
		    struct docs_view *out);

int docs_view(struct store *s, struct arena *a,
	      const struct site_settings *cfg, int64_t id,
	      struct docs_view *out)
{
	return view_doc(s, a, cfg, id, false, out);
}

int docs_review_view(struct store *s, struct arena *a,
		     const struct site_settings *cfg, int64_t id,
		     struct docs_view *out)
{
	return view_doc(s, a, cfg, id, true, out);
}

static int view_doc(struct store *s, struct arena *a,
		    const struct site_settings *cfg, int64_t id, bool review,
		    struct docs_view *out)
{
	struct preview_opts po = {
		.share = cfg->preview_share,
		.min_chars = cfg->preview_min_chars,
		.every = cfg->watermark_every,
		.watermark = cfg->watermark,
	};
	struct store_block *blocks;
	struct buf html, text;
	size_t nblocks;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = store_doc_get(s, a, id, &out->doc)))
		return rc;
	if (strcmp(out->doc.status, "published") &&
	    (!review || strcmp(out->doc.status, "pending")))
		return WK_ENOTFOUND;
	if (out->doc.provider_id &&
	    (rc = store_user_get(s, a, out->doc.provider_id, &out->provider)) &&
	    rc != WK_ENOTFOUND)
		return rc;
	rc = store_doc_blocks(s, a, id, preview_limit(out->doc.chars, &po),
			      &blocks, &nblocks);
	if (rc)
		return rc;
	buf_init(&html, 0);
	buf_init(&text, 0);
	preview_build(blocks, nblocks, out->doc.chars, &po, &html, &text,
		      &out->preview);
	rc = buf_error(&html) ? buf_error(&html) : buf_error(&text);
	if (!rc) {
		out->preview_html = arena_strndup(a, buf_str(&html), html.len);
		out->preview_text = arena_strndup(a, buf_str(&text), text.len);
		if (!out->preview_html || !out->preview_text)
			rc = WK_ENOMEM;
	}
	buf_release(&html);
	buf_release(&text);
	if (rc)
		return rc;
	rc = store_image_pages(s, a, id, preview_pages(out->doc.pages, &po),
			       &out->pages, &out->npages);
	if (rc)
		return rc;
	return store_comment_list(s, a, id, &out->comments, &out->ncomments);
}

static int image_of(struct store *s, struct arena *a,
		    const struct site_settings *cfg, int64_t id, int page,
		    bool review, unsigned char **png, size_t *len);

int docs_image(struct store *s, struct arena *a,
	       const struct site_settings *cfg, int64_t id, int page,
	       unsigned char **png, size_t *len)
{
	return image_of(s, a, cfg, id, page, false, png, len);
}

int docs_review_image(struct store *s, struct arena *a,
		      const struct site_settings *cfg, int64_t id, int page,
		      unsigned char **png, size_t *len)
{
	return image_of(s, a, cfg, id, page, true, png, len);
}

static int image_of(struct store *s, struct arena *a,
		    const struct site_settings *cfg, int64_t id, int page,
		    bool review, unsigned char **png, size_t *len)
{
	struct preview_opts po = { .share = cfg->preview_share };
	struct store_image img;
	struct store_doc d;
	int rc;

	*png = NULL;
	if ((rc = store_doc_get(s, a, id, &d)))
		return rc;
	/* Deny by default: published documents, pages inside the free
	 * preview as the settings are now (the cover is page 1's). */
	if ((strcmp(d.status, "published") &&
	     (!review || strcmp(d.status, "pending"))) || page < 0 ||
	    page > preview_pages(d.pages, &po) ||
	    (page == 0 && preview_pages(d.pages, &po) < 1))
		return WK_ENOTFOUND;
	rc = store_image_get(s, a, id, page ? "page" : "cover", page, &img);
	if (rc)
		return rc;
	return store_blob_read(s, img.sha256, (size_t)16 << 20, png, len);
}

/* ---- view counting ------------------------------------------------------*/

/* Views already counted today, remembered so a reload costs no write.
 * A fixed-size table of hashes: a collision only means one more
 * (harmless) database lookup. */
#define SEEN_SLOTS 65536
static uint64_t seen[SEEN_SLOTS];
static int seen_day = -1;
static pthread_mutex_t seen_lock = PTHREAD_MUTEX_INITIALIZER;

static uint64_t seen_hash(int64_t id, const char *visitor, int day)
{
	unsigned char h[8];
	crypto_generichash_state st;
	uint64_t v;

	crypto_generichash_init(&st, NULL, 0, sizeof(h));
	crypto_generichash_update(&st, (const unsigned char *)&id, sizeof(id));
	crypto_generichash_update(&st, (const unsigned char *)&day,
				  sizeof(day));
	crypto_generichash_update(&st, (const unsigned char *)visitor,
				  strlen(visitor));
	crypto_generichash_final(&st, h, sizeof(h));
	memcpy(&v, h, sizeof(v));
	return v | 1;
}

int docs_count_view(struct store *s, int64_t id, const char *visitor,
		    int64_t now)
{
	int day = rank_day(now);
	uint64_t h = seen_hash(id, visitor, day);
	size_t slot = (size_t)(h % SEEN_SLOTS);
	bool counted;
	int rc;

	pthread_mutex_lock(&seen_lock);
	if (seen_day != day) {
		memset(seen, 0, sizeof(seen));
		seen_day = day;
	}
	if (seen[slot] == h) {
		pthread_mutex_unlock(&seen_lock);
		return 0;
	}
	pthread_mutex_unlock(&seen_lock);
	rc = store_view_record(s, id, day, visitor, &counted);
	if (rc == 0) {
		pthread_mutex_lock(&seen_lock);
		if (seen_day == day)
			seen[slot] = h;
		pthread_mutex_unlock(&seen_lock);
	}
	return rc;
}

void docs_visitor_key(const unsigned char key[DOCS_VISITOR_KEY_BYTES],
		      int day, const char *ip, const char *user_agent,
		      char out[33])
{
	unsigned char h[16];
	crypto_generichash_state st;

	/* Keyed, and the day mixed in: the stored key cannot be turned
	 * back into an address by trying them all, nor followed from one
	 * day to the next. */
	crypto_generichash_init(&st, key, DOCS_VISITOR_KEY_BYTES, sizeof(h));
	crypto_generichash_update(&st, (const unsigned char *)&day,
				  sizeof(day));
	crypto_generichash_update(&st, (const unsigned char *)ip, strlen(ip));
	crypto_generichash_update(&st, (const unsigned char *)"\n", 1);
	if (user_agent)
		crypto_generichash_update(&st, (const unsigned char *)user_agent,
					  strlen(user_agent));
	crypto_generichash_final(&st, h, sizeof(h));
	sodium_bin2hex(out, 33, h, sizeof(h));
}

bool docs_is_crawler(const char *ua)
{
	static const char *bots[] = {
		"bot", "spider", "crawl", "slurp", "baiduspider", "bingpreview",
		"facebookexternalhit", "headlesschrome", "curl/", "wget/",
		"python-requests", "go-http-client", "wrk", "sogou", "yandex",
		"scrapy", "python-urllib", "httpclient", "java/", "okhttp",
		"phantomjs", "lighthouse", "feedfetcher", "archiver",
		"facebookcatalog", "whatsapp", "headless", "libwww", "aiohttp",
		"node-fetch", "axios/",
	};
	char low[256];
	size_t i;

	if (!ua || !*ua)
		return true;
	for (i = 0; ua[i] && i < sizeof(low) - 1; i++)
		low[i] = (char)(ua[i] >= 'A' && ua[i] <= 'Z' ? ua[i] + 32 : ua[i]);
	low[i] = '\0';
	for (i = 0; i < sizeof(bots) / sizeof(bots[0]); i++)
		if (strstr(low, bots[i]))
			return true;
	return false;
}

int docs_parse_id(const char *s, int64_t *id)
{
	int64_t v = 0;
	const char *p = s;

	if (!s || !*s || *s == '0' || strlen(s) > 16)
		return WK_EINVAL;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return WK_EINVAL;
		v = v * 10 + (*p - '0');
	}
	if (v > ((int64_t)1 << 53))
		return WK_EINVAL;
	*id = v;
	return 0;
}
