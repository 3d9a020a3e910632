/*
 * epub.c - EPUB 2 and 3 books: the package (META-INF/container.xml names
 * the OPF package document, whose spine lists the content documents in
 * reading order), the title and author from the OPF metadata, and the
 * text of each XHTML content document in spine order (xhtml.c), each
 * starting on a new page.
 *
 * Names in the package are URLs relative to the OPF's folder. They are
 * only ever strings: percent escapes are decoded, a fragment or query
 * is cut off, anything with a scheme ("http:") is ignored, and the rest
 * is resolved with opc_resolve(), where ".." never climbs above the
 * root of the zip. The result is looked up among the zip's entry names;
 * nothing touches the file system. A spine item that is not in the zip
 * is skipped; a book that has none of them is refused.
 *
 * Books whose content documents are encrypted (DRM, listed in
 * META-INF/encryption.xml) are refused as encrypted; obfuscated fonts,
 * which are listed there too, are not content and do not matter.
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
#include <strings.h>

#define NS_CONTAINER "urn:oasis:names:tc:opendocument:xmlns:container"
#define NS_OPF "http://www.idpf.org/2007/opf"
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_XMLENC "http://www.w3.org/2001/04/xmlenc#"

#define MIME_EPUB "application/epub+zip"
#define MIME_OPF "application/oebps-package+xml"

#define ITEMS_MAX 20000		/* manifest items and spine entries */
#define META_MAX 4096		/* bytes of a title or author kept */
#define PKG_MAX ((size_t)4 << 20)	/* container, OPF, encryption */

/* EPUB package documents are XML without DTDs, but EPUB 2 tools put
 * DOCTYPEs in everything; one that declares nothing is harmless. */
static const struct xml_opts epub_xml = { true };

/* ---- names -------------------------------------------------------------- */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if ((c | 32) >= 'a' && (c | 32) <= 'f')
		return (c | 32) - 'a' + 10;
	return -1;
}

/* Resolve the URL href, relative to the folder base ("" or ending in
 * '/'), into the zip entry name out (OPC_PART_MAX bytes). Returns 0, or
 * -1 when href names nothing in the zip: empty, a scheme, a %00, or too
 * long. */
static int href_to_name(const char *base, const char *href, char *out)
{
	char dec[OPC_PART_MAX];
	size_t i, o = 0;

	if (href[0] == '/' && href[1] == '/')
		return -1;	/* "//host/..." */
	for (i = 0; href[i] && href[i] != '#' && href[i] != '?'; i++) {
		char c = href[i];
		if (c == ':')
			return -1;	/* "http:", "file:", "c:" */
		if (c == '%' && hexval(href[i + 1]) >= 0 &&
		    hexval(href[i + 2]) >= 0) {
			c = (char)(hexval(href[i + 1]) * 16 +
				   hexval(href[i + 2]));
			i += 2;
			if (c == '\0')
				return -1;
		}
		if (o + 1 >= sizeof(dec))
			return -1;
		dec[o++] = c;
	}
	dec[o] = '\0';
	if (!o)
		return -1;
	return opc_resolve(base, dec, out, OPC_PART_MAX);
}

/* The folder of an entry name, with its '/', into out ("" at the
 * root). */
static void name_dir(const char *name, char *out)
{
	const char *slash = strrchr(name, '/');
	size_t n = slash ? (size_t)(slash - name) + 1 : 0;

	memcpy(out, name, n);
	out[n] = '\0';
}

static int mimetype_is(struct zipsafe *z, const char *type, bool *found)
{
	char *data;
	size_t len;
	int yes;

	*found = false;
	if (zipsafe_read(z, "mimetype", 256, &data, &len, NULL, 0) != 0)
		return 0;
	*found = true;
	while (len && (data[len - 1] == '\n' || data[len - 1] == '\r' ||
		       data[len - 1] == ' ' || data[len - 1] == '\t'))
		len--;
	yes = len == strlen(type) && memcmp(data, type, len) == 0;
	free(data);
	return yes;
}

int epub_sniff(struct zipsafe *z)
{
	bool found;

	if (mimetype_is(z, MIME_EPUB, &found))
		return 1;
	/* The mimetype entry is required, but readers cope without it. */
	return !found && zipsafe_find(z, "META-INF/container.xml") >= 0;
}

/* Read the entry name (at most PKG_MAX bytes) and run the handlers h
 * over it. Returns 0, WK_ENOTFOUND (no such entry; no message), or the
 * error with a message. */
static int parse_entry(struct zipsafe *z, const char *name,
		       const struct xml_handlers *h, void *user, char *err,
		       size_t errlen)
{
	char *data;
	size_t len;
	int rc;

	rc = zipsafe_read(z, name, PKG_MAX, &data, &len, err, errlen);
	if (rc)
		return rc;
	rc = xml_parse_opts(data, len, name, &epub_xml, h, user, err, errlen);
	free(data);
	return rc;
}

/* ---- META-INF/container.xml --------------------------------------------- */

struct container {
	char path[OPC_PART_MAX];	/* full-path of the rootfile chosen */
	bool is_opf;			/* its media type is the OPF one */
};

static void ct_start(struct xml *x, const char *name, const char **attrs)
{
	struct container *c = xml_user(x);
	const char *path, *type;

	if (c->is_opf || !xml_is(name, NS_CONTAINER, "rootfile"))
		return;
	path = xml_attr(attrs, NULL, "full-path");
	type = xml_attr(attrs, NULL, "media-type");
	if (!path || !path[0] || strlen(path) >= sizeof(c->path))
		return;
	/* The first OPF rootfile wins; failing that, the first one. */
	if (type && strcmp(type, MIME_OPF) == 0) {
		snprintf(c->path, sizeof(c->path), "%s", path);
		c->is_opf = true;
	} else if (!c->path[0]) {
		snprintf(c->path, sizeof(c->path), "%s", path);
	}
}

/* The OPF's entry name, from the container, into opf. */
static int find_opf(struct zipsafe *z, char *opf, char *err, size_t errlen)
{
	static const struct xml_handlers h = { ct_start, NULL, NULL };
	struct container c;
	char nm[80];
	int rc;

	memset(&c, 0, sizeof(c));
	rc = parse_entry(z, "META-INF/container.xml", &h, &c, err, errlen);
	if (rc == WK_ENOTFOUND)
		return parse_fail(err, errlen, WK_EMALFORMED,
				  "epub has no META-INF/container.xml");
	if (rc)
		return rc;
	if (!c.path[0])
		return parse_fail(err, errlen, WK_EMALFORMED,
				  "epub has no rootfile in "
				  "META-INF/container.xml");
	/* full-path is relative to the root of the zip. */
	if (href_to_name("", c.path, opf))
		return parse_fail(err, errlen, WK_EMALFORMED,
				  "epub rootfile %s is not a name in the "
				  "book", parse_safe_name(c.path, nm,
							  sizeof(nm)));
	return 0;
}

/* ---- the OPF package document ------------------------------------------- */

struct item {
	char *id;
	char *name;		/* resolved entry name, NULL if none */
	bool content;		/* an XHTML content document */
};

struct opf {
	char base[OPC_PART_MAX];	/* the OPF's folder */
	struct buf title, author;
	struct buf *cur;		/* metadata element being read */
	unsigned depth, cur_depth;
	struct item *items;
	size_t nitems, capitems;
	char **spine;			/* idrefs, in reading order */
	size_t nspine, capspine;
};

/* Whether a manifest item is a content document wenku reads. */
static bool is_content(const char *type, const char *name)
{
	size_t n;

	if (type)
		return strcasecmp(type, "application/xhtml+xml") == 0 ||
		       strcasecmp(type, "text/html") == 0 ||
		       strcasecmp(type, "text/x-oeb1-document") == 0;
	n = strlen(name);	/* no media type: go by the name */
	return (n > 6 && strcasecmp(name + n - 6, ".xhtml") == 0) ||
	       (n > 5 && strcasecmp(name + n - 5, ".html") == 0) ||
	       (n > 4 && strcasecmp(name + n - 4, ".htm") == 0);
}

static bool opf_is(const char *name, const char *local)
{
	return xml_is(name, NS_OPF, local) || xml_is(name, NULL, local);
}

static void opf_item(struct xml *x, struct opf *o, const char **attrs)
{
	const char *id = xml_attr(attrs, NULL, "id");
	const char *href = xml_attr(attrs, NULL, "href");
	char name[OPC_PART_MAX];
	struct item *it;

	if (!id || !href)
		return;
	if (o->nitems == ITEMS_MAX) {
		xml_fail(x, WK_ETOOBIG, "epub manifest lists more than %d "
			 "items", ITEMS_MAX);
		return;
	}
	if (o->nitems == o->capitems) {
		size_t ncap = o->capitems ? o->capitems * 2 : 64;
		struct item *nv = realloc(o->items, ncap * sizeof(*nv));
		if (!nv) {
			xml_fail(x, WK_ENOMEM, "out of memory");
			return;
		}
		o->items = nv;
		o->capitems = ncap;
	}
	it = &o->items[o->nitems];
	it->id = strndup(id, 256);
	it->name = NULL;
	it->content = false;
	if (!href_to_name(o->base, href, name)) {
		it->name = strdup(name);
		it->content = is_content(xml_attr(attrs, NULL, "media-type"),
					 name);
		if (!it->name) {
			free(it->id);
			it->id = NULL;
		}
	}
	if (!it->id) {
		xml_fail(x, WK_ENOMEM, "out of memory");
		return;
	}
	o->nitems++;
}

static void opf_itemref(struct xml *x, struct opf *o, const char **attrs)
{
	const char *idref = xml_attr(attrs, NULL, "idref");
	char *copy;

	if (!idref)
		return;
	if (o->nspine == ITEMS_MAX) {
		xml_fail(x, WK_ETOOBIG, "epub spine lists more than %d "
			 "documents", ITEMS_MAX);
		return;
	}
	if (o->nspine == o->capspine) {
		size_t ncap = o->capspine ? o->capspine * 2 : 64;
		char **nv = realloc(o->spine, ncap * sizeof(*nv));
		if (!nv) {
			xml_fail(x, WK_ENOMEM, "out of memory");
			return;
		}
		o->spine = nv;
		o->capspine = ncap;
	}
	copy = strndup(idref, 256);
	if (!copy) {
		xml_fail(x, WK_ENOMEM, "out of memory");
		return;
	}
	o->spine[o->nspine++] = copy;
}

static void opf_start(struct xml *x, const char *name, const char **attrs)
{
	struct opf *o = xml_user(x);

	o->depth++;
	if (o->cur)
		return;
	if (xml_is(name, NS_DC, "title") && !o->title.len)
		o->cur = &o->title;
	else if (xml_is(name, NS_DC, "creator") && !o->author.len)
		o->cur = &o->author;
	else if (opf_is(name, "item"))
		opf_item(x, o, attrs);
	else if (opf_is(name, "itemref"))
		opf_itemref(x, o, attrs);
	if (o->cur)
		o->cur_depth = o->depth;
}

static void opf_end(struct xml *x, const char *name)
{
	struct opf *o = xml_user(x);

	if (o->cur && o->depth == o->cur_depth)
		o->cur = NULL;
	o->depth--;
}

static void opf_text(struct xml *x, const char *s, size_t n)
{
	struct opf *o = xml_user(x);
	size_t room;

	if (!o->cur)
		return;
	room = META_MAX - o->cur->len;
	if (n > room)
		n = utf8_floor(s, n, room);
	buf_add(o->cur, s, n);
}

static void opf_init(struct opf *o, const char *opf_name)
{
	memset(o, 0, sizeof(*o));
	name_dir(opf_name, o->base);
	buf_init(&o->title, META_MAX + 8);
	buf_init(&o->author, META_MAX + 8);
}

static void opf_release(struct opf *o)
{
	size_t i;

	for (i = 0; i < o->nitems; i++) {
		free(o->items[i].id);
		free(o->items[i].name);
	}
	free(o->items);
	for (i = 0; i < o->nspine; i++)
		free(o->spine[i]);
	free(o->spine);
	buf_release(&o->title);
	buf_release(&o->author);
	memset(o, 0, sizeof(*o));
}

static int item_cmp(const void *a, const void *b)
{
	return strcmp(((const struct item *)a)->id,
		      ((const struct item *)b)->id);
}

static int name_cmp(const void *a, const void *b)
{
	return strcasecmp(*(char *const *)a, *(char *const *)b);
}

/* The content documents of the spine, in order, into *docs (borrowed
 * from o's items; the caller frees the array). Spine entries that name
 * no item, or an item that is not XHTML, are passed over. */
static int spine_docs(struct opf *o, const char ***docs, size_t *ndocs)
{
	struct item key, *it;
	size_t i;

	*ndocs = 0;
	*docs = malloc((o->nspine ? o->nspine : 1) * sizeof(**docs));
	if (!*docs)
		return WK_ENOMEM;
	if (o->nitems)
		qsort(o->items, o->nitems, sizeof(*o->items), item_cmp);
	for (i = 0; i < o->nspine; i++) {
		key.id = o->spine[i];
		it = o->nitems ? bsearch(&key, o->items, o->nitems,
					 sizeof(key), item_cmp) : NULL;
		if (it && it->name && it->content)
			(*docs)[(*ndocs)++] = it->name;
	}
	return 0;
}

/* ---- META-INF/encryption.xml -------------------------------------------- */

struct enc {
	const char **sorted;	/* content documents and the OPF, sorted */
	size_t n;
	const char *hit;	/* the first of them found encrypted */
};

static void enc_start(struct xml *x, const char *name, const char **attrs)
{
	struct enc *e = xml_user(x);
	const char *uri, *key;
	char ref[OPC_PART_MAX];
	const char **found;

	if (e->hit || !xml_is(name, NS_XMLENC, "CipherReference"))
		return;
	uri = xml_attr(attrs, NULL, "URI");
	/* Paths in encryption.xml are relative to the root of the zip. */
	if (!uri || href_to_name("", uri, ref))
		return;
	key = ref;
	found = bsearch(&key, e->sorted, e->n, sizeof(*e->sorted), name_cmp);
	if (found)
		e->hit = *found;
}

/* WK_EUNSUPPORTED with a message if encryption.xml lists the OPF or a
 * content document; 0 if it lists none of them or there is none. */
static int check_encryption(struct zipsafe *z, const char *opf,
			    const char **docs, size_t ndocs, char *err,
			    size_t errlen)
{
	static const struct xml_handlers h = { enc_start, NULL, NULL };
	struct enc e;
	char nm[80];
	int rc;

	if (zipsafe_find(z, "META-INF/encryption.xml") == -1)
		return 0;
	memset(&e, 0, sizeof(e));
	e.sorted = malloc((ndocs + 1) * sizeof(*e.sorted));
	if (!e.sorted)
		return parse_fail(err, errlen, WK_ENOMEM, "out of memory");
	if (ndocs)
		memcpy(e.sorted, docs, ndocs * sizeof(*docs));
	e.sorted[ndocs] = opf;
	e.n = ndocs + 1;
	qsort(e.sorted, e.n, sizeof(*e.sorted), name_cmp);
	rc = parse_entry(z, "META-INF/encryption.xml", &h, &e, err, errlen);
	if (rc == WK_ENOTFOUND)
		rc = 0;
	if (!rc && e.hit)
		rc = parse_fail(err, errlen, WK_EUNSUPPORTED,
				"epub is encrypted (DRM): %s cannot be read",
				parse_safe_name(e.hit, nm, sizeof(nm)));
	free(e.sorted);
	return rc;
}

/* ---- the book ----------------------------------------------------------- */

/* Each content document in turn, a page break before each. */
static int read_docs(struct zipsafe *z, const char **docs, size_t ndocs,
		     struct pbuild *pb, char *err, size_t errlen)
{
	size_t i, found = 0;
	char *data;
	size_t len;
	int rc;

	for (i = 0; i < ndocs; i++) {
		rc = zipsafe_read(z, docs[i], 0, &data, &len, err, errlen);
		if (rc == WK_ENOTFOUND)
			continue;	/* listed but not in the zip */
		if (rc)
			return rc;
		found++;
		rc = pb_page_break(pb);
		if (!rc)
			rc = xhtml_parse(data, len, docs[i], pb, err, errlen);
		else
			rc = parse_fail(err, errlen, rc, "out of memory");
		free(data);
		if (rc)
			return rc;
	}
	if (!found)
		return parse_fail(err, errlen, WK_EMALFORMED,
				  "epub has none of the %zu content documents "
				  "its spine lists", ndocs);
	return 0;
}

int epub_parse(const void *data, size_t len, const struct parse_limits *lim,
	       struct parse_result *out, char *err, size_t errlen)
{
	static const struct xml_handlers opf_h = { opf_start, opf_end,
						   opf_text };
	struct zipsafe z;
	struct opf o;
	struct pbuild pb;
	char opf[OPC_PART_MAX], nm[80], tmp[256];
	const char **docs = NULL;
	size_t ndocs = 0;
	int rc;

	rc = zipsafe_open(&z, data, len, lim, err, errlen);
	if (rc)
		return rc;
	pb_init(&pb, lim);
	opf[0] = '\0';
	rc = find_opf(&z, opf, err, errlen);
	opf_init(&o, opf);
	if (!rc) {
		rc = parse_entry(&z, opf, &opf_h, &o, err, errlen);
		if (rc == WK_ENOTFOUND)
			rc = parse_fail(err, errlen, WK_EMALFORMED,
					"epub rootfile %s is missing",
					parse_safe_name(opf, nm, sizeof(nm)));
		/* An encrypted package document does not parse: say why. */
		if (rc == WK_EMALFORMED &&
		    check_encryption(&z, opf, NULL, 0, tmp, sizeof(tmp)) ==
			    WK_EUNSUPPORTED)
			rc = parse_fail(err, errlen, WK_EUNSUPPORTED, "%s",
					tmp);
	}
	if (!rc && spine_docs(&o, &docs, &ndocs))
		rc = parse_fail(err, errlen, WK_ENOMEM, "out of memory");
	if (!rc && !ndocs)
		rc = parse_fail(err, errlen, WK_EMALFORMED,
				"epub spine lists no content documents");
	if (!rc)
		rc = check_encryption(&z, opf, docs, ndocs, err, errlen);
	if (!rc)
		rc = read_docs(&z, docs, ndocs, &pb, err, errlen);
	if (!rc) {
		out->title = parse_clean_str(buf_str(&o.title), o.title.len);
		out->author = parse_clean_str(buf_str(&o.author),
					      o.author.len);
		rc = pb_finish(&pb, 0, out, err, errlen);
		if (rc) {
			free(out->title);
			free(out->author);
			out->title = out->author = NULL;
		}
	}
	free(docs);
	pb_release(&pb);
	opf_release(&o);
	zipsafe_close(&z);
	return rc;
}
