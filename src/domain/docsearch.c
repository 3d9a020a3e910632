/*
 * docsearch.c - the search rules: query parsing, filters, paging, and
 * snippets from the free preview.
 *
 * The snippet's source is the preview text built exactly as the
 * document page builds it (preview_build() under the current preview
 * settings, without the watermark), so a snippet can never show a
 * character the document page would not. Matching itself covers the
 * whole text: a hit whose words are only past the preview shows the
 * preview's start, unhighlighted.
 */
#include "docsearch.h"

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../search/search.h"
#include "preview.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

int docsearch_sort(const char *s)
{
	if (!s || !*s || !strcmp(s, "relevance"))
		return STORE_SORT_RELEVANCE;
	if (!strcmp(s, "newest"))
		return STORE_SORT_NEWEST;
	if (!strcmp(s, "views"))
		return STORE_SORT_VIEWS;
	if (!strcmp(s, "downloads"))
		return STORE_SORT_DOWNLOADS;
	return -1;
}

int docsearch_price(const char *s)
{
	if (!s || !*s || !strcmp(s, "any"))
		return STORE_PRICE_ANY;
	if (!strcmp(s, "free"))
		return STORE_PRICE_FREE;
	if (!strcmp(s, "paid"))
		return STORE_PRICE_PAID;
	if (!strcmp(s, "vip"))
		return STORE_PRICE_VIP_FREE;
	return -1;
}

static int to_segs(struct arena *a, const char *text,
		   const struct search_snippet *sn, struct docsearch_seg **out,
		   size_t *n)
{
	struct docsearch_seg *seg = arena_alloc(a, (sn->n + 1) * sizeof(*seg));
	size_t i, k;

	if (!seg)
		return WK_ENOMEM;
	for (i = 0; i < sn->n; i++) {
		char *t = arena_strndup(a, text + sn->seg[i].off,
					sn->seg[i].len);
		if (!t)
			return WK_ENOMEM;
		/* Block breaks read as spaces in one line of snippet. */
		for (k = 0; t[k]; k++)
			if (t[k] == '\n' || t[k] == '\t' || t[k] == '\r')
				t[k] = ' ';
		seg[i].text = t;
		seg[i].hl = sn->seg[i].hl;
	}
	*out = seg;
	*n = sn->n;
	return 0;
}

/* Previews already built, by document: a document's text never changes
 * and the preview settings are read at start, so an entry stays right
 * until a restart. Direct-mapped, bounded: PCACHE_SLOTS entries of at
 * most PCACHE_MAX bytes. */
#define PCACHE_SLOTS 1024
#define PCACHE_MAX (16 * 1024)

static struct {
	int64_t id;
	uint64_t store;		/* store_serial() */
	uint64_t opts;
	char *text;
	size_t len;
} pcache[PCACHE_SLOTS];
static pthread_mutex_t pcache_lock = PTHREAD_MUTEX_INITIALIZER;

static uint64_t opts_key(const struct preview_opts *po)
{
	return ((uint64_t)(uint32_t)po->share << 42) ^
	       ((uint64_t)(uint32_t)po->min_chars << 21) ^
	       (uint64_t)(uint32_t)po->every;
}

static bool pcache_get(struct arena *a, uint64_t store, int64_t id,
		       uint64_t opts, const char **text, size_t *len)
{
	size_t i = (size_t)id % PCACHE_SLOTS;
	bool hit = false;

	pthread_mutex_lock(&pcache_lock);
	if (pcache[i].text && pcache[i].id == id && pcache[i].store == store &&
	    pcache[i].opts == opts) {
		*text = arena_strndup(a, pcache[i].text, pcache[i].len);
		*len = pcache[i].len;
		hit = *text != NULL;
	}
	pthread_mutex_unlock(&pcache_lock);
	return hit;
}

static void pcache_put(uint64_t store, int64_t id, uint64_t opts,
		       const char *text, size_t len)
{
	size_t i = (size_t)id % PCACHE_SLOTS;
	char *copy;

	if (len > PCACHE_MAX || !(copy = malloc(len + 1)))
		return;
	memcpy(copy, text, len);
	copy[len] = '\0';
	pthread_mutex_lock(&pcache_lock);
	free(pcache[i].text);
	pcache[i].id = id;
	pcache[i].store = store;
	pcache[i].opts = opts;
	pcache[i].text = copy;
	pcache[i].len = len;
	pthread_mutex_unlock(&pcache_lock);
}

/* The free preview's text of d, as the document page shows it, minus
 * the watermark and the closing "...". */
static int preview_of(struct store *s, struct arena *a,
		      const struct site_settings *cfg,
		      const struct store_doc *d, const char **text,
		      size_t *len)
{
	struct preview_opts po = {
		.share = cfg->preview_share,
		.min_chars = cfg->preview_min_chars,
		.every = cfg->watermark_every,
		.watermark = "",
	};
	struct preview_stats st;
	struct store_block *blocks;
	struct buf b;
	size_t nblocks;
	int rc;

	if (pcache_get(a, store_serial(s), d->id, opts_key(&po), text, len))
		return 0;
	rc = store_doc_blocks(s, a, d->id, preview_limit(d->chars, &po),
			      &blocks, &nblocks);
	if (rc)
		return rc;
	buf_init(&b, 0);
	preview_build(blocks, nblocks, d->chars, &po, NULL, &b, &st);
	if ((rc = buf_error(&b))) {
		buf_release(&b);
		return rc;
	}
	if (st.truncated && b.len >= 4 &&
	    !memcmp(b.data + b.len - 4, "...\n", 4))
		buf_truncate(&b, b.len - 4);
	*text = arena_strndup(a, buf_str(&b), b.len);
	*len = b.len;
	buf_release(&b);
	if (!*text)
		return WK_ENOMEM;
	pcache_put(store_serial(s), d->id, opts_key(&po), *text, *len);
	return 0;
}

int docsearch_run(struct store *s, struct arena *a,
		  const struct site_settings *cfg,
		  const struct docsearch_req *rq,
		  struct docsearch_result *out)
{
	struct store_search ss;
	struct store_search_hit *hits;
	struct search_query q;
	struct buf match;
	size_t i, n;
	int rc;

	memset(out, 0, sizeof(*out));
	if (rq->page < 1 || rq->page > DOCSEARCH_MAX_PAGE || rq->price < 0 ||
	    rq->price > STORE_PRICE_VIP_FREE || rq->sort < 0 ||
	    rq->sort > STORE_SORT_DOWNLOADS)
		return WK_EINVAL;
	if ((rc = search_query_parse(a, rq->q, rq->q ? strlen(rq->q) : 0,
				     &q)))
		return rc;
	out->q = q.text;
	if (q.n == 0) {
		out->empty = true;
		return 0;
	}
	memset(&ss, 0, sizeof(ss));
	if (rq->category && *rq->category) {
		struct store_category cat;
		rc = store_category_by_slug(s, a, rq->category, &cat);
		if (rc)
			return rc == WK_ENOTFOUND ? WK_EINVAL : rc;
		ss.category_id = cat.id;
	}
	buf_init(&match, 16 << 10);
	search_query_fts(&q, &match);
	if ((rc = buf_error(&match))) {
		buf_release(&match);
		return rc;
	}
	ss.match = buf_str(&match);
	ss.format = rq->format;
	ss.price = rq->price;
	ss.sort = rq->sort;
	ss.limit = DOCSEARCH_PAGE_SIZE;
	ss.offset = (rq->page - 1) * DOCSEARCH_PAGE_SIZE;
	rc = store_search(s, a, &ss, &hits, &n, &out->total);
	buf_release(&match);
	if (rc)
		return rc;
	out->pages = (int)((out->total + DOCSEARCH_PAGE_SIZE - 1) /
			   DOCSEARCH_PAGE_SIZE);
	if (out->pages > DOCSEARCH_MAX_PAGE)
		out->pages = DOCSEARCH_MAX_PAGE;
	out->hits = arena_alloc(a, (n + 1) * sizeof(*out->hits));
	if (!out->hits)
		return WK_ENOMEM;
	for (i = 0; i < n; i++) {
		struct docsearch_hit *h = &out->hits[i];
		struct search_snippet sn;
		const char *text;
		size_t len;

		h->doc = hits[i].doc;
		h->score = hits[i].score;
		h->in_title = hits[i].title_hits == (int)q.n;
		if ((rc = search_highlight(a, h->doc.title,
					   strlen(h->doc.title), &q, &sn)) ||
		    (rc = to_segs(a, h->doc.title, &sn, &h->title,
				  &h->ntitle)))
			return rc;
		if ((rc = preview_of(s, a, cfg, &h->doc, &text, &len)) ||
		    (rc = search_snippet(a, text, len, &q,
					 DOCSEARCH_SNIPPET_CHARS, &sn)) ||
		    (rc = to_segs(a, text, &sn, &h->snippet, &h->nsnippet)))
			return rc;
		h->lead = sn.lead;
		h->trail = sn.trail;
	}
	out->n = n;
	return 0;
}
