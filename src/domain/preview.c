/*
 * preview.c - cutting the free preview and weaving in the watermark.
 *
 * Works in characters (code points) throughout; byte offsets are only
 * derived from character counts with utf8_offset(), so a cut always
 * lands on a character boundary.
 */
#include "preview.h"

#include "../base/buf.h"
#include "../base/utf8.h"
#include "../parse/parse.h"
#include "../store/store.h"
#include "../tpl/tpl.h"

#include <string.h>

int preview_pages(int pages, const struct preview_opts *o)
{
	int n = pages * o->share / 100;

	if (n >= pages)
		n = pages - 1;
	if (n > PREVIEW_MAX_PAGES)
		n = PREVIEW_MAX_PAGES;
	return n > 0 ? n : 0;
}

int64_t preview_limit(int64_t total, const struct preview_opts *o)
{
	int64_t lim = total * o->share / 100;

	if (lim < o->min_chars)
		lim = o->min_chars;
	if (lim >= total)
		lim = total / 2;
	return lim;
}

/* Is the code point at s a sentence end (。!?;… and ASCII .!?;)? */
static int sentence_end(const char *s, size_t n)
{
	static const char *ends[] = { "。", "!", "?", ";", "…",
				      ".", "!", "?", ";" };
	unsigned char c0 = n ? (unsigned char)s[0] : 0;
	size_t i;

	/* Most characters start with none of the ends' first bytes. */
	if (c0 != '.' && c0 != '!' && c0 != '?' && c0 != ';' && c0 != 0xE3 &&
	    c0 != 0xEF && c0 != 0xE2)
		return 0;
	for (i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
		size_t l = strlen(ends[i]);
		if (n >= l && !memcmp(s, ends[i], l))
			return (int)l;
	}
	return 0;
}

/* Byte offsets of character indexes in one block, found walking forward
 * from the last one asked for (the weaver asks in increasing order), so
 * a long block is walked once rather than from its start each time. */
struct ucur {
	const char *s;
	size_t len;
	int64_t ci;	/* a character index ... */
	size_t bi;	/* ... and its byte offset */
};

static size_t ucur_at(struct ucur *c, int64_t chars)
{
	if (chars < c->ci) {
		c->ci = 0;
		c->bi = 0;
	}
	c->bi += utf8_offset(c->s + c->bi, c->len - c->bi,
			     (size_t)(chars - c->ci));
	c->ci = chars;
	return c->bi;
}

/* Character index just after the last sentence end in [from, to) chars
 * of s, or -1 if there is none. */
static int64_t last_sentence_end(struct ucur *c, int64_t from, int64_t to)
{
	const char *s = c->s;
	size_t len = c->len;
	size_t b = ucur_at(c, from);
	size_t e = ucur_at(c, to);
	int64_t idx = from, best = -1;

	while (b < e) {
		uint32_t cp;
		size_t l = utf8_decode(s + b, len - b, &cp);
		if (!l)
			l = 1;
		idx++;
		if (sentence_end(s + b, len - b))
			best = idx;
		b += l;
	}
	return best;
}

/* First character index after a sentence end in [from, to), or -1. */
static int64_t next_sentence_end(struct ucur *c, int64_t from, int64_t to)
{
	const char *s = c->s;
	size_t len = c->len;
	size_t b = ucur_at(c, from);
	int64_t idx = from;

	while (b < len && idx < to) {
		uint32_t cp;
		size_t l = utf8_decode(s + b, len - b, &cp);
		if (!l)
			l = 1;
		idx++;
		if (sentence_end(s + b, len - b))
			return idx;
		b += l;
	}
	return -1;
}

struct weaver {
	const struct preview_opts *o;
	struct buf *html, *text;
	struct preview_stats *st;
	int64_t since;		/* characters since the last watermark */
	int open_list, open_table;
	int ellipsis;		/* the cut's "..." was written */
};

static void close_groups(struct weaver *w)
{
	if (!w->html)
		return;
	if (w->open_list)
		buf_adds(w->html, "</ul>\n");
	if (w->open_table)
		buf_adds(w->html, "</table>\n");
	w->open_list = w->open_table = 0;
}

static void watermark_block(struct weaver *w)
{
	if (!w->o->watermark[0])
		return;
	close_groups(w);
	if (w->html) {
		buf_adds(w->html, "<p class=\"wm\">");
		tpl_escape(w->html, w->o->watermark, strlen(w->o->watermark));
		buf_adds(w->html, "</p>\n");
	}
	if (w->text) {
		buf_adds(w->text, w->o->watermark);
		buf_addc(w->text, '\n');
	}
	w->st->watermarks++;
	w->since = 0;
}

static void watermark_inline(struct weaver *w)
{
	if (!w->o->watermark[0])
		return;
	if (w->html) {
		buf_adds(w->html, "<span class=\"wm\">");
		tpl_escape(w->html, w->o->watermark, strlen(w->o->watermark));
		buf_adds(w->html, "</span>");
	}
	if (w->text) {
		buf_addc(w->text, '\n');
		buf_adds(w->text, w->o->watermark);
		buf_addc(w->text, '\n');
	}
	w->st->watermarks++;
	w->since = 0;
}

/* Emit characters [from, to) of s as text content (tabs become cell
 * breaks in a table row). */
static void emit(struct weaver *w, struct ucur *c, int64_t from, int64_t to,
		 int table)
{
	const char *s = c->s;
	size_t b = ucur_at(c, from);
	size_t e = ucur_at(c, to);

	if (w->html) {
		if (table) {
			size_t i = b, start = b;
			for (; i <= e; i++) {
				if (i == e || s[i] == '\t') {
					tpl_escape(w->html, s + start,
						   i - start);
					if (i < e)
						buf_adds(w->html, "</td><td>");
					start = i + 1;
				}
			}
		} else {
			tpl_escape(w->html, s + b, e - b);
		}
	}
	if (w->text)
		buf_add(w->text, s + b, e - b);
	w->since += to - from;
}

static void open_block(struct weaver *w, const struct store_block *bl)
{
	struct buf *h = w->html;
	int lvl;

	if (!h)
		return;
	if (bl->kind != PB_LIST_ITEM && w->open_list) {
		buf_adds(h, "</ul>\n");
		w->open_list = 0;
	}
	if (bl->kind != PB_TABLE_ROW && w->open_table) {
		buf_adds(h, "</table>\n");
		w->open_table = 0;
	}
	switch (bl->kind) {
	case PB_HEADING:
		lvl = bl->level < 1 ? 2 : bl->level + 1 > 6 ? 6 : bl->level + 1;
		buf_addf(h, "<h%d>", lvl);
		break;
	case PB_LIST_ITEM:
		if (!w->open_list) {
			buf_adds(h, "<ul>\n");
			w->open_list = 1;
		}
		buf_addf(h, "<li class=\"l%d\">",
			 bl->level < 1 ? 1 : bl->level > 9 ? 9 : bl->level);
		break;
	case PB_TABLE_ROW:
		if (!w->open_table) {
			buf_adds(h, "<table>\n");
			w->open_table = 1;
		}
		buf_adds(h, "<tr><td>");
		break;
	default:
		buf_adds(h, "<p>");
	}
}

static void close_block(struct weaver *w, const struct store_block *bl,
			int cut)
{
	int lvl;

	if (cut) {
		w->ellipsis = 1;
		if (w->html)
			buf_adds(w->html, "...");
		if (w->text)
			buf_adds(w->text, "...");
	}
	if (w->text)
		buf_addc(w->text, '\n');
	if (!w->html)
		return;
	switch (bl->kind) {
	case PB_HEADING:
		lvl = bl->level < 1 ? 2 : bl->level + 1 > 6 ? 6 : bl->level + 1;
		buf_addf(w->html, "</h%d>\n", lvl);
		break;
	case PB_LIST_ITEM:
		buf_adds(w->html, "</li>\n");
		break;
	case PB_TABLE_ROW:
		buf_adds(w->html, "</td></tr>\n");
		break;
	default:
		buf_adds(w->html, "</p>\n");
	}
}

void preview_build(const struct store_block *blocks, size_t n, int64_t total,
		   const struct preview_opts *o, struct buf *html,
		   struct buf *text, struct preview_stats *st)
{
	struct weaver w = { .o = o, .html = html, .text = text, .st = st };
	int64_t limit = preview_limit(total, o), shown = 0;
	int64_t every = o->every > 0 ? o->every : 500;
	size_t i;

	memset(st, 0, sizeof(*st));
	watermark_block(&w);
	for (i = 0; i < n && shown < limit; i++) {
		const struct store_block *bl = &blocks[i];
		size_t len = strlen(bl->text);
		int64_t chars = (int64_t)utf8_count(bl->text, len);
		int64_t take = chars, pos = 0;
		struct ucur c = { bl->text, len, 0, 0 };
		int cut = 0;

		if (bl->kind == PB_PAGE_BREAK) {
			close_groups(&w);
			if (html)
				buf_adds(html, "<hr class=\"pb\">\n");
			continue;
		}
		if (chars == 0)
			continue;
		if (shown + chars > limit) {
			int64_t want = limit - shown;
			int64_t back = last_sentence_end(&c, want - want / 5,
							 want);
			take = back > 0 ? back : want;
			cut = 1;
		}
		open_block(&w, bl);
		/* Split a long block at sentence ends near each watermark
		 * point, so no stretch runs far past `every`. */
		while (bl->kind != PB_TABLE_ROW && bl->kind != PB_HEADING &&
		       w.since + (take - pos) > every + every / 2) {
			int64_t at = pos + (every - w.since);
			int64_t split;
			if (at <= pos)
				at = pos + 1;
			split = next_sentence_end(&c, at, at + every / 4);
			if (split < 0 || split >= take)
				split = at;
			if (split >= take)
				break;
			emit(&w, &c, pos, split, 0);
			watermark_inline(&w);
			pos = split;
		}
		emit(&w, &c, pos, take, bl->kind == PB_TABLE_ROW);
		close_block(&w, bl, cut);
		shown += take;
		if (cut)
			break;
		if (w.since >= every && shown < limit)
			watermark_block(&w);
	}
	close_groups(&w);
	st->chars = shown;
	st->truncated = shown < total;
	if (st->truncated && !w.ellipsis) {
		/* Stopped at a block boundary: mark the cut all the same. */
		if (html)
			buf_adds(html, "<p class=\"more\">...</p>\n");
		if (text)
			buf_adds(text, "...\n");
	}
}
