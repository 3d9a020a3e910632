/*
 * query.c - turning what a reader typed into phrases, and phrases into
 * an FTS5 MATCH expression.
 *
 * The expression is made only of tokens the tokenizer produced (folded
 * letters, digits and CJK characters), each phrase in double quotes, so
 * no operator, column filter or NEAR of the reader's can get through.
 * Phrases are the tokens of one quoted stretch, or of one stretch
 * between separators; a CJK run inside a phrase is its bigrams, in
 * order, which FTS5 then finds at consecutive positions: exactly the
 * documents holding the run as a substring.
 */
#include "search.h"

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../base/utf8.h"

#include <string.h>

struct qtok {
	char *text;
	size_t len, start, end;
	bool cjk;
};

struct collect {
	struct arena *a;
	struct qtok t[SEARCH_MAX_TOKENS];
	size_t n;
	bool full;
};

static int collect_tok(void *ctx, const struct search_token *t)
{
	struct collect *c = ctx;

	if (c->n == SEARCH_MAX_TOKENS) {
		c->full = true;
		return 1;
	}
	c->t[c->n].text = arena_strndup(c->a, t->text, t->len);
	if (!c->t[c->n].text)
		return WK_ENOMEM;
	c->t[c->n].len = t->len;
	c->t[c->n].start = t->start;
	c->t[c->n].end = t->end;
	c->t[c->n].cjk = t->cjk;
	c->n++;
	return 0;
}

/* The query cut to SEARCH_QUERY_MAX_CHARS valid characters. */
static char *clean_text(struct arena *a, const char *s, size_t len)
{
	char *out = arena_alloc(a, len + 1);
	size_t i = 0, o = 0, chars = 0;

	if (!out)
		return NULL;
	while (i < len && chars < SEARCH_QUERY_MAX_CHARS) {
		uint32_t cp;
		size_t l = utf8_decode(s + i, len - i, &cp);
		if (!l || cp == 0) {
			i++;
			continue;
		}
		memcpy(out + o, s + i, l);
		o += l;
		i += l;
		chars++;
	}
	out[o] = '\0';
	return out;
}

/* Length of an opening or closing quote at s: ", “ or ”. */
static size_t quote_at(const char *s, size_t n)
{
	if (n >= 1 && s[0] == '"')
		return 1;
	if (n >= 3 && (!memcmp(s, "\xe2\x80\x9c", 3) ||
		       !memcmp(s, "\xe2\x80\x9d", 3)))
		return 3;
	return 0;
}

static int add_phrase(struct arena *a, struct search_query *q,
		      const struct qtok *t, size_t n)
{
	struct search_phrase *p;
	size_t i;

	if (n == 0 || q->n == SEARCH_MAX_PHRASES)
		return 0;
	p = &q->p[q->n];
	p->tok = arena_alloc(a, n * sizeof(*p->tok));
	p->toklen = arena_alloc(a, n * sizeof(*p->toklen));
	p->tokcjk = arena_alloc(a, n * sizeof(*p->tokcjk));
	if (!p->tok || !p->toklen || !p->tokcjk)
		return WK_ENOMEM;
	for (i = 0; i < n; i++) {
		p->tok[i] = t[i].text;
		p->toklen[i] = t[i].len;
		p->tokcjk[i] = t[i].cjk;
	}
	p->ntok = n;
	/* A single character at the end matches as a prefix: a lone CJK
	 * character is the first half of bigrams, a lone letter the start
	 * of words. */
	p->prefix = utf8_count(t[n - 1].text, t[n - 1].len) == 1;
	q->n++;
	return 0;
}

/* Tokens of text[from, to) as phrases: one phrase for a quoted stretch,
 * else one per run of touching tokens. */
static int add_stretch(struct arena *a, struct search_query *q,
		       struct collect *c, const char *text, size_t from,
		       size_t to, bool quoted)
{
	size_t i, first;
	int rc;

	c->n = 0;
	rc = search_tokenize(text + from, to - from, SEARCH_QUERY,
			     collect_tok, c);
	if (rc < 0)
		return rc;
	if (quoted)
		return add_phrase(a, q, c->t, c->n);
	for (first = 0, i = 1; i <= c->n; i++) {
		if (i == c->n || c->t[i].start > c->t[i - 1].end) {
			if ((rc = add_phrase(a, q, c->t + first, i - first)))
				return rc;
			first = i;
		}
	}
	return 0;
}

int search_query_parse(struct arena *a, const char *s, size_t len,
		       struct search_query *q)
{
	struct collect *c;
	char *text;
	size_t i = 0, n, start = 0;
	bool quoted = false;
	int rc;

	memset(q, 0, sizeof(*q));
	text = clean_text(a, s ? s : "", s ? len : 0);
	c = arena_alloc(a, sizeof(*c));
	q->p = arena_alloc(a, SEARCH_MAX_PHRASES * sizeof(*q->p));
	if (!text || !c || !q->p)
		return WK_ENOMEM;
	c->a = a;
	q->text = text;
	n = strlen(text);
	while (i <= n) {
		size_t ql = i < n ? quote_at(text + i, n - i) : 0;
		if (i == n || ql) {
			if ((rc = add_stretch(a, q, c, text, start, i,
					      quoted)))
				return rc;
			if (i == n)
				break;
			quoted = !quoted;
			i += ql;
			start = i;
			continue;
		}
		i++;
	}
	return 0;
}

void search_query_fts(const struct search_query *q, struct buf *out)
{
	size_t i, j, k;

	for (i = 0; i < q->n; i++) {
		const struct search_phrase *p = &q->p[i];
		if (i)
			buf_adds(out, " AND ");
		buf_addc(out, '"');
		for (j = 0; j < p->ntok; j++) {
			if (j)
				buf_addc(out, ' ');
			/* Tokens never hold a quote; double one anyway. */
			for (k = 0; k < p->toklen[j]; k++) {
				if (p->tok[j][k] == '"')
					buf_addc(out, '"');
				buf_addc(out, p->tok[j][k]);
			}
		}
		buf_addc(out, '"');
		if (p->prefix)
			buf_addc(out, '*');
	}
}
