/*
 * tracezip.c - download marks in zip-based documents (trace_internal.h).
 *
 * Each format gets a line a reader sees and a property a reader can look
 * up: docx, pptx and xlsx a grey "下载编号 D..." paragraph, text box on
 * every slide or cell under every sheet's data, plus a custom document
 * property "wenku-download" (docProps/custom.xml, made with its
 * relationship and content type when the package has none); odt a
 * paragraph at the end of the text plus a meta:user-defined field; epub
 * a line at the top of the title page (the first spine item) plus an OPF
 * <meta name="wenku-download">.
 *
 * Parts are read through the capped reader uploads use (zipsafe) and
 * edited as text: the new markup is spliced in at a tag found by name,
 * nothing is re-serialised, so whatever we do not understand stays as
 * it was. The archive is then rewritten in memory by libzip, which
 * copies untouched entries byte for byte (an epub's stored "mimetype"
 * stays first). The original buffer is never written to. The tools for
 * both are in zedit.c.
 */
#include "trace_internal.h"
#include "zedit.h"

#include "../base/err.h"
#include "../parse/parse.h"
#include "../parse/zipsafe.h"

#include <zip.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <strings.h>

/* ---- OOXML: the custom document property ---------------------------------*/

#define CUSTOM_TYPE                                                        \
	"application/vnd.openxmlformats-officedocument.custom-properties+xml"
#define CUSTOM_REL                                                         \
	"http://schemas.openxmlformats.org/officeDocument/2006/"          \
	"relationships/custom-properties"
#define CUSTOM_NS                                                          \
	"http://schemas.openxmlformats.org/officeDocument/2006/"          \
	"custom-properties"
#define VT_NS                                                              \
	"http://schemas.openxmlformats.org/officeDocument/2006/"          \
	"docPropsVTypes"

static void custom_prop(char *out, size_t outsz, int pid, const char *mark)
{
	snprintf(out, outsz,
		 "<property fmtid=\"{D5CDD505-2E9C-101B-9397-08002B2CF9AE}\" "
		 "pid=\"%d\" name=\"" TRACE_PROP "\"><vt:lpwstr xmlns:vt=\""
		 VT_NS "\">%s</vt:lpwstr></property>", pid, mark);
}

/* The package's custom properties part (from _rels/.rels) into path;
 * false when it has none. */
static bool custom_part(const char *rels, size_t n, char *path, size_t psz)
{
	const char *p = rels, *end = rels + n;
	char type[256], target[256], mode[32];
	struct zx_tag t;

	while (zx_open_tag(p, (size_t)(end - p), "Relationship", &t)) {
		p = t.end;
		if (!zx_attr(&t, "Type", type, sizeof(type)) ||
		    !zx_attr(&t, "Target", target, sizeof(target)))
			continue;
		if (zx_attr(&t, "TargetMode", mode, sizeof(mode)) &&
		    !strcmp(mode, "External"))
			continue;
		n = strlen(type);
		if (n < 18 || strcmp(type + n - 18, "/custom-properties") ||
		    strstr(target, ".."))
			continue;
		snprintf(path, psz, "%s", target + (target[0] == '/'));
		return path[0] != '\0';
	}
	return false;
}

static int opc_custom(struct zedit *e, const char *mark)
{
	char path[256], prop[512], ins[512], *rels, *x;
	size_t rn, n;
	bool related;
	int rc, pid = 1;

	if ((rc = ze_read(e, "_rels/.rels", &rels, &rn)))
		return rc == WK_ENOTFOUND ? WK_EUNSUPPORTED : rc;
	related = custom_part(rels, rn, path, sizeof(path));
	if (related && ze_read(e, path, &x, &n) == 0) {
		/* Add to the properties there, with a pid of its own. */
		const char *p = x;
		while ((p = memmem(p, (size_t)(x + n - p), "pid=\"", 5))) {
			int v = (int)zx_num(p += 5, 1000000);
			if (v >= pid && v < 1000000)
				pid = v;
		}
		custom_prop(prop, sizeof(prop), pid + 1, mark);
		free(rels);
		{
			char *o = zx_put_in(x, n, "Properties", prop, true, &n,
					    &rc);
			free(x);
			if (!o)
				return rc ? rc : WK_EUNSUPPORTED;
			return ze_put(e, path, o, n);
		}
	}
	if (related && ze_has(e, path)) {
		free(rels);	/* there, but would not read */
		return WK_EUNSUPPORTED;
	}
	if (!related) {
		snprintf(path, sizeof(path), "docProps/%s",
			 ze_has(e, "docProps/custom.xml") ? "wenku-custom.xml"
							  : "custom.xml");
		snprintf(ins, sizeof(ins),
			 "<Relationship Id=\"rIdWenkuDownload\" Type=\""
			 CUSTOM_REL "\" Target=\"%s\"/>", path);
		x = zx_put_in(rels, rn, "Relationships", ins, true, &n, &rc);
		if (!x || (rc = ze_put(e, "_rels/.rels", x, n))) {
			free(rels);
			return rc ? rc : WK_EUNSUPPORTED;
		}
	}
	free(rels);
	custom_prop(prop, sizeof(prop), 2, mark);
	n = strlen(prop) + 300;
	if (!(x = malloc(n)))
		return WK_ENOMEM;
	snprintf(x, n, "<?xml version=\"1.0\" encoding=\"UTF-8\" "
		 "standalone=\"yes\"?>\n<Properties xmlns=\"" CUSTOM_NS "\">"
		 "%s</Properties>", prop);
	if ((rc = ze_put(e, path, x, strlen(x))))
		return rc;
	/* Its content type, unless the package declares one already. */
	if ((rc = ze_read(e, "[Content_Types].xml", &x, &n)))
		return rc == WK_ENOTFOUND ? WK_EUNSUPPORTED : rc;
	snprintf(ins, sizeof(ins), "PartName=\"/%s\"", path);
	if (!memmem(x, n, ins, strlen(ins))) {
		char *o;
		snprintf(ins, sizeof(ins), "<Override PartName=\"/%s\" "
			 "ContentType=\"" CUSTOM_TYPE "\"/>", path);
		o = zx_put_in(x, n, "Types", ins, true, &n, &rc);
		free(x);
		return o ? ze_put(e, "[Content_Types].xml", o, n)
			 : rc ? rc : WK_EUNSUPPORTED;
	}
	free(x);
	return 0;
}

/* ---- docx, pptx, xlsx ----------------------------------------------------*/

/* The last occurrence of needle in hay[0, n), or NULL. */
static const char *last_of(const char *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	const char *p = NULL, *q = hay;

	while ((q = memmem(q, (size_t)(hay + n - q), needle, k))) {
		p = q;
		q += k;
	}
	return p;
}

/* docx: a paragraph at the end of the body, before the body's own
 * section properties. */
static int docx_stamp(struct zedit *e, const char *mark)
{
	char *xml, *nx, para[320];
	const char *body, *sect, *lastp, *at;
	size_t xlen, n = 0;
	int rc;

	if ((rc = ze_read(e, "word/document.xml", &xml, &xlen)))
		return rc == WK_ENOTFOUND ? WK_EUNSUPPORTED : rc;
	body = last_of(xml, xlen, "</w:body>");
	sect = last_of(xml, xlen, "<w:sectPr");
	lastp = last_of(xml, xlen, "</w:p>");
	if (!body) {
		free(xml);
		return WK_EUNSUPPORTED;
	}
	at = sect && sect < body && (!lastp || sect > lastp) ? sect : body;
	snprintf(para, sizeof(para),
		 "<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:r><w:rPr>"
		 "<w:color w:val=\"808080\"/><w:sz w:val=\"18\"/></w:rPr>"
		 "<w:t>" TRACE_LABEL "%s</w:t></w:r></w:p>", mark);
	nx = zx_splice(xml, xlen, (size_t)(at - xml), 0, para, &n);
	free(xml);
	return ze_put(e, "word/document.xml", nx, n);
}

#define SLIDE_MIN 914400LL	/* EMU: 1 inch */
#define SLIDE_MAX 51206400LL	/* 56 inches */
#define PML_NS "http://schemas.openxmlformats.org/presentationml/2006/main"
#define DML_NS "http://schemas.openxmlformats.org/drawingml/2006/main"

/* The namespace x binds prefix to (its first declaration), or def;
 * cut to outsz. */
static void ns_of(const char *x, size_t n, const char *prefix,
		  const char *def, char *out, size_t outsz)
{
	char decl[40];
	const char *p, *e;

	snprintf(decl, sizeof(decl), "xmlns:%s=\"", prefix);
	if ((p = memmem(x, n, decl, strlen(decl))))
		p += strlen(decl);
	if (p && (e = memchr(p, '"', (size_t)(x + n - p))) &&
	    !memchr(p, '<', (size_t)(e - p)))
		snprintf(out, outsz, "%.*s", (int)(e - p), p);
	else
		snprintf(out, outsz, "%s", def);
}

/* pptx: a grey centred text box along the bottom of every slide, in
 * the slide's own PresentationML and DrawingML namespaces (Strict or
 * transitional). */
static int pptx_stamp(struct zedit *e, const char *mark)
{
	long long cx = 9144000, cy = 6858000;	/* 4:3, the default */
	char *x, sp[1400], v[32], pns[120], ans[120];
	size_t n, done = 0;
	struct zx_tag t;
	int64_t i;
	int rc;

	if (ze_read(e, "ppt/presentation.xml", &x, &n) == 0) {
		if (zx_open_tag(x, n, "sldSz", &t)) {
			/* PowerPoint's bounds: 1 to 56 inches. */
			if (zx_attr(&t, "cx", v, sizeof(v)) &&
			    zx_num(v, SLIDE_MAX) >= SLIDE_MIN)
				cx = zx_num(v, SLIDE_MAX);
			if (zx_attr(&t, "cy", v, sizeof(v)) &&
			    zx_num(v, SLIDE_MAX) >= SLIDE_MIN)
				cy = zx_num(v, SLIDE_MAX);
		}
		free(x);
	}
	for (i = 0; i < e->z.nentries; i++) {
		const char *name = ze_numbered_part(e, i, "ppt/slides/slide");
		char *o, pname[256];
		const char *p;
		long id = 1;

		if (!name)
			continue;
		snprintf(pname, sizeof(pname), "%s", name);
		if ((rc = ze_read(e, pname, &x, &n)))
			continue;
		ns_of(x, n, "p", PML_NS, pns, sizeof(pns));
		ns_of(x, n, "a", DML_NS, ans, sizeof(ans));
		/* A shape id of its own on the slide. */
		for (p = x; (p = memmem(p, (size_t)(x + n - p), " id=\"", 5));)
			if (zx_num(p += 5, 1000000000L) >= id)
				id = (long)zx_num(p, 1000000000L) + 1;
		snprintf(sp, sizeof(sp),
			 "<p:sp xmlns:p=\"%s\" xmlns:a=\"%s\">"
			 "<p:nvSpPr><p:cNvPr id=\"%ld\" name=\"" TRACE_PROP
			 "\"/><p:cNvSpPr txBox=\"1\"/><p:nvPr/></p:nvSpPr>"
			 "<p:spPr><a:xfrm><a:off x=\"0\" y=\"%lld\"/><a:ext "
			 "cx=\"%lld\" cy=\"%lld\"/></a:xfrm><a:prstGeom "
			 "prst=\"rect\"><a:avLst/></a:prstGeom><a:noFill/>"
			 "</p:spPr><p:txBody><a:bodyPr wrap=\"square\" "
			 "lIns=\"0\" tIns=\"0\" rIns=\"0\" bIns=\"0\" "
			 "anchor=\"b\"/><a:lstStyle/><a:p><a:pPr algn=\"ctr\"/>"
			 "<a:r><a:rPr lang=\"zh-CN\" sz=\"900\"><a:solidFill>"
			 "<a:srgbClr val=\"808080\"/></a:solidFill></a:rPr>"
			 "<a:t>" TRACE_LABEL "%s</a:t></a:r></a:p></p:txBody>"
			 "</p:sp>", pns, ans, id, cy - cy / 20 - 230000, cx,
			 230000LL, mark);
		o = zx_put_in(x, n, "spTree", sp, true, &n, &rc);
		free(x);
		if (!o) {
			if (rc)
				return rc;
			continue;
		}
		if ((rc = ze_put(e, pname, o, n)))
			return rc;
		done++;
	}
	return done ? opc_custom(e, mark) : WK_EUNSUPPORTED;
}

/* xlsx: a cell in column A two rows under the data of every sheet. */
static int xlsx_stamp(struct zedit *e, const char *mark)
{
	char *x, *o, row[400], pre[32], v[32], pname[256];
	size_t n, done = 0;
	struct zx_tag t, sd;
	int64_t i;
	long last, count;
	int rc;

	for (i = 0; i < e->z.nentries; i++) {
		const char *name =
			ze_numbered_part(e, i, "xl/worksheets/sheet");
		const char *p, *end;

		if (!name)
			continue;
		snprintf(pname, sizeof(pname), "%s", name);
		if (ze_read(e, pname, &x, &n))
			continue;
		if (!zx_open_tag(x, n, "sheetData", &sd)) {
			free(x);
			continue;
		}
		/* Rows are numbered by r="..." or, without it, counted. */
		last = count = 0;
		for (p = sd.end, end = x + n;
		     zx_open_tag(p, (size_t)(end - p), "row", &t); p = t.end) {
			count++;
			if (zx_attr(&t, "r", v, sizeof(v)) &&
			    zx_num(v, 2000000) > last)
				last = (long)zx_num(v, 2000000);
		}
		if (count > last)
			last = count;
		if (last + 2 > 1048576) {
			free(x);
			continue;
		}
		zx_prefix_of(&sd, pre);
		snprintf(row, sizeof(row),
			 "<%srow r=\"%ld\"><%sc r=\"A%ld\" t=\"inlineStr\"><%sis>"
			 "<%st>" TRACE_LABEL "%s</%st></%sis></%sc></%srow>",
			 pre, last + 2, pre, last + 2, pre, pre, mark, pre,
			 pre, pre, pre);
		o = zx_put_in(x, n, "sheetData", row, true, &n, &rc);
		free(x);
		if (!o) {
			if (rc)
				return rc;
			continue;
		}
		if ((rc = ze_put(e, pname, o, n)))
			return rc;
		done++;
	}
	return done ? opc_custom(e, mark) : WK_EUNSUPPORTED;
}

/* ---- odt -----------------------------------------------------------------*/

#define ODF_OFFICE "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#define ODF_TEXT "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define ODF_STYLE "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
#define ODF_FO "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
#define ODF_META "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
#define ODF_MANIFEST "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"

static int odt_stamp(struct zedit *e, const char *mark)
{
	static const char style[] =
		"<style:style xmlns:style=\"" ODF_STYLE "\" xmlns:fo=\""
		ODF_FO "\" style:name=\"WenkuDownload\" style:family="
		"\"paragraph\"><style:paragraph-properties fo:text-align="
		"\"center\"/><style:text-properties fo:color=\"#808080\" "
		"fo:font-size=\"9pt\"/></style:style>";
	char para[400], meta[300], *x, *o, *wrapped;
	size_t n, k;
	struct zx_tag t;
	bool styled = true;
	int rc;

	if ((rc = ze_read(e, "content.xml", &x, &n)))
		return rc == WK_ENOTFOUND ? WK_EUNSUPPORTED : rc;
	/* The paragraph style: in the automatic styles, made when there
	 * are none; the paragraph goes unstyled if that fails. */
	if ((o = zx_put_in(x, n, "office:automatic-styles", style, true, &k,
			   &rc))) {
		free(x);
		x = o;
		n = k;
	} else if (!rc && zx_open_tag(x, n, "office:body", &t)) {
		k = sizeof(style) + 200;
		if (!(wrapped = malloc(k))) {
			free(x);
			return WK_ENOMEM;
		}
		snprintf(wrapped, k, "<office:automatic-styles xmlns:office=\""
			 ODF_OFFICE "\">%s</office:automatic-styles>", style);
		o = zx_splice(x, n, (size_t)(t.start - x), 0, wrapped, &k);
		free(wrapped);
		free(x);
		if (!(x = o))
			return WK_ENOMEM;
		n = k;
	} else if (rc) {
		free(x);
		return rc;
	} else {
		styled = false;
	}
	snprintf(para, sizeof(para), "<text:p xmlns:text=\"" ODF_TEXT "\"%s>"
		 TRACE_LABEL "%s</text:p>",
		 styled ? " text:style-name=\"WenkuDownload\"" : "", mark);
	o = zx_put_in(x, n, "office:text", para, true, &k, &rc);
	free(x);
	if (!o)
		return rc ? rc : WK_EUNSUPPORTED;
	if ((rc = ze_put(e, "content.xml", o, k)))
		return rc;

	snprintf(meta, sizeof(meta), "<meta:user-defined xmlns:meta=\""
		 ODF_META "\" meta:name=\"" TRACE_PROP "\">%s"
		 "</meta:user-defined>", mark);
	rc = ze_put_in(e, "meta.xml", "office:meta", meta, true);
	if (rc != WK_ENOTFOUND || ze_has(e, "meta.xml"))
		return rc == WK_ENOTFOUND ? 0 : rc;
	/* No meta.xml at all: one of our own, listed in the manifest. */
	rc = ze_put_in(e, "META-INF/manifest.xml", "manifest:manifest",
		       "<manifest:file-entry xmlns:manifest=\"" ODF_MANIFEST
		       "\" manifest:full-path=\"meta.xml\" "
		       "manifest:media-type=\"text/xml\"/>", true);
	if (rc)
		return rc == WK_ENOTFOUND ? 0 : rc;
	k = strlen(meta) + 300;
	if (!(x = malloc(k)))
		return WK_ENOMEM;
	snprintf(x, k, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		 "<office:document-meta xmlns:office=\"" ODF_OFFICE "\" "
		 "office:version=\"1.2\"><office:meta>%s</office:meta>"
		 "</office:document-meta>", meta);
	return ze_put(e, "meta.xml", x, strlen(x));
}

/* ---- epub ----------------------------------------------------------------*/

#define OPF_NS "http://www.idpf.org/2007/opf"
#define SPINE_TRIES 3

/* href (relative to the OPF's folder dir, percent-encoded) as a part
 * name in out; false when it leaves the package. */
static bool epub_path(const char *dir, const char *href, char *out,
		      size_t outsz)
{
	char dec[256];
	size_t i, k = 0;

	for (i = 0; href[i] && href[i] != '#' && k + 1 < sizeof(dec); i++) {
		unsigned hi;
		if (href[i] == '%' && sscanf(href + i + 1, "%2x", &hi) == 1 &&
		    href[i + 1] && href[i + 2]) {
			dec[k++] = (char)hi;
			i += 2;
		} else {
			dec[k++] = href[i];
		}
	}
	dec[k] = '\0';
	if (!k || strstr(dec, "..") || strstr(dec, "://") || dec[0] == '/')
		return false;
	return snprintf(out, outsz, "%s%s", dir, dec) < (int)outsz;
}

static int epub_stamp(struct zedit *e, const char *mark)
{
	char opf[256], dir[256], want[128], id[128], href[256], part[512];
	char pre[32], line[400], *x, *o, *slash;
	const char *p, *end, *spine;
	struct zx_tag t, it, md;
	size_t n, k;
	int rc, tries = 0;
	bool lined = false;

	if ((rc = ze_read(e, "META-INF/container.xml", &x, &n)))
		return rc == WK_ENOTFOUND ? WK_EUNSUPPORTED : rc;
	rc = zx_open_tag(x, n, "rootfile", &t) &&
	     zx_attr(&t, "full-path", opf, sizeof(opf)) && opf[0] &&
	     !strstr(opf, "..");
	free(x);
	if (!rc)
		return WK_EUNSUPPORTED;
	snprintf(dir, sizeof(dir), "%s", opf);
	slash = strrchr(dir, '/');
	*(slash ? slash + 1 : dir) = '\0';
	if ((rc = ze_read(e, opf, &x, &n)))
		return rc == WK_ENOTFOUND ? WK_EUNSUPPORTED : rc;

	/* The title page: the first spine item with a body we can find. */
	end = x + n;
	spine = zx_open_tag(x, n, "spine", &t) ? t.end : NULL;
	for (p = spine; p && tries < SPINE_TRIES && !lined &&
			zx_open_tag(p, (size_t)(end - p), "itemref", &t);
	     p = t.end, tries++) {
		const char *q;
		char *page;
		size_t pn;
		bool found = false;

		if (!zx_attr(&t, "idref", want, sizeof(want)))
			continue;
		for (q = x; !found &&
			    zx_open_tag(q, (size_t)(end - q), "item", &it);
		     q = it.end)
			found = zx_attr(&it, "id", id, sizeof(id)) &&
				!strcmp(id, want);
		if (!found || !zx_attr(&it, "href", href, sizeof(href)) ||
		    !epub_path(dir, href, part, sizeof(part)))
			continue;
		if (ze_read(e, part, &page, &pn))
			continue;
		if (zx_open_tag(page, pn, "body", &md)) {
			zx_prefix_of(&md, pre);
			snprintf(line, sizeof(line),
				 "<%sp style=\"text-align:center;color:#808080;"
				 "font-size:small\">" TRACE_LABEL "%s</%sp>",
				 pre, mark, pre);
			o = zx_put_in(page, pn, "body", line, false, &k, &rc);
			if (o) {
				if ((rc = ze_put(e, part, o, k))) {
					free(page);
					free(x);
					return rc;
				}
				lined = true;
			} else if (rc) {
				free(page);
				free(x);
				return rc;
			}
		}
		free(page);
	}
	if (!lined) {
		free(x);
		return WK_EUNSUPPORTED;
	}
	/* The OPF metadata. */
	if (!zx_open_tag(x, n, "metadata", &md)) {
		free(x);
		return WK_EUNSUPPORTED;
	}
	zx_prefix_of(&md, pre);
	snprintf(line, sizeof(line), "<%smeta xmlns%s%.*s=\"" OPF_NS
		 "\" name=\"" TRACE_PROP "\" content=\"%s\"/>", pre,
		 pre[0] ? ":" : "", pre[0] ? (int)strlen(pre) - 1 : 0, pre,
		 mark);
	o = zx_put_in(x, n, "metadata", line, true, &k, &rc);
	free(x);
	if (!o)
		return rc ? rc : WK_EUNSUPPORTED;
	return ze_put(e, opf, o, k);
}

/* ---- the interface -------------------------------------------------------*/

int trace_zip_stamp(const char *format, const unsigned char *in, size_t len,
		    const char *mark, unsigned char **out, size_t *outlen)
{
	struct zedit e;
	int rc;

	*out = NULL;
	if ((rc = ze_open(&e, in, len)))
		return rc;
	if (!strcmp(format, "docx")) {
		rc = docx_stamp(&e, mark);
		if (!rc)
			rc = opc_custom(&e, mark);
	} else if (!strcmp(format, "pptx")) {
		rc = pptx_stamp(&e, mark);
	} else if (!strcmp(format, "xlsx")) {
		rc = xlsx_stamp(&e, mark);
	} else if (!strcmp(format, "odt")) {
		rc = odt_stamp(&e, mark);
	} else if (!strcmp(format, "epub")) {
		rc = epub_stamp(&e, mark);
	} else {
		rc = WK_EUNSUPPORTED;
	}
	/* A part that would not read (damaged, over a cap): not ours to
	 * stamp, as for a file of no known format. */
	if (rc && rc != WK_ENOMEM && rc != WK_EIO)
		rc = WK_EUNSUPPORTED;
	if (!rc)
		rc = ze_write(&e, in, len, out, outlen);
	ze_close(&e);
	return rc;
}

/* Whether a part's text may show a mark. */
static bool text_part(const char *name)
{
	static const char *const ends[] = { ".xhtml", ".html", ".htm" };
	size_t n = strlen(name), k, i;

	if (!strcasecmp(name, "word/document.xml") ||
	    !strcasecmp(name, "content.xml") ||
	    !strcasecmp(name, "xl/sharedStrings.xml") ||
	    !strncasecmp(name, "ppt/slides/slide", 16) ||
	    !strncasecmp(name, "xl/worksheets/sheet", 19))
		return true;
	for (i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
		k = strlen(ends[i]);
		if (n > k && !strcasecmp(name + n - k, ends[i]))
			return true;
	}
	return false;
}

/* Whether a part may hold the mark as a property. */
static bool prop_part(const char *name)
{
	size_t n = strlen(name);

	return (n >= 10 && !strcasecmp(name + n - 10, "custom.xml")) ||
	       !strcasecmp(name, "meta.xml") ||
	       (n > 4 && !strcasecmp(name + n - 4, ".opf"));
}

/* Text only: editors split a line into runs as they like (LibreOffice
 * puts "下载编号 " and the mark in two). */
static size_t strip_tags(char *x, size_t n)
{
	size_t r, w = 0;
	int in_tag = 0;

	for (r = 0; r < n; r++) {
		if (x[r] == '<')
			in_tag = 1;
		else if (x[r] == '>')
			in_tag = 0;
		else if (!in_tag)
			x[w++] = x[r];
	}
	return w;
}

int trace_zip_find(const unsigned char key[TRACE_KEY_BYTES],
		   const unsigned char *data, size_t len, int64_t *id,
		   bool *genuine)
{
	struct zedit e;
	int64_t i;
	int pass, rc = WK_ENOTFOUND;

	/* Visible text first, then properties; each pass with caps of its
	 * own, so a big text part does not use up the properties' share. */
	for (pass = 0; pass < 2 && rc == WK_ENOTFOUND; pass++) {
		if (ze_open(&e, data, len))
			return WK_ENOTFOUND;
		for (i = 0; i < e.z.nentries && rc == WK_ENOTFOUND; i++) {
			const char *name = zip_get_name(e.z.za, (zip_uint64_t)i,
							ZIP_FL_ENC_RAW);
			char pname[512], *x;
			size_t n;

			if (!name || !(pass ? prop_part(name) : text_part(name)))
				continue;
			snprintf(pname, sizeof(pname), "%s", name);
			if (ze_read(&e, pname, &x, &n))
				continue;
			rc = pass ? trace_find_after(key, (unsigned char *)x, n,
						     TRACE_PROP, id, genuine)
				  : trace_find_text(key, (unsigned char *)x,
						    strip_tags(x, n), id,
						    genuine);
			free(x);
		}
		ze_close(&e);
	}
	return rc;
}
