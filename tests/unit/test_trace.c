/* test_trace.c - download marks in every format (domain/trace.h): the
 * stamp is made on a copy (the input buffer is left as it was), the copy
 * still converts with our own parsers and shows the mark in its text,
 * wenku trace reads the mark back from the visible line and, with the
 * line gone, from the document's properties; PDFs go through the real
 * sandboxed worker. Text and docx basics are in test_ledger.c. */
#include "../harness.h"
#include "../../src/base/err.h"
#include "../../src/domain/trace.h"
#include "../../src/parse/parse.h"
#include "../../src/parse/render.h"
#include "../../src/parse/stamp.h"
#include "parse_util.h"

#include <mupdf/fitz.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <zip.h>

/* The label of a PDF's footer, as in every other format (TRACE_LABEL). */
#define PDF_LABEL "下载编号 "

/* The worker binary for PDFs (make asan builds it beside the tests). */
#define WORKER "build/asan/wenku"

static void test_key(unsigned char key[TRACE_KEY_BYTES])
{
	CHECK(sodium_init() >= 0);
	randombytes_buf(key, TRACE_KEY_BYTES);
}

/* Entry name of a zip, or NULL. */
static char *zip_entry(const unsigned char *z, size_t n, const char *name,
		       size_t *len)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za;
	zip_file_t *f;
	zip_stat_t st;
	char *out = NULL;

	zip_error_init(&ze);
	src = zip_source_buffer_create(z, n, 0, &ze);
	za = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
	if (!za) {
		zip_source_free(src);
		zip_error_fini(&ze);
		return NULL;
	}
	if (zip_stat(za, name, ZIP_FL_NOCASE, &st) == 0 &&
	    (f = zip_fopen(za, name, ZIP_FL_NOCASE))) {
		out = malloc(st.size + 1);
		if (out && zip_fread(f, out, st.size) == (zip_int64_t)st.size) {
			out[st.size] = '\0';
			*len = st.size;
		} else {
			free(out);
			out = NULL;
		}
		zip_fclose(f);
	}
	zip_close(za);
	zip_error_fini(&ze);
	return out;
}

/* A zip of only the property parts of z (custom.xml, meta.xml, the
 * OPF): what is left when a leaker deletes every visible line. */
static char *props_only(const unsigned char *z, size_t n, size_t *outlen,
			int *nprops)
{
	struct tp_zent e[8] = { { NULL, NULL, 0 } };
	char *parts[8] = { NULL };
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za;
	int64_t i, cnt;
	int k = 0;
	char *out;

	*nprops = 0;
	zip_error_init(&ze);
	src = zip_source_buffer_create(z, n, 0, &ze);
	za = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
	if (!za) {
		zip_source_free(src);
		zip_error_fini(&ze);
		return NULL;
	}
	cnt = zip_get_num_entries(za, 0);
	for (i = 0; i < cnt && k < 7; i++) {
		const char *name = zip_get_name(za, (zip_uint64_t)i, 0);
		size_t l = name ? strlen(name) : 0, dl = 0;
		if (!name || !((l >= 10 && !strcmp(name + l - 10, "custom.xml")) ||
			       !strcmp(name, "meta.xml") ||
			       (l > 4 && !strcasecmp(name + l - 4, ".opf"))))
			continue;
		parts[k] = zip_entry(z, n, name, &dl);
		if (!parts[k])
			continue;
		e[k].name = name;
		e[k].data = parts[k];
		e[k].len = dl;
		k++;
	}
	*nprops = k;
	out = tp_zip(e, TP_ZIP_FAST, outlen);
	zip_close(za);
	zip_error_fini(&ze);
	for (i = 0; i < k; i++)
		free(parts[i]);
	return out;
}

TEST(trace_stamps_every_zip_format_visibly_and_in_properties)
{
	static const struct {
		const char *format, *file, *keeps;
	} docs[] = {
		{ "docx", "reference-lecture.docx", "党建" },
		{ "docx", "docling-Strict.docx", NULL },
		{ "docx", "poitl-554-letter.docx", NULL },
		{ "pptx", "chatchat-ocr_test.pptx", "我是文字" },
		{ "pptx", "tika-testPPT_various.pptx",
		  "Here is a numbered list:" },
		{ "pptx", "unstructured-many-pages.pptx", NULL },
		{ "xlsx", "pandoc-basic.xlsx", "Anton Antich" },
		{ "xlsx", "easyexcel-multiplesheets.xlsx", NULL },
		{ "xlsx", "poi-SimpleStrict.xlsx", NULL },
		{ "odt", "pandoc-footnote.odt", "Some text with a footnote." },
		{ "odt", "tika-testODTNoMeta.odt", "Test text" },
		{ "odt", "pandoc-tableWithSpans.odt", NULL },
		{ "epub", "pandoc-features.epub", "Tests for required" },
		{ "epub", "pandoc-epub2_cover.epub", "Pandoc EPUB2 Test" },
		{ "epub", "tika-testEPUB_xml_ext.epub", NULL },
	};
	unsigned char key[TRACE_KEY_BYTES];
	size_t i;

	test_key(key);
	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		char path[256], mark[TRACE_MARK_MAX], want[64], err[256];
		unsigned char *out = NULL;
		char *in, *copy, *props;
		struct parse_result pr;
		size_t len = 0, n = 0, pn = 0;
		int64_t id = 0, dl = 1000 + (int64_t)i;
		bool genuine = false;
		int rc, np = 0;

		snprintf(path, sizeof(path), TP_DATA "%s", docs[i].file);
		if (!(in = tp_slurp(path, &len)))
			continue;
		copy = malloc(len);
		if (copy)
			memcpy(copy, in, len);
		trace_mark(key, dl, mark);
		CHECK(trace_find(NULL, key, (unsigned char *)in, len, &id,
				 &genuine) == WK_ENOTFOUND);
		rc = trace_stamp(NULL, docs[i].format, (unsigned char *)in,
				 len, mark, &out, &n);
		if (rc)
			fprintf(stderr, "    %s: stamp %d\n", docs[i].file, rc);
		CHECK(rc == 0 && out && n > 0);
		/* The original is untouched. */
		CHECK(copy && memcmp(copy, in, len) == 0);
		free(copy);
		free(in);
		if (!out)
			continue;
		/* Read back from the copy served. */
		CHECK(trace_find(NULL, key, out, n, &id, &genuine) == 0 &&
		      id == dl && genuine);
		/* It still converts, and the mark is in its text. */
		memset(&pr, 0, sizeof(pr));
		rc = parse_document(out, n, NULL, &pr, err, sizeof(err));
		if (rc)
			fprintf(stderr, "    %s: %s\n", docs[i].file, err);
		CHECK(rc == 0);
		CHECK(pr.format == parse_detect(out, n));
		CHECK(!strcmp(parse_format_name(pr.format), docs[i].format));
		snprintf(want, sizeof(want), "下载编号 %s", mark);
		if (!pr.text || !strstr(pr.text, want))
			fprintf(stderr, "    %s: no mark in text\n",
				docs[i].file);
		CHECK(pr.text && strstr(pr.text, want) != NULL);
		if (docs[i].keeps)
			CHECK(pr.text && strstr(pr.text, docs[i].keeps));
		parse_result_release(&pr);
		/* With every visible line gone, the property still tells. */
		props = props_only(out, n, &pn, &np);
		CHECK(props != NULL && np > 0);
		if (props) {
			id = 0;
			CHECK(trace_find(NULL, key, (unsigned char *)props, pn,
					 &id, &genuine) == 0 && id == dl &&
			      genuine);
			free(props);
		}
		free(out);
	}
}

/* The custom property joins an existing custom.xml with a pid of its
 * own; a new one comes with its relationship and content type. */
TEST(trace_custom_property_is_well_formed_opc)
{
	static const char rels[] =
		"<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas."
		"openxmlformats.org/package/2006/relationships\"><Relationship "
		"Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/"
		"officeDocument/2006/relationships/officeDocument\" Target="
		"\"word/document.xml\"/></Relationships>";
	static const char rels_custom[] =
		"<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas."
		"openxmlformats.org/package/2006/relationships\"><Relationship "
		"Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/"
		"officeDocument/2006/relationships/officeDocument\" Target="
		"\"word/document.xml\"/><Relationship Id=\"rId9\" Type=\"http:"
		"//schemas.openxmlformats.org/officeDocument/2006/relationships"
		"/custom-properties\" Target=\"docProps/custom.xml\"/>"
		"</Relationships>";
	static const char types[] =
		"<?xml version=\"1.0\"?><Types xmlns=\"http://schemas."
		"openxmlformats.org/package/2006/content-types\"><Default "
		"Extension=\"xml\" ContentType=\"application/xml\"/><Override "
		"PartName=\"/word/document.xml\" ContentType=\"application/vnd."
		"openxmlformats-officedocument.wordprocessingml.document.main+"
		"xml\"/></Types>";
	static const char custom[] =
		"<?xml version=\"1.0\"?><Properties xmlns=\"http://schemas."
		"openxmlformats.org/officeDocument/2006/custom-properties\" "
		"xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/"
		"2006/docPropsVTypes\"><property fmtid=\"{D5CDD505-2E9C-101B-"
		"9397-08002B2CF9AE}\" pid=\"7\" name=\"Client\"><vt:lpwstr>ACME"
		"</vt:lpwstr></property></Properties>";
	static const char doc[] =
		"<w:document xmlns:w=\"http://schemas.openxmlformats.org/"
		"wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>正文</w:t>"
		"</w:r></w:p><w:sectPr/></w:body></w:document>";
	unsigned char key[TRACE_KEY_BYTES], *out = NULL;
	char mark[TRACE_MARK_MAX], *zip, *x;
	size_t zlen = 0, n = 0, xn = 0;
	int64_t id = 0;
	bool genuine = false;

	test_key(key);
	trace_mark(key, 77, mark);
	{
		struct tp_zent e[] = { { "[Content_Types].xml", types, 0 },
				       { "_rels/.rels", rels, 0 },
				       { "word/document.xml", doc, 0 },
				       { NULL, NULL, 0 } };
		zip = tp_zip(e, TP_ZIP_FAST, &zlen);
	}
	CHECK(zip && trace_stamp(NULL, "docx", (unsigned char *)zip, zlen,
				 mark, &out, &n) == 0);
	free(zip);
	if (out) {
		x = zip_entry(out, n, "_rels/.rels", &xn);
		CHECK_CONTAINS(x, "relationships/custom-properties\" "
				  "Target=\"docProps/custom.xml\"/>"
				  "</Relationships>");
		free(x);
		x = zip_entry(out, n, "[Content_Types].xml", &xn);
		CHECK_CONTAINS(x, "<Override PartName=\"/docProps/custom.xml\" "
				  "ContentType=\"application/vnd.openxmlformats"
				  "-officedocument.custom-properties+xml\"/>"
				  "</Types>");
		free(x);
		x = zip_entry(out, n, "docProps/custom.xml", &xn);
		CHECK_CONTAINS(x, "pid=\"2\" name=\"wenku-download\">");
		CHECK_CONTAINS(x, mark);
		free(x);
		/* The paragraph sits before the body's section properties. */
		x = zip_entry(out, n, "word/document.xml", &xn);
		CHECK(x && strstr(x, mark) && strstr(x, mark) < strstr(x,
								      "<w:sectPr/>"));
		free(x);
		free(out);
		out = NULL;
	}
	{
		struct tp_zent e[] = { { "[Content_Types].xml", types, 0 },
				       { "_rels/.rels", rels_custom, 0 },
				       { "word/document.xml", doc, 0 },
				       { "docProps/custom.xml", custom, 0 },
				       { NULL, NULL, 0 } };
		zip = tp_zip(e, TP_ZIP_FAST, &zlen);
	}
	CHECK(zip && trace_stamp(NULL, "docx", (unsigned char *)zip, zlen,
				 mark, &out, &n) == 0);
	free(zip);
	if (out) {
		x = zip_entry(out, n, "docProps/custom.xml", &xn);
		CHECK_CONTAINS(x, "<vt:lpwstr>ACME</vt:lpwstr>");
		CHECK_CONTAINS(x, "pid=\"8\" name=\"wenku-download\">");
		free(x);
		x = zip_entry(out, n, "_rels/.rels", &xn);
		CHECK(x && !strstr(x, "rIdWenkuDownload"));	/* kept */
		free(x);
		CHECK(trace_find(NULL, key, out, n, &id, &genuine) == 0 &&
		      id == 77 && genuine);
		free(out);
	}
	/* A zip we cannot place a line in is served as it is. */
	{
		struct tp_zent e[] = { { "a.txt", "x", 0 }, { NULL, NULL, 0 } };
		zip = tp_zip(e, TP_ZIP_FAST, &zlen);
	}
	out = NULL;
	CHECK(zip && trace_stamp(NULL, "pptx", (unsigned char *)zip, zlen,
				 mark, &out, &n) == WK_EUNSUPPORTED && !out);
	CHECK(zip && trace_stamp(NULL, "epub", (unsigned char *)zip, zlen,
				 mark, &out, &n) == WK_EUNSUPPORTED && !out);
	free(zip);
	CHECK(trace_stamp(NULL, "doc", (const unsigned char *)"\xd0\xcf", 2,
			  mark, &out, &n) == WK_EUNSUPPORTED);
}

/* An epub keeps its stored "mimetype" first (readers check it), and
 * the line goes at the top of the first spine item. */
TEST(trace_epub_keeps_mimetype_first_and_marks_the_title_page)
{
	unsigned char key[TRACE_KEY_BYTES], *out = NULL;
	char mark[TRACE_MARK_MAX], *in, *x;
	size_t len = 0, n = 0, xn = 0;

	test_key(key);
	trace_mark(key, 5, mark);
	if (!(in = tp_slurp(TP_DATA "pandoc-features.epub", &len)))
		return;
	CHECK(trace_stamp(NULL, "epub", (unsigned char *)in, len, mark, &out,
			  &n) == 0);
	free(in);
	if (!out)
		return;
	CHECK(n > 58 && memcmp(out + 30, "mimetypeapplication/epub+zip",
			       28) == 0);
	x = zip_entry(out, n, "EPUB/package.opf", &xn);
	if (!x)
		x = zip_entry(out, n, "OEBPS/content.opf", &xn);
	CHECK_CONTAINS(x, "name=\"wenku-download\" content=\"");
	free(x);
	free(out);
}

/* PDFs: stamped by the sandboxed worker, every page; read back from
 * the text (the worker converts) and the info dictionary. */
TEST(trace_stamps_pdf_in_the_worker)
{
	static const struct {
		const char *file;
		int pages;
	} docs[] = {
		{ "pypdf-minimal-document.pdf", 1 },
		{ "pypdf-pdflatex-outline.pdf", 4 },
		{ "pdfjs-helloworld-bad.pdf", 1 },
		{ "pdfjs-vertical-japanese.pdf", 3 },
		{ "pdfjs-empty_protected-aes256.pdf", 1 },
	};
	unsigned char key[TRACE_KEY_BYTES];
	char mark[TRACE_MARK_MAX];
	size_t i;

	if (access(WORKER, X_OK) != 0) {
		fprintf(stderr, "    no %s: pdf stamps not tested\n", WORKER);
		return;
	}
	test_key(key);
	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		char path[256], want[64], err[256], *in, *copy;
		unsigned char *out = NULL;
		struct parse_result pr;
		size_t len = 0, n = 0;
		int64_t id = 0, dl = 31337 + (int64_t)i;
		bool genuine = false;
		const char *p;
		int rc, count = 0;

		snprintf(path, sizeof(path), TP_DATA "%s", docs[i].file);
		if (!(in = tp_slurp(path, &len)))
			continue;
		copy = malloc(len);
		if (copy)
			memcpy(copy, in, len);
		trace_mark(key, dl, mark);
		CHECK(trace_find(WORKER, key, (unsigned char *)in, len, &id,
				 &genuine) == WK_ENOTFOUND);
		rc = trace_stamp(WORKER, "pdf", (unsigned char *)in, len, mark,
				 &out, &n);
		if (rc)
			fprintf(stderr, "    %s: stamp %d\n", docs[i].file, rc);
		CHECK(rc == 0 && out && n > 5 && !memcmp(out, "%PDF-", 5));
		CHECK(copy && memcmp(copy, in, len) == 0);
		free(copy);
		free(in);
		if (!out)
			continue;
		/* The footer is on every page. */
		memset(&pr, 0, sizeof(pr));
		rc = parse_document(out, n, NULL, &pr, err, sizeof(err));
		if (rc)
			fprintf(stderr, "    %s: %s\n", docs[i].file, err);
		CHECK(rc == 0 && pr.pages == docs[i].pages);
		snprintf(want, sizeof(want), PDF_LABEL "%s", mark);
		for (p = pr.text; p && (p = strstr(p, want)); p++)
			count++;
		if (count != docs[i].pages)
			fprintf(stderr, "    %s: %d footers\n", docs[i].file,
				count);
		CHECK(count == docs[i].pages);
		parse_result_release(&pr);
		/* Found through the worker, and without it from the info
		 * entry (in the clear unless the file is encrypted). */
		CHECK(trace_find(WORKER, key, out, n, &id, &genuine) == 0 &&
		      id == dl && genuine);
		id = 0;
		rc = trace_find(NULL, key, out, n, &id, &genuine);
		if (strstr(docs[i].file, "protected"))
			CHECK(rc == WK_ENOTFOUND);
		else
			CHECK(rc == 0 && id == dl && genuine);
		/* With the info entry's name spoilt (same length, so the
		 * file still opens), only the footer text the worker reads
		 * is left, and it is enough. */
		{
			unsigned char *k = memmem(out, n, "/WenkuDownload", 14);
			if (k)
				k[1] = 'X';
			CHECK(k || strstr(docs[i].file, "protected"));
			CHECK(trace_find(NULL, key, out, n, &id, &genuine) ==
			      WK_ENOTFOUND);
			id = 0;
			CHECK(trace_find(WORKER, key, out, n, &id, &genuine) ==
				      0 && id == dl && genuine);
		}
		free(out);
	}
	/* A PDF the worker cannot stamp is not served: any error but
	 * WK_EUNSUPPORTED, and no copy. */
	{
		unsigned char *out = NULL;
		size_t len = 0, n = 0;
		char *in = tp_slurp(TP_DATA "unstructured-password.pdf", &len);
		int rc;

		trace_mark(key, 9, mark);
		if (in) {
			rc = trace_stamp(WORKER, "pdf", (unsigned char *)in, len,
					 mark, &out, &n);
			CHECK(rc != 0 && rc != WK_EUNSUPPORTED && !out);
		}
		rc = trace_stamp(WORKER, "pdf", (const unsigned char *)"%PDF-1.4"
				 " garbage", 17, mark, &out, &n);
		CHECK(rc != 0 && rc != WK_EUNSUPPORTED && !out);
		rc = trace_stamp(NULL, "pdf", (unsigned char *)in, len, mark,
				 &out, &n);
		CHECK(rc != 0 && rc != WK_EUNSUPPORTED && !out);
		free(in);
	}
}

/* A PDF of four empty 300 x 200 pt pages turned by 0, 90, 180 and 270
 * degrees, with a correct cross-reference table; the first two have a
 * content stream that leaves a transformation and a blue fill behind,
 * the other two none. free() it. */
static char *rotated_pdf(size_t *len)
{
	static const char content[] = "1 0 0 1 40 40 cm 0 0 1 rg";
	char *b = malloc(4096);
	size_t off[8], n = 0;
	int i;

	if (!b)
		return NULL;
	n += (size_t)sprintf(b + n, "%%PDF-1.4\n");
	off[1] = n;
	n += (size_t)sprintf(b + n, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R "
			     ">>\nendobj\n");
	off[2] = n;
	n += (size_t)sprintf(b + n, "2 0 obj\n<< /Type /Pages /Kids [3 0 R 4 0"
			     " R 5 0 R 6 0 R] /Count 4 >>\nendobj\n");
	for (i = 0; i < 4; i++) {
		off[3 + i] = n;
		n += (size_t)sprintf(b + n, "%d 0 obj\n<< /Type /Page /Parent 2"
				     " 0 R /MediaBox [0 0 300 200] /Rotate %d"
				     "%s >>\nendobj\n", 3 + i, 90 * i,
				     i < 2 ? " /Contents 7 0 R" : "");
	}
	off[7] = n;
	n += (size_t)sprintf(b + n, "7 0 obj\n<< /Length %zu >>\nstream\n%s\n"
			     "endstream\nendobj\n", strlen(content), content);
	off[0] = n;
	n += (size_t)sprintf(b + n, "xref\n0 8\n0000000000 65535 f \n");
	for (i = 1; i < 8; i++)
		n += (size_t)sprintf(b + n, "%010zu 00000 n \n", off[i]);
	n += (size_t)sprintf(b + n, "trailer\n<< /Size 8 /Root 1 0 R >>\n"
			     "startxref\n%zu\n%%%%EOF\n", off[0]);
	*len = n;
	return b;
}

/* Where the ink is on a page rendered by MuPDF (render.c): how many
 * pixels are not white, their bounding box, and the image size. */
struct ink {
	long n;
	int x0, y0, x1, y1, w, h;
};

static int page_ink(const unsigned char *pdf, size_t len, int page,
		    int width, struct ink *k)
{
	fz_context *ctx;
	fz_buffer *fb = NULL;
	fz_image *im = NULL;
	fz_pixmap *pm = NULL;
	unsigned char *png = NULL;
	size_t pn = 0;
	char err[256];
	int rc, x, y;

	memset(k, 0, sizeof(*k));
	k->x0 = k->y0 = 1 << 30;
	rc = parse_render_page(pdf, len, page, width, NULL, NULL, 0, NULL,
			       &png, &pn, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "    render page %d: %s\n", page, err);
		return rc;
	}
	if (!(ctx = fz_new_context(NULL, NULL, FZ_STORE_DEFAULT))) {
		free(png);
		return -1;
	}
	fz_var(fb);
	fz_var(im);
	fz_var(pm);
	fz_try(ctx) {
		fb = fz_new_buffer_from_shared_data(ctx, png, pn);
		im = fz_new_image_from_buffer(ctx, fb);
		pm = fz_get_pixmap_from_image(ctx, im, NULL, NULL, NULL, NULL);
		k->w = pm->w;
		k->h = pm->h;
		for (y = 0; y < pm->h; y++)
			for (x = 0; x < pm->w; x++) {
				const unsigned char *q =
					pm->samples + (size_t)y * pm->stride +
					(size_t)x * pm->n;
				if (q[0] > 240 && q[1] > 240 && q[2] > 240)
					continue;
				k->n++;
				if (x < k->x0)
					k->x0 = x;
				if (y < k->y0)
					k->y0 = y;
				if (x > k->x1)
					k->x1 = x;
				if (y > k->y1)
					k->y1 = y;
			}
	}
	fz_always(ctx) {
		fz_drop_pixmap(ctx, pm);
		fz_drop_image(ctx, im);
		fz_drop_buffer(ctx, fb);
	}
	fz_catch(ctx) {
		rc = -1;
	}
	fz_drop_context(ctx);
	free(png);
	return rc;
}

/* The PDF footer on pages turned every way: MuPDF reads it back as
 * "下载编号 <mark>" on each, and draws it (MuPDF here has a built-in
 * CJK font it substitutes for the non-embedded STSong-Light, so the
 * ideographs are not blank): one horizontal line of grey glyphs,
 * centred at the foot of the page as it is shown, the Chinese included
 * (blank ideographs would push the ink's centre 16 pt right). */
TEST(trace_pdf_footer_upright_on_turned_pages)
{
	static const char mark[] = "D424242-0a1b2c3d4e";
	unsigned char *out = NULL;
	struct parse_result pr;
	char want[64], err[256], *in;
	size_t len = 0, n = 0;
	const char *p;
	int rc, i, count = 0;

	if (!(in = rotated_pdf(&len)))
		return;
	rc = parse_stamp_pdf(in, len, mark, NULL, &out, &n, err, sizeof(err));
	if (rc)
		fprintf(stderr, "    stamp: %s\n", err);
	CHECK(rc == 0 && out);
	free(in);
	if (!out)
		return;
	memset(&pr, 0, sizeof(pr));
	CHECK(parse_document(out, n, NULL, &pr, err, sizeof(err)) == 0 &&
	      pr.pages == 4);
	snprintf(want, sizeof(want), PDF_LABEL "%s", mark);
	for (p = pr.text; p && (p = strstr(p, want)); p++)
		count++;
	CHECK(count == 4);
	CHECK(pr.text && !strstr(pr.text, "Download ID"));
	parse_result_release(&pr);
	for (i = 0; i < 4; i++) {
		/* 600 px for a page shown 300 or 200 pt wide. */
		struct ink k;
		int scale = i % 2 ? 3 : 2;

		CHECK(page_ink(out, n, i, 600, &k) == 0);
		if (k.n < 200 || abs((k.x0 + k.x1) / 2 - k.w / 2) > 4 * scale ||
		    k.y0 < k.h - 30 * scale || k.x1 - k.x0 < 4 * (k.y1 - k.y0))
			fprintf(stderr, "    page %d (%dx%d): %ld pixels in "
				"%d,%d-%d,%d\n", i, k.w, k.h, k.n, k.x0, k.y0,
				k.x1, k.y1);
		CHECK(k.n >= 200);
		/* centred within 4 pt, in the bottom 30 pt, a line */
		CHECK(abs((k.x0 + k.x1) / 2 - k.w / 2) <= 4 * scale);
		CHECK(k.y0 >= k.h - 30 * scale && k.y1 < k.h);
		CHECK(k.x1 - k.x0 >= 4 * (k.y1 - k.y0));
		/* as wide as the declared widths make it: 4 ideographs and
		 * 19 proportional ASCII characters at 8 pt, 101.6 pt */
		CHECK(k.x1 - k.x0 > 90 * scale && k.x1 - k.x0 < 110 * scale);
	}
	free(out);
}

/* LibreOffice re-saving a stamped odt keeps both the paragraph and the
 * user-defined field (when LibreOffice is installed). */
TEST(trace_odt_survives_libreoffice_resave)
{
	unsigned char key[TRACE_KEY_BYTES], *out = NULL;
	char mark[TRACE_MARK_MAX], *in;
	size_t len = 0, n = 0;
	int64_t id = 0;
	bool genuine = false;

	if (access("/usr/bin/soffice", X_OK) != 0)
		return;
	test_key(key);
	trace_mark(key, 4343, mark);
	if (!(in = tp_slurp(TP_DATA "pandoc-footnote.odt", &len)))
		return;
	CHECK(trace_stamp(NULL, "odt", (unsigned char *)in, len, mark, &out,
			  &n) == 0);
	free(in);
	if (!out)
		return;
	{
		char dir[] = "/tmp/wenku-lo.XXXXXX", path[128], cmd[512];
		size_t rn = 0, pn = 0;
		int np = 0;
		char *re, *props;
		FILE *f;

		CHECK(mkdtemp(dir) != NULL);
		snprintf(path, sizeof(path), "%s/stamped.odt", dir);
		if ((f = fopen(path, "wb"))) {
			fwrite(out, 1, n, f);
			fclose(f);
		}
		snprintf(cmd, sizeof(cmd),
			 "cd '%s' && timeout 120 soffice --headless "
			 "-env:UserInstallation=file://%s/profile --convert-to "
			 "odt --outdir out stamped.odt >/dev/null 2>&1", dir,
			 dir);
		CHECK(system(cmd) == 0);
		snprintf(path, sizeof(path), "%s/out/stamped.odt", dir);
		re = tp_read(path, &rn);
		CHECK(re != NULL && rn > 0);
		if (re) {
			CHECK(trace_find(NULL, key, (unsigned char *)re, rn, &id,
					 &genuine) == 0 && id == 4343 &&
			      genuine);
			props = props_only((unsigned char *)re, rn, &pn, &np);
			id = 0;
			CHECK(props && trace_find(NULL, key,
						  (unsigned char *)props, pn,
						  &id, &genuine) == 0 &&
			      id == 4343);
			free(props);
			free(re);
		}
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "    could not remove %s\n", dir);
	}
	free(out);
}

/* A Strict slide gets its text box in the Strict namespaces, so the
 * parser (and PowerPoint) read it as part of the slide. */
TEST(trace_pptx_strict_slide_gets_a_strict_text_box)
{
	static const char pres[] =
		"<p:presentation xmlns:p=\"http://schemas.openxmlformats.org/"
		"presentationml/2006/main\" xmlns:r=\"http://schemas."
		"openxmlformats.org/officeDocument/2006/relationships\">"
		"<p:sldIdLst><p:sldId id=\"256\" r:id=\"rId1\"/></p:sldIdLst>"
		"</p:presentation>";
	static const char prels[] =
		"<Relationships xmlns=\"http://schemas.openxmlformats.org/"
		"package/2006/relationships\"><Relationship Id=\"rId1\" Type="
		"\"http://schemas.openxmlformats.org/officeDocument/2006/"
		"relationships/slide\" Target=\"slides/slide1.xml\"/>"
		"</Relationships>";
	static const char types[] =
		"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"
		"content-types\"><Override PartName=\"/ppt/presentation.xml\" "
		"ContentType=\"application/vnd.openxmlformats-officedocument."
		"presentationml.presentation.main+xml\"/></Types>";
	static const char rels[] =
		"<Relationships xmlns=\"http://schemas.openxmlformats.org/"
		"package/2006/relationships\"><Relationship Id=\"rId1\" Type="
		"\"http://schemas.openxmlformats.org/officeDocument/2006/"
		"relationships/officeDocument\" Target=\"ppt/presentation.xml\"/>"
		"</Relationships>";
	unsigned char key[TRACE_KEY_BYTES], *out = NULL;
	char mark[TRACE_MARK_MAX], want[64], err[256], *parts, *zip, *x;
	struct parse_result pr;
	size_t len = 0, zlen = 0, n = 0, xn = 0;

	test_key(key);
	trace_mark(key, 808, mark);
	/* The Strict slide of the pptx fuzz seed (its first part). */
	if (!(parts = tp_slurp("fuzz/corpus/pptx/parts-strict", &len)))
		return;
	{
		struct tp_zent e[] = { { "ppt/slides/slide1.xml", parts,
					 strnlen(parts, len) },
				       { "ppt/presentation.xml", pres, 0 },
				       { "ppt/_rels/presentation.xml.rels", prels,
					 0 },
				       { "[Content_Types].xml", types, 0 },
				       { "_rels/.rels", rels, 0 },
				       { NULL, NULL, 0 } };
		zip = tp_zip(e, TP_ZIP_FAST, &zlen);
	}
	free(parts);
	CHECK(zip && trace_stamp(NULL, "pptx", (unsigned char *)zip, zlen,
				 mark, &out, &n) == 0);
	free(zip);
	if (!out)
		return;
	x = zip_entry(out, n, "ppt/slides/slide1.xml", &xn);
	CHECK_CONTAINS(x, "<p:sp xmlns:p=\"http://purl.oclc.org/ooxml/"
			  "presentationml/main\" xmlns:a=\"http://purl.oclc.org/"
			  "ooxml/drawingml/main\">");
	free(x);
	memset(&pr, 0, sizeof(pr));
	CHECK(parse_document(out, n, NULL, &pr, err, sizeof(err)) == 0);
	snprintf(want, sizeof(want), "下载编号 %s", mark);
	CHECK(pr.text && strstr(pr.text, want) && strstr(pr.text, "标题"));
	parse_result_release(&pr);
	free(out);
}
