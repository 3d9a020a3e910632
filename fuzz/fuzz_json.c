/*
 * fuzz_json.c - fuzz harness for the JSON member reader (API bodies are
 * client-controlled).
 */
#include "../src/base/buf.h"
#include "../src/base/json.h"
#include "../src/base/utf8.h"

#include <stdint.h>
#include <stdlib.h>

int fuzz_json(const uint8_t *data, size_t size);

int fuzz_json(const uint8_t *data, size_t size)
{
	struct buf b;

	buf_init(&b, 1 << 20);
	if (json_object_string((const char *)data, size, "name", &b) == 0 &&
	    !utf8_valid(b.data ? b.data : "", b.len))
		abort();	/* decoded members are valid UTF-8 */
	buf_release(&b);
	return 0;
}

#ifdef FUZZ_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	fuzz_json(d, n);
	return 0;
}
#endif
