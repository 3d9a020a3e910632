/*
 * test_parse.c - the document parsers: detection, docx (text, structure,
 * what must stay out, metadata), txt encodings, and the hostile inputs
 * (zip bombs, overlapping entries, DTDs, truncation, binary data).
 *
 * Small docx files are built here with libzip; real documents live in
 * tests/data/parse/ (see its README.md) and are read relative to the
 * repository root, where the tests run.
 */
#include "../harness.h"
#include "parse_util.h"
#include "../../src/base/err.h"
#include "../../src/parse/parse_internal.h"
#include "../../src/parse/zipsafe.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#define NS_DECL                                                             \
	"xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/" \
	"main\" xmlns:mc=\"http://schemas.openxmlformats.org/markup-"        \
	"compatibility/2006\" xmlns:wps=\"http://schemas.microsoft.com/"     \
	"office/word/2010/wordprocessingShape\" xmlns:v=\"urn:schemas-"      \
	"microsoft-com:vml\""

static const char ctypes_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"
	"content-types\"><Default Extension=\"xml\" ContentType=\"application/"
	"xml\"/><Override PartName=\"/word/document.xml\" ContentType=\""
	"application/vnd.openxmlformats-officedocument.wordprocessingml."
	"document.main+xml\"/></Types>";

static const char rels_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/"
	"2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://"
	"schemas.openxmlformats.org/officeDocument/2006/relationships/"
	"officeDocument\" Target=\"word/document.xml\"/></Relationships>";

/* A docx whose body is body (inside w:body), with optional styles,
 * core and app parts. */
static char *make_docx(const char *body, const char *styles,
		       const char *core, const char *app, size_t *len)
{
	struct tp_zent e[8];
	char *doc, *z;
	size_t n = 0, dl = strlen(body) + 512;

	doc = malloc(dl);
	snprintf(doc, dl,
		 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
		 "<w:document " NS_DECL "><w:body>%s</w:body></w:document>",
		 body);
	e[n++] = (struct tp_zent){ "[Content_Types].xml", ctypes_xml, 0 };
	e[n++] = (struct tp_zent){ "_rels/.rels", rels_xml, 0 };
	e[n++] = (struct tp_zent){ "word/document.xml", doc, 0 };
	if (styles)
		e[n++] = (struct tp_zent){ "word/styles.xml", styles, 0 };
	if (core)
		e[n++] = (struct tp_zent){ "docProps/core.xml", core, 0 };
	if (app)
		e[n++] = (struct tp_zent){ "docProps/app.xml", app, 0 };
	e[n] = (struct tp_zent){ NULL, NULL, 0 };
	z = tp_zip(e, TP_ZIP_FAST, len);
	free(doc);
	return z;
}

/* Parse a docx built from body; returns the rc. */
static int parse_body(const char *body, const char *styles,
		      struct parse_result *r)
{
	size_t n;
	char *z = make_docx(body, styles, NULL, NULL, &n);
	int rc = tp_parse_mem(z, n, NULL, r);
	free(z);
	return rc;
}

#define P(text) "<w:p><w:r><w:t xml:space=\"preserve\">" text "</w:t></w:r></w:p>"

/* ---- detection and formats ---------------------------------------------- */

TEST(parse_detect_by_magic)
{
	size_t n;
	char *z = make_docx(P("x"), NULL, NULL, NULL, &n);
	struct tp_zent plain[] = { { "a.txt", "hello", 0 }, { NULL, NULL, 0 } };
	struct tp_zent pptx[] = { { "ppt/presentation.xml", "<p/>", 0 },
			       { NULL, NULL, 0 } };
	/* A spreadsheet in OpenDocument form: not read (yet). */
	struct tp_zent odt[] = { { "mimetype", "application/vnd.oasis."
				"opendocument.spreadsheet", 0 },
			      { "content.xml", "<x/>", 0 },
			      { NULL, NULL, 0 } };
	char *pz, *pp;
	size_t pn, ppn;
	struct parse_result r;

	CHECK(parse_detect(z, n) == PF_DOCX);
	CHECK(parse_detect("hello\nworld\n", 12) == PF_TXT);
	CHECK(parse_detect("", 0) == PF_TXT);
	CHECK(parse_detect("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", 15) == PF_PDF);
	CHECK(parse_detect("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16) == PF_UNKNOWN);
	CHECK(parse_detect("\x7f" "ELF\2\1\1\0\0\0\0\0", 12) == PF_UNKNOWN);
	CHECK(parse_detect("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0\0", 10) ==
	      PF_UNKNOWN);
	CHECK(strcmp(parse_format_name(PF_DOCX), "docx") == 0);
	CHECK(strcmp(parse_format_name(PF_TXT), "txt") == 0);
	CHECK(strcmp(parse_format_name(PF_PDF), "pdf") == 0);
	CHECK(strcmp(parse_format_name(PF_UNKNOWN), "unknown") == 0);

	pz = tp_zip(plain, TP_ZIP_FAST, &pn);
	CHECK(parse_detect(pz, pn) == PF_UNKNOWN);
	CHECK(tp_parse_mem(pz, pn, NULL, &r) == WK_EUNSUPPORTED);
	CHECK_CONTAINS(tp_err, "zip archives");
	CHECK(tp_is_zeroed(&r));
	pp = tp_zip(pptx, TP_ZIP_FAST, &ppn);
	CHECK(parse_detect(pp, ppn) == PF_PPTX);
	CHECK(tp_parse_mem(pp, ppn, NULL, &r) == 0);
	CHECK(r.format == PF_PPTX && r.nblocks == 0);
	parse_result_release(&r);
	free(pp);
	pp = tp_zip(odt, TP_ZIP_FAST, &ppn);
	CHECK(parse_detect(pp, ppn) == PF_UNKNOWN);
	CHECK(tp_parse_mem(pp, ppn, NULL, &r) == WK_EUNSUPPORTED);
	CHECK_STR(tp_err, "ods files are not supported yet");
	free(z);
	free(pz);
	free(pp);
}

TEST(parse_unsupported_formats_named)
{
	struct parse_result r;
	static const char ps[] = "%!PS-Adobe-3.0\n%%Pages: 1\n";
	static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
	static const char elf[] = "\x7f" "ELF\2\1\1\0\0\0\0\0\0\0\0\0";

	CHECK(tp_parse_mem(ps, sizeof(ps) - 1, NULL, &r) == WK_EUNSUPPORTED);
	CHECK_STR(tp_err, "postscript files are not supported yet");
	CHECK(tp_is_zeroed(&r));
	CHECK(tp_parse_mem(png, sizeof(png) - 1, NULL, &r) == WK_EUNSUPPORTED);
	CHECK_STR(tp_err, "png files are not supported yet");
	CHECK(tp_parse_mem(elf, sizeof(elf) - 1, NULL, &r) == WK_EUNSUPPORTED);
	CHECK_CONTAINS(tp_err, "not supported");
	/* An encrypted docx is an OLE file with an EncryptedPackage. */
	CHECK(tp_parse_file(TP_DATA "tika-testWORD_protected_passtika-"
			    "ENCRYPTED.docx", &r) == WK_EUNSUPPORTED);
	CHECK_STR(tp_err, "the file is encrypted (password-protected): "
			  "remove the password and upload it again");
	CHECK(tp_is_zeroed(&r));
}

TEST(parse_binary_is_not_text)
{
	struct parse_result r;
	unsigned char bin[4096];
	size_t i;
	uint32_t x = 12345;

	for (i = 0; i < sizeof(bin); i++) {
		x = x * 1103515245u + 12345u;
		bin[i] = (unsigned char)(x >> 16);
	}
	CHECK(parse_detect(bin, sizeof(bin)) == PF_UNKNOWN);
	CHECK(tp_parse_mem(bin, sizeof(bin), NULL, &r) == WK_EUNSUPPORTED);
	CHECK(tp_err[0] != '\0');
	CHECK(tp_is_zeroed(&r));
	/* UTF-8 text with a NUL byte in it is not text. */
	CHECK(tp_parse_mem("hello\0world, this is text", 26, NULL, &r) ==
	      WK_EUNSUPPORTED);
	CHECK(tp_is_zeroed(&r));
	/* The txt parser itself refuses binary too. */
	memset(&r, 0, sizeof(r));
	CHECK(txt_parse("ab\0\0\0\1\2\3\4cd", 11, &(struct parse_limits){
		      1 << 20, 1 << 20, 10, 100, 1 << 20, 1 << 20, 1, 1 },
		      &r, tp_err,
		      sizeof(tp_err)) == WK_EUNSUPPORTED);
	CHECK_CONTAINS(tp_err, "not text");
	parse_result_release(&r);
}

TEST(parse_default_limits_values)
{
	struct parse_limits lim;

	parse_default_limits(&lim);
	CHECK(lim.max_inflated_total == (size_t)64 << 20);
	CHECK(lim.max_inflated_entry == (size_t)32 << 20);
	CHECK(lim.max_entries == 10000);
	CHECK(lim.max_ratio == 100);
	CHECK(lim.max_text == (size_t)16 << 20);
	CHECK(lim.max_memory == (size_t)256 << 20);
	CHECK(lim.max_seconds == 10);
	CHECK(lim.max_pages == 2000);
}

/* ---- the reference lecture ---------------------------------------------- */

TEST(parse_reference_lecture)
{
	struct parse_result r;
	struct buf want;
	size_t tn, i;
	char *txt = tp_slurp(TP_DATA "reference-lecture.txt", &tn);

	CHECK(txt != NULL);
	CHECK(tp_parse_file(TP_DATA "reference-lecture.docx", &r) == 0);
	CHECK(r.format == PF_DOCX);
	CHECK_STR(r.title, "专题党课:推动机关党建和业务工作深度融合");
	CHECK(r.author == NULL);	/* dc:creator is empty */
	CHECK(r.pages == 1 && !r.pages_estimated);
	CHECK(tp_consistent(&r));
	CHECK(r.nblocks == 9);
	if (r.nblocks == 9 && txt) {
		CHECK(r.blocks[0].kind == PB_HEADING &&
		      r.blocks[0].level == 1);	/* style Title */
		CHECK(r.blocks[1].kind == PB_HEADING &&
		      r.blocks[1].level == 1);	/* style Heading1 */
		CHECK_STR(r.blocks[0].text, r.blocks[1].text);
		for (i = 2; i < 9; i++)
			CHECK(r.blocks[i].kind == PB_PARAGRAPH);
		/* The .txt is the heading, a space, then the paragraphs run
		 * together, and a final newline: the docx's text minus the
		 * title block, with its line breaks removed (one space
		 * after the heading). */
		buf_init(&want, 0);
		buf_adds(&want, r.blocks[1].text);
		buf_addc(&want, ' ');
		for (i = 2; i < 9; i++)
			buf_adds(&want, r.blocks[i].text);
		buf_addc(&want, '\n');
		CHECK(want.len == tn);
		CHECK_STR(buf_str(&want), txt);
		buf_release(&want);
	}
	parse_result_release(&r);
	CHECK(tp_is_zeroed(&r));
	free(txt);
}

/* ---- docx: what stays out ----------------------------------------------- */

TEST(docx_tracked_changes_excluded)
{
	struct parse_result r;
	const char *body =
		"<w:p><w:r><w:t xml:space=\"preserve\">kept </w:t></w:r>"
		"<w:del w:id=\"1\" w:author=\"a\"><w:r><w:delText>DELETED"
		"</w:delText></w:r></w:del>"
		"<w:ins w:id=\"2\" w:author=\"a\"><w:r><w:t>inserted</w:t>"
		"</w:r></w:ins></w:p>"
		"<w:p><w:moveFrom w:id=\"3\" w:author=\"a\"><w:r><w:t>MOVEDAWAY"
		"</w:t></w:r></w:moveFrom><w:moveTo w:id=\"4\" w:author=\"a\">"
		"<w:r><w:t>moved here</w:t></w:r></w:moveTo></w:p>"
		"<w:p><w:pPr><w:pPrChange w:id=\"5\" w:author=\"a\"><w:pPr>"
		"<w:pStyle w:val=\"Heading1\"/></w:pPr></w:pPrChange></w:pPr>"
		"<w:r><w:t>was a heading once</w:t></w:r></w:p>";

	CHECK(parse_body(body, NULL, &r) == 0);
	CHECK_STR(r.text, "kept inserted\nmoved here\nwas a heading once");
	CHECK(r.nblocks == 3 && r.blocks[2].kind == PB_PARAGRAPH);
	parse_result_release(&r);

	CHECK(tp_parse_file(TP_DATA "pandoc-track_changes_deletion.docx",
			    &r) == 0);
	CHECK_STR(r.text, "This is a text with a deletion.");
	CHECK(!strstr(r.text, "excessively"));
	parse_result_release(&r);
}

TEST(docx_field_instructions_excluded)
{
	struct parse_result r;
	const char *body =
		"<w:p><w:r><w:t xml:space=\"preserve\">see </w:t></w:r>"
		"<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
		"<w:r><w:instrText> HYPERLINK \"http://x\" </w:instrText></w:r>"
		"<w:r><w:t>PLAINCODE</w:t></w:r>"
		"<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
		"<w:r><w:t>the link</w:t></w:r>"
		"<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
		"<w:r><w:t xml:space=\"preserve\"> and </w:t></w:r>"
		/* a field nested in another's result */
		"<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
		"<w:r><w:instrText>IF 1 = 1</w:instrText></w:r>"
		"<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
		"<w:r><w:t>outer </w:t></w:r>"
		"<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
		"<w:r><w:instrText>PAGE</w:instrText></w:r>"
		"<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
		"<w:r><w:t>7</w:t></w:r>"
		"<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
		"<w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>"
		"<w:p><w:fldSimple w:instr=\"DATE\"><w:r><w:t>today</w:t></w:r>"
		"</w:fldSimple></w:p>";

	CHECK(parse_body(body, NULL, &r) == 0);
	CHECK_STR(r.text, "see the link and outer 7\ntoday");
	parse_result_release(&r);

	CHECK(tp_parse_file(TP_DATA "pandoc-instrText_hyperlink-zh.docx",
			    &r) == 0);
	CHECK(tp_contains_nows(r.text, "希望深入了解的读者可以去看David Frenc"));
	CHECK(!strstr(r.text, "HYPERLINK"));
	parse_result_release(&r);
}

TEST(docx_alternate_content_fallback_excluded)
{
	struct parse_result r;
	size_t count = 0;
	const char *p;
	const char *body =
		"<w:p><w:r><w:t xml:space=\"preserve\">before </w:t></w:r>"
		"<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\">"
		"<w:drawing><wps:txbx><w:txbxContent><w:p><w:r><w:t>in the box"
		"</w:t></w:r></w:p></w:txbxContent></wps:txbx></w:drawing>"
		"</mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent>"
		"<w:p><w:r><w:t>in the box</w:t></w:r></w:p><w:p><w:r><w:t>"
		"FALLBACKONLY</w:t></w:r></w:p></w:txbxContent></v:textbox>"
		"</w:pict></mc:Fallback></mc:AlternateContent></w:r>"
		"<w:r><w:t>after</w:t></w:r></w:p>";

	CHECK(parse_body(body, NULL, &r) == 0);
	CHECK(!strstr(r.text, "FALLBACKONLY"));
	for (p = r.text; (p = strstr(p, "in the box")); p++)
		count++;
	CHECK(count == 1);
	CHECK_CONTAINS(r.text, "before after");
	parse_result_release(&r);

	/* The real text box: its text once, not the layout numbers. */
	CHECK(tp_parse_file(TP_DATA "mammoth-text-box.docx", &r) == 0);
	CHECK_STR(r.text, "Datum plane");
	parse_result_release(&r);
}

TEST(docx_comments_and_notes_excluded)
{
	struct parse_result r;
	const char *body =
		"<w:p><w:commentRangeStart w:id=\"0\"/><w:r><w:t>Ouch</w:t>"
		"</w:r><w:commentRangeEnd w:id=\"0\"/><w:r><w:commentReference "
		"w:id=\"0\"/></w:r><w:r><w:footnoteReference w:id=\"1\"/></w:r>"
		"<w:r><w:t>.</w:t></w:r></w:p>";

	CHECK(parse_body(body, NULL, &r) == 0);
	CHECK_STR(r.text, "Ouch.");
	parse_result_release(&r);
	CHECK(tp_parse_file(TP_DATA "mammoth-comments.docx", &r) == 0);
	CHECK_STR(r.text, "Ouch.");
	CHECK(!strstr(r.text, "tachyon"));
	parse_result_release(&r);
}

/* ---- docx: structure ----------------------------------------------------- */

static const char styles_zh[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	"<w:styles " NS_DECL ">"
	"<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"a\">"
	"<w:name w:val=\"Normal\"/></w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"1\"><w:name w:val=\"heading 1\"/>"
	"<w:basedOn w:val=\"a\"/><w:pPr><w:outlineLvl w:val=\"0\"/></w:pPr>"
	"</w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"2\"><w:name w:val=\"heading 2\"/>"
	"</w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"MyHead\"><w:name w:val=\"My"
	" Head\"/><w:basedOn w:val=\"2\"/></w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"Outline3\"><w:name w:val=\""
	"Chapter\"/><w:pPr><w:outlineLvl w:val=\"2\"/></w:pPr></w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"TOCHeading\"><w:name w:val=\""
	"TOC Heading\"/><w:basedOn w:val=\"1\"/><w:pPr><w:outlineLvl w:val=\"9\"/>"
	"</w:pPr></w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"ListBullet\"><w:name w:val=\""
	"List Bullet\"/><w:pPr><w:numPr><w:numId w:val=\"4\"/></w:numPr></w:pPr>"
	"</w:style>"
	"<w:style w:type=\"character\" w:styleId=\"Title\"><w:name w:val=\"Title"
	"\"/></w:style>"
	"</w:styles>";

#define SP(style, text)                                                  \
	"<w:p><w:pPr><w:pStyle w:val=\"" style "\"/></w:pPr><w:r><w:t>" text \
	"</w:t></w:r></w:p>"

TEST(docx_headings_through_styles)
{
	struct parse_result r;
	const char *body =
		SP("1", "一级") SP("2", "二级") SP("MyHead", "based on 2")
		SP("Outline3", "outline 3") SP("TOCHeading", "not a heading")
		SP("a", "body")
		"<w:p><w:pPr><w:outlineLvl w:val=\"4\"/></w:pPr><w:r><w:t>direct"
		"</w:t></w:r></w:p>";
	static const struct {
		enum parse_block_kind kind;
		int level;
	} want[] = {
		{ PB_HEADING, 1 }, { PB_HEADING, 2 }, { PB_HEADING, 2 },
		{ PB_HEADING, 3 }, { PB_PARAGRAPH, 0 }, { PB_PARAGRAPH, 0 },
		{ PB_HEADING, 5 },
	};
	size_t i;

	CHECK(parse_body(body, styles_zh, &r) == 0);
	CHECK(r.nblocks == 7);
	for (i = 0; i < r.nblocks && i < 7; i++) {
		CHECK(r.blocks[i].kind == want[i].kind);
		CHECK(r.blocks[i].level == want[i].level);
	}
	parse_result_release(&r);

	/* No styles part: well-known ids still work. */
	CHECK(parse_body(SP("Title", "T") SP("Heading3", "H3")
			 SP("heading 2", "H2") SP("Heading7", "H7")
			 SP("Quote", "Q"), NULL, &r) == 0);
	CHECK(r.nblocks == 5);
	if (r.nblocks == 5) {
		CHECK(r.blocks[0].kind == PB_HEADING && r.blocks[0].level == 1);
		CHECK(r.blocks[1].kind == PB_HEADING && r.blocks[1].level == 3);
		CHECK(r.blocks[2].kind == PB_HEADING && r.blocks[2].level == 2);
		CHECK(r.blocks[3].kind == PB_HEADING && r.blocks[3].level == 6);
		CHECK(r.blocks[4].kind == PB_PARAGRAPH);
	}
	parse_result_release(&r);
}

TEST(docx_lists)
{
	struct parse_result r;
	const char *body =
		"<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/>"
		"</w:numPr></w:pPr><w:r><w:t>one</w:t></w:r></w:p>"
		"<w:p><w:pPr><w:numPr><w:ilvl w:val=\"2\"/><w:numId w:val=\"1\"/>"
		"</w:numPr></w:pPr><w:r><w:t>three deep</w:t></w:r></w:p>"
		"<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"0\"/>"
		"</w:numPr></w:pPr><w:r><w:t>numbering off</w:t></w:r></w:p>"
		SP("ListBullet", "from the style");

	CHECK(parse_body(body, styles_zh, &r) == 0);
	CHECK(r.nblocks == 4);
	if (r.nblocks == 4) {
		CHECK(r.blocks[0].kind == PB_LIST_ITEM &&
		      r.blocks[0].level == 1);
		CHECK(r.blocks[1].kind == PB_LIST_ITEM &&
		      r.blocks[1].level == 3);
		CHECK(r.blocks[2].kind == PB_PARAGRAPH);
		CHECK(r.blocks[3].kind == PB_LIST_ITEM &&
		      r.blocks[3].level == 1);
	}
	parse_result_release(&r);
}

#define TC(x) "<w:tc><w:tcPr/>" x "</w:tc>"

TEST(docx_tables)
{
	struct parse_result r;
	const char *body =
		P("before")
		"<w:tbl><w:tblPr/><w:tr>" TC(P("a")) TC(P("b") P("b2"))
		TC(P("c")) "</w:tr><w:tr>" TC("<w:p/>") TC(
			"<w:tbl><w:tr>" TC(P("n1")) TC(P("n2")) "</w:tr>"
			"<w:tr>" TC(P("n3")) "</w:tr></w:tbl>")
		TC("<w:p><w:r><w:t>x</w:t><w:tab/><w:t>y</w:t></w:r></w:p>")
		"</w:tr><w:tr>" TC("<w:p/>") TC("<w:p/>") "</w:tr></w:tbl>"
		P("after");

	CHECK(parse_body(body, NULL, &r) == 0);
	CHECK(r.nblocks == 4);
	if (r.nblocks == 4) {
		CHECK(r.blocks[1].kind == PB_TABLE_ROW);
		CHECK_STR(r.blocks[1].text, "a\tb b2\tc");
		CHECK(r.blocks[2].kind == PB_TABLE_ROW);
		/* empty first cell kept; nested table flattened; a tab
		 * inside a cell is a space */
		CHECK_STR(r.blocks[2].text, "\tn1 n2 n3\tx y");
		CHECK_STR(r.blocks[3].text, "after");
	}
	CHECK(tp_consistent(&r));
	parse_result_release(&r);

	CHECK(tp_parse_file(TP_DATA "unstructured-docx-tables.docx", &r) == 0);
	CHECK(tp_contains_nows(r.text, "Table with merged cells"));
	CHECK(tp_consistent(&r));
	parse_result_release(&r);
}

TEST(docx_breaks_tabs_and_page_breaks)
{
	struct parse_result r;
	const char *body =
		"<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/>"
		"</w:tabs></w:pPr><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/>"
		"<w:t>c</w:t><w:cr/><w:t>d</w:t></w:r></w:p>"
		"<w:p><w:r><w:t>end of page</w:t><w:br w:type=\"page\"/></w:r>"
		"</w:p>"
		"<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>"
		"<w:p><w:r><w:t xml:space=\"preserve\">   next page  </w:t>"
		"</w:r></w:p><w:p/><w:p><w:r><w:t>   </w:t></w:r></w:p>";

	CHECK(parse_body(body, NULL, &r) == 0);
	CHECK(r.nblocks == 4);
	if (r.nblocks == 4) {
		CHECK_STR(r.blocks[0].text, "a\tb c d");
		CHECK_STR(r.blocks[1].text, "end of page");
		CHECK(r.blocks[2].kind == PB_PAGE_BREAK);
		CHECK_STR(r.blocks[2].text, "");
		CHECK_STR(r.blocks[3].text, "next page");
	}
	CHECK_STR(r.text, "a\tb c d\nend of page\nnext page");
	CHECK(tp_consistent(&r));
	parse_result_release(&r);
}

TEST(docx_namespaces_not_prefixes)
{
	struct parse_result r;
	struct tp_zent e[4];
	char *z;
	size_t n;
	const char *doc =
		"<x:document xmlns:x=\"http://schemas.openxmlformats.org/"
		"wordprocessingml/2006/main\" xmlns:w=\"urn:not-word\"><x:body>"
		"<x:p><x:r><x:t>real</x:t></x:r></x:p>"
		"<x:p><w:r><w:t>fake w prefix</w:t></w:r></x:p>"
		"</x:body></x:document>";

	e[0] = (struct tp_zent){ "[Content_Types].xml", ctypes_xml, 0 };
	e[1] = (struct tp_zent){ "_rels/.rels", rels_xml, 0 };
	e[2] = (struct tp_zent){ "word/document.xml", doc, 0 };
	e[3] = (struct tp_zent){ NULL, NULL, 0 };
	z = tp_zip(e, TP_ZIP_FAST, &n);
	CHECK(tp_parse_mem(z, n, NULL, &r) == 0);
	CHECK_STR(r.text, "real");
	parse_result_release(&r);
	free(z);

	/* Strict OOXML uses other namespace URIs. */
	CHECK(tp_parse_file(TP_DATA "docling-Strict.docx", &r) == 0);
	CHECK(tp_contains_nows(r.text, "Some text"));
	parse_result_release(&r);
}

TEST(docx_main_part_found_through_package)
{
	struct parse_result r;
	struct tp_zent e[4];
	char *z;
	size_t n;
	const char *doc =
		"<w:document " NS_DECL "><w:body>" P("elsewhere")
		"</w:body></w:document>";
	const char *rels =
		"<Relationships xmlns=\"http://schemas.openxmlformats.org/"
		"package/2006/relationships\"><Relationship Id=\"r\" Type=\""
		"http://example.com/x\" Target=\"ignored.xml\"/><Relationship "
		"Id=\"e\" Type=\"http://schemas.openxmlformats.org/"
		"officeDocument/2006/relationships/officeDocument\" Target=\""
		"http://evil.example/doc.xml\" TargetMode=\"External\"/>"
		"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats."
		"org/officeDocument/2006/relationships/officeDocument\" Target="
		"\"./content/../main/doc2.xml\"/></Relationships>";
	const char *ct =
		"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"
		"content-types\"><Override PartName=\"/main/doc2.xml\" "
		"ContentType=\"application/vnd.openxmlformats-officedocument."
		"wordprocessingml.document.main+xml\"/></Types>";

	e[0] = (struct tp_zent){ "_rels/.rels", rels, 0 };
	e[1] = (struct tp_zent){ "main/doc2.xml", doc, 0 };
	e[2] = (struct tp_zent){ NULL, NULL, 0 };
	z = tp_zip(e, TP_ZIP_FAST, &n);
	CHECK(parse_detect(z, n) == PF_UNKNOWN);	/* nothing says Word */
	free(z);
	e[2] = (struct tp_zent){ "[Content_Types].xml", ct, 0 };
	e[3] = (struct tp_zent){ NULL, NULL, 0 };
	z = tp_zip(e, TP_ZIP_FAST, &n);
	CHECK(parse_detect(z, n) == PF_DOCX);
	CHECK(tp_parse_mem(z, n, NULL, &r) == 0);
	CHECK_STR(r.text, "elsewhere");
	parse_result_release(&r);
	free(z);

	/* Content types alone are enough. */
	e[0] = (struct tp_zent){ "[Content_Types].xml", ct, 0 };
	e[2] = (struct tp_zent){ NULL, NULL, 0 };
	z = tp_zip(e, TP_ZIP_FAST, &n);
	CHECK(tp_parse_mem(z, n, NULL, &r) == 0);
	CHECK_STR(r.text, "elsewhere");
	parse_result_release(&r);
	free(z);
}

/* ---- docx: metadata ------------------------------------------------------ */

TEST(docx_metadata)
{
	struct parse_result r;
	struct buf body;
	char *z;
	size_t n, i;
	const char *core =
		"<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org"
		"/package/2006/metadata/core-properties\" xmlns:dc=\"http://"
		"purl.org/dc/elements/1.1/\"><dc:title>  文库 title </dc:title>"
		"<dc:creator>张三</dc:creator></cp:coreProperties>";
	const char *core_empty =
		"<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org"
		"/package/2006/metadata/core-properties\" xmlns:dc=\"http://"
		"purl.org/dc/elements/1.1/\"><dc:title></dc:title><dc:creator>"
		"  </dc:creator></cp:coreProperties>";
	const char *app =
		"<Properties xmlns=\"http://schemas.openxmlformats.org/"
		"officeDocument/2006/extended-properties\"><Pages>12</Pages>"
		"</Properties>";
	const char *app0 =
		"<Properties xmlns=\"http://schemas.openxmlformats.org/"
		"officeDocument/2006/extended-properties\"><Pages>0</Pages>"
		"</Properties>";

	z = make_docx(P("x"), NULL, core, app, &n);
	CHECK(tp_parse_mem(z, n, NULL, &r) == 0);
	CHECK_STR(r.title, "文库 title");
	CHECK_STR(r.author, "张三");
	CHECK(r.pages == 12 && !r.pages_estimated);
	parse_result_release(&r);
	free(z);

	/* 3601 characters and no usable page count: ceil(3601/1800). */
	buf_init(&body, 0);
	buf_adds(&body, "<w:p><w:r><w:t>");
	for (i = 0; i < 3601; i++)
		buf_adds(&body, "字");
	buf_adds(&body, "</w:t></w:r></w:p>");
	z = make_docx(buf_str(&body), NULL, core_empty, app0, &n);
	CHECK(tp_parse_mem(z, n, NULL, &r) == 0);
	CHECK(r.title == NULL && r.author == NULL);
	CHECK(r.pages == 3 && r.pages_estimated);
	parse_result_release(&r);
	free(z);
	buf_release(&body);

	/* Empty document: one estimated page, no blocks. */
	CHECK(parse_body("", NULL, &r) == 0);
	CHECK(r.nblocks == 0 && r.text_len == 0 && r.text && !r.text[0]);
	CHECK(r.pages == 1 && r.pages_estimated);
	parse_result_release(&r);
}

/* ---- docx: hostile input ------------------------------------------------- */

TEST(docx_doctype_rejected)
{
	struct parse_result r;
	struct tp_zent e[4];
	char *z;
	size_t n;
	const char *doc =
		"<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"aaaaaaaaaa\">"
		"<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
		"<w:document " NS_DECL "><w:body>" P("&b;")
		"</w:body></w:document>";
	const char *lol_styles =
		"<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;"
		"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]><w:styles " NS_DECL
		">&lol2;</w:styles>";

	e[0] = (struct tp_zent){ "[Content_Types].xml", ctypes_xml, 0 };
	e[1] = (struct tp_zent){ "word/document.xml", doc, 0 };
	e[2] = (struct tp_zent){ NULL, NULL, 0 };
	z = tp_zip(e, TP_ZIP_FAST, &n);
	CHECK(tp_parse_mem(z, n, NULL, &r) == WK_EMALFORMED);
	CHECK_STR(tp_err, "DTD in word/document.xml (OOXML forbids DTDs)");
	CHECK(tp_is_zeroed(&r));
	free(z);

	z = make_docx(P("x"), lol_styles, NULL, NULL, &n);
	CHECK(tp_parse_mem(z, n, NULL, &r) == WK_EMALFORMED);
	CHECK_STR(tp_err, "DTD in word/styles.xml (OOXML forbids DTDs)");
	free(z);

	/* A real XXE sample: refused, nothing fetched. */
	CHECK(tp_parse_file(TP_DATA "poi-ExternalEntityInText-XXE.docx", &r) ==
	      WK_EMALFORMED);
	CHECK_CONTAINS(tp_err, "DTD in word/document.xml");
	CHECK(tp_is_zeroed(&r));
}

TEST(docx_malformed_xml_and_truncation)
{
	struct parse_result r;
	char *z;
	size_t n;

	z = make_docx("<w:p><w:r><w:t>unclosed</w:r></w:p>", NULL, NULL,
		      NULL, &n);
	CHECK(tp_parse_mem(z, n, NULL, &r) == WK_EMALFORMED);
	CHECK_CONTAINS(tp_err, "word/document.xml is not well-formed XML");
	CHECK(tp_is_zeroed(&r));
	free(z);

	z = make_docx(P("some text that makes the zip longer"), NULL, NULL,
		      NULL, &n);
	CHECK(tp_parse_mem(z, n / 2, NULL, &r) == WK_EMALFORMED);
	CHECK_CONTAINS(tp_err, "zip");
	CHECK(tp_is_zeroed(&r));
	CHECK(tp_parse_mem(z, n - 1, NULL, &r) == WK_EMALFORMED);
	CHECK(tp_is_zeroed(&r));
	free(z);

	CHECK(tp_parse_file(TP_DATA "tika-testWORD_truncated.docx", &r) ==
	      WK_EMALFORMED);
	CHECK_CONTAINS(tp_err, "damaged zip archive");
	CHECK(tp_is_zeroed(&r));
}

TEST(docx_zip_bomb_rejected)
{
	struct parse_result r;
	struct parse_limits lim;
	struct zipsafe zs;
	struct tp_zent bomb[] = {
		{ "word/document.xml", NULL, (size_t)200 << 20 },
		{ NULL, NULL, 0 },
	};
	char *z, *cd, *data;
	size_t n, dlen;

	/* 200 MiB of zeros, honestly declared: refused before inflating. */
	z = tp_zip(bomb, TP_ZIP_BEST, &n);
	CHECK(z != NULL && n > 0 && n < ((size_t)2 << 20));
	CHECK(parse_detect(z, n) == PF_DOCX);
	CHECK(tp_parse_mem(z, n, NULL, &r) == WK_ETOOBIG);
	CHECK_STR(tp_err, "zip entry word/document.xml inflates past the "
			  "32 MiB limit");
	CHECK(tp_is_zeroed(&r));

	/* The same entry declared as 1000 bytes (local header and central
	 * directory agree, so the consistency check passes): the bytes
	 * actually inflated give it away after the first chunk. */
	tp_put32(z + 22, 1000);
	cd = memmem(z, n, "PK\x01\x02", 4);
	CHECK(cd != NULL);
	if (cd) {
		tp_put32(cd + 24, 1000);
		CHECK(tp_parse_mem(z, n, NULL, &r) == WK_EMALFORMED);
		CHECK_CONTAINS(tp_err, "longer than its declared size");
		CHECK(tp_is_zeroed(&r));
		/* zipsafe on its own, with a small cap: never more than
		 * the cap is held. */
		parse_default_limits(&lim);
		CHECK(zipsafe_open(&zs, z, n, &lim, tp_err,
				   sizeof(tp_err)) == 0);
		CHECK(zipsafe_read(&zs, "word/document.xml", 0, &data, &dlen,
				   tp_err, sizeof(tp_err)) != 0);
		CHECK(data == NULL);
		CHECK(zs.inflated <= ((size_t)64 << 10) + 1000);
		zipsafe_close(&zs);
	}
	free(z);

	/* 2 MiB of zeros is under the size caps but far above 100:1. */
	bomb[0].len = (size_t)2 << 20;
	z = tp_zip(bomb, TP_ZIP_BEST, &n);
	CHECK(tp_parse_mem(z, n, NULL, &r) == WK_ETOOBIG);
	CHECK_CONTAINS(tp_err, "compressed more than 100:1");
	free(z);
}

TEST(docx_total_inflation_capped)
{
	struct parse_result r;
	struct parse_limits lim;
	char *z, *big;
	size_t n, sz = (size_t)3 << 20;

	/* Three parts of 3 MiB each (white space compresses well), with a
	 * 8 MiB total cap and the ratio cap off: the count of inflated
	 * bytes across entries stops it. */
	big = malloc(sz + 64);
	memset(big, ' ', sz + 64);
	memcpy(big, "<w:styles " NS_DECL ">", strlen("<w:styles " NS_DECL ">"));
	strcpy(big + sz, "</w:styles>");
	parse_default_limits(&lim);
	lim.max_ratio = 1u << 30;
	lim.max_inflated_total = (size_t)8 << 20;
	z = make_docx(P("x"), big, big, big, &n);
	CHECK(tp_parse_mem(z, n, &lim, &r) == WK_ETOOBIG);
	CHECK_STR(tp_err, "zip archive inflates past the 8 MiB limit");
	CHECK(tp_is_zeroed(&r));
	lim.max_inflated_total = (size_t)64 << 20;
	CHECK(tp_parse_mem(z, n, &lim, &r) == 0);
	CHECK_STR(r.text, "x");
	parse_result_release(&r);
	free(z);
	free(big);
}

TEST(docx_too_many_entries_rejected)
{
	struct parse_result r;
	struct tp_zent *e;
	char (*names)[32];
	char *z;
	size_t n, i, count = 20000;

	e = calloc(count + 4, sizeof(*e));
	names = calloc(count, sizeof(*names));
	e[0] = (struct tp_zent){ "[Content_Types].xml", ctypes_xml, 0 };
	e[1] = (struct tp_zent){ "word/document.xml",
			      "<w:document " NS_DECL "/>", 0 };
	for (i = 0; i < count; i++) {
		snprintf(names[i], sizeof(names[i]), "f/%zu.xml", i);
		e[i + 2] = (struct tp_zent){ names[i], "x", 0 };
	}
	z = tp_stored_zip(e, &n);
	CHECK(z != NULL);
	CHECK(tp_parse_mem(z, n, NULL, &r) == WK_ETOOBIG);
	CHECK_STR(tp_err, "zip archive has 20002 entries, more than the "
			  "10000 limit");
	CHECK(tp_is_zeroed(&r));
	free(z);
	/* exactly at the limit is fine */
	e[10000] = (struct tp_zent){ NULL, NULL, 0 };
	z = tp_stored_zip(e, &n);
	CHECK(tp_parse_mem(z, n, NULL, &r) == 0);
	CHECK(r.nblocks == 0);
	parse_result_release(&r);
	free(z);
	free(names);
	free(e);
}

TEST(docx_overlapping_entries_rejected)
{
	struct parse_result r;
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za;
	char *z;
	size_t n;

	z = tp_overlap_zip(5, &n);
	/* libzip 1.7's own consistency check lets it through... */
	zip_error_init(&ze);
	src = zip_source_buffer_create(z, n, 0, &ze);
	za = zip_open_from_source(src, ZIP_CHECKCONS | ZIP_RDONLY, &ze);
	CHECK(za != NULL);
	if (za)
		zip_discard(za);
	else
		zip_source_free(src);
	zip_error_fini(&ze);
	/* ...zipsafe does not. */
	CHECK(parse_detect(z, n) == PF_UNKNOWN);
	CHECK(tp_parse_mem(z, n, NULL, &r) == WK_EMALFORMED);
	CHECK_STR(tp_err, "zip entries overlap each other (a zip bomb)");
	CHECK(tp_is_zeroed(&r));
	free(z);
}

TEST(docx_duplicate_entry_names_rejected)
{
	struct parse_result r;
	struct tp_zent e[] = {
		{ "[Content_Types].xml", ctypes_xml, 0 },
		{ "word/document.xml", "<w:document " NS_DECL "><w:body>"
		  P("first") "</w:body></w:document>", 0 },
		{ "Word/Document.xml", "<w:document " NS_DECL "><w:body>"
		  P("second") "</w:body></w:document>", 0 },
		{ NULL, NULL, 0 },
	};
	char *z;
	size_t n;

	/* Two readers could pick different entries; refuse instead. */
	z = tp_stored_zip(e, &n);
	CHECK(tp_parse_mem(z, n, NULL, &r) == WK_EMALFORMED);
	CHECK_STR(tp_err, "zip archive has two entries named "
			  "word/document.xml");
	CHECK(tp_is_zeroed(&r));
	free(z);
}

TEST(docx_text_limit)
{
	struct parse_result r;
	struct parse_limits lim;
	size_t n;
	char *z = make_docx(P("0123456789") P("0123456789"), NULL, NULL, NULL,
			    &n);

	parse_default_limits(&lim);
	lim.max_text = 21;
	CHECK(tp_parse_mem(z, n, &lim, &r) == 0);
	CHECK(r.text_len == 21);
	parse_result_release(&r);
	lim.max_text = 20;
	CHECK(tp_parse_mem(z, n, &lim, &r) == WK_ETOOBIG);
	CHECK_STR(tp_err, "extracted text is longer than the 20 bytes limit");
	CHECK(tp_is_zeroed(&r));
	free(z);
}

/* ---- docx: real documents ------------------------------------------------ */

TEST(docx_testdocs_facts)
{
	struct parse_result r;

	CHECK(tp_parse_file(TP_DATA "poitl-554-letter.docx", &r) == 0);
	CHECK_STR(r.title, "深圳同天下有限公司  EPR系统提供");
	CHECK(tp_contains_nows(r.text, "阿萨德进口国拉丝机港口拉伸东方国际拉伸"));
	CHECK(tp_consistent(&r));
	parse_result_release(&r);

	CHECK(tp_parse_file(TP_DATA "wordextractor-test11-wps.docx", &r) == 0);
	CHECK(tp_contains_nows(r.text, "这是一个用来测试nodejs解析Word文档.d"));
	CHECK(tp_consistent(&r));
	parse_result_release(&r);

	CHECK(tp_parse_file(TP_DATA "mammoth-utf8-bom.docx", &r) == 0);
	CHECK(tp_contains_nows(r.text, "This XML has a byte order mark."));
	parse_result_release(&r);
}

/* ---- txt ----------------------------------------------------------------- */

TEST(txt_utf8_lines_and_title)
{
	struct parse_result r;
	static const char t[] =
		"  短标题  \r\n\r\nfirst line\rsecond\x01 line\n\n\t\n"
		"\xe3\x80\x80indented\xe3\x80\x80\n";
	char longline[200];

	CHECK(tp_parse_mem(t, sizeof(t) - 1, NULL, &r) == 0);
	CHECK(r.format == PF_TXT);
	CHECK_STR(r.title, "短标题");
	CHECK_STR(r.text, "短标题\nfirst line\nsecond line\nindented");
	CHECK(r.nblocks == 4 && r.blocks[0].kind == PB_PARAGRAPH);
	CHECK(r.pages == 1 && r.pages_estimated);
	CHECK(r.author == NULL);
	CHECK(tp_consistent(&r));
	parse_result_release(&r);

	memset(longline, 'x', sizeof(longline));
	longline[61] = '\n';
	CHECK(tp_parse_mem(longline, 70, NULL, &r) == 0);
	CHECK(r.title == NULL);	/* 61 characters: not a title */
	parse_result_release(&r);
	longline[60] = '\n';
	CHECK(tp_parse_mem(longline, 70, NULL, &r) == 0);
	CHECK(r.title != NULL && strlen(r.title) == 60);
	parse_result_release(&r);

	CHECK(tp_parse_mem("\n \n\t\n", 5, NULL, &r) == 0);
	CHECK(r.nblocks == 0 && r.title == NULL && r.text_len == 0);
	parse_result_release(&r);
}

TEST(txt_gb18030_and_big5)
{
	struct parse_result r;
	/* "中文测试的标题\n文库 GB18030 𠀀" in GB18030 */
	static const char gb[] =
		"\xd6\xd0\xce\xc4\xb2\xe2\xca\xd4\xb5\xc4\xb1\xea\xcc\xe2\n"
		"\xce\xc4\xbf\xe2 GB18030 \x95\x32\x82\x36";
	/* "中文測試資料的標題" in Big5 */
	static const char big5[] =
		"\xa4\xa4\xa4\xe5\xb4\xfa\xb8\xd5\xb8\xea\xae\xc6\xaa\xba"
		"\xbc\xd0\xc3\x44";

	CHECK(parse_detect(gb, sizeof(gb) - 1) == PF_TXT);
	CHECK(tp_parse_mem(gb, sizeof(gb) - 1, NULL, &r) == 0);
	CHECK_STR(r.text, "中文测试的标题\n文库 GB18030 𠀀");
	CHECK_STR(r.title, "中文测试的标题");
	parse_result_release(&r);

	CHECK(tp_parse_mem(big5, sizeof(big5) - 1, NULL, &r) == 0);
	CHECK_STR(r.text, "中文測試資料的標題");
	parse_result_release(&r);
}

TEST(txt_byte_order_marks)
{
	struct parse_result r;
	static const char le[] = "\xff\xfeH\0i\0\n\0-N\x87" "e";	/* Hi\n中文 */
	static const char be[] = "\xfe\xff\0H\0i\0\n\x4e\x2d\x65\x87";
	static const char u32be[] =
		"\0\0\xfe\xff\0\0\0H\0\0\0i\0\0\0\n\0\0\x4e\x2d";
	static const char u8[] = "\xef\xbb\xbf" "ok \xff bad\n";

	CHECK(tp_parse_mem(le, sizeof(le) - 1, NULL, &r) == 0);
	CHECK_STR(r.text, "Hi\n中文");
	parse_result_release(&r);
	CHECK(tp_parse_mem(be, sizeof(be) - 1, NULL, &r) == 0);
	CHECK_STR(r.text, "Hi\n中文");
	parse_result_release(&r);
	CHECK(tp_parse_mem(u32be, sizeof(u32be) - 1, NULL, &r) == 0);
	CHECK_STR(r.text, "Hi\n中");
	parse_result_release(&r);
	/* invalid UTF-8 after a UTF-8 mark becomes U+FFFD */
	CHECK(tp_parse_mem(u8, sizeof(u8) - 1, NULL, &r) == 0);
	CHECK_STR(r.text, "ok \xef\xbf\xbd bad");
	CHECK(tp_consistent(&r));
	parse_result_release(&r);

	CHECK(tp_parse_file(TP_DATA "unstructured-utf-32.txt", &r) == 0);
	CHECK(tp_contains_nows(r.text, "- Dogs are the best"));
	CHECK_STR(r.title, "This is a test document to use for unit tests.");
	parse_result_release(&r);
}

TEST(txt_utf16_without_bom)
{
	struct parse_result r;

	CHECK(tp_parse_file(TP_DATA "unstructured-utf-16-le.txt", &r) == 0);
	CHECK(r.format == PF_TXT);
	CHECK_STR(r.title, "This is a test document to use for unit tests.");
	CHECK(tp_contains_nows(r.text, "Thisisatestdocu"));
	CHECK(tp_consistent(&r));
	parse_result_release(&r);
	CHECK(tp_parse_file(TP_DATA "unstructured-utf-16-be.txt", &r) == 0);
	CHECK_STR(r.title, "This is a test document to use for unit tests.");
	parse_result_release(&r);
}

TEST(txt_text_limit)
{
	struct parse_result r;
	struct parse_limits lim;

	parse_default_limits(&lim);
	lim.max_text = 8;
	CHECK(tp_parse_mem("abcd\nefg\n", 9, &lim, &r) == 0);
	CHECK_STR(r.text, "abcd\nefg");
	parse_result_release(&r);
	CHECK(tp_parse_mem("abcd\nefgh\n", 10, &lim, &r) == WK_ETOOBIG);
	CHECK_CONTAINS(tp_err, "limit");
	CHECK(tp_is_zeroed(&r));
}
