/*
 * pptx.c - PowerPoint presentations (PresentationML, transitional and
 * strict; also slide shows and templates): the text of each visible
 * slide in the order the presentation lists them, slide titles as
 * headings, bulleted paragraphs as list items, table rows.
 *
 * Only what the audience sees goes in: hidden slides and hidden shapes
 * are skipped, speaker notes and comments (other parts) are never read,
 * and of mc:AlternateContent only the first mc:Choice counts. The
 * package (relationships, the main part, title, author) is opc.c's.
 */
#include "opc.h"
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

#define NS_P "http://schemas.openxmlformats.org/presentationml/2006/main"
#define NS_P_STRICT "http://purl.oclc.org/ooxml/presentationml/main"
#define NS_A "http://schemas.openxmlformats.org/drawingml/2006/main"
#define NS_A_STRICT "http://purl.oclc.org/ooxml/drawingml/main"
#define NS_R "http://schemas.openxmlformats.org/officeDocument/2006/" \
	     "relationships"
#define NS_R_STRICT "http://purl.oclc.org/ooxml/officeDocument/relationships"
#define NS_M "http://schemas.openxmlformats.org/officeDocument/2006/math"
#define NS_M_STRICT "http://purl.oclc.org/ooxml/officeDocument/math"
#define NS_MC "http://schemas.openxmlformats.org/markup-compatibility/2006"

/* Content types of a presentation's main part. */
static const char *const main_types[] = {
	"application/vnd.openxmlformats-officedocument.presentationml."
	"presentation.main+xml",
	"application/vnd.openxmlformats-officedocument.presentationml."
	"slideshow.main+xml",
	"application/vnd.openxmlformats-officedocument.presentationml."
	"template.main+xml",
	"application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml",
	"application/vnd.ms-powerpoint.slideshow.macroEnabled.main+xml",
	"application/vnd.ms-powerpoint.template.macroEnabled.main+xml",
};

static const struct opc_format pptx_format = {
	"pptx", main_types, sizeof(main_types) / sizeof(main_types[0]),
	"ppt/presentation.xml",
};

#define GROUP_MAX 32		/* nested group shapes read */
#define AC_MAX 64		/* nested mc:AlternateContent tracked */
#define SLIDE_HIDDEN 1		/* private xml_fail() code: stop, skip it */

static bool p_is(const char *name, const char *local)
{
	return xml_is(name, NS_P, local) || xml_is(name, NS_P_STRICT, local);
}

static bool a_ns(const char *name)
{
	return xml_in_ns(name, NS_A) || xml_in_ns(name, NS_A_STRICT);
}

static bool m_t(const char *name)
{
	return xml_is(name, NS_M, "t") || xml_is(name, NS_M_STRICT, "t");
}

static const char *r_id(const char **attrs)
{
	const char *v = xml_attr(attrs, NS_R, "id");
	return v ? v : xml_attr(attrs, NS_R_STRICT, "id");
}

static bool is_true(const char *v)
{
	return v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
}

static bool is_false(const char *v)
{
	return v && (strcmp(v, "0") == 0 || strcmp(v, "false") == 0);
}

/* ---- the package -------------------------------------------------------- */

int pptx_sniff(struct zipsafe *z)
{
	return opc_sniff(z, &pptx_format);
}

/* ---- the slide list ----------------------------------------------------- */

/* The r:id of every p:sldId in p:sldIdLst, in order, at most max. */
struct slide_ids {
	char **v;
	size_t n, max;
	unsigned depth, list_depth;
};

static void ids_start(struct xml *x, const char *name, const char **attrs)
{
	struct slide_ids *ids = xml_user(x);
	const char *id;

	ids->depth++;
	if (p_is(name, "sldIdLst") && !ids->list_depth) {
		ids->list_depth = ids->depth;
		return;
	}
	if (!ids->list_depth || ids->depth != ids->list_depth + 1 ||
	    !p_is(name, "sldId") || ids->n >= ids->max)
		return;
	if (!(id = r_id(attrs)))
		return;
	if (!(ids->v[ids->n] = strndup(id, 256))) {
		xml_fail(x, WK_ENOMEM, "out of memory");
		return;
	}
	ids->n++;
}

static void ids_end(struct xml *x, const char *name)
{
	struct slide_ids *ids = xml_user(x);

	if (ids->depth == ids->list_depth)
		ids->list_depth = 0;
	ids->depth--;
}

static void ids_free(struct slide_ids *ids)
{
	size_t i;

	for (i = 0; i < ids->n; i++)
		free(ids->v[i]);
	free(ids->v);
	memset(ids, 0, sizeof(*ids));
}

/* ---- one slide ---------------------------------------------------------- */

enum shape_kind { SP_PLAIN, SP_TITLE, SP_BODY };

struct slide {
	struct pbuild *pb;
	const struct parse_limits *lim;
	struct buf *title_out;	/* gets the first title, if non-NULL */
	unsigned depth;
	unsigned skip;		/* depth where a skipped subtree began */
	unsigned char ac[AC_MAX];	/* per mc:AlternateContent: */
	size_t nac;		/* whether a Choice was taken */
	unsigned groups;	/* open p:grpSp */
	/* the open p:sp (shapes do not nest in shapes) */
	unsigned sp_depth;
	enum shape_kind sp_kind;
	struct buf title;	/* a title shape's paragraphs */
	/* the open a:p */
	unsigned p_depth, ppr_depth;
	int lvl, bullet;	/* bullet: 1 yes, 0 buNone, -1 unsaid */
	unsigned text_depth;	/* inside a:t or m:t */
	struct buf para;
	/* tables: depth, and the outermost table's row and cell */
	unsigned tbl;
	struct buf row, cell;
	size_t ncells;
};

/* Stop on a builder or buffer error: the text limit or memory. */
static void slide_fail(struct xml *x, struct slide *s, int rc)
{
	char sz[32];

	if (rc == WK_ETOOBIG)
		xml_fail(x, rc, "extracted text is longer than the %s limit",
			 parse_size_str(s->lim->max_text, sz, sizeof(sz)));
	else
		xml_fail(x, rc, "out of memory");
}

/* Append s (n bytes, trimmed) to out, separated by a space. */
static void join_add(struct buf *out, const char *s, size_t n)
{
	size_t a, len = pb_trim(s, n, &a, 1);

	if (!len)
		return;
	if (out->len)
		buf_addc(out, ' ');
	buf_add(out, s + a, len);
}

static void para_end(struct xml *x, struct slide *s)
{
	const char *t = buf_str(&s->para);
	enum parse_block_kind kind = PB_PARAGRAPH;
	int level = 0, rc = 0;
	bool bullet;

	s->p_depth = s->ppr_depth = s->text_depth = 0;
	if (buf_error(&s->para)) {
		slide_fail(x, s, buf_error(&s->para));
		return;
	}
	if (s->tbl) {
		join_add(&s->cell, t, s->para.len);
	} else if (s->sp_depth && s->sp_kind == SP_TITLE) {
		join_add(&s->title, t, s->para.len);
	} else {
		/* A body placeholder's paragraphs have bullets unless they
		 * say buNone (the master's body style gives them). */
		bullet = s->bullet == 1 ||
			 (s->bullet < 0 && s->sp_depth && s->sp_kind == SP_BODY);
		if (bullet) {
			kind = PB_LIST_ITEM;
			level = s->lvl < 0 ? 1 : s->lvl > 8 ? 9 : s->lvl + 1;
		}
		rc = pb_add(s->pb, kind, level, t, s->para.len);
	}
	if (!rc && (buf_error(&s->cell) || buf_error(&s->title)))
		rc = buf_error(&s->cell) ? buf_error(&s->cell)
					 : buf_error(&s->title);
	if (rc)
		slide_fail(x, s, rc);
}

static void shape_end(struct xml *x, struct slide *s)
{
	if (s->sp_kind == SP_TITLE && s->title.len) {
		if (pb_add(s->pb, PB_HEADING, 2, buf_str(&s->title),
			   s->title.len))
			slide_fail(x, s, s->pb->err);
		if (s->title_out && !s->title_out->len)
			buf_add(s->title_out, buf_str(&s->title),
				utf8_floor(buf_str(&s->title), s->title.len,
					   OPC_META_MAX));
	}
	buf_reset(&s->title);
	s->sp_depth = 0;
	s->sp_kind = SP_PLAIN;
}

static void cell_end(struct slide *s)
{
	size_t i, a, len;
	char *c = s->cell.data;

	if (s->tbl > 1)
		return;
	/* A tab inside a cell would read as a cell boundary. */
	for (i = 0; c && i < s->cell.len; i++)
		if (c[i] == '\t')
			c[i] = ' ';
	len = pb_trim(buf_str(&s->cell), s->cell.len, &a, 1);
	if (s->ncells++)
		buf_addc(&s->row, '\t');
	buf_add(&s->row, buf_str(&s->cell) + a, len);
	buf_reset(&s->cell);
}

static void row_end(struct xml *x, struct slide *s)
{
	if (s->tbl > 1)
		return;
	if (buf_error(&s->row) || buf_error(&s->cell)) {
		slide_fail(x, s, buf_error(&s->row) ? buf_error(&s->row)
						    : buf_error(&s->cell));
		return;
	}
	if (pb_add(s->pb, PB_TABLE_ROW, 0, buf_str(&s->row), s->row.len))
		slide_fail(x, s, s->pb->err);
	buf_reset(&s->row);
	s->ncells = 0;
}

/* mc:AlternateContent: the first mc:Choice is read, the rest skipped. */
static void mc_start(struct slide *s, const char *local)
{
	if (strcmp(local, "AlternateContent") == 0) {
		if (s->nac < AC_MAX)
			s->ac[s->nac] = 0;
		else
			s->skip = s->depth;
		s->nac++;
	} else if (strcmp(local, "Choice") == 0) {
		if (!s->nac || s->nac > AC_MAX || s->ac[s->nac - 1])
			s->skip = s->depth;
		else
			s->ac[s->nac - 1] = 1;
	} else if (strcmp(local, "Fallback") == 0) {
		s->skip = s->depth;
	}
}

/* PresentationML elements: the slide, shapes, groups, placeholders. */
static void p_start(struct xml *x, struct slide *s, const char *name,
		    const char **attrs)
{
	const char *local = xml_local(name), *v;

	if (s->depth == 1 && strcmp(local, "sld") == 0) {
		if (is_false(xml_attr(attrs, NULL, "show")))
			xml_fail(x, SLIDE_HIDDEN, "hidden slide");
	} else if (strcmp(local, "grpSp") == 0) {
		if (++s->groups > GROUP_MAX)
			s->skip = s->depth;
	} else if (strcmp(local, "sp") == 0) {
		if (!s->sp_depth) {
			s->sp_depth = s->depth;
			s->sp_kind = SP_PLAIN;
			buf_reset(&s->title);
		}
	} else if (strcmp(local, "ph") == 0 && s->sp_depth) {
		v = xml_attr(attrs, NULL, "type");
		if (v && (strcmp(v, "title") == 0 ||
			  strcmp(v, "ctrTitle") == 0))
			s->sp_kind = SP_TITLE;
		else if (!v || strcmp(v, "body") == 0 ||
			 strcmp(v, "obj") == 0)
			s->sp_kind = SP_BODY;	/* no type means obj */
	} else if (strcmp(local, "cNvPr") == 0 && s->depth > 2 &&
		   is_true(xml_attr(attrs, NULL, "hidden"))) {
		/* cNvPr sits in the shape's nv*Pr: skip the whole shape */
		s->skip = s->depth - 2;
	}
}

/* DrawingML elements: paragraphs, runs, breaks, tables. */
static void a_start(struct xml *x, struct slide *s, const char *local,
		    const char **attrs)
{
	const char *v;

	if (strcmp(local, "p") == 0) {
		if (s->p_depth)
			return;	/* not in valid files: one paragraph */
		s->p_depth = s->depth;
		s->ppr_depth = 0;
		s->lvl = 0;
		s->bullet = -1;
		s->text_depth = 0;
		buf_reset(&s->para);
	} else if (strcmp(local, "pPr") == 0 && s->p_depth &&
		   s->depth == s->p_depth + 1) {
		s->ppr_depth = s->depth;
		if ((v = xml_attr(attrs, NULL, "lvl")))
			s->lvl = opc_int_val(v);
	} else if (s->ppr_depth && s->depth == s->ppr_depth + 1 &&
		   strncmp(local, "bu", 2) == 0) {
		if (strcmp(local, "buNone") == 0)
			s->bullet = 0;
		else if (strcmp(local, "buChar") == 0 ||
			 strcmp(local, "buAutoNum") == 0 ||
			 strcmp(local, "buBlip") == 0)
			s->bullet = 1;
	} else if (strcmp(local, "t") == 0) {
		s->text_depth++;
	} else if (strcmp(local, "br") == 0 && s->p_depth) {
		buf_addc(&s->para, ' ');
	} else if (strcmp(local, "tbl") == 0) {
		if (++s->tbl == 1) {
			buf_reset(&s->row);
			buf_reset(&s->cell);
			s->ncells = 0;
		}
	} else if (strcmp(local, "tr") == 0 && s->tbl == 1) {
		buf_reset(&s->row);
		s->ncells = 0;
	} else if (strcmp(local, "tc") == 0 && s->tbl == 1) {
		buf_reset(&s->cell);
	}
}

static void slide_start(struct xml *x, const char *name, const char **attrs)
{
	struct slide *s = xml_user(x);

	s->depth++;
	if (s->skip)
		return;
	if (xml_in_ns(name, NS_MC))
		mc_start(s, xml_local(name));
	else if (m_t(name))
		s->text_depth++;
	else if (xml_in_ns(name, NS_P) || xml_in_ns(name, NS_P_STRICT))
		p_start(x, s, name, attrs);
	else if (a_ns(name))
		a_start(x, s, xml_local(name), attrs);
}

static void slide_end(struct xml *x, const char *name)
{
	struct slide *s = xml_user(x);
	const char *local = xml_local(name);
	unsigned d = s->depth--;

	/* A skipped subtree ends with its own element, whose start was
	 * counted, so its end is counted too. */
	if (s->skip) {
		if (d != s->skip)
			return;
		s->skip = 0;
	}
	if (xml_in_ns(name, NS_MC)) {
		if (strcmp(local, "AlternateContent") == 0 && s->nac)
			s->nac--;
	} else if (m_t(name)) {
		if (s->text_depth)
			s->text_depth--;
	} else if (xml_in_ns(name, NS_P) || xml_in_ns(name, NS_P_STRICT)) {
		if (strcmp(local, "grpSp") == 0 && s->groups)
			s->groups--;
		else if (strcmp(local, "sp") == 0 && d == s->sp_depth)
			shape_end(x, s);
	} else if (a_ns(name)) {
		if (strcmp(local, "p") == 0 && d == s->p_depth)
			para_end(x, s);
		else if (strcmp(local, "pPr") == 0 && d == s->ppr_depth)
			s->ppr_depth = 0;
		else if (strcmp(local, "t") == 0 && s->text_depth)
			s->text_depth--;
		else if (strcmp(local, "tc") == 0 && s->tbl)
			cell_end(s);
		else if (strcmp(local, "tr") == 0 && s->tbl)
			row_end(x, s);
		else if (strcmp(local, "tbl") == 0 && s->tbl)
			s->tbl--;
	}
}

static void slide_text(struct xml *x, const char *t, size_t n)
{
	struct slide *s = xml_user(x);

	if (s->skip || !s->text_depth || !s->p_depth)
		return;
	buf_add(&s->para, t, n);
	if (buf_error(&s->para))
		slide_fail(x, s, buf_error(&s->para));
}

/* Parse one slide part into the builder. Returns 0, SLIDE_HIDDEN,
 * WK_ENOTFOUND (no such part) or an error with a message in err. */
static int load_slide(struct zipsafe *z, const char *part, struct slide *s,
		      char *err, size_t errlen)
{
	static const struct xml_handlers h = { slide_start, slide_end,
					       slide_text };

	s->depth = s->skip = s->groups = s->sp_depth = 0;
	s->p_depth = s->ppr_depth = s->text_depth = s->tbl = 0;
	s->nac = s->ncells = 0;
	s->sp_kind = SP_PLAIN;
	buf_reset(&s->title);
	buf_reset(&s->para);
	buf_reset(&s->row);
	buf_reset(&s->cell);
	return opc_parse_part(z, part, &h, s, err, errlen);
}

/* Every slide the list names, in its order; *visible counts the slides
 * shown. A slide whose relationship or part is missing is skipped. */
static int load_slides(struct zipsafe *z, const char *main,
		       const struct slide_ids *ids, struct pbuild *pb,
		       const struct parse_limits *lim, struct buf *title,
		       int *visible, char *err, size_t errlen)
{
	struct opc_rel_list rels;
	const struct opc_rel *rel;
	struct slide s;
	size_t i, bufmax = lim->max_text + 1024;
	int rc;

	*visible = 0;
	rc = opc_read_rel_list(z, main, &rels, err, errlen);
	if (rc)
		return rc;
	memset(&s, 0, sizeof(s));
	s.pb = pb;
	s.lim = lim;
	buf_init(&s.title, bufmax);
	buf_init(&s.para, bufmax);
	buf_init(&s.row, bufmax);
	buf_init(&s.cell, bufmax);
	for (i = 0; i < ids->n && !rc; i++) {
		rel = opc_rel_by_id(&rels, ids->v[i]);
		if (!rel || strcmp(rel->type, "slide") != 0)
			continue;
		if (*visible)	/* its error is sticky: pb_finish tells */
			(void)pb_page_break(pb);
		s.title_out = *visible ? NULL : title;
		rc = load_slide(z, rel->target, &s, err, errlen);
		if (rc == 0)
			(*visible)++;
		if (rc == SLIDE_HIDDEN || rc == WK_ENOTFOUND)
			rc = 0;
	}
	if (!rc && buf_error(title))
		rc = parse_fail(err, errlen, WK_ENOMEM, "out of memory");
	if (!rc && err && errlen)
		err[0] = '\0';	/* a hidden slide's note */
	buf_release(&s.title);
	buf_release(&s.para);
	buf_release(&s.row);
	buf_release(&s.cell);
	opc_rel_list_release(&rels);
	return rc;
}

/* ---- entry point -------------------------------------------------------- */

int pptx_parse(const void *data, size_t len, const struct parse_limits *lim,
	       struct parse_result *out, char *err, size_t errlen)
{
	static const struct xml_handlers ids_h = { ids_start, ids_end, NULL };
	struct zipsafe z;
	struct opc_rels pkg;
	struct opc_props pr;
	struct slide_ids ids;
	struct pbuild pb;
	struct buf title;
	char main[OPC_PART_MAX];
	int rc, visible = 0;

	rc = zipsafe_open(&z, data, len, lim, err, errlen);
	if (rc)
		return rc;
	memset(&ids, 0, sizeof(ids));
	/* Each slide is its own part, so there are no more than entries. */
	ids.max = lim->max_entries < (size_t)z.nentries ? lim->max_entries
						       : (size_t)z.nentries;
	opc_props_init(&pr);
	pb_init(&pb, lim);
	buf_init(&title, OPC_META_MAX + 8);

	rc = opc_read_rels(&z, "", &pkg, err, errlen);
	if (!rc)
		rc = opc_find_main(&z, &pkg, &pptx_format, main, err, errlen);
	if (!rc && !(ids.v = calloc(ids.max ? ids.max : 1, sizeof(char *))))
		rc = parse_fail(err, errlen, WK_ENOMEM, "out of memory");
	if (!rc)
		rc = opc_parse_part(&z, main, &ids_h, &ids, err, errlen);
	if (rc == WK_ENOTFOUND)
		rc = parse_fail(err, errlen, WK_EMALFORMED,
				"pptx has no main document part");
	if (!rc)
		rc = load_slides(&z, main, &ids, &pb, lim, &title, &visible,
				 err, errlen);
	if (!rc)
		rc = opc_load_props(&z, &pkg, &pr, err, errlen);
	if (!rc) {
		out->title = parse_clean_str(buf_str(&pr.title), pr.title.len);
		if (!out->title)	/* else the first slide's title */
			out->title = parse_clean_str(buf_str(&title),
						     title.len);
		out->author = parse_clean_str(buf_str(&pr.author),
					      pr.author.len);
		rc = pb_finish(&pb, visible, out, err, errlen);
		if (rc) {
			free(out->title);
			free(out->author);
			out->title = out->author = NULL;
		}
	}
	buf_release(&title);
	pb_release(&pb);
	opc_props_release(&pr);
	ids_free(&ids);
	zipsafe_close(&z);
	return rc;
}
