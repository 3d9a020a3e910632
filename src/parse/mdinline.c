/*
 * mdinline.c - Markdown inline markup, for md.c: what is left of a
 * paragraph, heading, list item or table cell once the markup is gone,
 * and where HTML blocks begin.
 *
 * Two passes over a block's text. The first removes what has an exact
 * syntax: backslash escapes, code spans (their text kept as written),
 * links and images (their text or alt text kept, the destination
 * dropped), footnote references, autolinks (the address kept),
 * character references (decoded), and HTML: tags, comments and
 * declarations go, script, style and textarea go with their content.
 * It marks each '*', '_' and '~' left as a possible delimiter; the
 * second pass pairs delimiter runs the way CommonMark does (flanking
 * rules, '_' not inside words), simplified, and drops the paired ones.
 * Nothing recurses: nested links are a small stack, emphasis a bounded
 * one.
 */
#include "parse_internal.h"
#include "../base/buf.h"
#include "../base/utf8.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#define LINK_MAX 32		/* links nested inside link text */
#define DELIM_MAX 128		/* open emphasis delimiters tracked */

/* A piece of the text. */
struct line {
	const char *s;
	size_t n;
};

static bool is_punct(char c)
{
	return c > 0x20 && c < 0x7f && !((c | 32) >= 'a' && (c | 32) <= 'z') &&
	       !(c >= '0' && c <= '9');
}

/* ---- HTML --------------------------------------------------------------- */

/* Whether s (n bytes) starts with the ASCII word w, any case, followed
 * by something that ends a tag name. */
static bool tag_is(const char *s, size_t n, const char *w)
{
	size_t k = strlen(w);

	return n >= k && strncasecmp(s, w, k) == 0 &&
	       (n == k || s[k] == ' ' || s[k] == '>' || s[k] == '/' ||
		s[k] == '\t' || s[k] == '\n');
}

/* Elements whose content goes with them. */
static const char *const raw_tags[] = { "script", "style", "textarea" };

/* Whether the '<' at s starts a tag, comment, declaration or
 * processing instruction. */
static bool tag_start(const char *s, size_t n)
{
	char c = n > 1 ? s[1] : 0;

	return ((c | 32) >= 'a' && (c | 32) <= 'z') || c == '!' || c == '?' ||
	       (c == '/' && n > 2 && (s[2] | 32) >= 'a' && (s[2] | 32) <= 'z');
}

/* Autolink "<https://x>" or "<a@b.c>": the length of the whole thing,
 * its inside being the text; 0 if it is not one. */
static size_t autolink(const char *s, size_t n)
{
	size_t i;
	bool scheme = false, at = false;

	for (i = 1; i < n && s[i] != '>'; i++) {
		if (s[i] == ' ' || s[i] == '<' || s[i] == '\t' || s[i] == '\n')
			return 0;
		if (s[i] == ':' && i > 2)
			scheme = true;
		if (s[i] == '@' && i > 1)
			at = true;
	}
	return i < n && i > 1 && (scheme || at) ? i + 1 : 0;
}

/* Length of the HTML at s[0] == '<' that goes from the text, or 0 when
 * it is not HTML: a comment to its "-->", script, style and textarea
 * up to and with their closing tag (both run to the end when not
 * closed, so their content never shows), any other tag to its '>'.
 * gt is the offset of the first '>' in s, n if none: the caller keeps
 * it, so a run of '<' without '>' costs no search each. */
static size_t html_len(const char *s, size_t n, size_t gt)
{
	const char *e;
	size_t i, j, k;

	if (!tag_start(s, n) || autolink(s, n))
		return 0;
	if (n >= 4 && memcmp(s, "<!--", 4) == 0) {
		e = memmem(s + 4, n - 4, "-->", 3);
		return e ? (size_t)(e - s) + 3 : n;
	}
	for (i = 0; i < sizeof(raw_tags) / sizeof(raw_tags[0]); i++) {
		if (!tag_is(s + 1, n - 1, raw_tags[i]))
			continue;
		k = strlen(raw_tags[i]);
		for (j = 1 + k; j + 2 + k <= n; j++)
			if (s[j] == '<' && s[j + 1] == '/' &&
			    strncasecmp(s + j + 2, raw_tags[i], k) == 0) {
				e = memchr(s + j, '>', n - j);
				return e ? (size_t)(e - s) + 1 : n;
			}
		return n;
	}
	return gt < n ? gt + 1 : 0;	/* unclosed: not a tag */
}

int md_html_block(const char *s, size_t n, const char **close_tag)
{
	size_t i;

	if (!n || s[0] != '<' || !tag_start(s, n) || autolink(s, n))
		return 0;
	if (n >= 4 && memcmp(s, "<!--", 4) == 0)
		return 2;
	for (i = 0; i < sizeof(raw_tags) / sizeof(raw_tags[0]); i++)
		if (tag_is(s + 1, n - 1, raw_tags[i])) {
			*close_tag = raw_tags[i];
			return 3;
		}
	return 1;
}

/* ---- inline markup ------------------------------------------------------ */

/* Text being stripped: the bytes kept so far and, for each, what it is:
 * LIT a plain character, DELIM a '*', '_' or '~' that may be emphasis,
 * GONE a delimiter that was matched and goes. */
enum { LIT, DELIM, GONE };

struct strip {
	struct buf o, f;
	/* Bytes the searches for closing brackets and backticks may still
	 * scan. A search that fails scans to the end of the text, so
	 * without a budget "[[[[..." would cost the square of its length;
	 * with it the work is linear and, once it runs out, what is left
	 * of the syntax stays as written. */
	size_t fuel;
};

static void put(struct strip *st, const char *s, size_t n, char flag)
{
	size_t i;

	buf_add(&st->o, s, n);
	for (i = 0; i < n; i++)
		buf_addc(&st->f, flag);
}

/* A character reference at s[0] == '&': its length, with its UTF-8 in
 * out (*outlen bytes); 0 if it is none. */
static size_t charref(const char *s, size_t n, char *out, size_t *outlen)
{
	uint32_t cp = 0;
	size_t i = 1, k = 0;
	int base = 10;

	if (n > 2 && s[1] == '#') {
		i = 2;
		if (s[2] == 'x' || s[2] == 'X') {
			base = 16;
			i = 3;
		}
		for (; i < n && k < 7; i++, k++) {
			int d = s[i] >= '0' && s[i] <= '9' ? s[i] - '0'
				: base == 16 && (s[i] | 32) >= 'a' &&
				  (s[i] | 32) <= 'f' ? (s[i] | 32) - 'a' + 10
				: -1;
			if (d < 0)
				break;
			cp = cp * (uint32_t)base + (uint32_t)d;
		}
		if (!k || i >= n || s[i] != ';')
			return 0;
	} else {
		while (i < n && i <= 33 && (((s[i] | 32) >= 'a' &&
					     (s[i] | 32) <= 'z') ||
					    (s[i] >= '0' && s[i] <= '9')))
			i++;
		if (i >= n || s[i] != ';' ||
		    !html_entity(s + 1, i - 1, &cp))
			return 0;
	}
	*outlen = utf8_encode(cp, out);
	if (!*outlen || cp == 0)
		*outlen = utf8_encode(0xfffd, out);
	return i + 1;
}

/* A code span at s[0] == '`': its length, the inside in *in; 0 when the
 * backticks are not closed by a run of the same length. */
static size_t code_span(const char *s, size_t n, struct line *in,
			size_t *fuel)
{
	size_t k = 0, i, j, from;

	while (k < n && s[k] == '`')
		k++;
	for (from = k; from < n; from = j) {
		for (i = from; i < n && s[i] != '`'; i++)
			;
		for (j = i; j < n && s[j] == '`'; j++)
			;
		if (j - from >= *fuel)
			return *fuel = 0;
		*fuel -= j - from;
		if (j - i == k) {
			in->s = s + k;
			in->n = i - k;
			if (in->n >= 2 && in->s[0] == ' ' &&
			    in->s[in->n - 1] == ' ') {
				in->s++;
				in->n -= 2;
			}
			return j;
		}
	}
	return 0;
}

/* Index of the bracket closing the one at s[open], or 0. */
static size_t close_bracket(const char *s, size_t n, size_t open, char o,
			    char c, size_t *fuel)
{
	size_t i, depth = 0;

	for (i = open; i < n; i++) {
		if (!*fuel)
			return 0;
		--*fuel;
		if (s[i] == '\\' && i + 1 < n) {
			i++;
		} else if (s[i] == o) {
			depth++;
		} else if (s[i] == c && --depth == 0) {
			return i;
		}
	}
	return 0;
}

/* Link or image syntax at s[open] == '[': the index of its ']' in *mid
 * and the end of the whole link in *end. "[x](url)", "[x][ref]" and
 * "[x][]" count; "[x]" alone does not (it is shown as written). */
static bool link_at(const char *s, size_t n, size_t open, size_t *mid,
		    size_t *end, size_t *fuel)
{
	size_t m = close_bracket(s, n, open, '[', ']', fuel), e;

	if (!m || m + 1 >= n)
		return false;
	if (s[m + 1] == '(')
		e = close_bracket(s, n, m + 1, '(', ')', fuel);
	else if (s[m + 1] == '[')
		e = close_bracket(s, n, m + 1, '[', ']', fuel);
	else
		return false;
	if (!e)
		return false;
	*mid = m;
	*end = e + 1;
	return true;
}

/* The offset from i of the first '>' at or after s[i] (n - i if none),
 * kept in *gt across calls with growing i. */
static size_t next_gt(const char *s, size_t n, size_t i, size_t *gt)
{
	const char *e;

	if (*gt < i) {
		e = memchr(s + i, '>', n - i);
		*gt = e ? (size_t)(e - s) : n;
	}
	return *gt - i;
}

/* First pass: everything but emphasis, into st. */
static void strip_syntax(struct strip *st, const char *s, size_t n)
{
	const char *first_gt = memchr(s, '>', n);
	size_t gt = first_gt ? (size_t)(first_gt - s) : n;
	size_t ends[LINK_MAX], mids[LINK_MAX], nlinks = 0, i = 0, k, mid,
	       end;
	struct line in;
	char u[8];

	while (i < n) {
		char c = s[i];
		if (nlinks && i >= mids[nlinks - 1]) {
			/* "](url)" goes: on to the link's end */
			if (ends[nlinks - 1] > i)
				i = ends[nlinks - 1];
			nlinks--;
			continue;
		}
		if (c == '\\' && i + 1 < n && is_punct(s[i + 1])) {
			put(st, s + i + 1, 1, LIT);
			i += 2;
		} else if (c == '`') {
			k = code_span(s + i, n - i, &in, &st->fuel);
			if (k) {
				put(st, in.s, in.n, LIT);
				i += k;
			} else {
				for (k = i; k < n && s[k] == '`'; k++)
					;
				put(st, s + i, k - i, LIT);
				i = k;
			}
		} else if (c == '<' && (k = autolink(s + i, n - i)) != 0) {
			put(st, s + i + 1, k - 2, LIT);
			i += k;
		} else if (c == '<' && (k = html_len(s + i, n - i,
						     next_gt(s, n, i, &gt)))) {
			i += k;		/* HTML never passes */
		} else if (c == '&' && (k = charref(s + i, n - i, u, &end))) {
			put(st, u, end, LIT);
			i += k;
		} else if (c == '[' && i + 1 < n && s[i + 1] == '^' &&
			   (k = close_bracket(s, n, i, '[', ']', &st->fuel))) {
			i = k + 1;	/* footnote reference */
		} else if ((c == '[' || (c == '!' && i + 1 < n &&
					 s[i + 1] == '[')) &&
			   nlinks < LINK_MAX &&
			   link_at(s, n, c == '!' ? i + 1 : i, &mid, &end,
				   &st->fuel) &&
			   (!nlinks || end <= mids[nlinks - 1])) {
			mids[nlinks] = mid;
			ends[nlinks++] = end;
			i += c == '!' ? 2 : 1;
		} else {
			put(st, s + i, 1,
			    c == '*' || c == '_' || c == '~' ? DELIM : LIT);
			i++;
		}
	}
}

static bool space_at(const char *o, size_t n, size_t i)
{
	return i >= n || o[i] == ' ' || o[i] == '\t' || o[i] == '\n';
}

/* Second pass: emphasis. Delimiter runs that can open are stacked; a
 * run that can close takes the nearest opener of its character (for
 * '~' of its length too) and both lose as many characters as they
 * match, CommonMark's way, simplified. */
static void strip_emphasis(struct strip *st)
{
	struct { size_t pos, rem, len; char c; } stack[DELIM_MAX];
	char *o = st->o.data, *f = st->f.data;
	size_t n = st->o.len, ns = 0, i = 0, j, k, m, use;

	while (i < n) {
		char c = o[i], prev, next;
		bool left, right, can_open, can_close;

		if (f[i] != DELIM) {
			i++;
			continue;
		}
		for (j = i; j < n && o[j] == c && f[j] == DELIM; j++)
			;
		prev = i ? o[i - 1] : ' ';
		next = j < n ? o[j] : ' ';
		left = !space_at(o, n, j) &&
		       (!is_punct(next) || space_at(o, n, i ? i - 1 : n) ||
			is_punct(prev));
		right = i && !space_at(o, n, i - 1) &&
			(!is_punct(prev) || space_at(o, n, j) ||
			 is_punct(next));
		can_open = left;
		can_close = right;
		if (c == '_') {
			can_open = left && (!right || is_punct(prev));
			can_close = right && (!left || is_punct(next));
		}
		use = 0;
		for (k = ns; can_close && k-- > 0 && use < j - i;) {
			if (stack[k].c != c || !stack[k].rem ||
			    (c == '~' && stack[k].len != j - i))
				continue;
			m = stack[k].rem < j - i - use ? stack[k].rem
							: j - i - use;
			if (m > 2)
				m = 2;
			memset(f + stack[k].pos + stack[k].rem - m, GONE, m);
			memset(f + i + use, GONE, m);
			stack[k].rem -= m;
			use += m;
			ns = stack[k].rem ? k + 1 : k;
			k = ns;
		}
		if (can_open && use < j - i && ns < DELIM_MAX) {
			stack[ns].pos = i + use;
			stack[ns].rem = j - i - use;
			stack[ns].len = j - i;
			stack[ns++].c = c;
		}
		i = j;
	}
}

void md_strip_inline(const char *s, size_t n, struct buf *out)
{
	struct strip st;
	size_t i, run = 0;

	buf_init(&st.o, out->max);
	buf_init(&st.f, out->max);
	st.fuel = n > SIZE_MAX / 16 ? SIZE_MAX : n * 16 + 4096;
	strip_syntax(&st, s, n);
	if (buf_error(&st.o) || buf_error(&st.f)) {
		if (!out->err)
			out->err = buf_error(&st.o) ? buf_error(&st.o)
						    : buf_error(&st.f);
	} else {
		strip_emphasis(&st);
		for (i = 0; i < st.o.len; i++) {
			if (st.f.data[i] != GONE) {
				run++;
				continue;
			}
			buf_add(out, buf_str(&st.o) + i - run, run);
			run = 0;
		}
		buf_add(out, buf_str(&st.o) + i - run, run);
	}
	buf_release(&st.o);
	buf_release(&st.f);
}

