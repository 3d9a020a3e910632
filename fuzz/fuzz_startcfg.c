/*
 * fuzz_startcfg.c - fuzz harness for the start-up file parser
 * (src/cli/startcfg.c): any bytes either parse into values that each pass
 * their own validation, or fail with "FILE:" at the head of the message
 * and the set left as it was.
 */
#include "../src/cli/startcfg.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int fuzz_startcfg(const uint8_t *data, size_t size);

int fuzz_startcfg(const uint8_t *data, size_t size)
{
	struct startcfg c;
	char err[600], why[300];

	startcfg_init(&c);
	if (startcfg_parse(&c, "fuzz.conf", (const char *)data, size, err,
			   sizeof(err)) == 0) {
		for (int id = 0; id < SCF_COUNT; id++) {
			const struct startcfg_def *d = &startcfg_table[id];
			if (startcfg_count(&c, id) > d->repeat)
				abort();
			for (unsigned i = 0; i < startcfg_count(&c, id); i++)
				if (startcfg_validate(d, startcfg_nth(&c, id, i),
						      why, sizeof(why)))
					abort();
		}
		startcfg_check(&c, err, sizeof(err));
	} else {
		if (strncmp(err, "fuzz.conf", 9))
			abort();
		for (int id = 0; id < SCF_COUNT; id++)
			if (startcfg_count(&c, id))
				abort();	/* never half-applied */
	}
	startcfg_release(&c);
	return 0;
}

#ifdef FUZZ_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	fuzz_startcfg(d, n);
	return 0;
}
#endif
