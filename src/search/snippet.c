/*
 * snippet.c - finding a query's phrases in a text and cutting a short,
 * highlighted window of it.
 *
 * The text is tokenized as a document is, so a phrase is found exactly
 * where FTS5 would find it, and each hit's byte range comes from the
 * tokens' offsets: the highlight covers the original characters. A
 * one-character prefix that matched a bigram highlights the first
 * character only. Snippets are cut from the text they are given and
 * nothing else (the caller gives the free preview).
 */
#include "search.h"

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../base/utf8.h"

#include <stdlib.h>
#include <string.h>

#define SCAN_MAX ((size_t)64 << 10)	/* bytes of text searched */
#define MAX_HITS 512

struct stok {
	size_t toff, len;	/* folded text in the token buffer */
	size_t start, end, mid;
	size_t pos;
	bool cjk;
};

struct toks {
	struct stok *t;
	size_t n, cap;
	struct buf text;
	size_t pos;
	bool failed;
};

static int add_tok(void *ctx, const struct search_token *t)
{
	struct toks *k = ctx;
	struct stok *s;

	if (k->n == k->cap) {
		size_t cap = k->cap ? k->cap * 2 : 256;
		struct stok *nt = realloc(k->t, cap * sizeof(*nt));
		if (!nt) {
			k->failed = true;
			return WK_ENOMEM;
		}
		k->t = nt;
		k->cap = cap;
	}
	if (!t->colocated && k->n)
		k->pos++;
	s = &k->t[k->n++];
	s->toff = k->text.len;
	s->len = t->len;
	s->start = t->start;
	s->end = t->end;
	s->mid = t->mid;
	s->pos = k->pos;
	s->cjk = t->cjk;
	buf_add(&k->text, t->text, t->len);
	return buf_error(&k->text);
}

struct hit {
	size_t start, end;
	size_t phrase;
};

/* Does token k match the query token p (plen bytes), as a prefix when
 * prefix? *end gets the end of the highlighted part. */
static bool tok_match(const struct toks *k, const struct stok *s,
		      const char *p, size_t plen, bool prefix, size_t *end)
{
	const char *t = k->text.data + s->toff;

	if (prefix ? s->len < plen : s->len != plen)
		return false;
	if (memcmp(t, p, plen))
		return false;
	*end = s->cjk && s->len > plen ? s->mid : s->end;
	return true;
}

/* Every occurrence of phrase pi in the tokens, appended to hits. */
static void find_phrase(const struct toks *k, const struct search_query *q,
			size_t pi, struct hit *hits, size_t *nhits)
{
	const struct search_phrase *p = &q->p[pi];
	size_t j;

	for (j = 0; j < k->n && *nhits < MAX_HITS; j++) {
		size_t end, i, m = j + 1;
		bool ok;

		if (!tok_match(k, &k->t[j], p->tok[0], p->toklen[0],
			       p->prefix && p->ntok == 1, &end))
			continue;
		ok = true;
		for (i = 1; ok && i < p->ntok; i++) {
			size_t want = k->t[j].pos + i;
			bool last = i + 1 == p->ntok;
			ok = false;
			while (m < k->n && k->t[m].pos < want)
				m++;
			for (; m < k->n && k->t[m].pos == want; m++) {
				if (tok_match(k, &k->t[m], p->tok[i],
					      p->toklen[i], last && p->prefix,
					      &end)) {
					ok = true;
					break;
				}
			}
		}
		if (!ok)
			continue;
		hits[*nhits].start = k->t[j].start;
		hits[*nhits].end = end;
		hits[*nhits].phrase = pi;
		(*nhits)++;
	}
}

static int cmp_hit(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end < y->end ? -1 : x->end > y->end;
}

/* Segments of text[ws, we) with the hits inside highlighted (hits
 * sorted by start; overlapping ones merged). */
static int segments(struct arena *a, const struct hit *hits, size_t nhits,
		    size_t ws, size_t we, struct search_snippet *out)
{
	size_t i, at = ws, n = 0;

	out->seg = arena_alloc(a, (2 * nhits + 2) * sizeof(*out->seg));
	if (!out->seg)
		return WK_ENOMEM;
	for (i = 0; i < nhits; i++) {
		size_t s = hits[i].start, e = hits[i].end;
		if (e <= at || s >= we)
			continue;
		if (s < at)
			s = at;
		while (i + 1 < nhits && hits[i + 1].start <= e) {
			if (hits[i + 1].end > e)
				e = hits[i + 1].end;
			i++;
		}
		if (e > we)
			e = we;
		if (s > at) {
			out->seg[n].off = at;
			out->seg[n].len = s - at;
			out->seg[n++].hl = false;
		}
		out->seg[n].off = s;
		out->seg[n].len = e - s;
		out->seg[n++].hl = true;
		at = e;
	}
	if (we > at) {
		out->seg[n].off = at;
		out->seg[n].len = we - at;
		out->seg[n++].hl = false;
	}
	out->n = n;
	return 0;
}

/* Tokenize text and find every phrase of q: hits sorted by start. */
static int find_all(const char *text, size_t len,
		    const struct search_query *q, struct hit *hits,
		    size_t *nhits, int *matched)
{
	struct toks k;
	size_t i;
	int rc;

	memset(&k, 0, sizeof(k));
	buf_init(&k.text, 0);
	rc = search_tokenize(text, len, SEARCH_DOCUMENT, add_tok, &k);
	*nhits = 0;
	*matched = 0;
	if (rc == 0) {
		for (i = 0; i < q->n; i++) {
			size_t before = *nhits;
			find_phrase(&k, q, i, hits, nhits);
			if (*nhits > before)
				(*matched)++;
		}
		qsort(hits, *nhits, sizeof(*hits), cmp_hit);
	}
	free(k.t);
	buf_release(&k.text);
	return rc < 0 ? rc : 0;
}

int search_highlight(struct arena *a, const char *text, size_t len,
		     const struct search_query *q, struct search_snippet *out)
{
	struct hit *hits = arena_alloc(a, MAX_HITS * sizeof(*hits));
	size_t nhits;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!hits)
		return WK_ENOMEM;
	if (len > SCAN_MAX)
		len = utf8_floor(text, len, SCAN_MAX);
	if ((rc = find_all(text, len, q, hits, &nhits, &out->matched)))
		return rc;
	return segments(a, hits, nhits, 0, len, out);
}

int search_snippet(struct arena *a, const char *text, size_t len,
		   const struct search_query *q, size_t max_chars,
		   struct search_snippet *out)
{
	struct hit *hits = arena_alloc(a, MAX_HITS * sizeof(*hits));
	size_t *cs, nhits, i, j, best = 0, ws, we, before = max_chars / 5;
	size_t at = 0, ci = 0;
	int best_count = -1;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!hits)
		return WK_ENOMEM;
	if (len > SCAN_MAX)
		len = utf8_floor(text, len, SCAN_MAX);
	if ((rc = find_all(text, len, q, hits, &nhits, &out->matched)))
		return rc;
	if (nhits == 0) {
		we = utf8_offset(text, len, max_chars);
		out->trail = we < len;
		return segments(a, hits, 0, 0, we, out);
	}
	/* Character index of each hit's start. */
	cs = arena_alloc(a, nhits * sizeof(*cs));
	if (!cs)
		return WK_ENOMEM;
	for (i = 0; i < nhits; i++) {
		ci += utf8_count(text + at, hits[i].start - at);
		at = hits[i].start;
		cs[i] = ci;
	}
	/* The window (starting a little before a hit) that holds the most
	 * distinct phrases; the earliest of equals. */
	for (i = 0; i < nhits; i++) {
		size_t from = cs[i] > before ? cs[i] - before : 0;
		bool seen[SEARCH_MAX_PHRASES] = { false };
		int count = 0;
		for (j = i; j < nhits && cs[j] < from + max_chars; j++) {
			if (!seen[hits[j].phrase]) {
				seen[hits[j].phrase] = true;
				count++;
			}
		}
		if (count > best_count) {
			best_count = count;
			best = i;
		}
	}
	i = cs[best] > before ? cs[best] - before : 0;
	ws = utf8_offset(text, len, i);
	we = utf8_offset(text, len, i + max_chars);
	/* Never cut a highlight in two. */
	for (j = 0; j < nhits; j++) {
		if (hits[j].start < ws && hits[j].end > ws)
			ws = hits[j].start;
		if (hits[j].start < we && hits[j].end > we)
			we = hits[j].end;
	}
	out->lead = ws > 0;
	out->trail = we < len;
	return segments(a, hits, nhits, ws, we, out);
}
