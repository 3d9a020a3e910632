/*
 * fuzz_xlsx.c - fuzz harness for the xlsx parser (zip + XML).
 *
 * Inputs that start with "PK" go to parse_document() as they are. Anything
 * else is split at NUL bytes into the first sheet, the shared strings, a
 * second sheet, the workbook, its relationships, the content types, the
 * package relationships and the core properties, packed into a stored
 * zip (pack.c). Parts the input does not reach get working defaults, so
 * a lone sheet (or a sheet and its shared strings) is read as the first
 * of a two-sheet workbook and mutations reach the cell handlers.
 */
#include "pack.h"

#include <stdint.h>
#include <stdlib.h>

int fuzz_xlsx(const uint8_t *data, size_t size);

#define REL_NS "http://schemas.openxmlformats.org/package/2006/relationships"
#define REL_T "http://schemas.openxmlformats.org/officeDocument/2006/" \
	      "relationships/"

static const char *const part_names[] = {
	"xl/worksheets/sheet1.xml",
	"xl/sharedStrings.xml",
	"xl/worksheets/sheet2.xml",
	"xl/workbook.xml",
	"xl/_rels/workbook.xml.rels",
	"[Content_Types].xml",
	"_rels/.rels",
	"docProps/core.xml",
};

static const char *const defaults[] = {
	NULL,
	NULL,
	NULL,
	"<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/"
	"2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/"
	"officeDocument/2006/relationships\"><sheets><sheet name=\"one\" "
	"sheetId=\"1\" r:id=\"rId1\"/><sheet name=\"two\" sheetId=\"2\" "
	"r:id=\"rId2\"/></sheets></workbook>",
	"<Relationships xmlns=\"" REL_NS "\"><Relationship Id=\"rId1\" "
	"Type=\"" REL_T "worksheet\" Target=\"worksheets/sheet1.xml\"/>"
	"<Relationship Id=\"rId2\" Type=\"" REL_T "worksheet\" "
	"Target=\"worksheets/sheet2.xml\"/><Relationship Id=\"rId3\" "
	"Type=\"" REL_T "sharedStrings\" Target=\"sharedStrings.xml\"/>"
	"</Relationships>",
	"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"
	"content-types\"><Override PartName=\"/xl/workbook.xml\" "
	"ContentType=\"application/vnd.openxmlformats-officedocument."
	"spreadsheetml.sheet.main+xml\"/></Types>",
	"<Relationships xmlns=\"" REL_NS "\"><Relationship Id=\"rId1\" "
	"Type=\"" REL_T "officeDocument\" Target=\"xl/workbook.xml\"/>"
	"</Relationships>",
	NULL,
};

int fuzz_xlsx(const uint8_t *data, size_t size)
{
	fuzz_ooxml(data, size, part_names, defaults,
		   sizeof(part_names) / sizeof(part_names[0]));
	return 0;
}

#ifdef FUZZ_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { fuzz_xlsx(d, n); return 0; }
#endif
