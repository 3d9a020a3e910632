/*
 * fuzz_txt.c - fuzz harness for format detection and the text parser
 * (BOMs, UTF-16 guessing, GB18030/Big5 via iconv, line splitting).
 *
 * Every input goes through parse_detect() and parse_document(); the
 * result must be valid UTF-8 and exactly its blocks joined by '\n'.
 */
#include "../src/base/utf8.h"
#include "../src/parse/parse.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int fuzz_txt(const uint8_t *data, size_t size);

/* Abort unless text is the non-page-break blocks joined by '\n'. */
static void check(const struct parse_result *r)
{
	size_t i, off = 0, ntext = 0;

	if (!r->text || strlen(r->text) != r->text_len ||
	    !utf8_valid(r->text, r->text_len))
		abort();
	for (i = 0; i < r->nblocks; i++) {
		const struct parse_block *b = &r->blocks[i];
		if (b->kind == PB_PAGE_BREAK)
			continue;
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
}

int fuzz_txt(const uint8_t *data, size_t size)
{
	struct parse_result r;
	char err[256];

	(void)parse_detect(data, size);
	if (parse_document(data, size, NULL, &r, err, sizeof(err)) == 0)
		check(&r);
	parse_result_release(&r);
	return 0;
}

#ifdef FUZZ_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { fuzz_txt(d, n); return 0; }
#endif
