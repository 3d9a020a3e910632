/*
 * odt.c - OpenDocument text (.odt, and .ott templates, which are built
 * the same way): the headings, paragraphs, list items and table rows of
 * content.xml, and the title, author and page count of meta.xml.
 *
 * Only what a reader sees as the document's current text goes in: the
 * old text kept for tracked changes, annotations, footnotes and
 * endnotes, index templates, alternative text (svg:title, svg:desc),
 * images, embedded objects and form definitions stay out. A frame's
 * text box is read once, even when the frame offers other
 * representations of the same content. White space follows the ODF
 * rules: runs of spaces, tabs and line breaks in the XML are one space;
 * text:s, text:tab and text:line-break write the ones that count.
 *
 * Nothing here opens a file other than content.xml, meta.xml, the
 * mimetype entry and META-INF/manifest.xml; embedded objects (which are
 * folders of their own in the zip) are never read. A package whose
 * manifest lists encryption data is refused: ODF encrypts entry by
 * entry with a password. Only opc.c's string helpers are shared with
 * the OOXML side.
 */
#include "opc.h"
#include "parse_internal.h"
#include "xml.h"
#include "zipsafe.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../base/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS_OFFICE "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#define NS_TEXT "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define NS_TABLE "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
#define NS_DRAW "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
#define NS_SVG "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
#define NS_STYLE "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
#define NS_FO "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
#define NS_META "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
#define NS_MANIFEST "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
#define NS_DC "http://purl.org/dc/elements/1.1/"

#define MIME_ODT "application/vnd.oasis.opendocument.text"
#define MIME_OTT "application/vnd.oasis.opendocument.text-template"

#define PARA_MAX 64		/* paragraphs nested through text boxes */
#define FRAME_MAX 64		/* nested draw:frame tracked one by one */
#define SPACES_MAX 1000		/* text:s text:c="..." is capped here */
#define ASTYLES_MAX 4096	/* automatic styles remembered */
#define META_MAX 4096		/* bytes of a title or author kept */
#define MANIFEST_MAX ((size_t)1 << 20)

/* ODF parts have no DTD, but OpenOffice 1 and 2 wrote a DOCTYPE naming
 * one ("Manifest.dtd", "office.dtd"); one that declares nothing is
 * harmless, and its DTD is never read. */
static const struct xml_opts odf_xml = { true };

/* ---- the package -------------------------------------------------------- */

/* Whether a media type (white space at its end ignored) is ODF text. */
static int is_odt_type(const char *s, size_t n)
{
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\r' ||
		     s[n - 1] == '\t'))
		n--;
	return (n == strlen(MIME_ODT) && memcmp(s, MIME_ODT, n) == 0) ||
	       (n == strlen(MIME_OTT) && memcmp(s, MIME_OTT, n) == 0);
}

/* What META-INF/manifest.xml says: the package's own media type, and
 * whether any entry is encrypted (ODF encrypts entry by entry, with a
 * password; the zip itself is not encrypted). */
struct manifest {
	char root_type[128];
	bool encrypted;
};

static void mf_start(struct xml *x, const char *name, const char **attrs)
{
	struct manifest *m = xml_user(x);
	const char *path, *type;

	if (xml_is(name, NS_MANIFEST, "encryption-data")) {
		m->encrypted = true;
	} else if (xml_is(name, NS_MANIFEST, "file-entry")) {
		path = xml_attr(attrs, NS_MANIFEST, "full-path");
		type = xml_attr(attrs, NS_MANIFEST, "media-type");
		if (path && type && strcmp(path, "/") == 0 && !m->root_type[0])
			snprintf(m->root_type, sizeof(m->root_type), "%s",
				 type);
	}
}

/* Read the entry name (at most max bytes, 0: the entry limit) and run
 * the handlers h over it. Returns 0, WK_ENOTFOUND (no such entry; no
 * message), or the error with a message. */
static int parse_part(struct zipsafe *z, const char *name, size_t max,
		      const struct xml_handlers *h, void *user, char *err,
		      size_t errlen)
{
	char *data;
	size_t len;
	int rc;

	rc = zipsafe_read(z, name, max, &data, &len, err, errlen);
	if (rc)
		return rc;
	rc = xml_parse_opts(data, len, name, &odf_xml, h, user, err, errlen);
	free(data);
	return rc;
}

/* Read the manifest into m; a missing one leaves m empty. */
static int read_manifest(struct zipsafe *z, struct manifest *m, char *err,
			 size_t errlen)
{
	static const struct xml_handlers h = { mf_start, NULL, NULL };
	int rc;

	memset(m, 0, sizeof(*m));
	rc = parse_part(z, "META-INF/manifest.xml", MANIFEST_MAX, &h, m, err,
			errlen);
	return rc == WK_ENOTFOUND ? 0 : rc;
}

int odt_sniff(struct zipsafe *z)
{
	struct manifest m;
	char *data;
	size_t len;
	int yes;

	if (zipsafe_read(z, "mimetype", 256, &data, &len, NULL, 0) == 0) {
		yes = is_odt_type(data, len);
		free(data);
		return yes;
	}
	/* No mimetype entry (it is optional): the manifest names the
	 * package's type as the media type of "/". */
	if (read_manifest(z, &m, NULL, 0))
		return 0;
	return is_odt_type(m.root_type, strlen(m.root_type));
}

/* ---- automatic styles --------------------------------------------------- */

/* A paragraph style that matters: one derived from a heading style, or
 * one that breaks the page. content.xml's automatic styles are what
 * paragraphs usually name ("P1" with parent "Title"). */
struct astyle {
	char *name;
	int heading;		/* 0, or 1..6 */
	bool break_before, break_after;
};

/* Heading level of a style name: "Title" 1, "Heading 2" (written
 * "Heading_20_2" in the file) or "Heading2" 2; 0 otherwise. */
static int heading_from_style(const char *s)
{
	size_t n;

	if (strcmp(s, "Title") == 0)
		return 1;
	if (strncmp(s, "Heading", 7) != 0)
		return 0;
	n = 7;
	if (strncmp(s + n, "_20_", 4) == 0)
		n += 4;
	else if (s[n] == ' ')
		n++;
	if (s[n] >= '1' && s[n] <= '9' && s[n + 1] == '\0')
		return s[n] - '0' > 6 ? 6 : s[n] - '0';
	return 0;
}

static int astyle_cmp(const void *a, const void *b)
{
	return strcmp(((const struct astyle *)a)->name,
		      ((const struct astyle *)b)->name);
}

/* ---- the body ----------------------------------------------------------- */

struct para {
	struct buf text;
	enum parse_block_kind kind;
	int level;
	bool ws;		/* last byte added was collapsed white space */
	bool page_break;	/* a page break follows this paragraph */
};

struct body {
	struct pbuild *pb;
	const struct parse_limits *lim;
	unsigned depth;
	unsigned skip;		/* depth where a skipped subtree began */
	unsigned text_depth;	/* depth of office:text, 0 outside it */
	/* automatic styles */
	struct astyle *st;
	size_t nst, capst;
	bool st_sorted;
	unsigned auto_depth;	/* depth of office:automatic-styles */
	struct astyle cur_st;	/* the style:style being read */
	unsigned cur_st_depth;
	/* paragraphs, lists, frames */
	struct para *paras;
	size_t npara;
	unsigned lists;		/* open text:list */
	int numbered;		/* level of an open text:numbered-paragraph */
	unsigned frames[FRAME_MAX];	/* depth of each open draw:frame */
	bool frame_used[FRAME_MAX];	/* it has shown one representation */
	size_t nframe;
	/* tables: depth, and the outermost table's current row and cell */
	unsigned tbl;
	bool in_row, row_break;
	struct pb_row row;
};

/* Elements whose whole subtree is left out of the text. */
static bool skipped(const char *name)
{
	static const char *const text_names[] = {
		"tracked-changes", "note", "ruby-text", "sequence-decls",
		"variable-decls", "user-field-decls", "dde-connection-decls",
	};
	static const char *const office_names[] = {
		"annotation", "forms", "binary-data", "event-listeners",
		"scripts",
	};
	static const char *const draw_names[] = {
		"image", "object", "object-ole", "applet", "plugin",
		"floating-frame",
	};
	const char *local = xml_local(name);
	size_t i;

	if (xml_in_ns(name, NS_TEXT)) {
		if (opc_ends_with(local, "-source"))
			return true;	/* index templates */
		for (i = 0; i < sizeof(text_names) / sizeof(*text_names); i++)
			if (strcmp(local, text_names[i]) == 0)
				return true;
	} else if (xml_in_ns(name, NS_OFFICE)) {
		for (i = 0; i < sizeof(office_names) / sizeof(*office_names);
		     i++)
			if (strcmp(local, office_names[i]) == 0)
				return true;
	} else if (xml_in_ns(name, NS_DRAW)) {
		for (i = 0; i < sizeof(draw_names) / sizeof(*draw_names); i++)
			if (strcmp(local, draw_names[i]) == 0)
				return true;
	} else if (xml_in_ns(name, NS_SVG)) {
		return strcmp(local, "title") == 0 ||
		       strcmp(local, "desc") == 0;
	}
	return false;
}

static struct para *top(struct body *b)
{
	return b->npara ? &b->paras[b->npara - 1] : NULL;
}

/* Stop on a builder or buffer error: the text limit or memory. */
static void body_fail(struct xml *x, struct body *b, int rc)
{
	char sz[32];

	if (rc == WK_ETOOBIG)
		xml_fail(x, rc, "extracted text is longer than the %s limit",
			 parse_size_str(b->lim->max_text, sz, sizeof(sz)));
	else
		xml_fail(x, rc, "out of memory");
}

/* Text from the XML: white space runs collapse to one space. */
static void add_xml_text(struct xml *x, struct body *b, const char *s,
			 size_t n)
{
	struct para *p = top(b);
	size_t i, run = 0;

	if (!p)
		return;
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
			run++;
			continue;
		}
		if (run) {
			buf_add(&p->text, s + i - run, run);
			run = 0;
			p->ws = false;
		}
		if (!p->ws)
			buf_addc(&p->text, ' ');
		p->ws = true;
	}
	if (run) {
		buf_add(&p->text, s + n - run, run);
		p->ws = false;
	}
	if (buf_error(&p->text))
		body_fail(x, b, buf_error(&p->text));
}

/* Characters an element stands for (text:s, text:tab...), kept as they
 * are. */
static void add_chars(struct xml *x, struct body *b, char c, size_t n,
		      bool ws)
{
	struct para *p = top(b);

	if (!p)
		return;
	while (n--)
		buf_addc(&p->text, c);
	p->ws = ws;
	if (buf_error(&p->text))
		body_fail(x, b, buf_error(&p->text));
}

static const struct astyle *astyle_find(struct body *b, const char *name)
{
	struct astyle key;

	if (!name || !b->nst)
		return NULL;
	if (!b->st_sorted) {
		qsort(b->st, b->nst, sizeof(*b->st), astyle_cmp);
		b->st_sorted = true;
	}
	key.name = (char *)name;
	return bsearch(&key, b->st, b->nst, sizeof(key), astyle_cmp);
}

static void page_break(struct xml *x, struct body *b)
{
	if (pb_page_break(b->pb))
		body_fail(x, b, b->pb->err);
}

static void para_start(struct xml *x, struct body *b, const char *name,
		       const char **attrs)
{
	const struct astyle *st;
	const char *style = xml_attr(attrs, NS_TEXT, "style-name");
	struct para *p;
	int h;

	if (b->npara == PARA_MAX) {
		xml_fail(x, WK_EMALFORMED, "paragraphs nest deeper than %d "
			 "levels", PARA_MAX);
		return;
	}
	st = astyle_find(b, style);
	if (st && st->break_before && !b->npara && !b->tbl)
		page_break(x, b);
	p = &b->paras[b->npara++];
	buf_reset(&p->text);
	p->ws = true;	/* white space at the start counts for nothing */
	p->page_break = st && st->break_after;
	h = st ? st->heading : style ? heading_from_style(style) : 0;
	if (xml_is(name, NS_TEXT, "h")) {
		h = opc_int_val(xml_attr(attrs, NS_TEXT,
					       "outline-level"));
		if (h < 1)
			h = 1;
	}
	if (h > 0) {
		p->kind = PB_HEADING;
		p->level = h > 6 ? 6 : h;
	} else if (b->numbered > 0 || b->lists > 0) {
		p->kind = PB_LIST_ITEM;
		p->level = b->numbered > 0 ? b->numbered : (int)b->lists;
		if (p->level > 9)
			p->level = 9;
	} else {
		p->kind = PB_PARAGRAPH;
		p->level = 0;
	}
}

static void para_end(struct xml *x, struct body *b)
{
	struct para *p = top(b);

	if (!p)
		return;
	b->npara--;
	if (buf_error(&p->text)) {
		body_fail(x, b, buf_error(&p->text));
		return;
	}
	if (b->tbl) {
		pb_cell_add(&b->row, buf_str(&p->text), p->text.len);
		if (p->page_break)
			b->row_break = true;
		return;
	}
	if (pb_add(b->pb, p->kind, p->level, buf_str(&p->text), p->text.len))
		body_fail(x, b, b->pb->err);
	else if (p->page_break)
		page_break(x, b);
}

static void row_end(struct xml *x, struct body *b)
{
	if (b->tbl > 1)
		return;	/* nested: flattened into the outer cell */
	b->in_row = false;
	if (pb_row_end(b->pb, &b->row)) {
		body_fail(x, b, b->pb->err);
		return;
	}
	if (b->row_break) {
		b->row_break = false;
		page_break(x, b);
	}
}

/* text:soft-page-break: where the last layout broke the page. Inside a
 * paragraph or a table row the break follows that block. */
static void soft_break(struct xml *x, struct body *b)
{
	struct para *p = top(b);

	if (b->tbl && b->in_row)
		b->row_break = true;
	else if (p)
		p->page_break = true;
	else
		page_break(x, b);
}

/* A style:style in office:automatic-styles, and its paragraph
 * properties. */
static void style_start(struct xml *x, struct body *b, const char *name,
			const char **attrs)
{
	const char *v;

	if (b->cur_st_depth) {
		if (b->depth != b->cur_st_depth + 1 ||
		    !xml_is(name, NS_STYLE, "paragraph-properties"))
			return;
		v = xml_attr(attrs, NS_FO, "break-before");
		if (v && strcmp(v, "page") == 0)
			b->cur_st.break_before = true;
		v = xml_attr(attrs, NS_FO, "break-after");
		if (v && strcmp(v, "page") == 0)
			b->cur_st.break_after = true;
		return;
	}
	if (b->depth != b->auto_depth + 1 || !xml_is(name, NS_STYLE, "style"))
		return;
	v = xml_attr(attrs, NS_STYLE, "family");
	if (!v || strcmp(v, "paragraph") != 0)
		return;
	v = xml_attr(attrs, NS_STYLE, "name");
	if (!v)
		return;
	memset(&b->cur_st, 0, sizeof(b->cur_st));
	b->cur_st.name = strndup(v, 256);
	if (!b->cur_st.name) {
		xml_fail(x, WK_ENOMEM, "out of memory");
		return;
	}
	v = xml_attr(attrs, NS_STYLE, "parent-style-name");
	b->cur_st.heading = v ? heading_from_style(v) : 0;
	b->cur_st_depth = b->depth;
}

static void style_end(struct xml *x, struct body *b)
{
	struct astyle *st = &b->cur_st;

	b->cur_st_depth = 0;
	if ((!st->heading && !st->break_before && !st->break_after) ||
	    b->nst == ASTYLES_MAX) {
		free(st->name);
		st->name = NULL;
		return;
	}
	if (b->nst == b->capst) {
		size_t ncap = b->capst ? b->capst * 2 : 32;
		struct astyle *nv = realloc(b->st, ncap * sizeof(*nv));
		if (!nv) {
			free(st->name);
			st->name = NULL;
			xml_fail(x, WK_ENOMEM, "out of memory");
			return;
		}
		b->st = nv;
		b->capst = ncap;
	}
	b->st[b->nst++] = *st;
	st->name = NULL;
	b->st_sorted = false;
}

/* Frames: a draw:frame may hold several representations of the same
 * thing (a text box and an image of it); only the first is read. */
static bool frame_child_skipped(struct body *b)
{
	size_t i = b->nframe;

	if (!i || b->frames[i - 1] + 1 != b->depth)
		return false;
	if (b->frame_used[i - 1])
		return true;
	b->frame_used[i - 1] = true;
	return false;
}

static void body_start(struct xml *x, const char *name, const char **attrs)
{
	struct body *b = xml_user(x);
	const char *local;
	int n;

	b->depth++;
	if (b->skip)
		return;
	if (b->auto_depth) {
		style_start(x, b, name, attrs);
		return;
	}
	if (!b->text_depth) {
		if (xml_is(name, NS_OFFICE, "text"))
			b->text_depth = b->depth;
		else if (xml_is(name, NS_OFFICE, "automatic-styles"))
			b->auto_depth = b->depth;
		return;
	}
	if (skipped(name) || frame_child_skipped(b)) {
		b->skip = b->depth;
		return;
	}
	local = xml_local(name);
	if (xml_in_ns(name, NS_TEXT)) {
		if (strcmp(local, "p") == 0 || strcmp(local, "h") == 0) {
			para_start(x, b, name, attrs);
		} else if (strcmp(local, "s") == 0) {
			n = opc_int_val(xml_attr(attrs, NS_TEXT, "c"));
			n = n < 1 ? 1 : n > SPACES_MAX ? SPACES_MAX : n;
			add_chars(x, b, ' ', (size_t)n, false);
		} else if (strcmp(local, "tab") == 0) {
			add_chars(x, b, '\t', 1, false);
		} else if (strcmp(local, "line-break") == 0) {
			add_chars(x, b, ' ', 1, true);
		} else if (strcmp(local, "soft-page-break") == 0) {
			soft_break(x, b);
		} else if (strcmp(local, "list") == 0) {
			b->lists++;
		} else if (strcmp(local, "numbered-paragraph") == 0) {
			n = opc_int_val(xml_attr(attrs, NS_TEXT, "level"));
			b->numbered = n < 1 ? 1 : n;
		}
	} else if (xml_in_ns(name, NS_TABLE)) {
		if (strcmp(local, "table") == 0) {
			if (++b->tbl == 1) {
				pb_row_start(&b->row);
				b->in_row = false;
			}
		} else if (strcmp(local, "table-row") == 0 && b->tbl == 1) {
			pb_row_start(&b->row);
			b->in_row = true;
		} else if ((strcmp(local, "table-cell") == 0 ||
			    strcmp(local, "covered-table-cell") == 0) &&
			   b->tbl == 1) {
			pb_cell_start(&b->row);
		}
	} else if (xml_is(name, NS_DRAW, "frame")) {
		if (b->nframe == FRAME_MAX) {
			b->skip = b->depth;
			return;
		}
		b->frames[b->nframe] = b->depth;
		b->frame_used[b->nframe++] = false;
	}
}

static void body_end(struct xml *x, const char *name)
{
	struct body *b = xml_user(x);
	const char *local;

	if (b->skip) {
		if (b->depth-- == b->skip)
			b->skip = 0;
		return;
	}
	if (b->auto_depth) {
		if (b->depth == b->cur_st_depth)
			style_end(x, b);
		if (b->depth == b->auto_depth)
			b->auto_depth = 0;
		b->depth--;
		return;
	}
	if (b->depth == b->text_depth) {
		b->text_depth = 0;
		b->depth--;
		return;
	}
	b->depth--;
	if (!b->text_depth)
		return;
	local = xml_local(name);
	if (xml_in_ns(name, NS_TEXT)) {
		if (strcmp(local, "p") == 0 || strcmp(local, "h") == 0) {
			para_end(x, b);
		} else if (strcmp(local, "list") == 0) {
			if (b->lists)
				b->lists--;
		} else if (strcmp(local, "numbered-paragraph") == 0) {
			b->numbered = 0;
		}
	} else if (xml_in_ns(name, NS_TABLE)) {
		if ((strcmp(local, "table-cell") == 0 ||
		     strcmp(local, "covered-table-cell") == 0) && b->tbl == 1)
			pb_cell_end(&b->row);
		else if (strcmp(local, "table-row") == 0 && b->tbl)
			row_end(x, b);
		else if (strcmp(local, "table") == 0 && b->tbl)
			b->tbl--;
	} else if (xml_is(name, NS_DRAW, "frame")) {
		if (b->nframe)
			b->nframe--;
	}
}

static void body_text(struct xml *x, const char *s, size_t n)
{
	struct body *b = xml_user(x);

	if (b->skip || !b->text_depth)
		return;
	add_xml_text(x, b, s, n);
}

static int load_body(struct zipsafe *z, struct pbuild *pb,
		     const struct parse_limits *lim, char *err, size_t errlen)
{
	static const struct xml_handlers h = { body_start, body_end,
					       body_text };
	struct body b;
	size_t i, bufmax = lim->max_text + 1024;
	int rc;

	memset(&b, 0, sizeof(b));
	b.pb = pb;
	b.lim = lim;
	b.paras = calloc(PARA_MAX, sizeof(*b.paras));
	if (!b.paras)
		return parse_fail(err, errlen, WK_ENOMEM, "out of memory");
	for (i = 0; i < PARA_MAX; i++)
		buf_init(&b.paras[i].text, bufmax);
	pb_row_init(&b.row, bufmax);
	rc = parse_part(z, "content.xml", 0, &h, &b, err, errlen);
	if (rc == WK_ENOTFOUND)
		rc = parse_fail(err, errlen, WK_EMALFORMED,
				"odt has no content.xml");
	for (i = 0; i < PARA_MAX; i++)
		buf_release(&b.paras[i].text);
	free(b.paras);
	pb_row_release(&b.row);
	for (i = 0; i < b.nst; i++)
		free(b.st[i].name);
	free(b.st);
	free(b.cur_st.name);
	return rc;
}

/* ---- meta.xml ----------------------------------------------------------- */

/* dc:title, meta:initial-creator and dc:creator (the text of the first
 * of each that has any, cut to META_MAX bytes at a UTF-8 boundary), and
 * meta:page-count. */
struct meta {
	struct buf title, initial, creator;
	struct buf *cur;
	unsigned depth, cur_depth;
	int pages;
};

static void meta_start(struct xml *x, const char *name, const char **attrs)
{
	struct meta *m = xml_user(x);

	m->depth++;
	if (m->cur)
		return;
	if (xml_is(name, NS_DC, "title") && !m->title.len)
		m->cur = &m->title;
	else if (xml_is(name, NS_META, "initial-creator") && !m->initial.len)
		m->cur = &m->initial;
	else if (xml_is(name, NS_DC, "creator") && !m->creator.len)
		m->cur = &m->creator;
	else if (xml_is(name, NS_META, "document-statistic") && !m->pages)
		m->pages = opc_int_val(xml_attr(attrs, NS_META, "page-count"));
	if (m->cur)
		m->cur_depth = m->depth;
}

static void meta_end(struct xml *x, const char *name)
{
	struct meta *m = xml_user(x);

	if (m->cur && m->depth == m->cur_depth)
		m->cur = NULL;
	m->depth--;
}

static void meta_text(struct xml *x, const char *s, size_t n)
{
	struct meta *m = xml_user(x);
	size_t room;

	if (!m->cur)
		return;
	room = META_MAX - m->cur->len;
	if (n > room)
		n = utf8_floor(s, n, room);
	buf_add(m->cur, s, n);
}

static int load_meta(struct zipsafe *z, struct meta *m, char *err,
		     size_t errlen)
{
	static const struct xml_handlers h = { meta_start, meta_end,
					       meta_text };
	int rc = parse_part(z, "meta.xml", 0, &h, m, err, errlen);

	return rc == WK_ENOTFOUND ? 0 : rc;	/* meta.xml is optional */
}

/* ---- entry point -------------------------------------------------------- */

int odt_parse(const void *data, size_t len, const struct parse_limits *lim,
	      struct parse_result *out, char *err, size_t errlen)
{
	struct zipsafe z;
	struct manifest mf;
	struct meta m;
	struct pbuild pb;
	const struct buf *author;
	int rc;

	rc = zipsafe_open(&z, data, len, lim, err, errlen);
	if (rc)
		return rc;
	memset(&m, 0, sizeof(m));
	buf_init(&m.title, META_MAX + 8);
	buf_init(&m.initial, META_MAX + 8);
	buf_init(&m.creator, META_MAX + 8);
	pb_init(&pb, lim);

	rc = read_manifest(&z, &mf, err, errlen);
	if (!rc && mf.encrypted)
		rc = parse_fail(err, errlen, WK_EUNSUPPORTED,
				"odt is encrypted with a password; wenku "
				"cannot read encrypted documents");
	if (!rc)
		rc = load_body(&z, &pb, lim, err, errlen);
	if (!rc)
		rc = load_meta(&z, &m, err, errlen);
	if (!rc) {
		/* meta:initial-creator is the author; dc:creator is who
		 * saved the file last. */
		author = m.initial.len ? &m.initial : &m.creator;
		out->title = parse_clean_str(buf_str(&m.title), m.title.len);
		out->author = parse_clean_str(buf_str(author), author->len);
		rc = pb_finish(&pb, m.pages > 1000000 ? 0 : m.pages, out, err,
			       errlen);
		if (rc) {
			free(out->title);
			free(out->author);
			out->title = out->author = NULL;
		}
	}
	pb_release(&pb);
	buf_release(&m.title);
	buf_release(&m.initial);
	buf_release(&m.creator);
	zipsafe_close(&z);
	return rc;
}
