/*
 * xlsx.c - Excel workbooks (SpreadsheetML, transitional and strict; also
 * templates and macro-enabled files): each visible worksheet as a heading
 * with its name, then one table row per non-empty row, cells in column
 * order joined by tabs.
 *
 * Cells show what Excel stores as their value: shared and inline strings
 * (without phonetic runs), numbers as written, TRUE/FALSE, error values,
 * and for formulas the cached result, never the formula. No number
 * formatting is applied. Hidden sheets, chart sheets, comments and
 * drawings stay out. The package itself is opc.c's.
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

#define NS_S "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_S_STRICT "http://purl.oclc.org/ooxml/spreadsheetml/main"
#define NS_R "http://schemas.openxmlformats.org/officeDocument/2006/" \
	     "relationships"
#define NS_R_STRICT "http://purl.oclc.org/ooxml/officeDocument/relationships"

/* Content types of a workbook's main part (not xlsb: that is binary). */
static const char *const main_types[] = {
	"application/vnd.openxmlformats-officedocument.spreadsheetml."
	"sheet.main+xml",
	"application/vnd.openxmlformats-officedocument.spreadsheetml."
	"template.main+xml",
	"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
	"application/vnd.ms-excel.template.macroEnabled.main+xml",
};

static const struct opc_format xlsx_format = {
	"xlsx", main_types, sizeof(main_types) / sizeof(main_types[0]),
	"xl/workbook.xml",
};

#define COLS_MAX 256		/* columns read per row (A..IV) */
#define ROWS_MAX 100000		/* rows read per sheet */
#define SST_MAX ((size_t)1 << 22)	/* shared strings kept */
#define NAME_MAX_LEN 1024	/* bytes of a sheet name kept */
#define SHEET_STOP 1		/* private xml_fail() code: enough rows */

static bool s_is(const char *name, const char *local)
{
	return xml_is(name, NS_S, local) || xml_is(name, NS_S_STRICT, local);
}

static bool s_ns(const char *name)
{
	return xml_in_ns(name, NS_S) || xml_in_ns(name, NS_S_STRICT);
}

/* ---- the package -------------------------------------------------------- */

int xlsx_sniff(struct zipsafe *z)
{
	return opc_sniff(z, &xlsx_format);
}

/* ---- the workbook: visible sheets in order ------------------------------ */

struct sheet_ref {
	char *name;
	char *rid;
};

struct workbook {
	struct sheet_ref *v;
	size_t n, max;
	unsigned depth, sheets_depth;
};

static void wb_start(struct xml *x, const char *name, const char **attrs)
{
	struct workbook *wb = xml_user(x);
	const char *state, *nm, *rid;
	struct sheet_ref *s;

	wb->depth++;
	if (s_is(name, "sheets") && !wb->sheets_depth) {
		wb->sheets_depth = wb->depth;
		return;
	}
	if (!wb->sheets_depth || wb->depth != wb->sheets_depth + 1 ||
	    !s_is(name, "sheet") || wb->n >= wb->max)
		return;
	state = xml_attr(attrs, NULL, "state");
	if (state && (strcmp(state, "hidden") == 0 ||
		      strcmp(state, "veryHidden") == 0))
		return;
	nm = xml_attr(attrs, NULL, "name");
	rid = xml_attr(attrs, NS_R, "id");
	if (!rid)
		rid = xml_attr(attrs, NS_R_STRICT, "id");
	if (!rid)
		return;
	s = &wb->v[wb->n];
	s->name = strndup(nm ? nm : "", NAME_MAX_LEN);
	s->rid = strndup(rid, 256);
	wb->n++;
	if (!s->name || !s->rid)
		xml_fail(x, WK_ENOMEM, "out of memory");
}

static void wb_end(struct xml *x, const char *name)
{
	struct workbook *wb = xml_user(x);

	if (wb->depth == wb->sheets_depth)
		wb->sheets_depth = 0;
	wb->depth--;
}

static void wb_free(struct workbook *wb)
{
	size_t i;

	for (i = 0; i < wb->n; i++) {
		free(wb->v[i].name);
		free(wb->v[i].rid);
	}
	free(wb->v);
	memset(wb, 0, sizeof(*wb));
}

/* ---- shared strings ----------------------------------------------------- */

/* String i is text[off[i] .. off[i + 1]), raw (not yet _xHHHH_ decoded). */
struct sst {
	struct buf text;
	uint32_t *off;
	size_t n, cap;
	/* parsing state */
	unsigned depth, si_depth, rph_depth, t_depth;
};

static void sst_start(struct xml *x, const char *name, const char **attrs)
{
	struct sst *t = xml_user(x);

	t->depth++;
	if (!s_ns(name))
		return;
	if (!t->si_depth) {
		if (s_is(name, "si") && t->n < SST_MAX)
			t->si_depth = t->depth;
	} else if (t->rph_depth) {
		/* phonetic guide: not the cell's text */
	} else if (s_is(name, "rPh")) {
		t->rph_depth = t->depth;
	} else if (s_is(name, "t") && !t->t_depth) {
		t->t_depth = t->depth;
	}
}

static void sst_end(struct xml *x, const char *name)
{
	struct sst *t = xml_user(x);
	unsigned d = t->depth--;

	if (d == t->t_depth) {
		t->t_depth = 0;
	} else if (d == t->rph_depth) {
		t->rph_depth = 0;
	} else if (d == t->si_depth) {
		t->si_depth = 0;
		if (t->n + 1 == t->cap) {
			size_t ncap = t->cap * 2;
			uint32_t *no = realloc(t->off, ncap * sizeof(*no));
			if (!no) {
				xml_fail(x, WK_ENOMEM, "out of memory");
				return;
			}
			t->off = no;
			t->cap = ncap;
		}
		t->off[++t->n] = (uint32_t)t->text.len;
	}
}

static void sst_text(struct xml *x, const char *s, size_t n)
{
	struct sst *t = xml_user(x);

	if (!t->t_depth || t->rph_depth)
		return;
	buf_add(&t->text, s, n);
	if (buf_error(&t->text))
		xml_fail(x, buf_error(&t->text), "shared strings are too big");
}

/* Load the shared strings part (a missing one is no error). */
static int load_sst(struct zipsafe *z, const char *part, struct sst *t,
		    const struct parse_limits *lim, char *err, size_t errlen)
{
	static const struct xml_handlers h = { sst_start, sst_end, sst_text };
	size_t max = lim->max_inflated_entry;
	int rc;

	/* Text is never longer than its part; offsets are 32-bit. */
	buf_init(&t->text, max < UINT32_MAX ? max + 1 : UINT32_MAX - 1);
	t->cap = 1024;
	if (!(t->off = calloc(t->cap, sizeof(*t->off))))
		return parse_fail(err, errlen, WK_ENOMEM, "out of memory");
	if (!part[0])
		return 0;
	rc = opc_parse_part(z, part, &h, t, err, errlen);
	return rc == WK_ENOTFOUND ? 0 : rc;
}

static void sst_free(struct sst *t)
{
	buf_release(&t->text);
	free(t->off);
	memset(t, 0, sizeof(*t));
}

/* ---- one worksheet ------------------------------------------------------ */

struct cellref {
	size_t off, len;	/* in sheet.cells; len 0: empty */
};

struct sheet {
	struct pbuild *pb;
	const struct parse_limits *lim;
	const struct sst *sst;
	unsigned depth, data_depth;	/* sheetData */
	size_t rows;
	/* the open row */
	unsigned row_depth;
	struct cellref cell[COLS_MAX];
	int maxcol, nextcol;
	struct buf cells, line;
	/* the open cell */
	unsigned c_depth, v_depth, is_depth, t_depth, rph_depth;
	int col;
	char type[16];
	struct buf v, is;
};

static void sheet_fail(struct xml *x, struct sheet *sh, int rc)
{
	char sz[32];

	if (rc == WK_ETOOBIG)
		xml_fail(x, rc, "extracted text is longer than the %s limit",
			 parse_size_str(sh->lim->max_text, sz, sizeof(sz)));
	else
		xml_fail(x, rc, "out of memory");
}

/* Column index (A = 0) of a cell reference like "AB12"; -1 if it has no
 * letters, a large number past XFD. */
static int ref_col(const char *r)
{
	int col = 0, letters = 0;

	for (; r && ((*r >= 'A' && *r <= 'Z') || (*r >= 'a' && *r <= 'z'));
	     r++) {
		if (col < (1 << 20))
			col = col * 26 + ((*r | 0x20) - 'a' + 1);
		letters++;
	}
	return letters ? col - 1 : -1;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
		return (c | 0x20) - 'a' + 10;
	return -1;
}

/* Append s to out, decoding the _xHHHH_ escapes Excel writes for
 * characters XML cannot hold (_x000D_ for CR, _x005F_ for '_'). */
static void xstr_add(struct buf *out, const char *s, size_t n)
{
	size_t i = 0, run = 0;
	char u[4];

	while (i < n) {
		if (s[i] == '_' && i + 6 < n && s[i + 1] == 'x' &&
		    s[i + 6] == '_' && hexval(s[i + 2]) >= 0 &&
		    hexval(s[i + 3]) >= 0 && hexval(s[i + 4]) >= 0 &&
		    hexval(s[i + 5]) >= 0) {
			uint32_t cp = (uint32_t)(hexval(s[i + 2]) << 12 |
						 hexval(s[i + 3]) << 8 |
						 hexval(s[i + 4]) << 4 |
						 hexval(s[i + 5]));
			size_t k = utf8_encode(cp, u);
			buf_add(out, s + i - run, run);
			run = 0;
			if (cp && k)
				buf_add(out, u, k);
			else if (cp)
				buf_add(out, "\xef\xbf\xbd", 3);
			i += 7;
			continue;
		}
		i++;
		run++;
	}
	buf_add(out, s + i - run, run);
}

/* Shared string index: decimal digits only, surrounding spaces allowed;
 * -1 otherwise. */
static long sst_index(const char *s)
{
	long n = 0;
	int digits = 0;

	while (*s == ' ')
		s++;
	for (; *s >= '0' && *s <= '9'; s++, digits++)
		if (n < (long)SST_MAX * 10)
			n = n * 10 + (*s - '0');
	while (*s == ' ')
		s++;
	return digits && !*s ? n : -1;
}

/* Store the finished cell's display text in the row. */
static void cell_end(struct xml *x, struct sheet *sh)
{
	const char *s = buf_str(&sh->v);
	size_t n = sh->v.len, start, a, len, i;
	bool xstr = false;
	long idx;
	char *c;

	sh->c_depth = sh->v_depth = sh->is_depth = 0;
	sh->t_depth = sh->rph_depth = 0;
	if (sh->col < 0 || sh->col >= COLS_MAX || sh->cell[sh->col].len)
		return;
	if (strcmp(sh->type, "s") == 0) {
		idx = sst_index(s);
		if (idx < 0 || (size_t)idx >= sh->sst->n)
			return;	/* out of range: an empty cell */
		s = buf_str(&sh->sst->text) + sh->sst->off[idx];
		n = sh->sst->off[idx + 1] - sh->sst->off[idx];
		xstr = true;
	} else if (strcmp(sh->type, "b") == 0) {
		if (strcmp(s, "1") == 0 || strcmp(s, "0") == 0) {
			s = s[0] == '1' ? "TRUE" : "FALSE";
			n = strlen(s);
		}
	} else if (strcmp(sh->type, "inlineStr") == 0 || sh->is.len) {
		if (sh->is.len) {
			s = buf_str(&sh->is);
			n = sh->is.len;
		}
		xstr = true;
	} else if (strcmp(sh->type, "str") == 0) {
		xstr = true;
	}
	/* Trimmed first: white space alone must not fill the buffer. */
	n = pb_trim(s, n, &a, 1);
	s += a;
	start = sh->cells.len;
	if (xstr)
		xstr_add(&sh->cells, s, n);
	else
		buf_add(&sh->cells, s, n);
	if (buf_error(&sh->cells)) {
		sheet_fail(x, sh, buf_error(&sh->cells));
		return;
	}
	/* Tabs and line breaks inside a cell would split the row. */
	c = sh->cells.data;
	for (i = start; c && i < sh->cells.len; i++)
		if (c[i] == '\t' || c[i] == '\n' || c[i] == '\r')
			c[i] = ' ';
	len = pb_trim(buf_str(&sh->cells) + start, sh->cells.len - start, &a,
		      1);
	if (!len) {
		buf_truncate(&sh->cells, start);
		return;
	}
	sh->cell[sh->col].off = start + a;
	sh->cell[sh->col].len = len;
	if (sh->col > sh->maxcol)
		sh->maxcol = sh->col;
}

static void row_end(struct xml *x, struct sheet *sh)
{
	int i;

	sh->row_depth = 0;
	if (sh->maxcol < 0)
		return;
	buf_reset(&sh->line);
	for (i = 0; i <= sh->maxcol; i++) {
		if (i)
			buf_addc(&sh->line, '\t');
		buf_add(&sh->line, buf_str(&sh->cells) + sh->cell[i].off,
			sh->cell[i].len);
	}
	if (buf_error(&sh->line))
		sheet_fail(x, sh, buf_error(&sh->line));
	else if (pb_add(sh->pb, PB_TABLE_ROW, 0, buf_str(&sh->line),
			sh->line.len))
		sheet_fail(x, sh, sh->pb->err);
	/* Only the used columns: a row costs what it holds. */
	memset(sh->cell, 0, (size_t)(sh->maxcol + 1) * sizeof(sh->cell[0]));
	sh->maxcol = -1;
}

static void row_start(struct xml *x, struct sheet *sh)
{
	if (++sh->rows > ROWS_MAX) {
		xml_fail(x, SHEET_STOP, "sheet has more than %d rows",
			 ROWS_MAX);
		return;
	}
	sh->row_depth = sh->depth;
	sh->maxcol = -1;	/* cell[] is clear: row_end() cleared it */
	sh->nextcol = 0;
	buf_reset(&sh->cells);
}

static void cell_start(struct sheet *sh, const char **attrs)
{
	const char *t = xml_attr(attrs, NULL, "t");
	int col = ref_col(xml_attr(attrs, NULL, "r"));

	sh->c_depth = sh->depth;
	sh->col = col >= 0 ? col : sh->nextcol;
	if (sh->col < (1 << 20))
		sh->nextcol = sh->col + 1;
	snprintf(sh->type, sizeof(sh->type), "%s", t ? t : "n");
	buf_reset(&sh->v);
	buf_reset(&sh->is);
}

static void sheet_start(struct xml *x, const char *name, const char **attrs)
{
	struct sheet *sh = xml_user(x);

	sh->depth++;
	if (!s_ns(name))
		return;
	if (!sh->data_depth) {
		if (s_is(name, "sheetData"))
			sh->data_depth = sh->depth;
	} else if (!sh->row_depth) {
		if (sh->depth == sh->data_depth + 1 && s_is(name, "row"))
			row_start(x, sh);
	} else if (!sh->c_depth) {
		if (sh->depth == sh->row_depth + 1 && s_is(name, "c"))
			cell_start(sh, attrs);
	} else if (sh->depth == sh->c_depth + 1) {
		if (s_is(name, "v"))
			sh->v_depth = sh->depth;
		else if (s_is(name, "is"))
			sh->is_depth = sh->depth;
	} else if (sh->is_depth && !sh->rph_depth) {
		if (s_is(name, "rPh"))
			sh->rph_depth = sh->depth;
		else if (s_is(name, "t") && !sh->t_depth)
			sh->t_depth = sh->depth;
	}
}

static void sheet_end(struct xml *x, const char *name)
{
	struct sheet *sh = xml_user(x);
	unsigned d = sh->depth--;

	if (d == sh->t_depth)
		sh->t_depth = 0;
	else if (d == sh->rph_depth)
		sh->rph_depth = 0;
	else if (d == sh->v_depth)
		sh->v_depth = 0;
	else if (d == sh->is_depth)
		sh->is_depth = 0;
	else if (d == sh->c_depth)
		cell_end(x, sh);
	else if (d == sh->row_depth)
		row_end(x, sh);
	else if (d == sh->data_depth)
		sh->data_depth = 0;
}

static void sheet_text(struct xml *x, const char *s, size_t n)
{
	struct sheet *sh = xml_user(x);
	struct buf *b;

	if (sh->v_depth)
		b = &sh->v;
	else if (sh->t_depth && !sh->rph_depth)
		b = &sh->is;
	else
		return;
	buf_add(b, s, n);
	if (buf_error(b))
		sheet_fail(x, sh, buf_error(b));
}

/* Parse one worksheet part into the builder: rows up to ROWS_MAX. */
static int load_sheet(struct zipsafe *z, const char *part, struct sheet *sh,
		      char *err, size_t errlen)
{
	static const struct xml_handlers h = { sheet_start, sheet_end,
					       sheet_text };
	int rc;

	sh->depth = sh->data_depth = sh->row_depth = sh->c_depth = 0;
	sh->v_depth = sh->is_depth = sh->t_depth = sh->rph_depth = 0;
	sh->rows = 0;
	sh->maxcol = -1;
	memset(sh->cell, 0, sizeof(sh->cell));
	rc = opc_parse_part(z, part, &h, sh, err, errlen);
	if (rc == SHEET_STOP) {
		rc = 0;	/* the rest of the sheet is left out */
		if (err && errlen)
			err[0] = '\0';
	}
	return rc;
}

/* Every visible worksheet, in the workbook's order; *visible counts them.
 * A sheet whose relationship or part is missing is skipped. */
static int load_sheets(struct zipsafe *z, const char *main,
		       const struct workbook *wb, struct pbuild *pb,
		       const struct parse_limits *lim, int *visible,
		       char *err, size_t errlen)
{
	struct opc_rel_list rels;
	const struct opc_rel *rel;
	struct sst sst;
	struct sheet *sh;
	char part[OPC_PART_MAX];
	size_t i, bufmax = lim->max_text + 1024;
	int rc;

	*visible = 0;
	memset(&sst, 0, sizeof(sst));
	rc = opc_read_rel_list(z, main, &rels, err, errlen);
	if (rc)
		return rc;
	if ((rel = opc_rel_by_type(&rels, "sharedStrings")))
		snprintf(part, sizeof(part), "%s", rel->target);
	else if (opc_resolve(rels.base, "sharedStrings.xml", part,
			     sizeof(part)))
		part[0] = '\0';
	rc = load_sst(z, part, &sst, lim, err, errlen);
	sh = calloc(1, sizeof(*sh));
	if (!rc && !sh)
		rc = parse_fail(err, errlen, WK_ENOMEM, "out of memory");
	if (!rc) {
		sh->pb = pb;
		sh->lim = lim;
		sh->sst = &sst;
		buf_init(&sh->cells, bufmax);
		buf_init(&sh->line, bufmax);
		buf_init(&sh->v, bufmax);
		buf_init(&sh->is, bufmax);
	}
	for (i = 0; i < wb->n && !rc; i++) {
		rel = opc_rel_by_id(&rels, wb->v[i].rid);
		if (!rel || strcmp(rel->type, "worksheet") != 0 ||
		    zipsafe_find(z, rel->target) == -1)
			continue;
		if (*visible)	/* its error is sticky: pb_finish tells */
			(void)pb_page_break(pb);
		(*visible)++;
		(void)pb_add(pb, PB_HEADING, 2, wb->v[i].name,
			     strlen(wb->v[i].name));
		rc = load_sheet(z, rel->target, sh, err, errlen);
	}
	if (sh) {
		buf_release(&sh->cells);
		buf_release(&sh->line);
		buf_release(&sh->v);
		buf_release(&sh->is);
		free(sh);
	}
	sst_free(&sst);
	opc_rel_list_release(&rels);
	return rc;
}

/* ---- entry point -------------------------------------------------------- */

int xlsx_parse(const void *data, size_t len, const struct parse_limits *lim,
	       struct parse_result *out, char *err, size_t errlen)
{
	static const struct xml_handlers wb_h = { wb_start, wb_end, NULL };
	struct zipsafe z;
	struct opc_rels pkg;
	struct opc_props pr;
	struct workbook wb;
	struct pbuild pb;
	char main[OPC_PART_MAX];
	int rc, visible = 0;

	rc = zipsafe_open(&z, data, len, lim, err, errlen);
	if (rc)
		return rc;
	memset(&wb, 0, sizeof(wb));
	/* Each sheet is its own part, so there are no more than entries. */
	wb.max = lim->max_entries < (size_t)z.nentries ? lim->max_entries
						      : (size_t)z.nentries;
	opc_props_init(&pr);
	pb_init(&pb, lim);

	rc = opc_read_rels(&z, "", &pkg, err, errlen);
	if (!rc)
		rc = opc_find_main(&z, &pkg, &xlsx_format, main, err, errlen);
	if (!rc && !(wb.v = calloc(wb.max ? wb.max : 1, sizeof(*wb.v))))
		rc = parse_fail(err, errlen, WK_ENOMEM, "out of memory");
	if (!rc)
		rc = opc_parse_part(&z, main, &wb_h, &wb, err, errlen);
	if (rc == WK_ENOTFOUND)
		rc = parse_fail(err, errlen, WK_EMALFORMED,
				"xlsx has no main document part");
	if (!rc)
		rc = load_sheets(&z, main, &wb, &pb, lim, &visible, err,
				 errlen);
	if (!rc)
		rc = opc_load_props(&z, &pkg, &pr, err, errlen);
	if (!rc) {
		out->title = parse_clean_str(buf_str(&pr.title), pr.title.len);
		out->author = parse_clean_str(buf_str(&pr.author),
					      pr.author.len);
		rc = pb_finish(&pb, visible, out, err, errlen);
		if (rc) {
			free(out->title);
			free(out->author);
			out->title = out->author = NULL;
		}
	}
	pb_release(&pb);
	opc_props_release(&pr);
	wb_free(&wb);
	zipsafe_close(&z);
	return rc;
}
