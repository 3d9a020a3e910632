/*
 * test_pdf.c - PDF text through MuPDF (pdf.c) and page images with a
 * watermark (render.c): facts from real files, encrypted and damaged
 * files, and the caps (memory, time, text, pages) on hostile ones.
 *
 * Real documents live in tests/data/parse/ (see its README.md). Small
 * PDFs are built here with a correct cross-reference table; the hostile
 * one is a "billion laughs" of form XObjects: each form draws the next
 * four times, so a 3 KB file asks for millions of drawing operations.
 */
#include "../harness.h"
#include "parse_util.h"
#include "../../src/base/buf.h"
#include "../../src/base/err.h"
#include "../../src/base/utf8.h"
#include "../../src/parse/render.h"

#include <mupdf/fitz.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CJK_FONT "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"

/* ---- helpers ------------------------------------------------------------ */

/* Test data that must be there. */
static char *data_file(const char *name, size_t *len)
{
	char path[256];

	snprintf(path, sizeof(path), TP_DATA "%s", name);
	return tp_slurp(path, len);
}

static int parse_data(const char *name, const struct parse_limits *lim,
		      struct parse_result *r)
{
	size_t n;
	char *d = data_file(name, &n);
	int rc;

	memset(r, 0, sizeof(*r));
	if (!d)
		return -1000;
	rc = tp_parse_mem(d, n, lim, r);
	free(d);
	return rc;
}

/* The PDF tests' own checks, looser than tp_is_zeroed() (format,
 * text_len and pages_estimated are not looked at) and tp_consistent()
 * (blocks are not checked for '\n' or NULL text, nor page breaks for
 * being empty). */
static int is_zeroed(const struct parse_result *r)
{
	return !r->text && !r->blocks && !r->nblocks && !r->title &&
	       !r->author && !r->pages;
}

/* text is exactly the non-page-break blocks joined by '\n', valid
 * UTF-8. */
static int consistent(const struct parse_result *r)
{
	size_t i, off = 0, ntext = 0;

	if (!r->text || strlen(r->text) != r->text_len ||
	    !utf8_valid(r->text, r->text_len))
		return 0;
	for (i = 0; i < r->nblocks; i++) {
		const struct parse_block *b = &r->blocks[i];
		if (b->kind == PB_PAGE_BREAK)
			continue;
		if (ntext++ && r->text[off++] != '\n')
			return 0;
		if (off + b->len > r->text_len ||
		    memcmp(r->text + off, b->text, b->len) != 0)
			return 0;
		off += b->len;
	}
	return off == r->text_len;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- building PDFs ------------------------------------------------------ */

struct pdfb {
	struct buf out;
	size_t off[64];
	int n;
};

static void pdfb_init(struct pdfb *b)
{
	buf_init(&b->out, 0);
	b->n = 0;
	buf_adds(&b->out, "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n");
}

/* Add the next object (numbered from 1; 1 must be the catalog). */
static void pdfb_obj(struct pdfb *b, const char *body)
{
	b->off[b->n++] = b->out.len;
	buf_addf(&b->out, "%d 0 obj\n%s\nendobj\n", b->n, body);
}

static void pdfb_stream(struct pdfb *b, const char *dict, const char *data)
{
	b->off[b->n++] = b->out.len;
	buf_addf(&b->out, "%d 0 obj\n<< /Length %zu %s >>\nstream\n%s\n"
		 "endstream\nendobj\n", b->n, strlen(data), dict, data);
}

/* The file's bytes (free() them). */
static char *pdfb_finish(struct pdfb *b, size_t *len)
{
	size_t xref = b->out.len;
	int i;

	buf_addf(&b->out, "xref\n0 %d\n0000000000 65535 f \n", b->n + 1);
	for (i = 0; i < b->n; i++)
		buf_addf(&b->out, "%010zu 00000 n \n", b->off[i]);
	buf_addf(&b->out, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n"
		 "%zu\n%%%%EOF\n", b->n + 1, xref);
	return buf_detach(&b->out, len);
}

#define PAGE_RES "/MediaBox [0 0 612 792] /Resources << /Font << " \
		 "/F1 3 0 R /F2 4 0 R >> /XObject << /X 8 0 R >> >>"

/* F2's codes are Unicode code points (UTF-16BE) for these. */
static const char to_unicode[] =
	"/CIDInit /ProcSet findresource begin 12 dict begin begincmap "
	"/CMapName /Test-UCS def /CMapType 2 def 1 begincodespacerange "
	"<0000> <FFFF> endcodespacerange 9 beginbfchar <4E2D> <4E2D> "
	"<6587> <6587> <8FD9> <8FD9> <662F> <662F> <7B2C> <7B2C> "
	"<4E8C> <4E8C> <884C> <884C> <2F64> <2F64> <2F08> <2F08> endbfchar "
	"endcmap CMapName currentdict /CMap defineresource pop end end";

/* One page whose content stream is content: F1 is Helvetica, F2 a
 * Chinese font (not embedded, two-byte codes mapped to Unicode by a
 * ToUnicode CMap), X the first of depth nested forms that each draw
 * the next four times, the last drawing leaf. */
static char *make_pdf(const char *content, int depth, const char *leaf,
		      size_t *len)
{
	struct pdfb b;
	char dict[512];
	int i;

	pdfb_init(&b);
	pdfb_obj(&b, "<< /Type /Catalog /Pages 2 0 R >>");
	pdfb_obj(&b, "<< /Type /Pages /Kids [6 0 R] /Count 1 >>");
	pdfb_obj(&b, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
	pdfb_obj(&b, "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light "
		 "/Encoding /Identity-H /ToUnicode 5 0 R /DescendantFonts "
		 "[<< /Type /Font /Subtype /CIDFontType0 /BaseFont "
		 "/STSong-Light /CIDSystemInfo << /Registry (Adobe) "
		 "/Ordering (Identity) /Supplement 0 >> /FontDescriptor << "
		 "/Type /FontDescriptor /FontName /STSong-Light /Flags 4 "
		 "/FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 880 "
		 "/Descent -120 /CapHeight 700 /StemV 80 >> >>] >>");
	pdfb_stream(&b, "", to_unicode);
	pdfb_obj(&b, "<< /Type /Page /Parent 2 0 R " PAGE_RES
		 " /Contents 7 0 R >>");
	pdfb_stream(&b, "", content);
	/* 8 on: the forms, each drawing the next. */
	for (i = 0; i <= depth; i++) {
		snprintf(dict, sizeof(dict), "/Type /XObject /Subtype /Form "
			 "/BBox [0 0 612 792] /Resources << /Font << /F1 3 0 R "
			 ">> /XObject << /X %d 0 R >> >>", 9 + i);
		pdfb_stream(&b, dict, i == depth ? leaf :
			    "/X Do /X Do /X Do /X Do");
	}
	return pdfb_finish(&b, len);
}

/* ---- text --------------------------------------------------------------- */

TEST(pdf_detected_and_parsed)
{
	struct parse_result r;
	size_t n;
	char *d = make_pdf("BT /F1 12 Tf 72 700 Td (Hello PDF) Tj ET", 0, "",
			   &n);

	CHECK(parse_detect(d, n) == PF_PDF);
	CHECK(tp_parse_mem(d, n, NULL, &r) == 0);
	CHECK(r.format == PF_PDF);
	CHECK_STR(r.text, "Hello PDF");
	CHECK(r.pages == 1 && !r.pages_estimated);
	CHECK(r.title == NULL && r.author == NULL);
	parse_result_release(&r);
	free(d);

	/* Only the magic bytes, no objects: nothing to repair. */
	CHECK(tp_parse_mem("%PDF-1.4\n", 9, NULL, &r) == WK_EMALFORMED);
	CHECK_CONTAINS(tp_err, "damaged pdf");
	CHECK(is_zeroed(&r));
}

/* Facts from testdocs/README.md (pdfinfo and pdftotext). */
TEST(pdf_testdocs_facts)
{
	static const struct {
		const char *file;
		int pages;
		const char *title, *author, *contains;
	} docs[] = {
		{ "chatchat-ocr_test.pdf", 1, NULL, "a a", "我是文字" },
		{ "pdfjs-vertical-japanese.pdf", 3, NULL, NULL, "あいうえお" },
		{ "pypdf-minimal-document.pdf", 1, NULL, NULL,
		  "eos et accusam et justo duo dolores et ea rebum. Stet" },
		{ "pypdf-annotated_pdf.pdf", 1, "Annotated PDF", NULL,
		  "Not highlighted" },
		{ "pypdf-pdflatex-outline.pdf", 4, NULL, NULL, "Contents" },
		{ "pdfjs-helloworld-bad.pdf", 1, NULL, NULL, "Hello, world!" },
		{ "pdfjs-xref_command_missing.pdf", 1, NULL, NULL,
		  "Reduced test-case" },
		/* AES-256, but the user password is empty: it opens. */
		{ "pdfjs-empty_protected-aes256.pdf", 1, NULL, NULL, "" },
	};
	struct parse_result r;
	size_t i;

	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		int rc = parse_data(docs[i].file, NULL, &r);
		if (rc) {
			fprintf(stderr, "    %s: %d %s\n", docs[i].file, rc,
				tp_err);
			CHECK(rc == 0);
			continue;
		}
		CHECK(r.format == PF_PDF);
		CHECK(r.pages == docs[i].pages);
		if (docs[i].title)
			CHECK_STR(r.title, docs[i].title);
		else
			CHECK(r.title == NULL);
		if (docs[i].author)
			CHECK_STR(r.author, docs[i].author);
		CHECK_CONTAINS(r.text, docs[i].contains);
		CHECK(consistent(&r));
		parse_result_release(&r);
	}
}

TEST(pdf_blocks_pages_and_headings)
{
	struct parse_result r;
	size_t i, breaks = 0, headings = 0;

	CHECK(parse_data("pypdf-pdflatex-outline.pdf", NULL, &r) == 0);
	for (i = 0; i < r.nblocks; i++) {
		if (r.blocks[i].kind == PB_PAGE_BREAK)
			breaks++;
		if (r.blocks[i].kind == PB_HEADING) {
			headings++;
			CHECK(r.blocks[i].level >= 1 && r.blocks[i].level <= 3);
		}
	}
	CHECK(breaks == 3);
	CHECK(headings >= 9);	/* "1 Foo" .. "9 Baz" */
	CHECK(r.nblocks > 0 && r.blocks[r.nblocks - 1].kind != PB_PAGE_BREAK);
	parse_result_release(&r);
}

/* Lines of one block: Latin joined by a space, CJK by nothing; a big
 * line over enough body text is a heading; Kangxi radicals that fonts
 * use for ideographs come out as the ideographs. */
TEST(pdf_lines_joined_and_headings)
{
	struct buf c;
	struct parse_result r;
	size_t n, i;
	char *d;

	buf_init(&c, 0);
	buf_adds(&c, "BT /F1 24 Tf 72 700 Td (Big Title) Tj ET\n"
		     "BT /F1 10 Tf 72 660 Td 12 TL\n");
	for (i = 0; i < 8; i++)
		buf_adds(&c, "(the body text goes on and on in this line) '\n");
	buf_adds(&c, "ET\nBT /F2 10 Tf 72 400 Td 12 TL "
		     "<4E2D6587> Tj <8FD9662F7B2C4E8C884C> ' "
		     "<2F642F08> ' ET\n");
	d = make_pdf(buf_str(&c), 0, "", &n);
	CHECK(tp_parse_mem(d, n, NULL, &r) == 0);
	CHECK(r.nblocks >= 3);
	if (r.nblocks >= 3) {
		CHECK(r.blocks[0].kind == PB_HEADING && r.blocks[0].level == 1);
		CHECK_STR(r.blocks[0].text, "Big Title");
		CHECK(r.blocks[1].kind == PB_PARAGRAPH);
		CHECK_CONTAINS(r.blocks[1].text, "in this line the body text");
		CHECK_STR(r.blocks[r.nblocks - 1].text, "中文这是第二行用人");
	}
	parse_result_release(&r);
	free(d);
	buf_release(&c);
}

TEST(pdf_encrypted_refused)
{
	struct parse_result r;

	CHECK(parse_data("unstructured-password.pdf", NULL, &r) ==
	      WK_EUNSUPPORTED);
	CHECK_CONTAINS(tp_err, "encrypted");
	CHECK(is_zeroed(&r));
}

/* Cut a real file anywhere: MuPDF repairs it (the text so far) or it
 * is WK_EMALFORMED; never a crash, never a half-filled result. */
TEST(pdf_truncated_repaired_or_refused)
{
	struct parse_result r;
	size_t n, cut;
	char *d = data_file("pypdf-minimal-document.pdf", &n);
	int ok = 0, bad = 0;

	for (cut = 9; d && cut < n; cut += n / 37) {
		int rc = tp_parse_mem(d, cut, NULL, &r);
		if (rc == 0) {
			ok++;
			CHECK(consistent(&r));
		} else {
			bad++;
			CHECK(rc == WK_EMALFORMED);
			CHECK(is_zeroed(&r));
		}
		parse_result_release(&r);
	}
	CHECK(ok > 0 && bad > 0);
	/* Missing its last 40 bytes (the trailer): repaired, text kept. */
	CHECK(d && tp_parse_mem(d, n - 40, NULL, &r) == 0);
	CHECK_CONTAINS(r.text, "Lorem ipsum");
	parse_result_release(&r);
	free(d);
}

TEST(pdf_memory_cap)
{
	struct parse_result r;
	struct parse_limits lim;
	size_t n, cap;
	char *d = make_pdf("/X Do", 10, "BT /F1 10 Tf 10 10 Td (xxxxxxxxxx) "
			   "Tj ET", &n);
	int rc;

	parse_default_limits(&lim);
	lim.max_memory = 64 << 10;
	CHECK(tp_parse_mem(d, n, &lim, &r) == WK_ETOOBIG);
	CHECK_STR(tp_err, "pdf needs more than 64 KiB of memory");
	CHECK(is_zeroed(&r));
	/* A million text runs fill any cap with extracted characters. */
	lim.max_memory = 16 << 20;
	CHECK(tp_parse_mem(d, n, &lim, &r) == WK_ETOOBIG);
	CHECK_STR(tp_err, "pdf needs more than 16 MiB of memory");
	CHECK(is_zeroed(&r));
	free(d);

	/* Running out at every step of a real file: a result or the cap's
	 * error, whatever MuPDF was doing at that moment. */
	d = data_file("chatchat-ocr_test.pdf", &n);
	for (cap = 128 << 10; d && cap < (4 << 20); cap += cap / 8) {
		lim.max_memory = cap;
		rc = tp_parse_mem(d, n, &lim, &r);
		CHECK(rc == 0 || rc == WK_ETOOBIG);
		if (rc == 0)
			CHECK_STR(r.text, "我是文字");
		parse_result_release(&r);
	}
	free(d);
}

/* The smallest max_memory (to 16 KiB) under which name parses. */
static size_t least_memory(const char *name)
{
	struct parse_limits lim;
	struct parse_result r;
	size_t lo = 16 << 10, hi = (size_t)256 << 20, n;
	char *d = data_file(name, &n);

	parse_default_limits(&lim);
	while (d && hi - lo > (16 << 10)) {
		lim.max_memory = lo + (hi - lo) / 2;
		if (tp_parse_mem(d, n, &lim, &r) == 0)
			hi = lim.max_memory;
		else
			lo = lim.max_memory;
		parse_result_release(&r);
	}
	free(d);
	return hi;
}

TEST(pdf_peak_memory_low)
{
	static const char *const names[] = {
		"chatchat-ocr_test.pdf", "pypdf-minimal-document.pdf",
		"pypdf-pdflatex-outline.pdf", "pdfjs-vertical-japanese.pdf",
	};
	size_t i, need;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		need = least_memory(names[i]);
		fprintf(stderr, "    %s parses in %zu KiB\n", names[i],
			need >> 10);
		CHECK(need <= (size_t)24 << 20);
	}
}

TEST(pdf_time_cap)
{
	struct parse_result r;
	struct parse_limits lim;
	size_t n;
	/* 4^12 = 16.7 million strokes: minutes of work. */
	char *d = make_pdf("/X Do", 12, "0 0 m 100 100 l S", &n);
	double t;

	parse_default_limits(&lim);
	lim.max_seconds = 0.3;
	t = now();
	CHECK(tp_parse_mem(d, n, &lim, &r) == WK_ETOOBIG);
	t = now() - t;
	CHECK_STR(tp_err, "pdf needs more than 0.3 seconds to process");
	CHECK(is_zeroed(&r));
	CHECK(t < 3);
	free(d);
}

TEST(pdf_text_and_page_limits)
{
	struct parse_result r;
	struct parse_limits lim;
	size_t i;

	parse_default_limits(&lim);
	lim.max_text = 100;
	CHECK(parse_data("pypdf-minimal-document.pdf", &lim, &r) ==
	      WK_ETOOBIG);
	CHECK_STR(tp_err, "extracted text is longer than the 100 bytes limit");
	CHECK(is_zeroed(&r));

	/* Only the first page is read; the count is still the file's. */
	parse_default_limits(&lim);
	lim.max_pages = 1;
	CHECK(parse_data("pypdf-pdflatex-outline.pdf", &lim, &r) == 0);
	CHECK(r.pages == 4);
	CHECK_CONTAINS(r.text, "Contents");
	for (i = 0; i < r.nblocks; i++)
		CHECK(r.blocks[i].kind != PB_PAGE_BREAK);
	parse_result_release(&r);
}

/* ---- rendering ---------------------------------------------------------- */

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* Whether png is a PNG (signature and IHDR) w pixels wide and h tall
 * (give or take one for rounding; any height if h is 0). */
static int png_is(const unsigned char *png, size_t n, uint32_t w, uint32_t h)
{
	return n > 33 && memcmp(png, "\x89PNG\r\n\x1a\n", 8) == 0 &&
	       memcmp(png + 12, "IHDR", 4) == 0 && be32(png + 16) == w &&
	       (h == 0 || (be32(png + 20) + 1 >= h && be32(png + 20) <= h + 1));
}

/* Pixels that differ between two PNGs of the same size (decoded with
 * MuPDF); -1 if they cannot be compared. */
static long differing_pixels(const unsigned char *a, size_t an,
			     const unsigned char *b, size_t bn)
{
	fz_context *ctx = fz_new_context(NULL, NULL, FZ_STORE_DEFAULT);
	fz_buffer *ba = NULL, *bb = NULL;
	fz_image *ia = NULL, *ib = NULL;
	fz_pixmap *pa = NULL, *pb = NULL;
	long diff = -1;
	int x, y, k;

	if (!ctx)
		return -1;
	fz_var(ba);
	fz_var(bb);
	fz_var(ia);
	fz_var(ib);
	fz_var(pa);
	fz_var(pb);
	fz_try(ctx) {
		ba = fz_new_buffer_from_shared_data(ctx, a, an);
		bb = fz_new_buffer_from_shared_data(ctx, b, bn);
		ia = fz_new_image_from_buffer(ctx, ba);
		ib = fz_new_image_from_buffer(ctx, bb);
		pa = fz_get_pixmap_from_image(ctx, ia, NULL, NULL, NULL, NULL);
		pb = fz_get_pixmap_from_image(ctx, ib, NULL, NULL, NULL, NULL);
		if (pa->w == pb->w && pa->h == pb->h && pa->n == pb->n) {
			diff = 0;
			for (y = 0; y < pa->h; y++)
				for (x = 0; x < pa->w; x++) {
					size_t o = (size_t)y * pa->stride +
						   (size_t)x * pa->n;
					for (k = 0; k < pa->n; k++)
						if (pa->samples[o + k] !=
						    pb->samples[o + k]) {
							diff++;
							break;
						}
				}
		}
	}
	fz_always(ctx) {
		fz_drop_pixmap(ctx, pa);
		fz_drop_pixmap(ctx, pb);
		fz_drop_image(ctx, ia);
		fz_drop_image(ctx, ib);
		fz_drop_buffer(ctx, ba);
		fz_drop_buffer(ctx, bb);
	}
	fz_catch(ctx) {
		diff = -1;
	}
	fz_drop_context(ctx);
	return diff;
}

/* Render page 0 of name with and without the watermark; check both
 * images and that the mark changed a fair share of the pixels. */
static void check_render(const char *name, const char *mark,
			 const char *font, size_t font_len, uint32_t height)
{
	unsigned char *plain = NULL, *marked = NULL;
	size_t n, pn = 0, mn = 0;
	char *d = data_file(name, &n);
	long diff;

	CHECK(parse_render_page(d, n, 0, 300, NULL, NULL, 0, NULL, &plain,
				&pn, tp_err, sizeof(tp_err)) == 0);
	CHECK(parse_render_page(d, n, 0, 300, mark, font, font_len, NULL,
				&marked, &mn, tp_err, sizeof(tp_err)) == 0);
	CHECK(plain && png_is(plain, pn, 300, height));
	CHECK(marked && png_is(marked, mn, 300, height));
	if (plain && marked) {
		diff = differing_pixels(plain, pn, marked, mn);
		fprintf(stderr, "    %s: watermark changed %ld of %u pixels\n",
			name, diff, 300 * be32(plain + 20));
		CHECK(diff > (long)(300 * be32(plain + 20) / 50));
	}
	free(plain);
	free(marked);
	free(d);
}

TEST(render_page_with_watermark)
{
	size_t fn = 0;
	char *font = tp_read(CJK_FONT, &fn);

	/* An A4 page at 300 pixels: 300 * 842 / 595 tall. */
	check_render("pypdf-minimal-document.pdf", "wenku 12345", NULL, 0, 424);
	if (!font)
		fprintf(stderr, "    no %s (fonts-wqy-microhei, tools/deps "
			"test): CJK watermark drawn without it\n", CJK_FONT);
	check_render("chatchat-ocr_test.pdf", "文库 用户 12345", font, fn, 0);
	free(font);
}

TEST(render_cover_and_errors)
{
	unsigned char *png = NULL;
	size_t n, pn = 0;
	char *d = data_file("pypdf-pdflatex-outline.pdf", &n);
	char *enc;
	size_t en;

	CHECK(parse_render_cover(d, n, 120, NULL, &png, &pn, tp_err,
				 sizeof(tp_err)) == 0);
	CHECK(png && png_is(png, pn, 120, 0));
	free(png);
	CHECK(parse_render_page(d, n, 3, 64, "x", NULL, 0, NULL, &png, &pn,
				tp_err, sizeof(tp_err)) == 0);
	free(png);
	CHECK(parse_render_page(d, n, 4, 64, NULL, NULL, 0, NULL, &png, &pn,
				tp_err, sizeof(tp_err)) == WK_ENOTFOUND);
	CHECK(png == NULL && pn == 0);
	CHECK(parse_render_page(d, n, 0, 8, NULL, NULL, 0, NULL, &png, &pn,
				tp_err, sizeof(tp_err)) == WK_EINVAL);
	CHECK(parse_render_page(d, n, 0, 5000, NULL, NULL, 0, NULL, &png, &pn,
				tp_err, sizeof(tp_err)) == WK_EINVAL);
	CHECK(parse_render_page(d, n, -1, 100, NULL, NULL, 0, NULL, &png, &pn,
				tp_err, sizeof(tp_err)) == WK_EINVAL);
	/* Built-in Helvetica has no CJK: an all-CJK mark cannot be drawn,
	 * and an unmarked page is never handed out instead. */
	CHECK(parse_render_page(d, n, 0, 100, "文库", NULL, 0, NULL, &png, &pn,
				tp_err, sizeof(tp_err)) == WK_EINVAL);
	CHECK_CONTAINS(tp_err, "watermark");
	CHECK(parse_render_page(d, n, 0, 100, "x", "not a font", 10, NULL,
				&png, &pn, tp_err, sizeof(tp_err)) ==
	      WK_EINVAL);
	CHECK(parse_render_page("hello", 5, 0, 100, NULL, NULL, 0, NULL, &png,
				&pn, tp_err, sizeof(tp_err)) ==
	      WK_EUNSUPPORTED);
	enc = data_file("unstructured-password.pdf", &en);
	CHECK(parse_render_page(enc, en, 0, 100, NULL, NULL, 0, NULL, &png,
				&pn, tp_err, sizeof(tp_err)) ==
	      WK_EUNSUPPORTED);
	CHECK_CONTAINS(tp_err, "encrypted");
	CHECK(png == NULL);
	free(enc);
	free(d);
}

/* Page boxes are the file's numbers: huge, inverted, empty, far out. */
TEST(render_odd_page_boxes)
{
	static const char *const boxes[] = {
		"[0 0 612 792]", "[1e9 -1e9 1000000100 1e9]", "[0 0 1e38 1]",
		"[612 792 0 0]", "[0 0 0 0]", "[-3e38 -3e38 3e38 3e38]",
		"[0 0 1 100000]", "[0 0 100000 1]", "[nan 0 1 1]",
	};
	unsigned char *png;
	size_t i, n, pn;
	char page[160], *d;
	struct pdfb b;
	int rc;

	for (i = 0; i < sizeof(boxes) / sizeof(boxes[0]); i++) {
		pdfb_init(&b);
		pdfb_obj(&b, "<< /Type /Catalog /Pages 2 0 R >>");
		pdfb_obj(&b, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
		snprintf(page, sizeof(page), "<< /Type /Page /Parent 2 0 R "
			 "/MediaBox %s /Contents 4 0 R >>", boxes[i]);
		pdfb_obj(&b, page);
		pdfb_stream(&b, "", "0 0 m 100 100 l S");
		d = pdfb_finish(&b, &n);
		png = NULL;
		rc = parse_render_page(d, n, 0, 64, "wenku", NULL, 0, NULL,
				       &png, &pn, tp_err, sizeof(tp_err));
		CHECK(rc == 0 || rc == WK_EMALFORMED);
		if (rc == 0)
			CHECK(png_is(png, pn, 64, 0) && be32(png + 20) >= 1 &&
			      be32(png + 20) <= 64 * RENDER_MAX_ASPECT);
		free(png);
		free(d);
	}
}

TEST(render_limits)
{
	struct parse_limits lim;
	unsigned char *png = NULL;
	size_t n, pn = 0, cap;
	char *d = make_pdf("/X Do", 12, "0 0 m 100 100 l S", &n);
	double t;
	int rc;

	parse_default_limits(&lim);
	lim.max_seconds = 0.3;
	t = now();
	CHECK(parse_render_page(d, n, 0, 200, "x", NULL, 0, &lim, &png, &pn,
				tp_err, sizeof(tp_err)) == WK_ETOOBIG);
	CHECK(now() - t < 3);
	CHECK_CONTAINS(tp_err, "seconds");
	CHECK(png == NULL);
	free(d);

	d = data_file("pypdf-minimal-document.pdf", &n);
	parse_default_limits(&lim);
	for (cap = 128 << 10; d && cap < (8 << 20); cap += cap / 6) {
		lim.max_memory = cap;
		rc = parse_render_page(d, n, 0, 600, "wenku", NULL, 0, &lim,
				       &png, &pn, tp_err, sizeof(tp_err));
		CHECK(rc == 0 || rc == WK_ETOOBIG);
		CHECK(rc != 0 || png_is(png, pn, 600, 0));
		free(png);
		png = NULL;
	}
	free(d);
}
