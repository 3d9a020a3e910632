/*
 * docx.c - Word documents (Office Open XML, transitional and strict):
 * the main document part's paragraphs, headings, list items and table
 * rows, plus title, author and page count from the document properties.
 *
 * Only what a reader sees as the document's current text goes in:
 * deleted and moved-away revisions, field instructions, the fallback
 * branch of mc:AlternateContent, comments, notes, headers and footers
 * stay out. The package is read through zipsafe (capped inflation) and
 * every part through xml (no DTDs); part names from relationships are
 * resolved as strings, never as paths.
 */
#include "parse_internal.h"
#include "xml.h"
#include "zipsafe.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../base/utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_W_STRICT "http://purl.oclc.org/ooxml/wordprocessingml/main"
#define NS_M "http://schemas.openxmlformats.org/officeDocument/2006/math"
#define NS_M_STRICT "http://purl.oclc.org/ooxml/officeDocument/math"
#define NS_MC "http://schemas.openxmlformats.org/markup-compatibility/2006"
#define NS_REL "http://schemas.openxmlformats.org/package/2006/relationships"
#define NS_CT "http://schemas.openxmlformats.org/package/2006/content-types"
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_EP "http://schemas.openxmlformats.org/officeDocument/2006/" \
	      "extended-properties"
#define NS_EP_STRICT "http://purl.oclc.org/ooxml/officeDocument/" \
		     "extendedProperties"

/* Content types of a Word main document part. */
static const char *const main_types[] = {
	"application/vnd.openxmlformats-officedocument.wordprocessingml."
	"document.main+xml",
	"application/vnd.openxmlformats-officedocument.wordprocessingml."
	"template.main+xml",
	"application/vnd.ms-word.document.macroEnabled.main+xml",
	"application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
};

#define PART_MAX 512		/* longest part name we resolve */
#define META_MAX 4096		/* bytes of title or author kept */
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

/* Small non-negative integer attribute value, or -1. */
static int int_val(const char *v)
{
	long n = 0;
	int digits = 0;

	if (!v)
		return -1;
	while (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n')
		v++;
	for (; *v >= '0' && *v <= '9'; v++, digits++)
		if (n < 100000000)
			n = n * 10 + (*v - '0');
	return digits ? (int)n : -1;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Resolve a relationship target against the folder base (ends in '/' or
 * is ""), as a string: "/x" is from the package root, "." and ".."
 * segments fold away and ".." never climbs above the root. */
static int resolve(const char *base, const char *target, char *out,
		   size_t outlen)
{
	char tmp[PART_MAX * 2];
	size_t o = 0, i = 0;
	int n;

	if (target[0] == '/')
		n = snprintf(tmp, sizeof(tmp), "%s", target + 1);
	else
		n = snprintf(tmp, sizeof(tmp), "%s%s", base, target);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return -1;
	while (tmp[i]) {
		size_t j = i;
		while (tmp[j] && tmp[j] != '/' && tmp[j] != '\\')
			j++;
		if (j - i == 0 || (j - i == 1 && tmp[i] == '.')) {
			/* empty or "." segment */
		} else if (j - i == 2 && tmp[i] == '.' && tmp[i + 1] == '.') {
			/* out has no trailing '/': drop its last segment */
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
		} else {
			if (o + (j - i) + 2 > outlen)
				return -1;
			if (o > 0)
				out[o++] = '/';
			memcpy(out + o, tmp + i, j - i);
			o += j - i;
		}
		i = tmp[j] ? j + 1 : j;
	}
	out[o] = '\0';
	return o ? 0 : -1;
}

/* The folder of a part name, with its '/', into out ("" at the root). */
static void part_dir(const char *part, char *out, size_t outlen)
{
	const char *slash = strrchr(part, '/');
	size_t n = slash ? (size_t)(slash - part) + 1 : 0;

	if (n >= outlen)
		n = 0;
	memcpy(out, part, n);
	out[n] = '\0';
}

/* Read a part and run the XML handlers over it. WK_ENOTFOUND (without
 * a message) when the part is missing. */
static int parse_part(struct zipsafe *z, const char *part,
		      const struct xml_handlers *h, void *user, char *err,
		      size_t errlen)
{
	char *data;
	size_t len;
	int rc;

	rc = zipsafe_read(z, part, 0, &data, &len, err, errlen);
	if (rc)
		return rc;
	rc = xml_parse(data, len, part, h, user, err, errlen);
	free(data);
	return rc;
}

/* ---- relationships and content types ------------------------------------ */

struct rels {
	char office[PART_MAX];	/* the main document part */
	char core[PART_MAX];	/* docProps/core.xml */
	char app[PART_MAX];	/* docProps/app.xml */
	char styles[PART_MAX];	/* word/styles.xml */
	const char *base;	/* folder targets are relative to */
};

static void rels_start(struct xml *x, const char *name, const char **attrs)
{
	struct rels *r = xml_user(x);
	const char *type, *target, *mode;
	char *slot = NULL;

	if (!xml_is(name, NS_REL, "Relationship"))
		return;
	type = xml_attr(attrs, NULL, "Type");
	target = xml_attr(attrs, NULL, "Target");
	mode = xml_attr(attrs, NULL, "TargetMode");
	if (!type || !target || (mode && strcasecmp(mode, "External") == 0))
		return;	/* external targets are never fetched */
	if (ends_with(type, "/officeDocument"))
		slot = r->office;
	else if (ends_with(type, "/metadata/core-properties"))
		slot = r->core;
	else if (ends_with(type, "/extended-properties") ||
		 ends_with(type, "/extendedProperties"))
		slot = r->app;
	else if (ends_with(type, "/styles"))
		slot = r->styles;
	if (slot && !slot[0] && resolve(r->base, target, slot, PART_MAX))
		slot[0] = '\0';
}

struct ctypes {
	char main[PART_MAX];
};

static void ct_start(struct xml *x, const char *name, const char **attrs)
{
	struct ctypes *c = xml_user(x);
	const char *part, *type;
	size_t i;

	if (c->main[0] || !xml_is(name, NS_CT, "Override"))
		return;
	part = xml_attr(attrs, NULL, "PartName");
	type = xml_attr(attrs, NULL, "ContentType");
	if (!part || !type)
		return;
	for (i = 0; i < sizeof(main_types) / sizeof(main_types[0]); i++)
		if (strcasecmp(type, main_types[i]) == 0 &&
		    resolve("", part, c->main, PART_MAX))
			c->main[0] = '\0';
}

/* 1 if the zip has exactly one entry called part, 0 if none, or
 * WK_EMALFORMED (with a message) if several do. */
static int has_part(struct zipsafe *z, const char *part, char *err,
		    size_t errlen)
{
	char nm[80];
	int64_t idx = zipsafe_find(z, part);

	if (idx == -2)
		return parse_fail(err, errlen, WK_EMALFORMED,
				  "zip archive has two entries named %s",
				  parse_safe_name(part, nm, sizeof(nm)));
	return idx >= 0;
}

/* Find the main document part: the package relationship, else the
 * content types, else the usual name. */
static int find_main(struct zipsafe *z, struct rels *pkg, char *main,
		     char *err, size_t errlen)
{
	static const struct xml_handlers ct_h = { ct_start, NULL, NULL };
	struct ctypes ct;
	int rc;

	if (pkg->office[0]) {
		rc = has_part(z, pkg->office, err, errlen);
		if (rc < 0)
			return rc;
		if (rc) {
			snprintf(main, PART_MAX, "%s", pkg->office);
			return 0;
		}
	}
	memset(&ct, 0, sizeof(ct));
	rc = parse_part(z, "[Content_Types].xml", &ct_h, &ct, err, errlen);
	if (rc && rc != WK_ENOTFOUND)
		return rc;
	if (ct.main[0]) {
		rc = has_part(z, ct.main, err, errlen);
		if (rc < 0)
			return rc;
		if (rc) {
			snprintf(main, PART_MAX, "%s", ct.main);
			return 0;
		}
	}
	rc = has_part(z, "word/document.xml", err, errlen);
	if (rc < 0)
		return rc;
	if (rc) {
		snprintf(main, PART_MAX, "word/document.xml");
		return 0;
	}
	return parse_fail(err, errlen, WK_EMALFORMED,
			  "docx has no main document part "
			  "(word/document.xml)");
}

int docx_sniff(struct zipsafe *z, const char **kind)
{
	char *data;
	size_t len, i;
	int yes = 0;

	*kind = "zip";
	/* (two of them is a Word document too; parsing will refuse it) */
	if (zipsafe_find(z, "word/document.xml") != -1)
		return 1;
	if (zipsafe_read(z, "[Content_Types].xml", (size_t)1 << 20, &data,
			 &len, NULL, 0) == 0) {
		for (i = 0; i < sizeof(main_types) / sizeof(main_types[0]);
		     i++)
			if (memmem(data, len, main_types[i],
				   strlen(main_types[i])))
				yes = 1;
		free(data);
		if (yes)
			return 1;
	}
	if (zipsafe_find(z, "ppt/presentation.xml") >= 0) {
		*kind = "pptx";
	} else if (zipsafe_find(z, "xl/workbook.xml") >= 0) {
		*kind = "xlsx";
	} else if (zipsafe_read(z, "mimetype", 256, &data, &len, NULL,
				0) == 0) {
		if (strstr(data, "opendocument.text"))
			*kind = "odt";
		else if (strstr(data, "opendocument.spreadsheet"))
			*kind = "ods";
		else if (strstr(data, "opendocument.presentation"))
			*kind = "odp";
		else if (strstr(data, "application/epub+zip"))
			*kind = "epub";
		else if (strstr(data, "opendocument"))
			*kind = "opendocument";
		free(data);
	}
	return 0;
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
	if (ends_with(xml_local(name), "Change")) {
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
			st->cur->outline = int_val(w_attr(attrs, "val"));
		else if (w_is(name, "numPr"))
			st->in_numpr = true;
	} else if (st->in_numpr && st->depth == st->style_depth + 3) {
		if (w_is(name, "numId"))
			st->cur->numid = int_val(w_attr(attrs, "val"));
		else if (w_is(name, "ilvl"))
			st->cur->ilvl = int_val(w_attr(attrs, "val"));
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

	rc = parse_part(z, part, &h, st, err, errlen);
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

	if (ends_with(local, "Change"))	/* pPrChange, rPrChange... */
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
			p->outline = int_val(w_attr(attrs, "val"));
		} else if (w_is(name, "numPr")) {
			p->in_numpr = true;
		}
	} else if (rel == 2 && p->in_numpr) {
		if (w_is(name, "numId"))
			p->numid = int_val(w_attr(attrs, "val"));
		else if (w_is(name, "ilvl"))
			p->ilvl = int_val(w_attr(attrs, "val"));
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
	rc = parse_part(z, part, &h, &b, err, errlen);
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

/* ---- document properties ------------------------------------------------ */

struct props {
	struct buf title, author, pages;
	struct buf *cur;
	unsigned depth, cur_depth;
};

static void pr_start(struct xml *x, const char *name, const char **attrs)
{
	struct props *pr = xml_user(x);

	pr->depth++;
	if (pr->cur)
		return;
	if (xml_is(name, NS_DC, "title") && !pr->title.len)
		pr->cur = &pr->title;
	else if (xml_is(name, NS_DC, "creator") && !pr->author.len)
		pr->cur = &pr->author;
	else if ((xml_is(name, NS_EP, "Pages") ||
		  xml_is(name, NS_EP_STRICT, "Pages")) && !pr->pages.len)
		pr->cur = &pr->pages;
	if (pr->cur)
		pr->cur_depth = pr->depth;
}

static void pr_end(struct xml *x, const char *name)
{
	struct props *pr = xml_user(x);

	if (pr->cur && pr->depth == pr->cur_depth)
		pr->cur = NULL;
	pr->depth--;
}

static void pr_text(struct xml *x, const char *s, size_t n)
{
	struct props *pr = xml_user(x);
	size_t room;

	if (!pr->cur)
		return;
	/* Keep the first META_MAX bytes; more is not a title. */
	room = META_MAX - pr->cur->len;
	if (n > room)
		n = utf8_floor(s, n, room);
	buf_add(pr->cur, s, n);
}

static int load_props(struct zipsafe *z, const char *part, struct props *pr,
		      char *err, size_t errlen)
{
	static const struct xml_handlers h = { pr_start, pr_end, pr_text };
	int rc = parse_part(z, part, &h, pr, err, errlen);
	return rc == WK_ENOTFOUND ? 0 : rc;
}

/* ---- entry point -------------------------------------------------------- */

int docx_parse(const void *data, size_t len, const struct parse_limits *lim,
	       struct parse_result *out, char *err, size_t errlen)
{
	static const struct xml_handlers rels_h = { rels_start, NULL, NULL };
	struct zipsafe z;
	struct rels pkg, doc;
	struct styles st;
	struct props pr;
	struct pbuild pb;
	char main[PART_MAX], dir[PART_MAX], path[PART_MAX * 2 + 16];
	int rc, pages;

	rc = zipsafe_open(&z, data, len, lim, err, errlen);
	if (rc)
		return rc;
	memset(&pkg, 0, sizeof(pkg));
	memset(&doc, 0, sizeof(doc));
	memset(&st, 0, sizeof(st));
	memset(&pr, 0, sizeof(pr));
	buf_init(&pr.title, META_MAX + 8);
	buf_init(&pr.author, META_MAX + 8);
	buf_init(&pr.pages, META_MAX + 8);
	pb_init(&pb, lim);

	pkg.base = "";
	rc = parse_part(&z, "_rels/.rels", &rels_h, &pkg, err, errlen);
	if (rc == WK_ENOTFOUND)
		rc = 0;
	if (!rc)
		rc = find_main(&z, &pkg, main, err, errlen);
	if (!rc) {
		/* The main part's own relationships name its styles. */
		part_dir(main, dir, sizeof(dir));
		doc.base = dir;
		snprintf(path, sizeof(path), "%s_rels/%s.rels", dir,
			 main + strlen(dir));
		rc = parse_part(&z, path, &rels_h, &doc, err, errlen);
		if (rc == WK_ENOTFOUND)
			rc = 0;
	}
	if (!rc) {
		if (!doc.styles[0] &&
		    resolve(dir, "styles.xml", doc.styles, PART_MAX))
			doc.styles[0] = '\0';
		if (doc.styles[0])
			rc = load_styles(&z, doc.styles, &st, err, errlen);
	}
	if (!rc)
		rc = load_body(&z, main, &st, &pb, lim, err, errlen);
	if (!rc)
		rc = load_props(&z, pkg.core[0] ? pkg.core
						: "docProps/core.xml",
				&pr, err, errlen);
	if (!rc)
		rc = load_props(&z, pkg.app[0] ? pkg.app : "docProps/app.xml",
				&pr, err, errlen);
	if (!rc) {
		pages = int_val(buf_str(&pr.pages));
		if (pages > 1000000)
			pages = 0;
		out->title = parse_clean_str(buf_str(&pr.title), pr.title.len);
		out->author = parse_clean_str(buf_str(&pr.author),
					      pr.author.len);
		rc = pb_finish(&pb, pages, out, err, errlen);
		if (rc) {
			free(out->title);
			free(out->author);
			out->title = out->author = NULL;
		}
	}
	pb_release(&pb);
	buf_release(&pr.title);
	buf_release(&pr.author);
	buf_release(&pr.pages);
	styles_free(&st);
	zipsafe_close(&z);
	return rc;
}
