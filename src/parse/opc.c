/*
 * opc.c - the Open Packaging Conventions part of every OOXML format:
 * resolving part names, reading relationships and content types, finding
 * a format's main part, telling OOXML packages from other zips, and the
 * core and extended document properties. See opc.h.
 *
 * The format parsers (docx.c, pptx.c, xlsx.c) describe their package
 * with a struct opc_format and read only their own main part and what it
 * relates to; everything that is the same in every package lives here.
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
#include <strings.h>

#define NS_REL "http://schemas.openxmlformats.org/package/2006/relationships"
#define NS_CT "http://schemas.openxmlformats.org/package/2006/content-types"
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_EP "http://schemas.openxmlformats.org/officeDocument/2006/" \
	      "extended-properties"
#define NS_EP_STRICT "http://purl.oclc.org/ooxml/officeDocument/" \
		     "extendedProperties"

/* ---- names -------------------------------------------------------------- */

bool opc_ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

int opc_int_val(const char *v)
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

int opc_resolve(const char *base, const char *target, char *out,
		size_t outlen)
{
	char tmp[OPC_PART_MAX * 2];
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

/* ---- parts -------------------------------------------------------------- */

int opc_parse_part(struct zipsafe *z, const char *part,
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

/* ---- relationships ------------------------------------------------------ */

static void rels_start(struct xml *x, const char *name, const char **attrs)
{
	struct opc_rels *r = xml_user(x);
	const char *type, *target, *mode;
	char *slot = NULL;

	if (!xml_is(name, NS_REL, "Relationship"))
		return;
	type = xml_attr(attrs, NULL, "Type");
	target = xml_attr(attrs, NULL, "Target");
	mode = xml_attr(attrs, NULL, "TargetMode");
	if (!type || !target || (mode && strcasecmp(mode, "External") == 0))
		return;	/* external targets are never fetched */
	if (opc_ends_with(type, "/officeDocument"))
		slot = r->office;
	else if (opc_ends_with(type, "/metadata/core-properties"))
		slot = r->core;
	else if (opc_ends_with(type, "/extended-properties") ||
		 opc_ends_with(type, "/extendedProperties"))
		slot = r->app;
	else if (opc_ends_with(type, "/styles"))
		slot = r->styles;
	if (slot && !slot[0] && opc_resolve(r->base, target, slot, OPC_PART_MAX))
		slot[0] = '\0';
}

/* The name of source's relationships part into path (the folder of
 * source into base), or WK_EMALFORMED for a name no caller should pass. */
#define RELS_PATH_MAX (OPC_PART_MAX * 2 + 16)
static int rels_path(const char *source, char *base, char *path, char *err,
		     size_t errlen)
{
	char nm[80];

	if (strlen(source) >= OPC_PART_MAX)	/* never from this module */
		return parse_fail(err, errlen, WK_EMALFORMED,
				  "part name %s is too long",
				  parse_safe_name(source, nm, sizeof(nm)));
	part_dir(source, base, OPC_PART_MAX);
	snprintf(path, RELS_PATH_MAX, "%s_rels/%s.rels", base,
		 source + strlen(base));
	return 0;
}

int opc_read_rels(struct zipsafe *z, const char *source, struct opc_rels *r,
		  char *err, size_t errlen)
{
	static const struct xml_handlers h = { rels_start, NULL, NULL };
	char path[RELS_PATH_MAX];
	int rc;

	memset(r, 0, sizeof(*r));
	rc = rels_path(source, r->base, path, err, errlen);
	if (!rc)
		rc = opc_parse_part(z, path, &h, r, err, errlen);
	return rc == WK_ENOTFOUND ? 0 : rc;
}

/* ---- all relationships of a part ---------------------------------------- */

static void list_start(struct xml *x, const char *name, const char **attrs)
{
	struct opc_rel_list *l = xml_user(x);
	const char *id, *type, *target, *mode, *slash;
	char part[OPC_PART_MAX];
	size_t il, tl, pl;
	struct opc_rel *r;
	char *mem;

	if (!xml_is(name, NS_REL, "Relationship") || l->n >= OPC_RELS_MAX)
		return;
	id = xml_attr(attrs, NULL, "Id");
	type = xml_attr(attrs, NULL, "Type");
	target = xml_attr(attrs, NULL, "Target");
	mode = xml_attr(attrs, NULL, "TargetMode");
	if (!id || !type || !target || (mode && strcasecmp(mode, "External")
					== 0))
		return;	/* external targets are never fetched */
	if ((il = strlen(id)) > 255 ||
	    opc_resolve(l->base, target, part, sizeof(part)))
		return;
	slash = strrchr(type, '/');
	type = slash ? slash + 1 : type;
	tl = strlen(type) < 255 ? strlen(type) : 255;
	pl = strlen(part);
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 32;
		r = realloc(l->v, ncap * sizeof(*r));
		if (!r) {
			xml_fail(x, WK_ENOMEM, "out of memory");
			return;
		}
		l->v = r;
		l->cap = ncap;
	}
	/* One allocation holds the three strings. */
	mem = malloc(il + tl + pl + 3);
	if (!mem) {
		xml_fail(x, WK_ENOMEM, "out of memory");
		return;
	}
	r = &l->v[l->n];
	r->id = memcpy(mem, id, il + 1);
	r->type = memcpy(mem + il + 1, type, tl);
	r->type[tl] = '\0';
	r->target = memcpy(mem + il + tl + 2, part, pl + 1);
	r->order = l->n++;
}

static int rel_cmp(const void *a, const void *b)
{
	const struct opc_rel *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	if (c)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

int opc_read_rel_list(struct zipsafe *z, const char *source,
		      struct opc_rel_list *l, char *err, size_t errlen)
{
	static const struct xml_handlers h = { list_start, NULL, NULL };
	char path[RELS_PATH_MAX];
	int rc;

	memset(l, 0, sizeof(*l));
	rc = rels_path(source, l->base, path, err, errlen);
	if (!rc)
		rc = opc_parse_part(z, path, &h, l, err, errlen);
	if (rc == WK_ENOTFOUND)
		rc = 0;
	if (rc) {
		opc_rel_list_release(l);
		return rc;
	}
	if (l->n)
		qsort(l->v, l->n, sizeof(l->v[0]), rel_cmp);
	return 0;
}

void opc_rel_list_release(struct opc_rel_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].id);	/* owns all three strings */
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

const struct opc_rel *opc_rel_by_id(const struct opc_rel_list *l,
				    const char *id)
{
	size_t lo = 0, hi = l->n;

	if (!id)
		return NULL;
	/* the first entry whose id is >= id */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(l->v[mid].id, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < l->n && strcmp(l->v[lo].id, id) == 0 ? &l->v[lo] : NULL;
}

const struct opc_rel *opc_rel_by_type(const struct opc_rel_list *l,
				      const char *type)
{
	const struct opc_rel *best = NULL;
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].type, type) == 0 &&
		    (!best || l->v[i].order < best->order))
			best = &l->v[i];
	return best;
}

/* ---- content types and the main part ------------------------------------ */

struct ctypes {
	const struct opc_format *f;
	char main[OPC_PART_MAX];
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
	for (i = 0; i < c->f->nmain_types; i++)
		if (strcasecmp(type, c->f->main_types[i]) == 0 &&
		    opc_resolve("", part, c->main, OPC_PART_MAX))
			c->main[0] = '\0';
}

int opc_find_main(struct zipsafe *z, const struct opc_rels *pkg,
		  const struct opc_format *f, char *main, char *err,
		  size_t errlen)
{
	static const struct xml_handlers ct_h = { ct_start, NULL, NULL };
	struct ctypes ct;
	int rc;

	if (pkg->office[0]) {
		rc = has_part(z, pkg->office, err, errlen);
		if (rc < 0)
			return rc;
		if (rc) {
			snprintf(main, OPC_PART_MAX, "%s", pkg->office);
			return 0;
		}
	}
	memset(&ct, 0, sizeof(ct));
	ct.f = f;
	rc = opc_parse_part(z, "[Content_Types].xml", &ct_h, &ct, err, errlen);
	if (rc && rc != WK_ENOTFOUND)
		return rc;
	if (ct.main[0]) {
		rc = has_part(z, ct.main, err, errlen);
		if (rc < 0)
			return rc;
		if (rc) {
			snprintf(main, OPC_PART_MAX, "%s", ct.main);
			return 0;
		}
	}
	rc = has_part(z, f->main_part, err, errlen);
	if (rc < 0)
		return rc;
	if (rc) {
		snprintf(main, OPC_PART_MAX, "%s", f->main_part);
		return 0;
	}
	return parse_fail(err, errlen, WK_EMALFORMED,
			  "%s has no main document part (%s)", f->name,
			  f->main_part);
}

int opc_sniff(struct zipsafe *z, const struct opc_format *f)
{
	char *data;
	size_t len, i;
	int yes = 0;

	if (zipsafe_find(z, f->main_part) != -1)
		return 1;
	if (zipsafe_read(z, "[Content_Types].xml", (size_t)1 << 20, &data,
			 &len, NULL, 0) == 0) {
		for (i = 0; i < f->nmain_types; i++)
			if (memmem(data, len, f->main_types[i],
				   strlen(f->main_types[i])))
				yes = 1;
		free(data);
	}
	return yes;
}

const char *opc_zip_kind(struct zipsafe *z)
{
	const char *kind = "zip";
	char *data;
	size_t len;

	if (zipsafe_find(z, "xl/workbook.bin") >= 0) {
		kind = "xlsb";
	} else if (zipsafe_read(z, "mimetype", 256, &data, &len, NULL,
				0) == 0) {
		if (strstr(data, "opendocument.text-master"))
			kind = "odm (opendocument master)";
		else if (strstr(data, "opendocument.text-web"))
			kind = "oth (opendocument html)";
		else if (strstr(data, "opendocument.text"))
			kind = "odt";
		else if (strstr(data, "opendocument.spreadsheet"))
			kind = "ods";
		else if (strstr(data, "opendocument.presentation"))
			kind = "odp";
		else if (strstr(data, "application/epub+zip"))
			kind = "epub";
		else if (strstr(data, "opendocument"))
			kind = "opendocument";
		free(data);
	}
	return kind;
}

/* ---- document properties ------------------------------------------------ */

void opc_props_init(struct opc_props *pr)
{
	memset(pr, 0, sizeof(*pr));
	buf_init(&pr->title, OPC_META_MAX + 8);
	buf_init(&pr->author, OPC_META_MAX + 8);
	buf_init(&pr->pages, OPC_META_MAX + 8);
}

void opc_props_release(struct opc_props *pr)
{
	buf_release(&pr->title);
	buf_release(&pr->author);
	buf_release(&pr->pages);
	pr->cur = NULL;
	pr->depth = pr->cur_depth = 0;
}

static void pr_start(struct xml *x, const char *name, const char **attrs)
{
	struct opc_props *pr = xml_user(x);

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
	struct opc_props *pr = xml_user(x);

	if (pr->cur && pr->depth == pr->cur_depth)
		pr->cur = NULL;
	pr->depth--;
}

static void pr_text(struct xml *x, const char *s, size_t n)
{
	struct opc_props *pr = xml_user(x);
	size_t room;

	if (!pr->cur)
		return;
	/* Keep the first OPC_META_MAX bytes; more is not a title. */
	room = OPC_META_MAX - pr->cur->len;
	if (n > room)
		n = utf8_floor(s, n, room);
	buf_add(pr->cur, s, n);
}

/* One properties part; a missing one is no error. */
static int load_props_part(struct zipsafe *z, const char *part,
			   struct opc_props *pr, char *err, size_t errlen)
{
	static const struct xml_handlers h = { pr_start, pr_end, pr_text };
	int rc = opc_parse_part(z, part, &h, pr, err, errlen);
	return rc == WK_ENOTFOUND ? 0 : rc;
}

int opc_load_props(struct zipsafe *z, const struct opc_rels *pkg,
		   struct opc_props *pr, char *err, size_t errlen)
{
	int rc;

	rc = load_props_part(z, pkg->core[0] ? pkg->core : "docProps/core.xml",
			     pr, err, errlen);
	if (!rc)
		rc = load_props_part(z, pkg->app[0] ? pkg->app
						    : "docProps/app.xml",
				     pr, err, errlen);
	return rc;
}

int opc_props_pages(const struct opc_props *pr)
{
	int pages = opc_int_val(buf_str(&pr->pages));
	return pages > 1000000 ? 0 : pages;
}
