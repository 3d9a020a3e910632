/*
 * fuzz_pdf.c - fuzz harness for PDF text (pdf.c) and page images
 * (render.c), both through MuPDF under the pdfjob caps.
 *
 * Inputs that do not start with "%PDF-" get that header in front, so
 * every mutation reaches MuPDF's parser and repair code. Each input is
 * parsed, and its first page rendered small with a watermark in the
 * built-in font; the limits are lower than the defaults (64 MiB, one
 * second) so a slow input cannot stall the fuzzer. Nothing may crash
 * or leak; a parse result must keep parse.h's promises, a failure must
 * leave nothing behind, and a rendered page must be a PNG.
 *
 * MuPDF comes from Debian's static library without coverage
 * instrumentation, so libFuzzer steers by our code's coverage only:
 * this harness finds crashes, leaks and sanitizer reports in MuPDF
 * (heap errors through the intercepted allocator and libc calls) and
 * in our code, but explores MuPDF blind.
 */
#include "../src/base/utf8.h"
#include "../src/parse/parse.h"
#include "../src/parse/render.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int fuzz_pdf(const uint8_t *data, size_t size);

/* Abort unless the result keeps parse.h's promises: valid UTF-8 text
 * that is exactly the non-page-break blocks joined by '\n'. */
static void check(const struct parse_result *r)
{
	size_t i, off = 0, ntext = 0;

	if (r->format != PF_PDF || !r->text ||
	    strlen(r->text) != r->text_len ||
	    !utf8_valid(r->text, r->text_len) || r->pages < 1 ||
	    r->pages_estimated)
		abort();
	for (i = 0; i < r->nblocks; i++) {
		const struct parse_block *b = &r->blocks[i];
		if (b->kind == PB_PAGE_BREAK) {
			if (b->len || !b->text || b->text[0])
				abort();
			continue;
		}
		if (b->kind == PB_HEADING && (b->level < 1 || b->level > 3))
			abort();
		if (ntext++ && r->text[off++] != '\n')
			abort();
		if (b->len == 0 || memchr(b->text, '\n', b->len) ||
		    off + b->len > r->text_len ||
		    memcmp(r->text + off, b->text, b->len) != 0)
			abort();
		off += b->len;
	}
	if (off != r->text_len)
		abort();
	if (r->title && !utf8_valid(r->title, strlen(r->title)))
		abort();
	if (r->author && !utf8_valid(r->author, strlen(r->author)))
		abort();
}

static void run(const uint8_t *data, size_t size)
{
	struct parse_limits lim;
	struct parse_result r;
	unsigned char *png = NULL;
	size_t png_len = 0;
	char err[256];

	parse_default_limits(&lim);
	lim.max_memory = (size_t)64 << 20;
	lim.max_seconds = 1;
	lim.max_pages = 50;
	if (parse_document(data, size, &lim, &r, err, sizeof(err)) == 0)
		check(&r);
	else if (r.text || r.blocks || r.title || r.author)
		abort();	/* a failure must leave the result empty */
	parse_result_release(&r);

	if (parse_render_page(data, size, 0, 64, "wenku 文库 12345", NULL, 0,
			      &lim, &png, &png_len, err, sizeof(err)) == 0) {
		if (!png || png_len < 8 ||
		    memcmp(png, "\x89PNG\r\n\x1a\n", 8) != 0)
			abort();
	} else if (png || png_len) {
		abort();
	}
	free(png);
}

int fuzz_pdf(const uint8_t *data, size_t size)
{
	static const char head[] = "%PDF-1.7\n";
	uint8_t *d;

	if (size >= 5 && memcmp(data, "%PDF-", 5) == 0) {
		run(data, size);
		return 0;
	}
	d = malloc(size + sizeof(head) - 1);
	if (!d)
		return 0;
	memcpy(d, head, sizeof(head) - 1);
	if (size)
		memcpy(d + sizeof(head) - 1, data, size);
	run(d, size + sizeof(head) - 1);
	free(d);
	return 0;
}

#ifdef FUZZ_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { fuzz_pdf(d, n); return 0; }
#endif
