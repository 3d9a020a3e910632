/*
 * fuzz_trace.c - fuzz harness for download marks (domain/trace.h,
 * parse/stamp.h): the stamper edits documents strangers uploaded, and
 * wenku trace reads copies leakers altered.
 *
 * A "%PDF" input goes to parse_stamp_pdf() (what the sandboxed worker
 * runs). Inputs that start with "PK" are stamped as every zip format in
 * turn as they are; anything else is split at NUL bytes into the parts
 * the stampers look at (content types, relationships, the docx body, a
 * slide, a sheet, custom properties, odt content and meta, an epub's
 * container, OPF and title page), packed into a stored zip (pack.c).
 * Every stamped copy and the input are then read back by trace_find().
 * Nothing may crash or leak, whatever is returned.
 */
#include "pack.h"

#include "../src/domain/trace.h"
#include "../src/parse/stamp.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int fuzz_trace(const uint8_t *data, size_t size);

static const char *const part_names[] = {
	"[Content_Types].xml",
	"_rels/.rels",
	"word/document.xml",
	"ppt/presentation.xml",
	"ppt/slides/slide1.xml",
	"xl/worksheets/sheet1.xml",
	"docProps/custom.xml",
	"content.xml",
	"meta.xml",
	"META-INF/manifest.xml",
	"META-INF/container.xml",
	"OEBPS/content.opf",
	"OEBPS/title.xhtml",
};
#define NPARTS (sizeof(part_names) / sizeof(part_names[0]))

static void stamp_all(const unsigned char key[TRACE_KEY_BYTES],
		      const uint8_t *zip, size_t len, const char *mark)
{
	static const char *const formats[] = { "docx", "pptx", "xlsx", "odt",
					       "epub" };
	unsigned char *out;
	size_t i, n;
	int64_t id;
	bool genuine;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		out = NULL;
		if (trace_stamp(NULL, formats[i], zip, len, mark, &out, &n) == 0) {
			trace_find(NULL, key, out, n, &id, &genuine);
			free(out);
		} else if (out) {
			abort();	/* a failure leaves nothing behind */
		}
	}
	trace_find(NULL, key, zip, len, &id, &genuine);
}

int fuzz_trace(const uint8_t *data, size_t size)
{
	unsigned char key[TRACE_KEY_BYTES] = { 7 };
	char mark[TRACE_MARK_MAX];

	trace_mark(key, 42, mark);
	if (size >= 4 && !memcmp(data, "%PDF", 4)) {
		unsigned char *out = NULL;
		size_t n;
		char err[256];
		int64_t id;
		bool genuine;
		if (parse_stamp_pdf(data, size, mark, NULL, &out, &n, err,
				    sizeof(err)) == 0) {
			trace_find(NULL, key, out, n, &id, &genuine);
			free(out);
		} else if (out) {
			abort();
		}
		trace_find(NULL, key, data, size, &id, &genuine);
	} else if (size >= 2 && data[0] == 'P' && data[1] == 'K') {
		stamp_all(key, data, size, mark);
	} else {
		const uint8_t *part[NPARTS];
		size_t plen[NPARTS], np, zlen;
		uint8_t *zip;

		np = fuzz_split(data, size, part, plen, NPARTS);
		zip = fuzz_pack(part_names, part, plen, np, &zlen);
		if (zip) {
			stamp_all(key, zip, zlen, mark);
			free(zip);
		}
	}
	return 0;
}

#ifdef FUZZ_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { fuzz_trace(d, n); return 0; }
#endif
