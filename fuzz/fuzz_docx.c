/*
 * fuzz_docx.c - fuzz harness for the docx parser (zip + XML).
 *
 * Inputs that start with "PK" go to parse_document() as they are, so the
 * zip layer (zipsafe, libzip) sees raw mutations. Anything else is split
 * at NUL bytes into package parts (document, styles, core and app
 * properties, package and document relationships, content types), which
 * are packed into a stored zip (pack.c); this way mutations reach the XML
 * handlers instead of dying on a CRC check. parse_document() must never
 * crash or leak, whatever it returns.
 */
#include "pack.h"

#include <stdint.h>
#include <stdlib.h>

int fuzz_docx(const uint8_t *data, size_t size);

static const char *const part_names[] = {
	"word/document.xml",
	"word/styles.xml",
	"docProps/core.xml",
	"docProps/app.xml",
	"_rels/.rels",
	"[Content_Types].xml",
	"word/_rels/document.xml.rels",
};

int fuzz_docx(const uint8_t *data, size_t size)
{
	/* No defaults: a part the input does not reach is absent. */
	fuzz_ooxml(data, size, part_names, NULL,
		   sizeof(part_names) / sizeof(part_names[0]));
	return 0;
}

#ifdef FUZZ_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { fuzz_docx(d, n); return 0; }
#endif
