/*
 * test_pptx.c - the PowerPoint parser: slide order and visibility, what
 * stays out (notes, hidden shapes, fallbacks), titles, lists, tables and
 * groups, metadata, and hostile packages (DTDs, external relationships,
 * truncation, zip bombs, the text limit).
 *
 * Small presentations are built here with libzip (parse_util.c); real ones
 * live in tests/data/parse/ (see its README.md).
 */
#include "../harness.h"
#include "parse_util.h"
#include "../../src/base/buf.h"
#include "../../src/base/err.h"
#include "../../src/parse/parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS_PML                                                              \
	"xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/"   \
	"main\" xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/" \
	"main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/" \
	"2006/relationships\" xmlns:mc=\"http://schemas.openxmlformats.org/" \
	"markup-compatibility/2006\""
#define REL_NS "http://schemas.openxmlformats.org/package/2006/relationships"
#define REL_T "http://schemas.openxmlformats.org/officeDocument/2006/" \
	      "relationships/"

/* ---- building presentations --------------------------------------------- */

static const char ctypes_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"
	"content-types\"><Default Extension=\"xml\" ContentType=\"application/"
	"xml\"/><Override PartName=\"/ppt/presentation.xml\" ContentType=\""
	"application/vnd.openxmlformats-officedocument.presentationml."
	"presentation.main+xml\"/></Types>";

static const char pkg_rels[] =
	"<Relationships xmlns=\"" REL_NS "\">"
	"<Relationship Id=\"rId1\" Type=\"" REL_T "officeDocument\" "
	"Target=\"ppt/presentation.xml\"/></Relationships>";

#define SLD(n) "<p:sldId id=\"25" #n "\" r:id=\"rId" #n "\"/>"
#define SLIDE(body)                                                      \
	"<p:sld " NS_PML "><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id=\"1\" " \
	"name=\"\"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>" body          \
	"</p:spTree></p:cSld></p:sld>"
#define SHAPE(ph, paras)                                               \
	"<p:sp><p:nvSpPr><p:cNvPr id=\"2\" name=\"s\"/><p:cNvSpPr/><p:nvPr>" \
	ph "</p:nvPr></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:lstStyle>" \
	"<a:lvl1pPr><a:buChar char=\"-\"/></a:lvl1pPr></a:lstStyle>" paras \
	"</p:txBody></p:sp>"
#define TITLE(text) SHAPE("<p:ph type=\"title\"/>", AP(text))
#define BOX(paras) SHAPE("", paras)
#define BODY(paras) SHAPE("<p:ph idx=\"1\"/>", paras)
#define AP(text) "<a:p><a:r><a:rPr lang=\"en\"/><a:t>" text "</a:t></a:r></a:p>"

/* A presentation whose slide i is ppt/slides/slide<i+1>.xml, related as
 * rId<i+1>, listed in p:sldIdLst as sldids says (SLD(2) SLD(1)...).
 * extra_rels go into the presentation's relationships, extra entries
 * (ending with a NULL name) into the zip. */
static char *make_pptx(const char *const *slides, size_t nslides,
		       const char *sldids, const char *extra_rels,
		       const struct tp_zent *extra, const char *core,
		       size_t *len)
{
	struct tp_zent e[32];
	char pres[4096], rels[8192], names[16][40];
	size_t n = 0, i, o;
	char *z;

	snprintf(pres, sizeof(pres),
		 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
		 "<p:presentation " NS_PML "><p:sldMasterIdLst/>"
		 "<p:sldIdLst>%s</p:sldIdLst><p:sldSz cx=\"1\" cy=\"1\"/>"
		 "</p:presentation>", sldids);
	o = (size_t)snprintf(rels, sizeof(rels),
			     "<Relationships xmlns=\"" REL_NS "\">%s",
			     extra_rels ? extra_rels : "");
	for (i = 0; i < nslides && i < 16; i++) {
		o += (size_t)snprintf(rels + o, sizeof(rels) - o,
				      "<Relationship Id=\"rId%zu\" Type=\""
				      REL_T "slide\" Target=\"slides/slide"
				      "%zu.xml\"/>", i + 1, i + 1);
		snprintf(names[i], sizeof(names[i]),
			 "ppt/slides/slide%zu.xml", i + 1);
		e[n++] = (struct tp_zent){ names[i], slides[i], 0 };
	}
	snprintf(rels + o, sizeof(rels) - o, "</Relationships>");
	e[n++] = (struct tp_zent){ "[Content_Types].xml", ctypes_xml, 0 };
	e[n++] = (struct tp_zent){ "_rels/.rels", pkg_rels, 0 };
	e[n++] = (struct tp_zent){ "ppt/presentation.xml", pres, 0 };
	e[n++] = (struct tp_zent){ "ppt/_rels/presentation.xml.rels", rels,
				   0 };
	if (core)
		e[n++] = (struct tp_zent){ "docProps/core.xml", core, 0 };
	for (; extra && extra->name && n < 31; extra++)
		e[n++] = *extra;
	e[n] = (struct tp_zent){ NULL, NULL, 0 };
	z = tp_zip(e, TP_ZIP_BEST, len);
	return z;
}

/* Parse a presentation of the slides listed in order. */
static int parse_slides(const char *const *slides, size_t n,
			const char *sldids, struct parse_result *r)
{
	size_t len;
	char *z = make_pptx(slides, n, sldids, NULL, NULL, NULL, &len);
	int rc = tp_parse_mem(z, len, NULL, r);

	free(z);
	return rc;
}

/* ---- order, visibility, what stays out ---------------------------------- */

TEST(pptx_slide_order_from_sldIdLst)
{
	const char *slides[] = {
		SLIDE(BOX(AP("part one"))), SLIDE(BOX(AP("part two"))),
		SLIDE(BOX(AP("part three"))),
	};
	struct parse_result r;
	size_t len;
	char *z;

	/* The list says 3, 1, 2; the part names say otherwise. */
	z = make_pptx(slides, 3, SLD(3) SLD(1) SLD(2), NULL, NULL, NULL, &len);
	CHECK(parse_detect(z, len) == PF_PPTX);
	CHECK(tp_parse_mem(z, len, NULL, &r) == 0);
	CHECK(r.format == PF_PPTX);
	CHECK_STR(parse_format_name(r.format), "pptx");
	CHECK_STR(r.text, "part three\npart one\npart two");
	CHECK(r.pages == 3 && !r.pages_estimated);
	CHECK(r.nblocks == 5 && r.blocks[1].kind == PB_PAGE_BREAK &&
	      r.blocks[3].kind == PB_PAGE_BREAK);
	CHECK(tp_consistent(&r));
	parse_result_release(&r);
	free(z);

	/* Listed ids without a slide relationship are skipped. */
	CHECK(parse_slides(slides, 3, SLD(2) "<p:sldId id=\"9\" r:id=\"rId9\"/>"
			   SLD(1), &r) == 0);
	CHECK_STR(r.text, "part two\npart one");
	CHECK(r.pages == 2);
	parse_result_release(&r);
}

TEST(pptx_hidden_slides_and_shapes_skipped)
{
	const char *slides[] = {
		SLIDE(BOX(AP("shown"))),
		"<p:sld " NS_PML " show=\"0\"><p:cSld><p:spTree>" BOX(
			AP("HIDDENSLIDE")) "</p:spTree></p:cSld></p:sld>",
		SLIDE("<p:sp><p:nvSpPr><p:cNvPr id=\"5\" name=\"h\" hidden=\"1\"/>"
		      "<p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:txBody>" AP("HIDDENSHAPE")
		      "</p:txBody></p:sp>" BOX(AP("also shown"))),
	};
	struct parse_result r;

	CHECK(parse_slides(slides, 3, SLD(1) SLD(2) SLD(3), &r) == 0);
	CHECK_STR(r.text, "shown\nalso shown");
	CHECK(r.pages == 2);
	CHECK(tp_count(&r, PB_PAGE_BREAK) == 1);
	CHECK(tp_err[0] == '\0');
	parse_result_release(&r);
}

TEST(pptx_notes_excluded)
{
	const char *slides[] = { SLIDE(BOX(AP("on the slide"))) };
	static const struct tp_zent extra[] = {
		{ "ppt/slides/_rels/slide1.xml.rels",
		  "<Relationships xmlns=\"" REL_NS "\"><Relationship Id=\"rId1\""
		  " Type=\"" REL_T "notesSlide\" Target=\"../notesSlides/"
		  "notesSlide1.xml\"/></Relationships>", 0 },
		{ "ppt/notesSlides/notesSlide1.xml",
		  "<p:notes " NS_PML "><p:cSld><p:spTree>" BODY(AP("SPEAKERNOTE"))
		  "</p:spTree></p:cSld></p:notes>", 0 },
		{ NULL, NULL, 0 },
	};
	struct parse_result r;
	size_t len;
	char *z = make_pptx(slides, 1, SLD(1), NULL, extra, NULL, &len);

	CHECK(tp_parse_mem(z, len, NULL, &r) == 0);
	CHECK_STR(r.text, "on the slide");
	parse_result_release(&r);
	free(z);

	/* The real file's notes hold a footer and a header text. */
	CHECK(tp_parse_file(TP_DATA "tika-testPPT_various.pptx", &r) == 0);
	CHECK(tp_contains_nows(r.text, "Here is a numbered list:"));
	CHECK(!strstr(r.text, "This is the footer text."));
	CHECK(!strstr(r.text, "This is the header text."));
	parse_result_release(&r);
}

TEST(pptx_alternate_content_choice_only)
{
	const char *slides[] = { SLIDE(
		"<mc:AlternateContent><mc:Choice Requires=\"p14\">"
		BOX(AP("chosen")) "</mc:Choice><mc:Choice Requires=\"x\">"
		BOX(AP("SECONDCHOICE")) "</mc:Choice><mc:Fallback>"
		BOX(AP("FALLBACKONLY")) "</mc:Fallback></mc:AlternateContent>"
		BOX(AP("after"))) };
	struct parse_result r;

	CHECK(parse_slides(slides, 1, SLD(1), &r) == 0);
	CHECK_STR(r.text, "chosen\nafter");
	parse_result_release(&r);
}

/* ---- structure ---------------------------------------------------------- */

TEST(pptx_titles_lists_and_paragraphs)
{
	const char *slides[] = {
		SLIDE(SHAPE("<p:ph type=\"ctrTitle\"/>",
			    AP("Opening") AP("title"))
		      SHAPE("<p:ph type=\"subTitle\" idx=\"1\"/>", AP("a subtitle"))),
		SLIDE(TITLE("第二页") BODY(
			AP("bulleted by the master")
			"<a:p><a:pPr lvl=\"2\"/><a:r><a:t>level three</a:t></a:r></a:p>"
			"<a:p><a:pPr><a:buNone/></a:pPr><a:r><a:t>plain in body"
			"</a:t></a:r></a:p>")
		      BOX("<a:p><a:pPr lvl=\"1\"><a:buAutoNum type=\"arabicPeriod\"/>"
			  "</a:pPr><a:r><a:t>numbered</a:t></a:r></a:p>"
			  "<a:p><a:r><a:t>one</a:t></a:r><a:br/><a:r><a:t>line"
			  "</a:t></a:r><a:fld type=\"slidenum\"><a:t>2</a:t>"
			  "</a:fld></a:p>")),
	};
	static const struct {
		enum parse_block_kind kind;
		int level;
		const char *text;
	} want[] = {
		{ PB_HEADING, 2, "Opening title" },
		{ PB_PARAGRAPH, 0, "a subtitle" },
		{ PB_PAGE_BREAK, 0, "" },
		{ PB_HEADING, 2, "第二页" },
		{ PB_LIST_ITEM, 1, "bulleted by the master" },
		{ PB_LIST_ITEM, 3, "level three" },
		{ PB_PARAGRAPH, 0, "plain in body" },
		{ PB_LIST_ITEM, 2, "numbered" },
		{ PB_PARAGRAPH, 0, "one line2" },
	};
	static const char core[] =
		"<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/"
		"package/2006/metadata/core-properties\" xmlns:dc=\"http://purl."
		"org/dc/elements/1.1/\"><dc:title>Core title</dc:title>"
		"<dc:creator>作者</dc:creator></cp:coreProperties>";
	struct parse_result r;
	size_t i, len;
	char *z;

	CHECK(parse_slides(slides, 2, SLD(1) SLD(2), &r) == 0);
	CHECK(r.nblocks == sizeof(want) / sizeof(want[0]));
	for (i = 0; i < r.nblocks && i < sizeof(want) / sizeof(want[0]); i++) {
		CHECK(r.blocks[i].kind == want[i].kind);
		CHECK(r.blocks[i].level == want[i].level);
		CHECK_STR(r.blocks[i].text, want[i].text);
	}
	/* no core title: the first slide's */
	CHECK_STR(r.title, "Opening title");
	CHECK(r.author == NULL);
	parse_result_release(&r);

	z = make_pptx(slides, 2, SLD(2) SLD(1), NULL, NULL, core, &len);
	CHECK(tp_parse_mem(z, len, NULL, &r) == 0);
	CHECK_STR(r.title, "Core title");
	CHECK_STR(r.author, "作者");
	parse_result_release(&r);
	free(z);
}

#define TC(x) "<a:tc><a:txBody><a:bodyPr/>" x "</a:txBody><a:tcPr/></a:tc>"

TEST(pptx_tables)
{
	const char *slides[] = { SLIDE(
		"<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id=\"4\" name=\"t\"/>"
		"<p:cNvGraphicFramePr/><p:nvPr/></p:nvGraphicFramePr><a:graphic>"
		"<a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/"
		"2006/table\"><a:tbl><a:tblPr/><a:tblGrid><a:gridCol w=\"1\"/>"
		"</a:tblGrid><a:tr h=\"1\">" TC(AP("名称")) TC(AP("a") AP("b"))
		TC("<a:p/>") TC(AP("x\ty")) "</a:tr><a:tr h=\"1\">" TC("<a:p/>")
		TC(AP("second")) "</a:tr><a:tr>" TC("<a:p/>") "</a:tr></a:tbl>"
		"</a:graphicData></a:graphic></p:graphicFrame>" BOX(AP("after"))) };
	struct parse_result r;

	CHECK(parse_slides(slides, 1, SLD(1), &r) == 0);
	CHECK(r.nblocks == 3);
	if (r.nblocks == 3) {
		CHECK(r.blocks[0].kind == PB_TABLE_ROW);
		/* paragraphs in a cell joined by a space; a tab in a cell is
		 * a space; empty cells kept */
		CHECK_STR(r.blocks[0].text, "名称\ta b\t\tx y");
		CHECK(r.blocks[1].kind == PB_TABLE_ROW);
		CHECK_STR(r.blocks[1].text, "\tsecond");
		CHECK_STR(r.blocks[2].text, "after");
	}
	CHECK(tp_consistent(&r));
	parse_result_release(&r);
}

TEST(pptx_group_shapes)
{
	struct parse_result r;
	struct buf deep;
	const char *slides[2];
	const char *start = "first\nin group\nnested\ngroup end\nlast\n"
			    "level 1\nlevel 2\n";
	int i;

	slides[0] = SLIDE(BOX(AP("first"))
		"<p:grpSp><p:nvGrpSpPr><p:cNvPr id=\"7\" name=\"g\"/>"
		"<p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>"
		BOX(AP("in group")) "<p:grpSp><p:nvGrpSpPr><p:cNvPr id=\"8\" "
		"name=\"g2\"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>"
		BOX(AP("nested")) "</p:grpSp>" BOX(AP("group end")) "</p:grpSp>"
		"<p:grpSp><p:nvGrpSpPr><p:cNvPr id=\"9\" name=\"hid\" hidden=\"1\"/>"
		"</p:nvGrpSpPr>" BOX(AP("HIDDENGROUP")) "</p:grpSp>"
		BOX(AP("last")));
	/* Groups 40 deep: what is below the cap is left out, the rest
	 * still read. */
	buf_init(&deep, 0);
	buf_adds(&deep, "<p:sld " NS_PML "><p:cSld><p:spTree>");
	for (i = 0; i < 40; i++)
		buf_addf(&deep, "<p:grpSp>" BOX(AP("level %d")), i + 1);
	for (i = 0; i < 40; i++)
		buf_adds(&deep, "</p:grpSp>");
	buf_adds(&deep, BOX(AP("outside")) "</p:spTree></p:cSld></p:sld>");
	slides[1] = buf_str(&deep);

	CHECK(parse_slides(slides, 2, SLD(1) SLD(2), &r) == 0);
	CHECK(strncmp(r.text, start, strlen(start)) == 0);
	CHECK(!strstr(r.text, "HIDDENGROUP"));
	CHECK_CONTAINS(r.text, "level 32\noutside");
	CHECK(!strstr(r.text, "level 33"));
	parse_result_release(&r);
	buf_release(&deep);

	CHECK(tp_parse_file(TP_DATA "unstructured-group-shapes-nested.pptx",
			    &r) == 0);
	CHECK_STR(r.title, "PowerPoint Presentation");
	CHECK(r.pages == 1);
	CHECK_STR(r.text, "A\nI\nJ\nB\nD\nH\nC\nE\nF\nG");
	parse_result_release(&r);
}

TEST(pptx_strict_and_missing_parts)
{
	const char *slides[] = {
		"<p:sld xmlns:p=\"http://purl.oclc.org/ooxml/presentationml/main\""
		" xmlns:a=\"http://purl.oclc.org/ooxml/drawingml/main\">"
		"<p:cSld><p:spTree><p:sp><p:nvSpPr><p:cNvPr id=\"2\" name=\"t\"/>"
		"<p:cNvSpPr/><p:nvPr><p:ph type=\"title\"/></p:nvPr></p:nvSpPr>"
		"<p:txBody><a:p><a:r><a:t>strict title</a:t></a:r></a:p>"
		"</p:txBody></p:sp></p:spTree></p:cSld></p:sld>",
	};
	struct parse_result r;
	size_t len;
	char *z;

	CHECK(parse_slides(slides, 1, SLD(1), &r) == 0);
	CHECK(r.nblocks == 1 && r.blocks[0].kind == PB_HEADING);
	CHECK_STR(r.text, "strict title");
	parse_result_release(&r);

	/* slide 2 is related but has no part: skipped, not counted */
	z = make_pptx(slides, 1, SLD(1) SLD(2), "<Relationship Id=\"rId2\" "
		      "Type=\"" REL_T "slide\" Target=\"slides/gone.xml\"/>",
		      NULL, NULL, &len);
	CHECK(tp_parse_mem(z, len, NULL, &r) == 0);
	CHECK(r.pages == 1);
	parse_result_release(&r);
	free(z);
}

/* ---- hostile packages --------------------------------------------------- */

TEST(pptx_doctype_refused)
{
	const char *slides[] = {
		"<?xml version=\"1.0\"?><!DOCTYPE p:sld [<!ENTITY x \"boom\">]>"
		SLIDE(BOX(AP("&x;"))),
	};
	struct parse_result r;

	CHECK(parse_slides(slides, 1, SLD(1), &r) == WK_EMALFORMED);
	CHECK_STR(tp_err, "DTD in ppt/slides/slide1.xml (OOXML forbids DTDs)");
	CHECK(tp_is_zeroed(&r));
}

TEST(pptx_external_relationship_not_followed)
{
	const char *slides[] = { SLIDE(BOX(AP("only via the list"))) };
	struct parse_result r;
	size_t len;
	char *z;

	/* rId7 points at a part that exists, but as an external target. */
	z = make_pptx(slides, 1, SLD(7), "<Relationship Id=\"rId7\" Type=\""
		      REL_T "slide\" Target=\"slides/slide1.xml\" "
		      "TargetMode=\"External\"/>", NULL, NULL, &len);
	CHECK(tp_parse_mem(z, len, NULL, &r) == 0);
	CHECK(r.nblocks == 0 && r.text_len == 0);
	CHECK(r.pages == 1 && r.pages_estimated);
	parse_result_release(&r);
	free(z);
}

TEST(pptx_truncated_and_bombs)
{
	const char *slides[] = { SLIDE(BOX(AP("some text to make it longer"))) };
	static const struct tp_zent bomb[] = {
		{ "ppt/slides/slide2.xml", NULL, (size_t)200 << 20 },
		{ NULL, NULL, 0 },
	};
	struct parse_result r;
	size_t len;
	char *z;

	z = make_pptx(slides, 1, SLD(1), NULL, NULL, NULL, &len);
	CHECK(tp_parse_mem(z, len / 2, NULL, &r) == WK_EMALFORMED);
	CHECK_CONTAINS(tp_err, "zip");
	CHECK(tp_is_zeroed(&r));
	CHECK(tp_parse_mem(z, len - 1, NULL, &r) == WK_EMALFORMED);
	CHECK(tp_is_zeroed(&r));
	free(z);

	/* slide 2 is 200 MiB of zeros: refused before inflating */
	z = make_pptx(slides, 1, SLD(1) SLD(2), "<Relationship Id=\"rId2\" "
		      "Type=\"" REL_T "slide\" Target=\"slides/slide2.xml\"/>",
		      bomb, NULL, &len);
	CHECK(z != NULL && len < ((size_t)2 << 20));
	CHECK(tp_parse_mem(z, len, NULL, &r) == WK_ETOOBIG);
	CHECK_STR(tp_err, "zip entry ppt/slides/slide2.xml inflates past the "
			  "32 MiB limit");
	CHECK(tp_is_zeroed(&r));
	free(z);
}

TEST(pptx_text_limit)
{
	const char *slides[] = { SLIDE(BOX(AP("0123456789"))),
				 SLIDE(BOX(AP("0123456789"))) };
	struct parse_limits lim;
	struct parse_result r;
	size_t len;
	char *z = make_pptx(slides, 2, SLD(1) SLD(2), NULL, NULL, NULL, &len);

	parse_default_limits(&lim);
	lim.max_text = 21;
	CHECK(tp_parse_mem(z, len, &lim, &r) == 0);
	CHECK(r.text_len == 21);
	parse_result_release(&r);
	lim.max_text = 20;
	CHECK(tp_parse_mem(z, len, &lim, &r) == WK_ETOOBIG);
	CHECK_STR(tp_err, "extracted text is longer than the 20 bytes limit");
	CHECK(tp_is_zeroed(&r));
	free(z);
}

/* ---- real presentations ------------------------------------------------- */

TEST(pptx_testdocs_facts)
{
	struct parse_result r;

	CHECK(tp_parse_file(TP_DATA "chatchat-ocr_test.pptx", &r) == 0);
	CHECK(r.format == PF_PPTX && r.pages == 1);
	CHECK(tp_contains_nows(r.text, "我是文字"));
	CHECK(tp_count(&r, PB_TABLE_ROW) == 2);
	CHECK(tp_contains_nows(r.text, "我是表格1"));
	/* the table style's id is not text */
	CHECK(!strstr(r.text, "5C22544A"));
	CHECK(tp_consistent(&r));
	parse_result_release(&r);

	CHECK(tp_parse_file(TP_DATA "unstructured-many-pages.pptx", &r) == 0);
	CHECK(r.pages == 2 && !r.pages_estimated);
	CHECK_STR(r.title, "Page 1");	/* no core title: the first slide's */
	CHECK(r.nblocks == 3 && r.blocks[0].kind == PB_HEADING &&
	      r.blocks[1].kind == PB_PAGE_BREAK);
	CHECK(tp_contains_nows(r.text, "Page 2"));
	parse_result_release(&r);

	CHECK(tp_parse_file(TP_DATA "tika-testPPT_various.pptx", &r) == 0);
	CHECK(r.pages == 1);
	CHECK_STR(r.title, "Slide 1");
	CHECK_STR(r.author, "Michael McCandless");
	CHECK(tp_count(&r, PB_LIST_ITEM) == 6);
	CHECK(tp_contains_nows(r.text, "ゾルゲと尾崎、淡々と最期"));
	CHECK(tp_consistent(&r));
	parse_result_release(&r);

	/* encrypted: an OLE file with an EncryptedPackage, like docx */
	CHECK(tp_parse_file(TP_DATA "tika-testPPT_protected_passtika-"
			    "ENCRYPTED.pptx", &r) == WK_EUNSUPPORTED);
	CHECK_STR(tp_err, "the file is encrypted (password-protected): "
		  "remove the password and upload it again");
	CHECK(tp_is_zeroed(&r));
}

TEST(pptx_found_by_content_type)
{
	/* A slide show (.ppsx) whose main part has an unusual name and no
	 * package relationships: the content types find it. */
	static const struct tp_zent e[] = {
		{ "[Content_Types].xml",
		  "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"
		  "content-types\"><Override PartName=\"/show/main.xml\" "
		  "ContentType=\"application/vnd.openxmlformats-officedocument."
		  "presentationml.slideshow.main+xml\"/></Types>", 0 },
		{ "show/main.xml", "<p:presentation " NS_PML "><p:sldIdLst>"
		  SLD(1) "</p:sldIdLst></p:presentation>", 0 },
		{ "show/_rels/main.xml.rels", "<Relationships xmlns=\"" REL_NS
		  "\"><Relationship Id=\"rId1\" Type=\"" REL_T "slide\" "
		  "Target=\"s/one.xml\"/></Relationships>", 0 },
		{ "show/s/one.xml", SLIDE(TITLE("放映")), 0 },
		{ NULL, NULL, 0 },
	};
	static const struct tp_zent xlsb[] = {
		{ "xl/workbook.bin", "\x83\x01", 0 },
		{ NULL, NULL, 0 },
	};
	struct parse_result r;
	size_t len;
	char *z = tp_zip(e, TP_ZIP_BEST, &len);

	CHECK(parse_detect(z, len) == PF_PPTX);
	CHECK(tp_parse_mem(z, len, NULL, &r) == 0);
	CHECK_STR(r.text, "放映");
	CHECK_STR(r.title, "放映");
	parse_result_release(&r);
	free(z);

	/* binary Excel is named, not parsed */
	z = tp_zip(xlsb, TP_ZIP_BEST, &len);
	CHECK(parse_detect(z, len) == PF_UNKNOWN);
	CHECK(tp_parse_mem(z, len, NULL, &r) == WK_EUNSUPPORTED);
	CHECK_STR(tp_err, "xlsb files are not supported yet");
	free(z);
}
