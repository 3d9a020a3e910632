/*
 * fuzz_odt.c - fuzz harness for the OpenDocument text parser.
 *
 * Inputs that start with "PK" go to parse_document() as they are, so the
 * zip layer sees raw mutations. Anything else is split at NUL bytes into
 * content.xml, meta.xml and META-INF/manifest.xml, packed into a stored
 * zip after a fixed "mimetype" entry (pack.c), so that mutations reach
 * the XML handlers. parse_document() must never crash or leak, and what
 * it returns must keep parse.h's promises.
 */
#include "pack.h"

#include <stdint.h>

int fuzz_odt(const uint8_t *data, size_t size);

static const char mime[] = "application/vnd.oasis.opendocument.text";

static const char *const names[] = {
	"mimetype", "content.xml", "meta.xml", "META-INF/manifest.xml",
};
#define NPARTS (sizeof(names) / sizeof(names[0]))

int fuzz_odt(const uint8_t *data, size_t size)
{
	/* No defaults: a part the input does not reach is absent. */
	fuzz_ocf(data, size, mime, names, NULL, 0, NPARTS);
	return 0;
}

#ifdef FUZZ_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { fuzz_odt(d, n); return 0; }
#endif
