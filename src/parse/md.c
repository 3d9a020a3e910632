/*
 * md.c - Markdown: telling it from plain text, and reading its block
 * structure into headings, paragraphs, list items and table rows, with
 * the inline markup taken out so that only the words a reader sees are
 * left.
 *
 * The file is decoded exactly as a .txt is (txt_decode(): BOMs, UTF-16,
 * GB18030, Big5). Blocks follow CommonMark and GitHub's tables closely
 * enough for real files, line by line and without recursion: ATX
 * ("# x") and setext ("x" over "===") headings, paragraphs (their lines
 * joined by a space), list items (-, *, +, "1." and "1)"; the level
 * follows the indentation), fenced and indented code (each line a
 * paragraph, kept as written), pipe tables (a row per line, cells
 * joined by tabs) and block quotes (their markers dropped). Thematic
 * breaks, link reference definitions and footnote definitions are
 * dropped, and a YAML front matter block at the top is skipped (its
 * "title:" becomes the title).
 *
 * Inline markup is mdinline.c's: emphasis and strike-through markers,
 * code-span backticks, backslash escapes and link syntax go; a link or
 * image leaves its text or alt text; entities are decoded. HTML is
 * never passed through: tags and comments are removed, and script and
 * style elements with their content. The output is plain text like
 * every other format's.
 */
#include "parse_internal.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../base/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define LIST_MAX 9		/* list nesting levels told apart */
#define FRONT_MAX 200		/* lines a front matter block may have */

/* ---- lines -------------------------------------------------------------- */

struct line {
	const char *s;
	size_t n;
};

/* The line starting at *pos in s (n bytes), without its end; advances
 * *pos past the line end (\n, \r\n or \r). Returns 0 at the end. */
static int next_line(const char *s, size_t n, size_t *pos, struct line *l)
{
	size_t i = *pos;

	if (i >= n)
		return 0;
	l->s = s + i;
	while (i < n && s[i] != '\n' && s[i] != '\r')
		i++;
	l->n = (size_t)(s + i - l->s);
	if (i < n && s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')
		i++;
	*pos = i + 1;
	return 1;
}

static bool is_blank(const struct line *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->s[i] != ' ' && l->s[i] != '\t')
			return false;
	return true;
}

/* Columns of leading white space (a tab to the next multiple of 4) and,
 * in *at, the bytes it takes. */
static size_t indent(const struct line *l, size_t *at)
{
	size_t i, col = 0;

	for (i = 0; i < l->n && (l->s[i] == ' ' || l->s[i] == '\t'); i++)
		col = l->s[i] == '\t' ? (col + 4) & ~(size_t)3 : col + 1;
	*at = i;
	return col;
}

/* ATX heading: level 1-6 and the text in *t, else 0. */
static int atx(const struct line *l, struct line *t)
{
	size_t at, i, level = 0, e, k;

	if (indent(l, &at) > 3)
		return 0;
	for (i = at; i < l->n && l->s[i] == '#'; i++)
		level++;
	if (level < 1 || level > 6 ||
	    (i < l->n && l->s[i] != ' ' && l->s[i] != '\t'))
		return 0;
	while (i < l->n && (l->s[i] == ' ' || l->s[i] == '\t'))
		i++;
	e = l->n;
	while (e > i && (l->s[e - 1] == ' ' || l->s[e - 1] == '\t'))
		e--;
	/* a closing run of '#' goes when a space comes before it */
	k = e;
	while (k > i && l->s[k - 1] == '#')
		k--;
	if (k == i || (k < e && (l->s[k - 1] == ' ' || l->s[k - 1] == '\t')))
		e = k;
	t->s = l->s + i;
	t->n = e - i;
	return (int)level;
}

/* A line of one character c repeated (at least min times), with spaces
 * between when spaced; at most 3 columns of indentation. */
static bool rule_of(const struct line *l, char c, size_t min, bool spaced)
{
	size_t at, i, k = 0;
	bool gap = false;

	if (indent(l, &at) > 3)
		return false;
	for (i = at; i < l->n; i++) {
		if (l->s[i] == c) {
			if (gap && !spaced)
				return false;
			k++;
		} else if (l->s[i] == ' ' || l->s[i] == '\t') {
			gap = k > 0;
		} else {
			return false;
		}
	}
	return k >= min;
}

/* Thematic break: "***", "- - -", "___". */
static bool is_hr(const struct line *l)
{
	return rule_of(l, '*', 3, true) || rule_of(l, '-', 3, true) ||
	       rule_of(l, '_', 3, true);
}

/* Setext underline: 1 for "===", 2 for "---", else 0. */
static int setext(const struct line *l)
{
	if (rule_of(l, '=', 1, false))
		return 1;
	if (rule_of(l, '-', 1, false))
		return 2;
	return 0;
}

/* Opening code fence: its character and length in *ch and *len. */
static bool fence_open(const struct line *l, char *ch, size_t *len)
{
	size_t at, i, k = 0;

	if (indent(l, &at) > 3 || at >= l->n ||
	    (l->s[at] != '`' && l->s[at] != '~'))
		return false;
	for (i = at; i < l->n && l->s[i] == l->s[at]; i++)
		k++;
	if (k < 3)
		return false;
	/* a backtick fence's info string has no backtick */
	if (l->s[at] == '`' && memchr(l->s + i, '`', l->n - i))
		return false;
	*ch = l->s[at];
	*len = k;
	return true;
}

static bool fence_close(const struct line *l, char ch, size_t len)
{
	size_t at, i, k = 0;

	if (indent(l, &at) > 3)
		return false;
	for (i = at; i < l->n && l->s[i] == ch; i++)
		k++;
	if (k < len)
		return false;
	for (; i < l->n; i++)
		if (l->s[i] != ' ' && l->s[i] != '\t')
			return false;
	return true;
}

/* List item marker: the text after it in *t and the marker's column in
 * *col; "- [ ] " task boxes go with the marker. */
static bool list_item(const struct line *l, struct line *t, size_t *col)
{
	size_t at, i, k = 0;

	*col = indent(l, &at);
	i = at;
	if (i < l->n && (l->s[i] == '-' || l->s[i] == '*' || l->s[i] == '+')) {
		i++;
	} else {
		while (i < l->n && l->s[i] >= '0' && l->s[i] <= '9' && k < 10) {
			i++;
			k++;
		}
		if (k < 1 || k > 9 || i >= l->n ||
		    (l->s[i] != '.' && l->s[i] != ')'))
			return false;
		i++;
	}
	if (i < l->n && l->s[i] != ' ' && l->s[i] != '\t')
		return false;
	while (i < l->n && (l->s[i] == ' ' || l->s[i] == '\t'))
		i++;
	if (l->n - i >= 3 && l->s[i] == '[' && l->s[i + 2] == ']' &&
	    (l->s[i + 1] == ' ' || l->s[i + 1] == 'x' || l->s[i + 1] == 'X') &&
	    (l->n - i == 3 || l->s[i + 3] == ' '))
		i += l->n - i == 3 ? 3 : 4;
	t->s = l->s + i;
	t->n = l->n - i;
	return true;
}

/* GitHub table delimiter row: "|---|:--:|", "--- | ---". */
static bool table_delim(const struct line *l)
{
	size_t i, dashes = 0, pipes = 0;

	for (i = 0; i < l->n; i++) {
		char c = l->s[i];
		if (c == '-')
			dashes++;
		else if (c == '|')
			pipes++;
		else if (c != ':' && c != ' ' && c != '\t')
			return false;
	}
	return pipes > 0 && dashes >= 3;
}

static bool has_pipe(const struct line *l)
{
	return memchr(l->s, '|', l->n) != NULL;
}

/* Link reference or footnote definition: "[x]: url", "[^1]: note". */
static bool ref_def(const struct line *l)
{
	size_t at, i;

	if (indent(l, &at) > 3 || at >= l->n || l->s[at] != '[')
		return false;
	for (i = at + 1; i < l->n && l->s[i] != ']'; i++)
		if (l->s[i] == '[')
			return false;
	return i + 1 < l->n && i > at + 1 && l->s[i + 1] == ':';
}

/* Block quote markers ("> ", ">>") come off the front of l. */
static void unquote(struct line *l)
{
	size_t at;

	for (;;) {
		if (indent(l, &at) > 3 || at >= l->n || l->s[at] != '>')
			return;
		at++;
		if (at < l->n && (l->s[at] == ' ' || l->s[at] == '\t'))
			at++;
		l->s += at;
		l->n -= at;
	}
}

/* ---- telling Markdown from text ----------------------------------------- */

enum {
	K_ATX = 1, K_SETEXT = 2, K_FENCE = 4, K_TABLE = 8,	/* structure */
	K_LIST = 16, K_LINK = 32, K_EMPH = 64, K_CODE = 128, K_QUOTE = 256,
};

/* Inline kinds seen in one line: links, strong emphasis, code. One
 * pass each, so a long line costs its length. */
static unsigned inline_kinds(const struct line *l)
{
	const char *s = l->s, *e = s + l->n, *p, *open, *close;
	bool strong[2] = { false, false };
	unsigned k = 0;
	int w;

	/* "[" ... "](" ... ")" */
	open = memchr(s, '[', l->n);
	close = memrchr(s, ')', l->n);
	for (p = close ? open : NULL; p && p + 1 < close;
	     p = memchr(p + 1, ']', (size_t)(close - p - 1)))
		if (p[0] == ']' && p[1] == '(') {
			k |= K_LINK;
			break;
		}
	/* "**x" then later "x**" (or with '_') */
	for (p = s; p + 2 < e && !(k & K_EMPH); p++) {
		if ((p[0] != '*' && p[0] != '_') || p[1] != p[0])
			continue;
		w = p[0] == '_';
		if (strong[w] && p > s && p[-1] != ' ' && p[-1] != p[0])
			k |= K_EMPH;
		else if (p[2] != ' ' && p[2] != p[0])
			strong[w] = true;
		p++;
	}
	p = memchr(s, '`', l->n);
	if (p && p + 2 < e && p[1] != '`' && p[1] != ' ' &&
	    memchr(p + 2, '`', (size_t)(e - p - 2)))
		k |= K_CODE;
	return k;
}

bool md_sniff(const char *s, size_t n)
{
	struct line l, prev = { "", 0 }, t;
	size_t pos = 0, col, nonblank = 0, atx_lines = 0, lists = 0,
	       fences = 0, k, bits;
	unsigned kinds = 0;
	char ch;

	while (next_line(s, n, &pos, &l)) {
		if (is_blank(&l)) {
			prev = l;
			continue;
		}
		nonblank++;
		if (atx(&l, &t) && t.n) {
			kinds |= K_ATX;
			atx_lines++;
		} else if (fence_open(&l, &ch, &k)) {
			if (++fences >= 2)
				kinds |= K_FENCE;
		} else if (!is_blank(&prev) && !list_item(&prev, &t, &col) &&
			   (rule_of(&l, '=', 3, false) ||
			    rule_of(&l, '-', 3, false))) {
			kinds |= K_SETEXT;
		} else if (has_pipe(&prev) && table_delim(&l)) {
			kinds |= K_TABLE;
		} else if (list_item(&l, &t, &col) && t.n && col <= 3) {
			if (++lists >= 2)
				kinds |= K_LIST;
		} else if (indent(&l, &k) <= 3 && k < l.n && l.s[k] == '>') {
			kinds |= K_QUOTE;
		}
		kinds |= inline_kinds(&l);
		prev = l;
	}
	for (bits = 0, k = kinds; k; k >>= 1)
		bits += k & 1;
	if (!(kinds & (K_ATX | K_SETEXT | K_FENCE | K_TABLE)) || bits < 2)
		return false;
	/* "# " lines as most of a file are more likely comments in a
	 * script or a config file than headings. */
	if ((kinds & (K_ATX | K_SETEXT | K_FENCE | K_TABLE)) == K_ATX &&
	    atx_lines * 2 > nonblank)
		return false;
	return true;
}

/* ---- blocks ------------------------------------------------------------- */

struct md {
	struct pbuild *pb;
	struct buf para;	/* the open paragraph's lines, markup and all */
	enum parse_block_kind kind;
	int level;
	bool open;		/* a paragraph or list item is open */
	size_t cols[LIST_MAX];	/* marker columns of the open lists */
	size_t nlist;
	char fence;		/* inside a fenced code block: its char */
	size_t fence_len, fence_col;
	int html;		/* inside an HTML block: how it ends */
	const char *html_tag;	/* the closing tag that ends it */
	struct buf html_text;
	struct buf tmp;		/* stripped text */
	struct pb_row row;
	bool in_table;
	char *title;
};

/* Add a block; raw text goes in as written, other text stripped of its
 * inline markup. The first heading is the title. */
static int emit(struct md *m, enum parse_block_kind kind, int level,
		const char *s, size_t n, bool raw)
{
	if (!raw) {
		buf_reset(&m->tmp);
		md_strip_inline(s, n, &m->tmp);
		if (buf_error(&m->tmp))
			return m->pb->err = buf_error(&m->tmp);
		s = buf_str(&m->tmp);
		n = m->tmp.len;
	}
	if (kind == PB_HEADING && !m->title && !m->pb->err)
		m->title = parse_clean_str(s, n);
	return pb_add(m->pb, kind, level, s, n);
}

static int flush_para(struct md *m)
{
	int rc = 0;

	if (!m->open)
		return 0;
	m->open = false;
	if (buf_error(&m->para))
		rc = m->pb->err = buf_error(&m->para);
	else
		rc = emit(m, m->kind, m->level, buf_str(&m->para), m->para.len,
			  false);
	buf_reset(&m->para);
	return rc;
}

/* A paragraph line: indentation, trailing white space and a trailing
 * backslash (a hard line break) go; lines are joined by a space. */
static void para_line(struct md *m, const struct line *l)
{
	size_t at, e = l->n;

	indent(l, &at);
	while (e > at && (l->s[e - 1] == ' ' || l->s[e - 1] == '\t'))
		e--;
	if (e > at && l->s[e - 1] == '\\')
		e--;
	if (m->para.len)
		buf_addc(&m->para, ' ');
	buf_add(&m->para, l->s + at, e - at);
}

static void open_para(struct md *m, enum parse_block_kind kind, int level)
{
	buf_reset(&m->para);
	m->open = true;
	m->kind = kind;
	m->level = level;
}

/* A pipe table row: cells split at '|' outside code spans, the outer
 * pipes dropped, each cell stripped of its markup. */
static int table_row(struct md *m, const struct line *l)
{
	size_t at, i, start, e = l->n;
	bool code = false;

	indent(l, &at);
	while (e > at && (l->s[e - 1] == ' ' || l->s[e - 1] == '\t'))
		e--;
	if (at < e && l->s[at] == '|')
		at++;
	if (e > at && l->s[e - 1] == '|' && (e < 2 || l->s[e - 2] != '\\'))
		e--;
	pb_row_start(&m->row);
	for (start = i = at; i <= e; i++) {
		if (i < e && l->s[i] == '\\') {
			i++;
			continue;
		}
		if (i < e && l->s[i] == '`')
			code = !code;
		if (i < e && (l->s[i] != '|' || code))
			continue;
		buf_reset(&m->tmp);
		md_strip_inline(l->s + start, i - start, &m->tmp);
		pb_cell_start(&m->row);
		pb_cell_add(&m->row, buf_str(&m->tmp), m->tmp.len);
		pb_cell_end(&m->row);
		start = i + 1;
	}
	if (buf_error(&m->tmp))
		return m->pb->err = buf_error(&m->tmp);
	return pb_row_end(m->pb, &m->row);
}

static int flush_html(struct md *m)
{
	int rc = 0;

	m->html = 0;
	if (buf_error(&m->html_text))
		rc = m->pb->err = buf_error(&m->html_text);
	else
		rc = emit(m, PB_PARAGRAPH, 0, buf_str(&m->html_text),
			  m->html_text.len, false);
	buf_reset(&m->html_text);
	return rc;
}

/* Add a line to the HTML block; end the block when the line ends it. */
static int html_line(struct md *m, const struct line *l)
{
	const char *tag = m->html_tag ? m->html_tag : "";
	size_t i, k = strlen(tag);
	bool end = false;

	if (m->html_text.len)
		buf_addc(&m->html_text, '\n');
	buf_add(&m->html_text, l->s, l->n);
	if (m->html == 2)
		end = memmem(l->s, l->n, "-->", 3) != NULL;
	for (i = 0; m->html == 3 && i + 2 + k <= l->n; i++)
		if (l->s[i] == '<' && l->s[i + 1] == '/' &&
		    strncasecmp(l->s + i + 2, tag, k) == 0)
			end = true;
	return end ? flush_html(m) : 0;
}

/* A list item whose marker is at column col: its nesting level. */
static int list_level(struct md *m, size_t col)
{
	while (m->nlist && m->cols[m->nlist - 1] > col)
		m->nlist--;
	if (!m->nlist || m->cols[m->nlist - 1] < col) {
		if (m->nlist < LIST_MAX)
			m->cols[m->nlist++] = col;
	}
	return m->nlist ? (int)m->nlist : 1;
}

/* One line (block quote markers already gone) outside code and HTML
 * blocks. next is the line after it, for tables; *skip_next is set
 * when this line used it. */
static int block_line(struct md *m, const struct line *l,
		      const struct line *next, bool *skip_next, bool *blank)
{
	struct line t;
	size_t col, at;
	int lev, rc = 0;
	bool after_blank = *blank;
	char ch;

	if (is_blank(l)) {
		m->in_table = false;
		*blank = true;
		return flush_para(m);
	}
	*blank = false;
	if (m->in_table) {
		if (has_pipe(l))
			return table_row(m, l);
		m->in_table = false;
	}
	col = indent(l, &at);
	if (col >= 4 && !m->open && !m->nlist)	/* indented code */
		return emit(m, PB_PARAGRAPH, 0, l->s + at, l->n - at, true);
	if (fence_open(l, &ch, &m->fence_len)) {
		m->fence = ch;
		m->fence_col = col;
		return flush_para(m);
	}
	if ((lev = atx(l, &t)) != 0) {
		m->nlist = 0;
		if (!(rc = flush_para(m)))
			rc = emit(m, PB_HEADING, lev, t.s, t.n, false);
		return rc;
	}
	if (m->open && m->kind == PB_PARAGRAPH && (lev = setext(l)) != 0) {
		m->kind = PB_HEADING;
		m->level = lev;
		return flush_para(m);
	}
	if (is_hr(l)) {
		m->nlist = 0;
		return flush_para(m);
	}
	if (next && has_pipe(l) && !table_delim(l) && table_delim(next)) {
		*skip_next = true;
		m->in_table = true;
		if (!(rc = flush_para(m)))
			rc = table_row(m, l);
		return rc;
	}
	if (col <= 3 && (m->html = md_html_block(l->s + at, l->n - at,
						   &m->html_tag)) != 0) {
		if (m->html != 1 || !m->open) {
			if (!(rc = flush_para(m)))
				rc = html_line(m, l);
			return rc;
		}
		m->html = 0;	/* a lone tag does not break a paragraph */
	}
	/* an empty item does not break a paragraph ("-" under text) */
	if (list_item(l, &t, &col) &&
	    (t.n || !m->open || m->kind == PB_LIST_ITEM)) {
		if ((rc = flush_para(m)) != 0)
			return rc;
		open_para(m, PB_LIST_ITEM, list_level(m, col));
		para_line(m, &t);
		return 0;
	}
	if (!m->open && ref_def(l))
		return 0;
	if (!m->open) {
		if (col == 0 && after_blank)
			m->nlist = 0;	/* the list is over */
		open_para(m, PB_PARAGRAPH, 0);
	}
	para_line(m, l);
	return 0;
}

/* YAML front matter: "---" on the first line, closed by "---" or "..."
 * within FRONT_MAX lines. Returns the offset after it (0 if there is
 * none) and its "title:" value in *title (0 bytes if none). */
static size_t front_matter(const char *s, size_t n, struct line *title)
{
	struct line l;
	size_t pos = 0, lines = 0;

	title->s = s;
	title->n = 0;
	if (!next_line(s, n, &pos, &l) || l.n < 3 || memcmp(l.s, "---", 3) ||
	    !is_blank(&(struct line){ l.s + 3, l.n - 3 }))
		return 0;
	while (lines++ < FRONT_MAX && next_line(s, n, &pos, &l)) {
		if (l.n >= 3 && (!memcmp(l.s, "---", 3) ||
				 !memcmp(l.s, "...", 3)) &&
		    is_blank(&(struct line){ l.s + 3, l.n - 3 }))
			return pos;
		if (l.n > 6 && !memcmp(l.s, "title:", 6) && !title->n) {
			size_t a = 6, e = l.n;
			while (a < e && (l.s[a] == ' ' || l.s[a] == '\t'))
				a++;
			while (e > a &&
			       (l.s[e - 1] == ' ' || l.s[e - 1] == '\t'))
				e--;
			if (e - a >= 2 && (l.s[a] == '"' || l.s[a] == '\'') &&
			    l.s[e - 1] == l.s[a]) {
				a++;
				e--;
			}
			title->s = l.s + a;
			title->n = e - a;
		}
	}
	title->n = 0;
	return 0;
}

static int md_blocks(struct md *m, const char *s, size_t n)
{
	struct line l, q, next, title;
	size_t pos, peek, at;
	bool skip_next, blank = true;
	int rc = 0;

	pos = front_matter(s, n, &title);
	if (title.n)
		m->title = parse_clean_str(title.s, title.n);
	while (!rc && next_line(s, n, &pos, &l)) {
		if (m->fence) {
			if (fence_close(&l, m->fence, m->fence_len)) {
				m->fence = 0;
				continue;
			}
			/* the fence's own indentation comes off each line */
			for (at = 0; at < m->fence_col && at < l.n &&
				     l.s[at] == ' '; at++)
				;
			rc = emit(m, PB_PARAGRAPH, 0, l.s + at, l.n - at, true);
			continue;
		}
		if (m->html) {
			rc = m->html == 1 && is_blank(&l) ? flush_html(m)
							  : html_line(m, &l);
			continue;
		}
		q = l;
		unquote(&q);
		peek = pos;
		skip_next = false;
		if (next_line(s, n, &peek, &next)) {
			unquote(&next);
			rc = block_line(m, &q, &next, &skip_next, &blank);
		} else {
			rc = block_line(m, &q, NULL, &skip_next, &blank);
		}
		if (skip_next)
			pos = peek;
	}
	if (!rc)
		rc = flush_para(m);
	if (!rc && m->html)
		rc = flush_html(m);
	return rc;
}

int md_parse(const void *data, size_t len, const struct parse_limits *lim,
	     struct parse_result *out, char *err, size_t errlen)
{
	struct pbuild pb;
	struct buf u;
	struct md m;
	size_t max = lim->max_text + 1024;
	int rc;

	rc = txt_decode(data, len, lim, &u, err, errlen);
	if (rc)
		return rc;
	pb_init(&pb, lim);
	memset(&m, 0, sizeof(m));
	m.pb = &pb;
	buf_init(&m.para, max);
	buf_init(&m.html_text, max);
	buf_init(&m.tmp, max);
	pb_row_init(&m.row, max);
	md_blocks(&m, buf_str(&u), u.len);	/* errors stick in pb */
	buf_release(&u);
	buf_release(&m.para);
	buf_release(&m.html_text);
	buf_release(&m.tmp);
	pb_row_release(&m.row);
	rc = pb_finish(&pb, 0, out, err, errlen);
	pb_release(&pb);
	if (rc)
		free(m.title);
	else
		out->title = m.title;
	return rc;
}
