/*
 * xhtml.c - one XHTML content document (an EPUB chapter) into blocks,
 * and the HTML named character references that EPUB files use without
 * declaring them (&nbsp;, &mdash;).
 *
 * XHTML is XML, so expat reads it, through xml.c: namespace-aware,
 * nesting capped, no external entity ever loaded. Two things differ
 * from the Office formats. EPUB 2 documents carry the XHTML 1.1
 * DOCTYPE, so a DOCTYPE is accepted as long as it has no internal
 * subset (it then declares nothing, and its DTD is never fetched). And
 * HTML entity names are not XML: before expat sees the bytes, each
 * "&name;" that is not one of XML's five becomes a numeric reference
 * (or, when the name is unknown, the literal text "&name;"), and a bare
 * '&' becomes "&amp;", so one &nbsp; does not cost a whole book.
 *
 * Blocks follow the HTML model: text gathers across inline elements and
 * becomes a block whenever a block element starts or ends. Its kind
 * comes from where it stands: inside h1-h6 a heading, inside li a list
 * item (level = ul/ol nesting), inside a td/th a table cell, else a
 * paragraph. White space runs collapse to one space except inside pre,
 * whose lines become paragraphs of their own.
 */
#include "parse_internal.h"
#include "xml.h"
#include "../base/buf.h"
#include "../base/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS_XHTML "http://www.w3.org/1999/xhtml"
#define NS_MATHML "http://www.w3.org/1998/Math/MathML"
#define NS_OPS "http://www.idpf.org/2007/ops"

/* Longest entity name looked up ("thetasym" is the longest known). */
#define ENTITY_NAME_MAX 32

/* ---- named character references ----------------------------------------- */

/* U+00A0 to U+00FF, in order. */
static const char *const latin1[96] = {
	"nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect",
	"uml", "copy", "ordf", "laquo", "not", "shy", "reg", "macr", "deg",
	"plusmn", "sup2", "sup3", "acute", "micro", "para", "middot", "cedil",
	"sup1", "ordm", "raquo", "frac14", "frac12", "frac34", "iquest",
	"Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring", "AElig",
	"Ccedil", "Egrave", "Eacute", "Ecirc", "Euml", "Igrave", "Iacute",
	"Icirc", "Iuml", "ETH", "Ntilde", "Ograve", "Oacute", "Ocirc",
	"Otilde", "Ouml", "times", "Oslash", "Ugrave", "Uacute", "Ucirc",
	"Uuml", "Yacute", "THORN", "szlig", "agrave", "aacute", "acirc",
	"atilde", "auml", "aring", "aelig", "ccedil", "egrave", "eacute",
	"ecirc", "euml", "igrave", "iacute", "icirc", "iuml", "eth", "ntilde",
	"ograve", "oacute", "ocirc", "otilde", "ouml", "divide", "oslash",
	"ugrave", "uacute", "ucirc", "uuml", "yacute", "thorn", "yuml",
};

/* U+0391 to U+03A9 and U+03B1 to U+03C9 ("" where there is none). */
static const char *const greek[25] = {
	"Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta", "Eta", "Theta",
	"Iota", "Kappa", "Lambda", "Mu", "Nu", "Xi", "Omicron", "Pi", "Rho",
	"", "Sigma", "Tau", "Upsilon", "Phi", "Chi", "Psi", "Omega",
};

static const struct {
	const char *name;
	uint32_t cp;
} others[] = {
	{ "quot", 34 }, { "amp", 38 }, { "apos", 39 }, { "lt", 60 },
	{ "gt", 62 }, { "OElig", 338 }, { "oelig", 339 }, { "Scaron", 352 },
	{ "scaron", 353 }, { "Yuml", 376 }, { "fnof", 402 }, { "circ", 710 },
	{ "tilde", 732 }, { "sigmaf", 962 }, { "thetasym", 977 },
	{ "upsih", 978 }, { "piv", 982 }, { "ensp", 8194 }, { "emsp", 8195 },
	{ "thinsp", 8201 }, { "zwnj", 8204 }, { "zwj", 8205 }, { "lrm", 8206 },
	{ "rlm", 8207 }, { "ndash", 8211 }, { "mdash", 8212 },
	{ "lsquo", 8216 }, { "rsquo", 8217 }, { "sbquo", 8218 },
	{ "ldquo", 8220 }, { "rdquo", 8221 }, { "bdquo", 8222 },
	{ "dagger", 8224 }, { "Dagger", 8225 }, { "bull", 8226 },
	{ "hellip", 8230 }, { "permil", 8240 }, { "prime", 8242 },
	{ "Prime", 8243 }, { "lsaquo", 8249 }, { "rsaquo", 8250 },
	{ "oline", 8254 }, { "frasl", 8260 }, { "euro", 8364 },
	{ "image", 8465 }, { "weierp", 8472 }, { "real", 8476 },
	{ "trade", 8482 }, { "alefsym", 8501 }, { "larr", 8592 },
	{ "uarr", 8593 }, { "rarr", 8594 }, { "darr", 8595 }, { "harr", 8596 },
	{ "crarr", 8629 }, { "lArr", 8656 }, { "uArr", 8657 }, { "rArr", 8658 },
	{ "dArr", 8659 }, { "hArr", 8660 }, { "forall", 8704 },
	{ "part", 8706 }, { "exist", 8707 }, { "empty", 8709 },
	{ "nabla", 8711 }, { "isin", 8712 }, { "notin", 8713 }, { "ni", 8715 },
	{ "prod", 8719 }, { "sum", 8721 }, { "minus", 8722 },
	{ "lowast", 8727 }, { "radic", 8730 }, { "prop", 8733 },
	{ "infin", 8734 }, { "ang", 8736 }, { "and", 8743 }, { "or", 8744 },
	{ "cap", 8745 }, { "cup", 8746 }, { "int", 8747 }, { "there4", 8756 },
	{ "sim", 8764 }, { "cong", 8773 }, { "asymp", 8776 }, { "ne", 8800 },
	{ "equiv", 8801 }, { "le", 8804 }, { "ge", 8805 }, { "sub", 8834 },
	{ "sup", 8835 }, { "nsub", 8836 }, { "sube", 8838 }, { "supe", 8839 },
	{ "oplus", 8853 }, { "otimes", 8855 }, { "perp", 8869 },
	{ "sdot", 8901 }, { "lceil", 8968 }, { "rceil", 8969 },
	{ "lfloor", 8970 }, { "rfloor", 8971 }, { "lang", 9001 },
	{ "rang", 9002 }, { "loz", 9674 }, { "spades", 9824 },
	{ "clubs", 9827 }, { "hearts", 9829 }, { "diams", 9830 },
};

static bool name_is(const char *name, size_t n, const char *s)
{
	return strlen(s) == n && memcmp(name, s, n) == 0;
}

int html_entity(const char *name, size_t n, uint32_t *cp)
{
	size_t i;

	if (n == 0 || n > ENTITY_NAME_MAX)
		return 0;
	for (i = 0; i < 96; i++)
		if (name_is(name, n, latin1[i])) {
			*cp = 0xa0 + (uint32_t)i;
			return 1;
		}
	for (i = 0; i < 25; i++) {
		if (!greek[i][0])
			continue;
		if (name_is(name, n, greek[i])) {
			*cp = 0x391 + (uint32_t)i;
			return 1;
		}
		/* the small letters: same name, first letter lower case */
		if (n == strlen(greek[i]) && name[0] == greek[i][0] + 32 &&
		    memcmp(name + 1, greek[i] + 1, n - 1) == 0) {
			*cp = 0x3b1 + (uint32_t)i;
			return 1;
		}
	}
	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		if (name_is(name, n, others[i].name)) {
			*cp = others[i].cp;
			return 1;
		}
	return 0;
}

/* Length of the entity name at s (letters then letters or digits, up
 * to ENTITY_NAME_MAX) if a ';' follows it, else 0. */
static size_t entity_name(const char *s, size_t n)
{
	size_t i = 0;

	if (!n || !((s[0] | 32) >= 'a' && (s[0] | 32) <= 'z'))
		return 0;
	while (i < n && i <= ENTITY_NAME_MAX &&
	       (((s[i] | 32) >= 'a' && (s[i] | 32) <= 'z') ||
		(s[i] >= '0' && s[i] <= '9')))
		i++;
	return i < n && i <= ENTITY_NAME_MAX && s[i] == ';' ? i : 0;
}

/* What the '&' at s + i must become for expat: NULL to keep it. */
static const char *amp_fix(const char *s, size_t n, size_t i, char *tmp,
			   size_t tmplen, size_t *skip)
{
	size_t k = entity_name(s + i + 1, n - i - 1);
	uint32_t cp;

	*skip = 1;
	if (i + 1 < n && s[i + 1] == '#')
		return NULL;	/* numeric: expat checks it */
	if (!k)
		return "&amp;";	/* a bare '&', as HTML allows */
	if (name_is(s + i + 1, k, "amp") || name_is(s + i + 1, k, "lt") ||
	    name_is(s + i + 1, k, "gt") || name_is(s + i + 1, k, "quot") ||
	    name_is(s + i + 1, k, "apos"))
		return NULL;
	*skip = k + 2;
	if (html_entity(s + i + 1, k, &cp))
		snprintf(tmp, tmplen, "&#%u;", (unsigned)cp);
	else	/* unknown: shown as written */
		snprintf(tmp, tmplen, "&amp;%.*s;", (int)k, s + i + 1);
	return tmp;
}

/* A copy of s with the references expat would refuse rewritten (see
 * the top of the file) into out; out stays empty when nothing needs to
 * change. UTF-16 documents are left alone. */
static int rewrite_entities(const char *s, size_t n, struct buf *out)
{
	char tmp[ENTITY_NAME_MAX + 16];
	const char *fix;
	size_t i, done = 0, skip;

	if (n >= 2 && (memchr(s, 0, n < 4 ? n : 4) ||
		       (unsigned char)s[0] == 0xfe ||
		       (unsigned char)s[0] == 0xff))
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] != '&')
			continue;
		fix = amp_fix(s, n, i, tmp, sizeof(tmp), &skip);
		if (!fix)
			continue;
		buf_add(out, s + done, i - done);
		buf_adds(out, fix);
		done = i + skip;
		i = done - 1;
	}
	if (done)
		buf_add(out, s + done, n - done);
	return buf_error(out);
}

/* ---- the document ------------------------------------------------------- */

struct hx {
	struct pbuild *pb;
	unsigned depth;
	unsigned skip;		/* depth where a skipped subtree began */
	struct buf text;	/* the block being gathered */
	bool ws;		/* it ends in collapsed white space */
	unsigned pre;		/* open pre elements */
	int heading;		/* level of the open h1-h6, 0 if none */
	unsigned lists;		/* open ul, ol */
	unsigned items;		/* open li */
	unsigned tbl;		/* open tables */
	bool in_cell;		/* inside a td/th of the outermost table */
	struct pb_row row;
};

enum tag {
	T_INLINE, T_SKIP, T_BLOCK, T_BR, T_H, T_LIST, T_LI, T_PRE, T_TABLE,
	T_TR, T_CELL,
};

/* What an element is, by local name. HTML elements count with or
 * without the XHTML namespace (some EPUB 2 files leave it out). */
static enum tag classify(const char *name, int *level)
{
	static const char *const skips[] = {
		"head", "script", "style", "template", "noscript", "rt", "rp",
		"select", "textarea", "iframe", "audio", "video", "canvas",
		"object", "embed",
	};
	static const char *const blocks[] = {
		"address", "article", "aside", "blockquote", "body", "caption",
		"center", "dd", "details", "dialog", "div", "dl", "dt",
		"fieldset", "figcaption", "figure", "footer", "form", "header",
		"hgroup", "hr", "legend", "main", "nav", "p", "section",
		"summary", "menu", "tbody", "thead", "tfoot", "html",
	};
	const char *l = xml_local(name);
	size_t i;

	if (xml_in_ns(name, NS_MATHML))
		return strncmp(l, "annotation", 10) == 0 ? T_SKIP : T_INLINE;
	if (xml_in_ns(name, NS_OPS))	/* epub:switch: epub:default only */
		return strcmp(l, "case") == 0 ? T_SKIP : T_INLINE;
	if (!xml_in_ns(name, NS_XHTML) && !xml_in_ns(name, NULL))
		return T_SKIP;		/* svg and the like */
	if (l[0] == 'h' && l[1] >= '1' && l[1] <= '6' && !l[2]) {
		*level = l[1] - '0';
		return T_H;
	}
	if (strcmp(l, "br") == 0)
		return T_BR;
	if (strcmp(l, "ul") == 0 || strcmp(l, "ol") == 0)
		return T_LIST;
	if (strcmp(l, "li") == 0)
		return T_LI;
	if (strcmp(l, "pre") == 0)
		return T_PRE;
	if (strcmp(l, "table") == 0)
		return T_TABLE;
	if (strcmp(l, "tr") == 0)
		return T_TR;
	if (strcmp(l, "td") == 0 || strcmp(l, "th") == 0)
		return T_CELL;
	for (i = 0; i < sizeof(skips) / sizeof(skips[0]); i++)
		if (strcmp(l, skips[i]) == 0)
			return T_SKIP;
	for (i = 0; i < sizeof(blocks) / sizeof(blocks[0]); i++)
		if (strcmp(l, blocks[i]) == 0)
			return T_BLOCK;
	return T_INLINE;
}

/* The message for a builder or buffer error: the text limit or memory. */
static int hx_msg(struct hx *h, int rc, char *err, size_t errlen)
{
	char sz[32];

	if (rc == WK_ETOOBIG)
		return parse_fail(err, errlen, rc, "extracted text is longer "
				  "than the %s limit",
				  parse_size_str(h->pb->lim->max_text, sz,
						 sizeof(sz)));
	return parse_fail(err, errlen, rc, "out of memory");
}

static void hx_fail(struct xml *x, struct hx *h, int rc)
{
	char msg[128];

	hx_msg(h, rc, msg, sizeof(msg));
	xml_fail(x, rc, "%s", msg);
}

/* Turn the gathered text into a block, of the kind its place gives.
 * Returns 0 or the error. */
static int flush(struct hx *h)
{
	const char *s = buf_str(&h->text), *end = s + h->text.len;
	enum parse_block_kind kind = PB_PARAGRAPH;
	int level = 0, rc = 0;

	if (buf_error(&h->text))
		return buf_error(&h->text);
	if (h->text.len == 0)
		return 0;
	if (h->tbl && h->in_cell) {
		pb_cell_add(&h->row, s, h->text.len);
	} else if (h->pre) {
		while (s < end && !rc) {
			const char *e = memchr(s, '\n', (size_t)(end - s));
			if (!e)
				e = end;
			rc = pb_add(h->pb, PB_PARAGRAPH, 0, s, (size_t)(e - s));
			s = e + 1;
		}
	} else {
		if (h->heading) {
			kind = PB_HEADING;
			level = h->heading;
		} else if (h->items) {
			kind = PB_LIST_ITEM;
			level = h->lists < 1 ? 1 : h->lists > 9 ? 9
							: (int)h->lists;
		}
		rc = pb_add(h->pb, kind, level, s, h->text.len);
	}
	buf_reset(&h->text);
	h->ws = true;
	return rc;
}

static void hx_start(struct xml *x, const char *name, const char **attrs)
{
	struct hx *h = xml_user(x);
	int level = 0, rc;
	enum tag t;

	h->depth++;
	if (h->skip)
		return;
	t = classify(name, &level);
	if (t == T_SKIP) {
		h->skip = h->depth;
		return;
	}
	if (t == T_INLINE)
		return;
	if (t == T_BR) {
		if (h->pre)
			buf_addc(&h->text, '\n');
		else if (!h->ws)
			buf_addc(&h->text, ' ');
		h->ws = true;
		return;
	}
	if ((rc = flush(h)) != 0) {
		hx_fail(x, h, rc);
		return;
	}
	switch (t) {
	case T_H: h->heading = level; break;
	case T_LIST: h->lists++; break;
	case T_LI: h->items++; break;
	case T_PRE: h->pre++; break;
	case T_TABLE:
		if (++h->tbl == 1) {
			pb_row_start(&h->row);
			h->in_cell = false;
		}
		break;
	case T_TR:
		if (h->tbl == 1)
			pb_row_start(&h->row);
		break;
	case T_CELL:
		if (h->tbl == 1) {
			pb_cell_start(&h->row);
			h->in_cell = true;
		}
		break;
	default: break;
	}
}

static void hx_end(struct xml *x, const char *name)
{
	struct hx *h = xml_user(x);
	int level = 0, rc;
	enum tag t;

	if (h->skip) {
		if (h->depth-- == h->skip)
			h->skip = 0;
		return;
	}
	h->depth--;
	t = classify(name, &level);
	if (t == T_INLINE || t == T_BR)
		return;
	if ((rc = flush(h)) != 0) {
		hx_fail(x, h, rc);
		return;
	}
	switch (t) {
	case T_H: h->heading = 0; break;
	case T_LIST: if (h->lists) h->lists--; break;
	case T_LI: if (h->items) h->items--; break;
	case T_PRE: if (h->pre) h->pre--; break;
	case T_TABLE: if (h->tbl) h->tbl--; break;
	case T_TR:
		if (h->tbl == 1 && pb_row_end(h->pb, &h->row))
			hx_fail(x, h, h->pb->err);
		break;
	case T_CELL:
		if (h->tbl == 1 && h->in_cell) {
			pb_cell_end(&h->row);
			h->in_cell = false;
		}
		break;
	default: break;
	}
}

static void hx_text(struct xml *x, const char *s, size_t n)
{
	struct hx *h = xml_user(x);
	size_t i, run = 0;

	if (h->skip)
		return;
	if (h->pre) {
		buf_add(&h->text, s, n);
		h->ws = false;
		return;
	}
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r' &&
		    c != '\f') {
			run++;
			continue;
		}
		if (run) {
			buf_add(&h->text, s + i - run, run);
			run = 0;
			h->ws = false;
		}
		if (!h->ws)
			buf_addc(&h->text, ' ');
		h->ws = true;
	}
	if (run) {
		buf_add(&h->text, s + n - run, run);
		h->ws = false;
	}
}

int xhtml_parse(const char *data, size_t len, const char *part,
		struct pbuild *pb, char *err, size_t errlen)
{
	static const struct xml_handlers hd = { hx_start, hx_end, hx_text };
	static const struct xml_opts o = { true };
	size_t max = pb->lim->max_text + 1024;
	char nm[80];
	struct buf fixed;
	struct hx h;
	int rc;

	/* A bare '&' grows fivefold; the growth is capped by the text
	 * limit, so a chapter of ampersands cannot multiply memory. */
	buf_init(&fixed, len > SIZE_MAX / 2 - pb->lim->max_text
				 ? SIZE_MAX / 2 : len + pb->lim->max_text + 64);
	rc = rewrite_entities(data, len, &fixed);
	if (rc) {
		buf_release(&fixed);
		if (rc == WK_ETOOBIG)
			return parse_fail(err, errlen, rc, "%s has too many "
					  "HTML entities", parse_safe_name(
						  part, nm, sizeof(nm)));
		return parse_fail(err, errlen, rc, "out of memory");
	}
	if (fixed.len) {
		data = buf_str(&fixed);
		len = fixed.len;
	}
	memset(&h, 0, sizeof(h));
	h.pb = pb;
	h.ws = true;
	buf_init(&h.text, max);
	pb_row_init(&h.row, max);
	rc = xml_parse_opts(data, len, part, &o, &hd, &h, err, errlen);
	if (!rc && (rc = flush(&h)) != 0)	/* no block element around it */
		hx_msg(&h, rc, err, errlen);
	buf_release(&h.text);
	pb_row_release(&h.row);
	buf_release(&fixed);
	return rc;
}
