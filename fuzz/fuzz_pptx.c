/*
 * fuzz_pptx.c - fuzz harness for the pptx parser (zip + XML).
 *
 * Inputs that start with "PK" go to parse_document() as they are. Anything
 * else is split at NUL bytes into two slides, the presentation, its
 * relationships, the content types, the package relationships and the
 * core properties, packed into a stored zip (pack.c). Parts the input
 * does not reach get working defaults, so a lone slide is read as slide
 * one of a two-slide presentation and mutations reach the slide handlers.
 */
#include "pack.h"

#include <stdint.h>
#include <stdlib.h>

int fuzz_pptx(const uint8_t *data, size_t size);

#define REL_NS "http://schemas.openxmlformats.org/package/2006/relationships"
#define REL_T "http://schemas.openxmlformats.org/officeDocument/2006/" \
	      "relationships/"

static const char *const part_names[] = {
	"ppt/slides/slide1.xml",
	"ppt/slides/slide2.xml",
	"ppt/presentation.xml",
	"ppt/_rels/presentation.xml.rels",
	"[Content_Types].xml",
	"_rels/.rels",
	"docProps/core.xml",
};

static const char *const defaults[] = {
	NULL,
	NULL,
	"<p:presentation xmlns:p=\"http://schemas.openxmlformats.org/"
	"presentationml/2006/main\" xmlns:r=\"http://schemas.openxmlformats."
	"org/officeDocument/2006/relationships\"><p:sldIdLst><p:sldId "
	"id=\"256\" r:id=\"rId1\"/><p:sldId id=\"257\" r:id=\"rId2\"/>"
	"</p:sldIdLst></p:presentation>",
	"<Relationships xmlns=\"" REL_NS "\"><Relationship Id=\"rId1\" "
	"Type=\"" REL_T "slide\" Target=\"slides/slide1.xml\"/><Relationship "
	"Id=\"rId2\" Type=\"" REL_T "slide\" Target=\"slides/slide2.xml\"/>"
	"</Relationships>",
	"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"
	"content-types\"><Override PartName=\"/ppt/presentation.xml\" "
	"ContentType=\"application/vnd.openxmlformats-officedocument."
	"presentationml.presentation.main+xml\"/></Types>",
	"<Relationships xmlns=\"" REL_NS "\"><Relationship Id=\"rId1\" "
	"Type=\"" REL_T "officeDocument\" Target=\"ppt/presentation.xml\"/>"
	"</Relationships>",
	NULL,
};

int fuzz_pptx(const uint8_t *data, size_t size)
{
	fuzz_ooxml(data, size, part_names, defaults,
		   sizeof(part_names) / sizeof(part_names[0]));
	return 0;
}

#ifdef FUZZ_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { fuzz_pptx(d, n); return 0; }
#endif
