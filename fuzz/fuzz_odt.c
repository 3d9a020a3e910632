/*
 * fuzz_odt.c - fuzz harness for the OpenDocument text parser.
 *
 * Inputs that start with "PK" go to parse_document() as they are, so the
 * zip layer sees raw mutations. Anything else is split at NUL bytes into
 * content.xml, meta.xml and META-INF/manifest.xml, packed into a stored
 * zip after a fixed "mimetype" entry, so that mutations reach the XML
 * handlers. parse_document() must never crash or leak, and what it
 * returns must keep parse.h's promises.
 */
#include "fuzz_util.h"

int fuzz_odt(const uint8_t *data, size_t size);

static const char mime[] = "application/vnd.oasis.opendocument.text";

static const char *const names[] = {
	"mimetype", "content.xml", "meta.xml", "META-INF/manifest.xml",
};
#define NPARTS (sizeof(names) / sizeof(names[0]))

int fuzz_odt(const uint8_t *data, size_t size)
{
	const uint8_t *part[NPARTS];
	size_t plen[NPARTS], n, zlen;
	uint8_t *z;

	if (size >= 2 && data[0] == 'P' && data[1] == 'K') {
		fz_run(data, size);
		return 0;
	}
	part[0] = (const uint8_t *)mime;
	plen[0] = sizeof(mime) - 1;
	n = 1 + fz_split(data, size, part + 1, plen + 1, NPARTS - 1);
	z = fz_pack(names, part, plen, n, &zlen);
	if (z)
		fz_run(z, zlen);
	free(z);
	return 0;
}

#ifdef FUZZ_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { fuzz_odt(d, n); return 0; }
#endif
