/*
 * docx.c - Word documents (Office Open XML, transitional and strict):
 * the main document part's paragraphs, headings, list items and table
 * rows, with headings and lists resolved through the styles part.
 *
 * Only what a reader sees as the document's current text goes in:
 * deleted and moved-away revisions, field instructions, the fallback
 * branch of mc:AlternateContent, comments, notes, headers and footers
 * stay out. The package itself (relationships, content types, finding
 * the main part, title, author and page count from the document
 * properties) is opc.c's; this file reads what is Word's.
 */
#include "opc.h"
#include "parse_internal.h"
#include "xml.h"
#include "zipsafe.h"
#include "../base/buf.h"
#include "../base/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_W_STRICT "http://purl.oclc.org/ooxml/wordprocessingml/main"
#define NS_M "http://schemas.openxmlformats.org/officeDocument/2006/math"
#define NS_M_STRICT "http://purl.oclc.org/ooxml/officeDocument/math"
#define NS_MC "http://schemas.openxmlformats.org/markup-compatibility/2006"

/* Content types of a Word main document part. */
static const char *const main_types[] = {
	"application/vnd.openxmlformats-officedocument.wordprocessingml."
	"document.main+xml",
	"application/vnd.openxmlformats-officedocument.wordprocessingml."
	"template.main+xml",
	"application/vnd.ms-word.document.macroEnabled.main+xml",
	"application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
};

static const struct opc_format docx_format = {
	"docx", main_types, sizeof(main_types) / sizeof(main_types[0]),
	"word/document.xml",
};

#define PARA_MAX 64		/* paragraphs nested through text boxes */
#define FIELD_MAX 64		/* nested fields tracked one by one */
#define AC_MAX 64		/* nested mc:AlternateContent */
#define STYLE_CHAIN_MAX 16	/* basedOn hops followed */
#define STYLES_MAX 65536

/* ---- small helpers ------------------------------------------------------ */

static bool w_is(const char *name, const char *local)
{
	return xml_is(name, NS_W, local) || xml_is(name, NS_W_STRICT, local);
}

static bool w_ns(const char *name)
{
	return xml_in_ns(name, NS_W) || xml_in_ns(name, NS_W_STRICT);
}

/* A w: attribute; unqualified as a fallback for sloppy writers. */
static const char *w_attr(const char **attrs, const char *local)
{
	const char *v = xml_attr(attrs, NS_W, local);
	if (!v)
		v = xml_attr(attrs, NS_W_STRICT, local);
	if (!v)
		v = xml_attr(attrs, NULL, local);
	return v;
}

/* ---- the package -------------------------------------------------------- */

/* The package checks are opc.c's; a Word file is only named here. */
int docx_sniff(struct zipsafe *z)
{
	return opc_sniff(z, &docx_format);
}

/* ---- styles ------------------------------------------------------------- */

struct style {
	char *id;
	char *based_on;
	int heading;		/* from the name: 1..9, 0 if not a heading */
	int outline;		/* w:outlineLvl, -1 if none */
	int numid, ilvl;	/* w:numPr, -1 if none */
};

struct styles {
	struct style *v;
	size_t n, cap;
	struct style *def;	/* default paragraph style */
	char *def_id;
	/* parsing state */
	struct style *cur;
	unsigned depth, style_depth, skip;
	bool in_ppr, in_numpr;
	int err;
};

/* Heading level a style name (or id) stands for: "Title" 1, "heading 3"
 * or "Heading3" 3, and the Chinese "标题 2"; 0 otherwise. */
static int heading_from_name(const char *s)
{
	size_t n;

	if (strcasecmp(s, "title") == 0 || strcmp(s, "标题") == 0)
		return 1;
	if (strncasecmp(s, "heading", 7) == 0)
		n = 7;
	else if (strncmp(s, "标题", strlen("标题")) == 0)
		n = strlen("标题");
	else
		return 0;
	if (s[n] == ' ')
		n++;
	if (s[n] >= '1' && s[n] <= '9' && s[n + 1] == '\0')
		return s[n] - '0';
	return 0;
}

static void styles_free(struct styles *st)
{
	size_t i;

	for (i = 0; i < st->n; i++) {
		free(st->v[i].id);
		free(st->v[i].based_on);
	}
	free(st->v);
	free(st->def_id);
	memset(st, 0, sizeof(*st));
}

static void st_start(struct xml *x, const char *name, const char **attrs)
{
	struct styles *st = xml_user(x);
	const char *v;

	st->depth++;
	if (st->skip)
		return;
	if (!st->cur) {
		const char *type;
		if (!w_is(name, "style") || st->n >= STYLES_MAX)
			return;
		type = w_attr(attrs, "type");
		v = w_attr(attrs, "styleId");
		if ((type && strcmp(type, "paragraph") != 0) || !v)
			return;
		if (st->n == st->cap) {
			size_t ncap = st->cap ? st->cap * 2 : 64;
			struct style *nv = realloc(st->v, ncap * sizeof(*nv));
			if (!nv) {
				xml_fail(x, WK_ENOMEM, "out of memory");
				return;
			}
			st->v = nv;
			st->cap = ncap;
		}
		st->cur = &st->v[st->n++];
		memset(st->cur, 0, sizeof(*st->cur));
		st->cur->outline = st->cur->numid = st->cur->ilvl = -1;
		st->cur->id = strndup(v, 256);
		if (!st->cur->id) {
			st->n--;
			st->cur = NULL;
			xml_fail(x, WK_ENOMEM, "out of memory");
			return;
		}
		v = w_attr(attrs, "default");
		if (v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0) &&
		    !st->def_id)
			st->def_id = strdup(st->cur->id);
		st->style_depth = st->depth;
		return;
	}
	if (!w_ns(name))
		return;
	if (opc_ends_with(xml_local(name), "Change")) {
		st->skip = st->depth;	/* revision history */
		return;
	}
	if (st->depth == st->style_depth + 1) {
		if (w_is(name, "name") && (v = w_attr(attrs, "val")))
			st->cur->heading = heading_from_name(v);
		else if (w_is(name, "basedOn") && (v = w_attr(attrs, "val")) &&
			 !st->cur->based_on)
			st->cur->based_on = strndup(v, 256);
		else if (w_is(name, "pPr"))
			st->in_ppr = true;
	} else if (st->in_ppr && st->depth == st->style_depth + 2) {
		if (w_is(name, "outlineLvl"))
			st->cur->outline = opc_int_val(w_attr(attrs, "val"));
		else if (w_is(name, "numPr"))
			st->in_numpr = true;
	} else if (st->in_numpr && st->depth == st->style_depth + 3) {
		if (w_is(name, "numId"))
			st->cur->numid = opc_int_val(w_attr(attrs, "val"));
		else if (w_is(name, "ilvl"))
			st->cur->ilvl = opc_int_val(w_attr(attrs, "val"));
	}
}

static void st_end(struct xml *x, const char *name)
{
	struct styles *st = xml_user(x);

	if (st->skip) {
		if (st->depth == st->skip)
			st->skip = 0;
	} else if (st->cur) {
		if (st->depth == st->style_depth) {
			st->cur = NULL;
			st->in_ppr = st->in_numpr = false;
		} else if (st->depth == st->style_depth + 1) {
			st->in_ppr = false;
		} else if (st->depth == st->style_depth + 2) {
			st->in_numpr = false;
		}
	}
	st->depth--;
}

static int style_cmp(const void *a, const void *b)
{
	return strcmp(((const struct style *)a)->id,
		      ((const struct style *)b)->id);
}

static const struct style *style_find(const struct styles *st,
				      const char *id)
{
	struct style key;

	if (!id || !st->n)
		return NULL;
	key.id = (char *)id;
	return bsearch(&key, st->v, st->n, sizeof(key), style_cmp);
}

static int load_styles(struct zipsafe *z, const char *part,
		       struct styles *st, char *err, size_t errlen)
{
	static const struct xml_handlers h = { st_start, st_end, NULL };
	int rc;

	rc = opc_parse_part(z, part, &h, st, err, errlen);
	if (rc == WK_ENOTFOUND)
		return 0;	/* a docx may have no styles part */
	if (rc)
		return rc;
	if (st->n)
		qsort(st->v, st->n, sizeof(st->v[0]), style_cmp);
	st->def = (struct style *)style_find(st, st->def_id);
	return 0;
}

/* ---- the document body -------------------------------------------------- */

struct para {
	struct buf text;
	char style[257];
	bool has_style;
	bool in_ppr, in_numpr;
	unsigned ppr_depth;
	int outline, numid, ilvl;
	bool page_break;
};

struct body {
	struct pbuild *pb;
	const struct parse_limits *lim;
	const struct styles *st;
	size_t bufmax;
	unsigned depth;
	unsigned skip;		/* depth where a skipped subtree began */
	struct para *paras;	/* stack; paragraphs nest via text boxes */
	size_t npara;
	unsigned text_depth;	/* inside w:t or m:t */
	unsigned runs;		/* open w:r */
	/* fields: 1 = showing the result, 0 = inside the instruction */
	unsigned char fld[FIELD_MAX];
	size_t nfld, fld_over, fld_instr;
	/* mc:AlternateContent: whether a Choice was taken */
	unsigned char ac[AC_MAX];
	size_t nac;
	/* tables: depth, and the outermost table's current row and cell */
	unsigned tbl;
	struct buf row, cell;
	size_t ncells;
};

/* Elements whose whole subtree is left out of the text. */
static bool skipped(const char *local)
{
	static const char *const names[] = {
		"del", "moveFrom", "delText", "delInstrText", "instrText",
		"sdtPr", "sdtEndPr", "footnoteRef", "endnoteRef",
		"annotationRef", "commentReference", "footnoteReference",
		"endnoteReference", "separator", "continuationSeparator",
	};
	size_t i;

	if (opc_ends_with(local, "Change"))	/* pPrChange, rPrChange... */
		return true;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(local, names[i]) == 0)
			return true;
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

static void add_text(struct xml *x, struct body *b, const char *s, size_t n)
{
	struct para *p = top(b);

	if (!p || b->fld_instr)
		return;
	buf_add(&p->text, s, n);
	if (buf_error(&p->text))
		body_fail(x, b, buf_error(&p->text));
}

/* Block kind and level of a finished paragraph: direct outline level,
 * then the style chain (name, outline level, basedOn), then list
 * numbering. */
static void para_kind(const struct body *b, const struct para *p,
		      enum parse_block_kind *kind, int *level)
{
	const struct style *s;
	int heading = 0, numid = p->numid, ilvl = p->ilvl, hops;
	bool decided = false;

	if (p->outline >= 0) {
		heading = p->outline < 9 ? p->outline + 1 : 0;
		decided = true;
	}
	s = p->has_style ? style_find(b->st, p->style) : b->st->def;
	if (!decided && p->has_style && !s)
		heading = heading_from_name(p->style);
	for (hops = 0; s && hops < STYLE_CHAIN_MAX; hops++) {
		if (!decided && s->heading) {
			heading = s->heading;
			decided = true;
		} else if (!decided && s->outline >= 0) {
			heading = s->outline < 9 ? s->outline + 1 : 0;
			decided = true;
		}
		if (numid < 0 && s->numid >= 0) {
			numid = s->numid;
			if (ilvl < 0)
				ilvl = s->ilvl;
		}
		s = style_find(b->st, s->based_on);
	}
	if (heading > 0) {
		*kind = PB_HEADING;
		*level = heading > 6 ? 6 : heading;
	} else if (numid > 0) {
		*kind = PB_LIST_ITEM;
		*level = ilvl < 0 ? 1 : ilvl > 8 ? 9 : ilvl + 1;
	} else {
		*kind = PB_PARAGRAPH;
		*level = 0;
	}
}

/* Append s to the table cell, paragraphs separated by a space. */
static void cell_add(struct body *b, const char *s, size_t n)
{
	size_t a, len = pb_trim(s, n, &a, 1);

	if (!len)
		return;
	if (b->cell.len)
		buf_addc(&b->cell, ' ');
	buf_add(&b->cell, s + a, len);
}

static void para_start(struct xml *x, struct body *b)
{
	struct para *p;

	if (b->npara == PARA_MAX) {
		xml_fail(x, WK_EMALFORMED, "paragraphs nest deeper than %d "
			 "levels", PARA_MAX);
		return;
	}
	p = &b->paras[b->npara++];
	buf_reset(&p->text);
	p->style[0] = '\0';
	p->has_style = p->in_ppr = p->in_numpr = p->page_break = false;
	p->outline = p->numid = p->ilvl = -1;
}

static void para_end(struct xml *x, struct body *b)
{
	struct para *p = top(b);
	enum parse_block_kind kind;
	int level, rc;

	if (!p)
		return;
	b->npara--;
	if (b->tbl) {
		cell_add(b, buf_str(&p->text), p->text.len);
		return;
	}
	para_kind(b, p, &kind, &level);
	rc = pb_add(b->pb, kind, level, buf_str(&p->text), p->text.len);
	if (!rc && p->page_break)
		rc = pb_page_break(b->pb);
	if (rc)
		body_fail(x, b, rc);
}

static void cell_end(struct body *b)
{
	size_t i, a, len;
	char *s;

	if (b->tbl > 1)
		return;	/* nested: its paragraphs are already spaced */
	/* A tab inside a cell would read as a cell boundary. */
	s = b->cell.data;
	for (i = 0; s && i < b->cell.len; i++)
		if (s[i] == '\t')
			s[i] = ' ';
	len = pb_trim(buf_str(&b->cell), b->cell.len, &a, 1);
	if (b->ncells++)
		buf_addc(&b->row, '\t');
	buf_add(&b->row, buf_str(&b->cell) + a, len);
	buf_reset(&b->cell);
}

static void row_end(struct xml *x, struct body *b)
{
	if (b->tbl > 1)
		return;
	if (buf_error(&b->row) || buf_error(&b->cell)) {
		body_fail(x, b, buf_error(&b->row) ? buf_error(&b->row)
						   : buf_error(&b->cell));
		return;
	}
	if (pb_add(b->pb, PB_TABLE_ROW, 0, buf_str(&b->row), b->row.len))
		body_fail(x, b, b->pb->err);
	buf_reset(&b->row);
	b->ncells = 0;
}

static void field_char(struct body *b, const char *type)
{
	if (!type)
		return;
	if (strcmp(type, "begin") == 0) {
		if (b->nfld < FIELD_MAX)
			b->fld[b->nfld++] = 0;
		else
			b->fld_over++;
		b->fld_instr++;
	} else if (strcmp(type, "separate") == 0) {
		if (!b->fld_over && b->nfld && b->fld[b->nfld - 1] == 0) {
			b->fld[b->nfld - 1] = 1;
			b->fld_instr--;
		}
	} else if (strcmp(type, "end") == 0) {
		if (b->fld_over) {
			b->fld_over--;
			b->fld_instr--;
		} else if (b->nfld) {
			if (b->fld[--b->nfld] == 0)
				b->fld_instr--;
		}
	}
}

/* Paragraph properties: style, numbering, outline level. */
static void ppr_child(struct body *b, struct para *p, const char *name,
		      const char **attrs)
{
	unsigned rel = b->depth - p->ppr_depth;
	const char *v;

	if (rel == 1) {
		if (w_is(name, "pStyle") && (v = w_attr(attrs, "val"))) {
			snprintf(p->style, sizeof(p->style), "%s", v);
			p->has_style = true;
		} else if (w_is(name, "outlineLvl")) {
			p->outline = opc_int_val(w_attr(attrs, "val"));
		} else if (w_is(name, "numPr")) {
			p->in_numpr = true;
		}
	} else if (rel == 2 && p->in_numpr) {
		if (w_is(name, "numId"))
			p->numid = opc_int_val(w_attr(attrs, "val"));
		else if (w_is(name, "ilvl"))
			p->ilvl = opc_int_val(w_attr(attrs, "val"));
	}
}

static void body_start(struct xml *x, const char *name, const char **attrs)
{
	struct body *b = xml_user(x);
	struct para *p;
	const char *local;

	b->depth++;
	if (b->skip)
		return;
	if (xml_in_ns(name, NS_MC)) {
		local = xml_local(name);
		if (strcmp(local, "AlternateContent") == 0) {
			if (b->nac == AC_MAX)
				b->skip = b->depth;
			else
				b->ac[b->nac++] = 0;
		} else if (strcmp(local, "Choice") == 0) {
			if (!b->nac || b->ac[b->nac - 1])
				b->skip = b->depth;
			else
				b->ac[b->nac - 1] = 1;
		} else if (strcmp(local, "Fallback") == 0) {
			b->skip = b->depth;
		}
		return;
	}
	if (xml_is(name, NS_M, "t") || xml_is(name, NS_M_STRICT, "t")) {
		b->text_depth++;
		return;
	}
	if (!w_ns(name))
		return;
	local = xml_local(name);
	if (skipped(local)) {
		b->skip = b->depth;
		return;
	}
	p = top(b);
	if (p && p->in_ppr) {
		ppr_child(b, p, name, attrs);
		return;
	}
	switch (local[0]) {
	case 'b':
		if (strcmp(local, "br") == 0 && b->runs && p) {
			const char *t = w_attr(attrs, "type");
			add_text(x, b, " ", 1);
			if (t && strcmp(t, "page") == 0)
				p->page_break = true;
		}
		break;
	case 'c':
		if (strcmp(local, "cr") == 0 && b->runs)
			add_text(x, b, " ", 1);
		break;
	case 'f':
		if (strcmp(local, "fldChar") == 0)
			field_char(b, w_attr(attrs, "fldCharType"));
		break;
	case 'n':
		if (strcmp(local, "noBreakHyphen") == 0 && b->runs)
			add_text(x, b, "-", 1);
		break;
	case 'p':
		if (strcmp(local, "p") == 0) {
			para_start(x, b);
		} else if (strcmp(local, "pPr") == 0 && p) {
			p->in_ppr = true;
			p->ppr_depth = b->depth;
		} else if (strcmp(local, "ptab") == 0 && b->runs) {
			add_text(x, b, "\t", 1);
		}
		break;
	case 'r':
		if (strcmp(local, "r") == 0)
			b->runs++;
		break;
	case 't':
		if (strcmp(local, "t") == 0) {
			b->text_depth++;
		} else if (strcmp(local, "tab") == 0 && b->runs) {
			add_text(x, b, "\t", 1);
		} else if (strcmp(local, "tbl") == 0) {
			if (++b->tbl == 1) {
				buf_reset(&b->row);
				buf_reset(&b->cell);
				b->ncells = 0;
			}
		} else if (strcmp(local, "tr") == 0 && b->tbl == 1) {
			buf_reset(&b->row);
			b->ncells = 0;
		} else if (strcmp(local, "tc") == 0 && b->tbl == 1) {
			buf_reset(&b->cell);
		}
		break;
	}
}

static void body_end(struct xml *x, const char *name)
{
	struct body *b = xml_user(x);
	struct para *p;
	const char *local;

	if (b->skip) {
		if (b->depth-- == b->skip)
			b->skip = 0;
		return;
	}
	b->depth--;
	if (xml_is(name, NS_MC, "AlternateContent")) {
		if (b->nac)
			b->nac--;
		return;
	}
	if (xml_is(name, NS_M, "t") || xml_is(name, NS_M_STRICT, "t")) {
		if (b->text_depth)
			b->text_depth--;
		return;
	}
	if (!w_ns(name))
		return;
	local = xml_local(name);
	p = top(b);
	if (p && p->in_ppr) {
		if (b->depth + 1 == p->ppr_depth)
			p->in_ppr = p->in_numpr = false;
		else if (b->depth + 1 == p->ppr_depth + 1 &&
			 strcmp(local, "numPr") == 0)
			p->in_numpr = false;
		return;
	}
	if (strcmp(local, "p") == 0) {
		para_end(x, b);
	} else if (strcmp(local, "r") == 0) {
		if (b->runs)
			b->runs--;
	} else if (strcmp(local, "t") == 0) {
		if (b->text_depth)
			b->text_depth--;
	} else if (strcmp(local, "tc") == 0 && b->tbl) {
		cell_end(b);
	} else if (strcmp(local, "tr") == 0 && b->tbl) {
		row_end(x, b);
	} else if (strcmp(local, "tbl") == 0 && b->tbl) {
		if (--b->tbl == 0 && b->cell.len) {
			/* text in a table but outside any row */
			buf_reset(&b->cell);
		}
	}
}

static void body_text(struct xml *x, const char *s, size_t n)
{
	struct body *b = xml_user(x);

	if (b->skip || !b->text_depth)
		return;
	add_text(x, b, s, n);
}

static int load_body(struct zipsafe *z, const char *part,
		     const struct styles *st, struct pbuild *pb,
		     const struct parse_limits *lim, char *err, size_t errlen)
{
	static const struct xml_handlers h = { body_start, body_end,
					       body_text };
	struct body b;
	size_t i;
	int rc;

	memset(&b, 0, sizeof(b));
	b.pb = pb;
	b.lim = lim;
	b.st = st;
	b.bufmax = lim->max_text + 1024;
	b.paras = calloc(PARA_MAX, sizeof(*b.paras));
	if (!b.paras)
		return parse_fail(err, errlen, WK_ENOMEM, "out of memory");
	for (i = 0; i < PARA_MAX; i++)
		buf_init(&b.paras[i].text, b.bufmax);
	buf_init(&b.row, b.bufmax);
	buf_init(&b.cell, b.bufmax);
	rc = opc_parse_part(z, part, &h, &b, err, errlen);
	if (rc == WK_ENOTFOUND)
		rc = parse_fail(err, errlen, WK_EMALFORMED,
				"docx has no main document part");
	for (i = 0; i < PARA_MAX; i++)
		buf_release(&b.paras[i].text);
	free(b.paras);
	buf_release(&b.row);
	buf_release(&b.cell);
	return rc;
}

/* ---- entry point -------------------------------------------------------- */

int docx_parse(const void *data, size_t len, const struct parse_limits *lim,
	       struct parse_result *out, char *err, size_t errlen)
{
	struct zipsafe z;
	struct opc_rels pkg, doc;
	struct styles st;
	struct opc_props pr;
	struct pbuild pb;
	char main[OPC_PART_MAX];
	int rc;

	rc = zipsafe_open(&z, data, len, lim, err, errlen);
	if (rc)
		return rc;
	memset(&st, 0, sizeof(st));
	opc_props_init(&pr);
	pb_init(&pb, lim);

	rc = opc_read_rels(&z, "", &pkg, err, errlen);
	if (!rc)
		rc = opc_find_main(&z, &pkg, &docx_format, main, err, errlen);
	if (!rc)	/* the main part's own relationships name its styles */
		rc = opc_read_rels(&z, main, &doc, err, errlen);
	if (!rc) {
		if (!doc.styles[0] && opc_resolve(doc.base, "styles.xml",
						  doc.styles, OPC_PART_MAX))
			doc.styles[0] = '\0';
		if (doc.styles[0])
			rc = load_styles(&z, doc.styles, &st, err, errlen);
	}
	if (!rc)
		rc = load_body(&z, main, &st, &pb, lim, err, errlen);
	if (!rc)
		rc = opc_load_props(&z, &pkg, &pr, err, errlen);
	if (!rc) {
		out->title = parse_clean_str(buf_str(&pr.title), pr.title.len);
		out->author = parse_clean_str(buf_str(&pr.author),
					      pr.author.len);
		rc = pb_finish(&pb, opc_props_pages(&pr), out, err, errlen);
		if (rc) {
			free(out->title);
			free(out->author);
			out->title = out->author = NULL;
		}
	}
	pb_release(&pb);
	opc_props_release(&pr);
	styles_free(&st);
	zipsafe_close(&z);
	return rc;
}
