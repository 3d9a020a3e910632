/*
 * fuzz_frame.c - fuzz harness for the worker result frame decoder: a
 * subverted worker controls every byte of its frame.
 */
#include "../src/parse/frame.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int fuzz_frame(const uint8_t *data, size_t size);

int fuzz_frame(const uint8_t *data, size_t size)
{
	struct parse_result r;
	char err[256];
	int code;

	if (frame_decode(data, size, NULL, &r, &code, err, sizeof(err)) == 0 &&
	    code == 0) {
		/* A decoded result keeps parse.h's promises. */
		size_t i, len = 0;
		for (i = 0; i < r.nblocks; i++)
			if (memchr(r.blocks[i].text, '\n', r.blocks[i].len))
				abort();
		if (strlen(r.text) != r.text_len)
			abort();
		(void)len;
		parse_result_release(&r);
	}
	return 0;
}

#ifdef FUZZ_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	fuzz_frame(d, n);
	return 0;
}
#endif
