/*
 * fuzz_md.c - fuzz harness for Markdown: detection (txt or md), and the
 * Markdown parser itself, called directly so that inputs detection
 * would call plain text still reach the block and inline code.
 */
#include "pack.h"
#include "../src/parse/parse.h"
#include "../src/parse/parse_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int fuzz_md(const uint8_t *data, size_t size);

int fuzz_md(const uint8_t *data, size_t size)
{
	struct parse_limits lim;
	struct parse_result r;
	char err[256];

	(void)parse_detect(data, size);
	fuzz_parse_check(data, size);
	parse_default_limits(&lim);
	memset(&r, 0, sizeof(r));
	if (md_parse(data, size, &lim, &r, err, sizeof(err)) == 0)
		fuzz_check(&r);
	else if (r.text || r.blocks || r.title || r.author)
		abort();
	parse_result_release(&r);
	return 0;
}

#ifdef FUZZ_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { fuzz_md(d, n); return 0; }
#endif
