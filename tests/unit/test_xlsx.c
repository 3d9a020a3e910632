/*
 * test_xlsx.c - the Excel parser: cell values (shared and inline strings,
 * numbers, booleans, errors, cached formula results), sheets in order
 * and visibility, column gaps, caps, and hostile packages (DTDs,
 * external relationships, truncation, zip bombs, the text limit).
 *
 * Small workbooks are built here with libzip (parse_util.c); real ones live
 * in tests/data/parse/ (see its README.md).
 */
#include "../harness.h"
#include "parse_util.h"
#include "../../src/base/buf.h"
#include "../../src/base/err.h"
#include "../../src/parse/parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS_SML                                                              \
	"xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" " \
	"xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/"     \
	"relationships\""
#define REL_NS "http://schemas.openxmlformats.org/package/2006/relationships"
#define REL_T "http://schemas.openxmlformats.org/officeDocument/2006/" \
	      "relationships/"

/* ---- building workbooks ------------------------------------------------- */

static const char ctypes_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"
	"content-types\"><Default Extension=\"xml\" ContentType=\"application/"
	"xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\""
	"application/vnd.openxmlformats-officedocument.spreadsheetml."
	"sheet.main+xml\"/></Types>";

static const char pkg_rels[] =
	"<Relationships xmlns=\"" REL_NS "\">"
	"<Relationship Id=\"rId1\" Type=\"" REL_T "officeDocument\" "
	"Target=\"xl/workbook.xml\"/></Relationships>";

#define SHEET(rows) "<worksheet " NS_SML "><sheetData>" rows \
		    "</sheetData></worksheet>"
#define SST(items) "<sst " NS_SML ">" items "</sst>"
#define SHREF(name, n) "<sheet name=\"" name "\" sheetId=\"" #n "\" " \
		       "r:id=\"rId" #n "\"/>"

/* A workbook whose sheet i is xl/worksheets/sheet<i+1>.xml, related as
 * rId<i+1>, listed as sheetrefs says (SHREF("a", 2) SHREF("b", 1)...);
 * sst (may be NULL) is xl/sharedStrings.xml, related unless extra_rels
 * is given, which then replaces that relationship. */
static char *make_xlsx(const char *const *sheets, size_t nsheets,
		       const char *sheetrefs, const char *sst,
		       const char *extra_rels, const struct tp_zent *extra,
		       size_t *len)
{
	struct tp_zent e[32];
	char wb[4096], rels[8192], names[16][40];
	size_t n = 0, i, o;

	snprintf(wb, sizeof(wb),
		 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
		 "<workbook " NS_SML "><bookViews/><sheets>%s</sheets>"
		 "</workbook>", sheetrefs);
	o = (size_t)snprintf(rels, sizeof(rels),
			     "<Relationships xmlns=\"" REL_NS "\">%s",
			     extra_rels ? extra_rels :
			     "<Relationship Id=\"rId99\" Type=\"" REL_T
			     "sharedStrings\" Target=\"sharedStrings.xml\"/>");
	for (i = 0; i < nsheets && i < 16; i++) {
		o += (size_t)snprintf(rels + o, sizeof(rels) - o,
				      "<Relationship Id=\"rId%zu\" Type=\""
				      REL_T "worksheet\" Target=\"worksheets/"
				      "sheet%zu.xml\"/>", i + 1, i + 1);
		snprintf(names[i], sizeof(names[i]),
			 "xl/worksheets/sheet%zu.xml", i + 1);
		e[n++] = (struct tp_zent){ names[i], sheets[i], 0 };
	}
	snprintf(rels + o, sizeof(rels) - o, "</Relationships>");
	e[n++] = (struct tp_zent){ "[Content_Types].xml", ctypes_xml, 0 };
	e[n++] = (struct tp_zent){ "_rels/.rels", pkg_rels, 0 };
	e[n++] = (struct tp_zent){ "xl/workbook.xml", wb, 0 };
	e[n++] = (struct tp_zent){ "xl/_rels/workbook.xml.rels", rels, 0 };
	if (sst)
		e[n++] = (struct tp_zent){ "xl/sharedStrings.xml", sst, 0 };
	for (; extra && extra->name && n < 31; extra++)
		e[n++] = *extra;
	e[n] = (struct tp_zent){ NULL, NULL, 0 };
	return tp_zip(e, TP_ZIP_BEST, len);
}

static int parse_book(const char *const *sheets, size_t n,
		      const char *sheetrefs, const char *sst,
		      struct parse_result *r)
{
	size_t len;
	char *z = make_xlsx(sheets, n, sheetrefs, sst, NULL, NULL, &len);
	int rc = tp_parse_mem(z, len, NULL, r);

	free(z);
	return rc;
}

/* ---- cell values -------------------------------------------------------- */

TEST(xlsx_cell_values)
{
	const char *sheets[] = { SHEET(
		"<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c>"
		"<c r=\"B1\" t=\"s\"><v>1</v></c><c r=\"C1\" t=\"s\"><v>2</v></c>"
		"<c r=\"D1\" t=\"inlineStr\"><is><t>inline</t></is></c>"
		"<c r=\"E1\" t=\"inlineStr\"><is><r><t>rich </t></r><r><t>inline"
		"</t></r><rPh><t>PHONETIC</t></rPh></is></c></row>"
		"<row r=\"2\"><c r=\"A2\"><f>SUM(B2:C2)</f><v>3</v></c>"
		"<c r=\"B2\"><v>1.5E-3</v></c><c r=\"C2\" t=\"b\"><v>1</v></c>"
		"<c r=\"D2\" t=\"b\"><v>0</v></c><c r=\"E2\" t=\"e\"><f>1/0</f>"
		"<v>#DIV/0!</v></c><c r=\"F2\" t=\"str\"><f>CONCAT(\"a\",\"b\")"
		"</f><v>ab</v></c><c r=\"G2\"><f>NOW()</f></c></row>"
		"<row r=\"3\"><c r=\"A3\" t=\"s\"><v>3</v></c>"
		"<c r=\"B3\" t=\"s\"><v> 4 </v></c></row>") };
	static const char sst[] = SST(
		"<si><t>共享</t></si>"
		"<si><r><rPr><b/></rPr><t>rich</t></r><r><t xml:space="
		"\"preserve\"> text</t></r></si>"
		"<si><t>豊田</t><rPh sb=\"0\" eb=\"1\"><t>トヨタ</t></rPh>"
		"<phoneticPr fontId=\"1\"/></si>"
		"<si><t>line_x000D_break_x005F_x0041_ tab_x0009_x</t></si>"
		"<si><t/></si>");
	struct parse_result r;

	CHECK(parse_book(sheets, 1, SHREF("数据", 1), sst, &r) == 0);
	CHECK(r.format == PF_XLSX);
	CHECK_STR(parse_format_name(r.format), "xlsx");
	CHECK(r.nblocks == 4);
	if (r.nblocks == 4) {
		CHECK(r.blocks[0].kind == PB_HEADING && r.blocks[0].level == 2);
		CHECK_STR(r.blocks[0].text, "数据");
		CHECK(r.blocks[1].kind == PB_TABLE_ROW);
		CHECK_STR(r.blocks[1].text,
			  "共享\trich text\t豊田\tinline\trich inline");
		/* cached values; a formula without one is empty */
		CHECK_STR(r.blocks[2].text,
			  "3\t1.5E-3\tTRUE\tFALSE\t#DIV/0!\tab");
		/* _xHHHH_ escapes decoded; a tab or line break inside a
		 * cell is a space */
		CHECK_STR(r.blocks[3].text, "line break_x0041_ tab x");
	}
	CHECK(!strstr(r.text, "SUM"));
	CHECK(!strstr(r.text, "CONCAT"));
	CHECK(!strstr(r.text, "NOW"));
	CHECK(!strstr(r.text, "PHONETIC"));
	CHECK(!strstr(r.text, "トヨタ"));
	CHECK(r.pages == 1 && !r.pages_estimated);
	CHECK(tp_consistent(&r));
	parse_result_release(&r);
}

TEST(xlsx_shared_string_index_out_of_range)
{
	const char *sheets[] = { SHEET(
		"<row><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\">"
		"<v>1</v></c><c r=\"C1\" t=\"s\"><v>99999999999999</v></c>"
		"<c r=\"D1\" t=\"s\"><v>-1</v></c><c r=\"E1\" t=\"s\"><v>x</v>"
		"</c><c r=\"F1\" t=\"s\"/><c r=\"G1\"><v>end</v></c></row>") };
	struct parse_result r;

	CHECK(parse_book(sheets, 1, SHREF("S", 1), SST("<si><t>only</t></si>"),
			 &r) == 0);
	CHECK(r.nblocks == 2);
	if (r.nblocks == 2)
		CHECK_STR(r.blocks[1].text, "only\t\t\t\t\t\tend");
	parse_result_release(&r);

	/* no shared strings part at all */
	CHECK(parse_book(sheets, 1, SHREF("S", 1), NULL, &r) == 0);
	if (r.nblocks == 2)
		CHECK_STR(r.blocks[1].text, "\t\t\t\t\t\tend");
	parse_result_release(&r);
}

/* ---- sheets and rows ---------------------------------------------------- */

TEST(xlsx_sheets_in_order_hidden_skipped)
{
	const char *sheets[] = {
		SHEET("<row><c><v>1</v></c></row>"),
		SHEET("<row><c><v>HIDDEN</v></c></row>"),
		SHEET("<row><c><v>3</v></c></row>"),
		SHEET("<row><c><v>VERYHIDDEN</v></c></row>"),
		SHEET(""),
	};
	struct parse_result r;

	CHECK(parse_book(sheets, 5,
			 SHREF("third", 3) SHREF("first", 1)
			 "<sheet name=\"h\" sheetId=\"2\" state=\"hidden\" "
			 "r:id=\"rId2\"/><sheet name=\"vh\" sheetId=\"4\" "
			 "state=\"veryHidden\" r:id=\"rId4\"/>" SHREF("empty", 5)
			 "<sheet name=\"gone\" sheetId=\"6\" r:id=\"rId6\"/>",
			 NULL, &r) == 0);
	CHECK_STR(r.text, "third\n3\nfirst\n1\nempty");
	CHECK(r.pages == 3);
	CHECK(tp_count(&r, PB_PAGE_BREAK) == 2);
	CHECK(tp_count(&r, PB_HEADING) == 3);
	CHECK(r.nblocks == 7 && r.blocks[2].kind == PB_PAGE_BREAK);
	parse_result_release(&r);
}

TEST(xlsx_column_gaps_and_caps)
{
	const char *sheets[] = { SHEET(
		"<row r=\"1\"><c r=\"A1\"><v>a</v></c><c r=\"C1\"><v>c</v></c>"
		"<c><v>d</v></c><c r=\"F1\"><v>f</v></c></row>"
		"<row r=\"3\"><c r=\"B3\"><v>b</v></c></row>"
		"<row r=\"4\"><c r=\"A4\"><v>  </v></c></row>"
		"<row r=\"5\"><c r=\"C5\"><v>late</v></c><c r=\"A5\"><v>early"
		"</v></c><c r=\"C5\"><v>DUPLICATE</v></c></row>"
		"<row r=\"6\"><c r=\"IV6\"><v>last</v></c><c r=\"IW6\"><v>"
		"BEYOND</v></c><c r=\"XFD6\"><v>FAR</v></c></row>") };
	struct parse_result r;
	char want[300];

	CHECK(parse_book(sheets, 1, SHREF("S", 1), NULL, &r) == 0);
	CHECK(r.nblocks == 5);
	if (r.nblocks == 5) {
		CHECK_STR(r.blocks[1].text, "a\t\tc\td\t\tf");
		/* leading empty cells kept, empty rows dropped */
		CHECK_STR(r.blocks[2].text, "\tb");
		CHECK_STR(r.blocks[3].text, "early\t\tlate");
		/* column IV is the 256th and last one read */
		memset(want, '\t', 255);
		strcpy(want + 255, "last");
		CHECK_STR(r.blocks[4].text, want);
	}
	CHECK(!strstr(r.text, "BEYOND") && !strstr(r.text, "FAR"));
	CHECK(!strstr(r.text, "DUPLICATE"));
	parse_result_release(&r);
}

TEST(xlsx_huge_sheet_capped)
{
	struct parse_result r;
	struct buf big;
	const char *sheets[2];
	size_t i;

	buf_init(&big, 0);
	buf_adds(&big, "<worksheet " NS_SML "><sheetData>");
	for (i = 0; i < 150000; i++)
		buf_addf(&big, "<row><c><v>%zu</v></c></row>", i + 1);
	buf_adds(&big, "</sheetData></worksheet>");
	sheets[0] = buf_str(&big);
	sheets[1] = SHEET("<row><c><v>next sheet</v></c></row>");

	CHECK(parse_book(sheets, 2, SHREF("big", 1) SHREF("small", 2), NULL,
			 &r) == 0);
	/* heading, 100000 rows, page break, heading, row */
	CHECK(r.nblocks == 100004);
	CHECK(tp_count(&r, PB_TABLE_ROW) == 100001);
	if (r.nblocks == 100004) {
		CHECK_STR(r.blocks[100000].text, "100000");
		CHECK_STR(r.blocks[100003].text, "next sheet");
	}
	CHECK(r.pages == 2);
	CHECK(tp_err[0] == '\0');
	parse_result_release(&r);
	buf_release(&big);
}

TEST(xlsx_strict_namespaces)
{
	struct parse_result r;

	CHECK(tp_parse_file(TP_DATA "poi-SimpleStrict.xlsx", &r) == 0);
	CHECK(r.format == PF_XLSX && r.pages == 2);
	CHECK(tp_count(&r, PB_HEADING) == 2);
	CHECK(r.nblocks > 0 && strcmp(r.blocks[0].text, "Sheet1") == 0);
	CHECK(tp_contains_nows(r.text, "Sheet Number 2"));
	CHECK(tp_contains_nows(r.text, "Stuff"));
	parse_result_release(&r);
}

/* ---- hostile packages --------------------------------------------------- */

TEST(xlsx_doctype_refused)
{
	const char *sheets[] = {
		"<?xml version=\"1.0\"?><!DOCTYPE worksheet SYSTEM "
		"\"http://example.invalid/x.dtd\">" SHEET(""),
	};
	struct parse_result r;

	CHECK(parse_book(sheets, 1, SHREF("S", 1), NULL, &r) ==
	      WK_EMALFORMED);
	CHECK_STR(tp_err, "DTD in xl/worksheets/sheet1.xml (OOXML forbids "
			  "DTDs)");
	CHECK(tp_is_zeroed(&r));

	/* the billion laughs sit in the shared strings */
	CHECK(tp_parse_file(TP_DATA "poi-poc-xmlbomb-BILLION-LAUGHS.xlsx",
			    &r) == WK_EMALFORMED);
	CHECK_STR(tp_err, "DTD in xl/sharedStrings.xml (OOXML forbids DTDs)");
	CHECK(tp_is_zeroed(&r));
}

TEST(xlsx_external_relationships_not_followed)
{
	const char *sheets[] = {
		SHEET("<row><c t=\"s\"><v>0</v></c><c><v>x</v></c></row>"),
	};
	struct parse_result r;
	size_t len;
	char *z;

	/* the sheet and the shared strings both exist in the zip, but the
	 * relationships name them as external targets */
	z = make_xlsx(sheets, 0, SHREF("S", 7), SST("<si><t>SECRET</t></si>"),
		      "<Relationship Id=\"rId7\" Type=\"" REL_T "worksheet\" "
		      "Target=\"worksheets/sheet1.xml\" TargetMode=\"External\"/>",
		      (const struct tp_zent[]){
			      { "xl/worksheets/sheet1.xml", sheets[0], 0 },
			      { NULL, NULL, 0 } },
		      &len);
	CHECK(tp_parse_mem(z, len, NULL, &r) == 0);
	CHECK(r.nblocks == 0 && r.pages_estimated);
	parse_result_release(&r);
	free(z);

	z = make_xlsx(sheets, 1, SHREF("S", 1), SST("<si><t>SECRET</t></si>"),
		      "<Relationship Id=\"rId9\" Type=\"" REL_T "sharedStrings\""
		      " Target=\"file:///etc/passwd\" TargetMode=\"External\"/>",
		      NULL, &len);
	CHECK(tp_parse_mem(z, len, NULL, &r) == 0);
	/* falls back to sharedStrings.xml beside the workbook */
	CHECK_STR(r.text, "S\nSECRET\tx");
	parse_result_release(&r);
	free(z);
}

TEST(xlsx_truncated_and_bombs)
{
	const char *sheets[] = { SHEET("<row><c><v>some text here</v></c></row>") };
	static const struct tp_zent bomb[] = {
		{ "xl/sharedStrings.xml", NULL, (size_t)200 << 20 },
		{ NULL, NULL, 0 },
	};
	struct parse_result r;
	size_t len;
	char *z;

	z = make_xlsx(sheets, 1, SHREF("S", 1), NULL, NULL, NULL, &len);
	CHECK(tp_parse_mem(z, len / 2, NULL, &r) == WK_EMALFORMED);
	CHECK_CONTAINS(tp_err, "zip");
	CHECK(tp_is_zeroed(&r));
	CHECK(tp_parse_mem(z, len - 10, NULL, &r) == WK_EMALFORMED);
	CHECK(tp_is_zeroed(&r));
	free(z);

	z = make_xlsx(sheets, 1, SHREF("S", 1), NULL, NULL, bomb, &len);
	CHECK(z != NULL && len < ((size_t)2 << 20));
	CHECK(tp_parse_mem(z, len, NULL, &r) == WK_ETOOBIG);
	CHECK_STR(tp_err, "zip entry xl/sharedStrings.xml inflates past the "
			  "32 MiB limit");
	CHECK(tp_is_zeroed(&r));
	free(z);
}

TEST(xlsx_text_limit)
{
	const char *sheets[] = {
		SHEET("<row><c><v>0123456789</v></c><c><v>0123456789</v></c>"
		      "</row>"),
	};
	struct parse_limits lim;
	struct parse_result r;
	size_t len;
	char *z = make_xlsx(sheets, 1, SHREF("S", 1), NULL, NULL, NULL, &len);

	parse_default_limits(&lim);
	lim.max_text = 23;	/* "S\n" + 21 */
	CHECK(tp_parse_mem(z, len, &lim, &r) == 0);
	CHECK(r.text_len == 23);
	parse_result_release(&r);
	lim.max_text = 22;
	CHECK(tp_parse_mem(z, len, &lim, &r) == WK_ETOOBIG);
	CHECK_STR(tp_err, "extracted text is longer than the 22 bytes limit");
	CHECK(tp_is_zeroed(&r));
	free(z);
}

/* ---- real workbooks ----------------------------------------------------- */

TEST(xlsx_testdocs_facts)
{
	struct parse_result r;

	CHECK(tp_parse_file(TP_DATA "hutool-alias.xlsx", &r) == 0);
	CHECK(r.format == PF_XLSX && r.pages == 1);
	CHECK(r.nblocks > 0 && strcmp(r.blocks[0].text, "Sheet1") == 0);
	CHECK(tp_contains_nows(r.text, "张三"));
	CHECK(tp_consistent(&r));
	parse_result_release(&r);

	CHECK(tp_parse_file(TP_DATA "easyexcel-multiplesheets.xlsx", &r) == 0);
	CHECK(r.pages == 6);
	CHECK(tp_count(&r, PB_HEADING) == 6);
	CHECK(tp_count(&r, PB_PAGE_BREAK) == 5);
	CHECK(tp_contains_nows(r.text, "Sheet6"));
	CHECK(tp_contains_nows(r.text, "表2数据"));
	parse_result_release(&r);

	/* phonetic runs (rPh) stay out of the shared strings */
	CHECK(tp_parse_file(TP_DATA "tika-testEXCEL_phonetic-ja.xlsx",
			    &r) == 0);
	CHECK(r.pages == 3);
	CHECK(tp_contains_nows(r.text, "日本オラクル"));
	CHECK(r.nblocks > 2 && strncmp(r.blocks[2].text, "1\t豊田\t豊田車会社\t",
				       strlen("1\t豊田\t豊田車会社\t")) == 0);
	parse_result_release(&r);

	CHECK(tp_parse_file(TP_DATA "pandoc-basic.xlsx", &r) == 0);
	CHECK(r.pages == 2);
	CHECK_STR(r.author, "Anton Antic");
	CHECK(tp_contains_nows(r.text, "Anton Antich\t23\tSwitzerland"));
	CHECK(tp_contains_nows(r.text, "Secondary"));
	parse_result_release(&r);

	CHECK(tp_parse_file(TP_DATA "tika-testEXCEL_protected_passtika-"
			    "ENCRYPTED.xlsx", &r) == WK_EUNSUPPORTED);
	CHECK_STR(tp_err, "the file is encrypted (password-protected): "
		  "remove the password and upload it again");
	CHECK(tp_is_zeroed(&r));
}
