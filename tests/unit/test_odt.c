/*
 * test_odt.c - the OpenDocument text parser: real files from other
 * projects' test suites (tests/data/parse/, see its README.md), and
 * small packages built here for the structure, what must stay out, the
 * metadata, detection and the hostile cases (DTDs, external entities,
 * encryption, truncation, the text limit).
 */
#include "../harness.h"
#include "parse_util.h"
#include "../../src/base/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MIME "application/vnd.oasis.opendocument.text"

#define NS_DECL                                                              \
	"xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" " \
	"xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "     \
	"xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "   \
	"xmlns:draw=\"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0\" "  \
	"xmlns:svg=\"urn:oasis:names:tc:opendocument:xmlns:svg-compatible:"  \
	"1.0\" xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:"   \
	"1.0\" xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-"     \
	"compatible:1.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "    \
	"xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\""

/* content.xml around body (inside office:text), after an optional
 * prologue (a DOCTYPE) and automatic styles; free() it. */
static char *content_xml(const char *prologue, const char *styles,
			 const char *body)
{
	size_t n = strlen(body) + (styles ? strlen(styles) : 0) +
		   (prologue ? strlen(prologue) : 0) + 1024;
	char *s = malloc(n);

	snprintf(s, n,
		 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>%s"
		 "<office:document-content " NS_DECL ">"
		 "<office:automatic-styles>%s</office:automatic-styles>"
		 "<office:body><office:text>%s</office:text></office:body>"
		 "</office:document-content>",
		 prologue ? prologue : "", styles ? styles : "", body);
	return s;
}

/* An odt with the given content.xml and optional meta.xml; free() it. */
static char *make_odt(const char *content, const char *meta, size_t *len)
{
	struct tp_zent e[4];
	size_t n = 0;

	e[n++] = (struct tp_zent){ "mimetype", MIME, 0 };
	e[n++] = (struct tp_zent){ "content.xml", content, 0 };
	if (meta)
		e[n++] = (struct tp_zent){ "meta.xml", meta, 0 };
	e[n] = (struct tp_zent){ NULL, NULL, 0 };
	return tp_zip(e, TP_ZIP_MIMETYPE, len);
}

/* Parse an odt whose office:text holds body. */
static int parse_body(const char *styles, const char *body,
		      struct parse_result *r)
{
	char *c = content_xml(NULL, styles, body), *z;
	size_t n;
	int rc;

	z = make_odt(c, NULL, &n);
	rc = tp_parse_mem(z, n, NULL, r);
	free(z);
	free(c);
	return rc;
}

#define P(t) "<text:p>" t "</text:p>"

/* ---- real documents ----------------------------------------------------- */

TEST(odt_testdocs_facts)
{
	static const struct {
		const char *file, *title, *contains;
	} docs[] = {
		{ "pandoc-trackedChanges.odt", NULL,
		  "Some text with and inserted text." },
		{ "pandoc-footnote.odt", NULL, "Some text with a footnote." },
		{ "tika-testODT_svgTitleInStyledSpan-zh-Hant.odt",
		  "身 分 証 影 印 本", "請黏貼學生証影本反面於本線格內）" },
		{ "pandoc-tableWithSpans.odt", NULL,
		  "Columnspan & Rowspan 2" },
		{ "pypdf-libreoffice-form.odt", NULL, "Example for a Form" },
		{ "tika-testODTNoMeta.odt", NULL, "Test text" },
	};
	struct parse_result r;
	char path[256];
	size_t i;

	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		snprintf(path, sizeof(path), TP_DATA "%s", docs[i].file);
		CHECK(tp_parse_file(path, &r) == 0);
		CHECK(r.format == PF_ODT);
		CHECK(tp_consistent(&r));
		CHECK(tp_contains_nows(r.text, docs[i].contains));
		if (docs[i].title)
			CHECK_STR(r.title, docs[i].title);
		else
			CHECK(r.title == NULL);
		if (!tp_contains_nows(r.text, docs[i].contains))
			fprintf(stderr, "    in %s\n", docs[i].file);
		parse_result_release(&r);
	}
}

TEST(odt_real_files_structure)
{
	struct parse_result r;

	/* The deleted paragraph sits in text:tracked-changes. */
	CHECK(tp_parse_file(TP_DATA "pandoc-trackedChanges.odt", &r) == 0);
	CHECK(!strstr(r.text, "deleted"));
	CHECK_STR(r.author, "Martin Linnemann");
	CHECK(r.pages == 1 && !r.pages_estimated);
	parse_result_release(&r);

	/* The footnote's body stays out, and so does its citation "1". */
	CHECK(tp_parse_file(TP_DATA "pandoc-footnote.odt", &r) == 0);
	CHECK_STR(r.text, "Some text with a footnote.");
	parse_result_release(&r);

	/* Chinese (Traditional): a table of two one-cell rows whose
	 * paragraphs are joined by a space; the author is the initial
	 * creator, not the last one to save (dc:creator "USER"). */
	CHECK(tp_parse_file(TP_DATA
			    "tika-testODT_svgTitleInStyledSpan-zh-Hant.odt",
			    &r) == 0);
	CHECK_STR(r.author, "Darks");
	CHECK(r.pages == 1 && !r.pages_estimated);
	CHECK(r.nblocks == 5);
	if (r.nblocks == 5) {
		CHECK_STR(r.blocks[0].text,
			  "國立雲林科技大學國際課程活動甄選—學生證影印本");
		CHECK(tp_block_is(&r, 1, PB_TABLE_ROW, -1));
		CHECK_STR(r.blocks[1].text,
			  "正面 （請黏貼學生証影本正面於本線格內）");
	}
	parse_result_release(&r);

	/* Spanned cells: covered cells stay as empty columns. */
	CHECK(tp_parse_file(TP_DATA "pandoc-tableWithSpans.odt", &r) == 0);
	CHECK(tp_find_block(&r, "B4-1\tColumnspan & Rowspan 2\t") >= 0);
	CHECK(r.nblocks == 7 && tp_block_is(&r, 0, PB_TABLE_ROW, 0));
	parse_result_release(&r);

	/* A paragraph in the "Title" style is a level 1 heading; the form
	 * controls' definitions (office:forms) are not text. */
	CHECK(tp_parse_file(TP_DATA "pypdf-libreoffice-form.odt", &r) == 0);
	CHECK(tp_block_is(&r, 0, PB_HEADING, 1));
	CHECK(!strstr(r.text, "com.sun.star"));
	parse_result_release(&r);

	/* No meta.xml: no title, pages estimated. */
	CHECK(tp_parse_file(TP_DATA "tika-testODTNoMeta.odt", &r) == 0);
	CHECK(r.title == NULL && r.author == NULL);
	CHECK(r.pages == 1 && r.pages_estimated);
	parse_result_release(&r);
}

TEST(odt_encrypted_and_not_a_zip)
{
	struct parse_result r;

	CHECK(tp_parse_file(TP_DATA "tika-testODTEncrypted.odt", &r) ==
	      WK_EUNSUPPORTED);
	CHECK_CONTAINS(tp_err, "encrypted");
	CHECK(tp_is_zeroed(&r));
	/* Named .odt, but the bytes are text: the name decides nothing. */
	CHECK(tp_parse_file(TP_DATA "tika-testODTnotaZipFile.odt", &r) == 0);
	CHECK(r.format == PF_TXT);
	CHECK_STR(r.text, "This is not a zip file!");
	parse_result_release(&r);
}

/* ---- structure ---------------------------------------------------------- */

TEST(odt_headings_lists_tables)
{
	struct parse_result r;
	const char *styles =
		"<style:style style:name=\"P1\" style:family=\"paragraph\" "
		"style:parent-style-name=\"Title\"/>"
		"<style:style style:name=\"P2\" style:family=\"paragraph\">"
		"<style:paragraph-properties fo:break-before=\"page\"/>"
		"</style:style>";
	const char *body =
		"<text:p text:style-name=\"P1\">文库标题</text:p>"
		"<text:h text:outline-level=\"2\">第一章 概述</text:h>"
		"<text:h>no level</text:h>"
		"<text:h text:outline-level=\"9\">deep</text:h>"
		"<text:p>a<text:s text:c=\"3\"/>b<text:tab/>c<text:line-break/>"
		"d    e\n  f</text:p>"
		"<text:list><text:list-item><text:p>one</text:p>"
		"<text:list><text:list-item><text:p>one.one</text:p>"
		"</text:list-item></text:list></text:list-item>"
		"<text:list-item><text:p>two</text:p></text:list-item>"
		"</text:list>"
		"<table:table><table:table-row>"
		"<table:table-cell><text:p>甲</text:p><text:p>乙</text:p>"
		"</table:table-cell><table:table-cell/>"
		"<table:table-cell><text:p>x<text:tab/>y</text:p>"
		"</table:table-cell></table:table-row>"
		"<text:soft-page-break/>"
		"<table:table-row><table:table-cell><text:p>r2</text:p>"
		"</table:table-cell></table:table-row></table:table>"
		"<text:p text:style-name=\"P2\">new page</text:p>"
		"<text:p>soft<text:soft-page-break/>break</text:p>"
		"<text:p>after</text:p>"
		"<text:p><text:s text:c=\"99999999\"/></text:p>";

	CHECK(parse_body(styles, body, &r) == 0);
	CHECK(tp_consistent(&r));
	CHECK_STR(r.text, "文库标题\n第一章 概述\nno level\ndeep\n"
			  "a   b\tc d e f\none\none.one\ntwo\n甲 乙\t\tx y\n"
			  "r2\nnew page\nsoftbreak\nafter");
	CHECK(r.nblocks == 16);
	if (r.nblocks == 16) {
		CHECK(tp_block_is(&r, 0, PB_HEADING, 1));
		CHECK(tp_block_is(&r, 1, PB_HEADING, 2));
		CHECK(tp_block_is(&r, 2, PB_HEADING, 1));
		CHECK(tp_block_is(&r, 3, PB_HEADING, 6));
		CHECK(tp_block_is(&r, 4, PB_PARAGRAPH, -1));
		CHECK(tp_block_is(&r, 5, PB_LIST_ITEM, 1));
		CHECK(tp_block_is(&r, 6, PB_LIST_ITEM, 2));
		CHECK(tp_block_is(&r, 7, PB_LIST_ITEM, 1));
		CHECK(tp_block_is(&r, 8, PB_TABLE_ROW, -1));
		/* the soft break between rows, then the style's break */
		CHECK(tp_block_is(&r, 9, PB_PAGE_BREAK, -1));
		CHECK(tp_block_is(&r, 10, PB_TABLE_ROW, -1));
		CHECK(tp_block_is(&r, 11, PB_PAGE_BREAK, -1));
		CHECK(tp_block_is(&r, 12, PB_PARAGRAPH, -1));
		/* a break inside a paragraph follows it */
		CHECK(tp_block_is(&r, 13, PB_PARAGRAPH, -1));
		CHECK(tp_block_is(&r, 14, PB_PAGE_BREAK, -1));
	}
	CHECK(r.pages_estimated);
	parse_result_release(&r);
}

/* ---- what stays out ----------------------------------------------------- */

TEST(odt_hidden_text_excluded)
{
	struct parse_result r;
	const char *body =
		"<text:tracked-changes><text:changed-region text:id=\"c1\">"
		"<text:deletion><office:change-info><dc:creator>someone"
		"</dc:creator></office:change-info><text:p>DELETED</text:p>"
		"</text:deletion></text:changed-region></text:tracked-changes>"
		"<text:sequence-decls><text:sequence-decl text:name=\"SEQDECL\"/>"
		"</text:sequence-decls>"
		"<text:p>kept<text:change text:change-id=\"c1\"/> text"
		"<office:annotation><dc:creator>REVIEWER</dc:creator>"
		"<text:p>COMMENT</text:p></office:annotation>"
		"<text:note text:note-class=\"footnote\"><text:note-citation>9"
		"</text:note-citation><text:note-body><text:p>NOTEBODY</text:p>"
		"</text:note-body></text:note>.</text:p>"
		"<text:table-of-content><text:table-of-content-source>"
		"<text:index-title-template>TEMPLATE</text:index-title-template>"
		"</text:table-of-content-source><text:index-body>"
		"<text:p>Chapter 1</text:p></text:index-body>"
		"</text:table-of-content>"
		"<text:p>anchor<draw:frame><draw:text-box><text:p>boxed</text:p>"
		"</draw:text-box><draw:image><office:binary-data>QkFTRTY0"
		"</office:binary-data><text:p>IMAGEALT</text:p></draw:image>"
		"<svg:title>SVGTITLE</svg:title><svg:desc>SVGDESC</svg:desc>"
		"</draw:frame></text:p>"
		"<text:p><text:ruby><text:ruby-base>漢字</text:ruby-base>"
		"<text:ruby-text>かんじ</text:ruby-text></text:ruby></text:p>";

	CHECK(parse_body(NULL, body, &r) == 0);
	CHECK(tp_consistent(&r));
	CHECK_STR(r.text, "kept text.\nChapter 1\nboxed\nanchor\n漢字");
	CHECK(!strstr(r.text, "DELETED") && !strstr(r.text, "NOTEBODY"));
	parse_result_release(&r);
}

/* ---- metadata and detection --------------------------------------------- */

TEST(odt_metadata)
{
	struct parse_result r;
	char *c = content_xml(NULL, NULL, P("text")), *z;
	size_t n;
	const char *meta =
		"<office:document-meta " NS_DECL "><office:meta>"
		"<dc:title>  文库 用户手册 </dc:title>"
		"<dc:creator>last saver</dc:creator>"
		"<meta:initial-creator>张三</meta:initial-creator>"
		"<meta:document-statistic meta:page-count=\"12\"/>"
		"</office:meta></office:document-meta>";
	const char *meta2 =
		"<office:document-meta " NS_DECL "><office:meta>"
		"<dc:creator>Only Creator</dc:creator>"
		"<meta:document-statistic meta:page-count=\"0\"/>"
		"</office:meta></office:document-meta>";

	z = make_odt(c, meta, &n);
	CHECK(tp_parse_mem(z, n, NULL, &r) == 0);
	CHECK_STR(r.title, "文库 用户手册");
	CHECK_STR(r.author, "张三");
	CHECK(r.pages == 12 && !r.pages_estimated);
	parse_result_release(&r);
	free(z);

	z = make_odt(c, meta2, &n);
	CHECK(tp_parse_mem(z, n, NULL, &r) == 0);
	CHECK(r.title == NULL);
	CHECK_STR(r.author, "Only Creator");
	CHECK(r.pages == 1 && r.pages_estimated);
	parse_result_release(&r);
	free(z);
	free(c);
}

TEST(odt_detection)
{
	char *c = content_xml(NULL, NULL, P("hello")), *z;
	const char *manifest =
		"<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:"
		"opendocument:xmlns:manifest:1.0\"><manifest:file-entry "
		"manifest:full-path=\"/\" manifest:media-type=\"" MIME "\"/>"
		"</manifest:manifest>";
	struct tp_zent no_mime[] = { { "content.xml", c, 0 },
				     { "META-INF/manifest.xml", manifest, 0 },
				     { NULL, NULL, 0 } };
	struct tp_zent ott[] = { { "mimetype", MIME "-template", 0 },
				 { "content.xml", c, 0 }, { NULL, NULL, 0 } };
	struct tp_zent ods[] = { { "mimetype", "application/vnd.oasis."
				   "opendocument.spreadsheet", 0 },
				 { "content.xml", c, 0 }, { NULL, NULL, 0 } };
	struct tp_zent odm[] = { { "mimetype", MIME "-master", 0 },
				 { "content.xml", c, 0 }, { NULL, NULL, 0 } };
	struct tp_zent none[] = { { "mimetype", MIME, 0 },
				  { "meta.xml", "<x/>", 0 },
				  { NULL, NULL, 0 } };
	struct parse_result r;
	size_t n;

	CHECK(strcmp(parse_format_name(PF_ODT), "odt") == 0);
	z = tp_zip(no_mime, TP_ZIP_MIMETYPE, &n);
	CHECK(parse_detect(z, n) == PF_ODT);
	CHECK(tp_parse_mem(z, n, NULL, &r) == 0);
	CHECK(r.format == PF_ODT);
	CHECK_STR(r.text, "hello");
	parse_result_release(&r);
	free(z);

	z = tp_zip(ott, TP_ZIP_MIMETYPE, &n);
	CHECK(parse_detect(z, n) == PF_ODT);
	free(z);

	z = tp_zip(ods, TP_ZIP_MIMETYPE, &n);
	CHECK(parse_detect(z, n) == PF_UNKNOWN);
	CHECK(tp_parse_mem(z, n, NULL, &r) == WK_EUNSUPPORTED);
	CHECK_STR(tp_err, "ods files are not supported yet");
	free(z);

	z = tp_zip(odm, TP_ZIP_MIMETYPE, &n);
	CHECK(tp_parse_mem(z, n, NULL, &r) == WK_EUNSUPPORTED);
	CHECK_STR(tp_err, "odm (opendocument master) files are not supported "
			  "yet");
	free(z);

	z = tp_zip(none, TP_ZIP_MIMETYPE, &n);
	CHECK(tp_parse_mem(z, n, NULL, &r) == WK_EMALFORMED);
	CHECK_STR(tp_err, "odt has no content.xml");
	CHECK(tp_is_zeroed(&r));
	free(z);
	free(c);
}

/* ---- hostile input ------------------------------------------------------ */

TEST(odt_dtd_and_entities)
{
	static const char *const refused[] = {
		/* billion laughs */
		"<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;"
		"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>",
		/* an external entity */
		"<!DOCTYPE office:document-content [<!ENTITY xxe SYSTEM "
		"\"file:///etc/passwd\">]>",
		/* an empty internal subset is still one */
		"<!DOCTYPE office:document-content []>",
	};
	struct parse_result r;
	char *c, *z;
	size_t i, n;

	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		c = content_xml(refused[i], NULL, P("x &lol2; &xxe;"));
		z = make_odt(c, NULL, &n);
		CHECK(tp_parse_mem(z, n, NULL, &r) == WK_EMALFORMED);
		CHECK_CONTAINS(tp_err, "DTD");
		CHECK_CONTAINS(tp_err, "content.xml");
		CHECK(tp_is_zeroed(&r));
		free(z);
		free(c);
	}
	/* OpenOffice 2's DOCTYPE declares nothing and is not read; an
	 * entity it does not declare is no file's content. */
	c = content_xml("<!DOCTYPE office:document-content PUBLIC \"-//"
			"OpenOffice.org//DTD OfficeDocument 1.0//EN\" "
			"\"file:///etc/passwd\">", NULL, P("safe &xxe; text"));
	z = make_odt(c, NULL, &n);
	CHECK(tp_parse_mem(z, n, NULL, &r) == 0);
	CHECK_STR(r.text, "safe text");
	parse_result_release(&r);
	free(z);
	free(c);
}

/* A DTD on disk that would declare the entity the document uses: if it
 * were ever read, "LEAKED" would be in the text. */
TEST(odt_external_dtd_never_read)
{
	char dtd[] = "/tmp/wenku-test-dtd-XXXXXX", pro[256], *c, *z;
	struct parse_result r;
	size_t n;
	FILE *f;
	int fd = mkstemp(dtd);

	CHECK(fd >= 0);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f)
		return;
	fputs("<!ENTITY secret \"LEAKED\">", f);
	fclose(f);
	snprintf(pro, sizeof(pro), "<!DOCTYPE office:document-content "
		 "SYSTEM \"file://%s\">", dtd);
	c = content_xml(pro, NULL, P("a &secret; b"));
	z = make_odt(c, NULL, &n);
	CHECK(tp_parse_mem(z, n, NULL, &r) == 0);
	CHECK_STR(r.text, "a b");
	parse_result_release(&r);
	free(z);
	free(c);
	/* Declared in an internal subset: refused before anything. */
	snprintf(pro, sizeof(pro), "<!DOCTYPE office:document-content "
		 "[<!ENTITY %% ext SYSTEM \"file://%s\"> %%ext;]>", dtd);
	c = content_xml(pro, NULL, P("a &secret; b"));
	z = make_odt(c, NULL, &n);
	CHECK(tp_parse_mem(z, n, NULL, &r) == WK_EMALFORMED);
	CHECK(tp_is_zeroed(&r));
	free(z);
	free(c);
	unlink(dtd);
}

TEST(odt_truncated_and_malformed)
{
	struct parse_result r;
	char *d, *c, *z;
	size_t n, cut;

	d = tp_slurp(TP_DATA "pandoc-footnote.odt", &n);
	CHECK(d != NULL);
	for (cut = 1; d && cut < 8; cut++) {
		CHECK(tp_parse_mem(d, n * cut / 8, NULL, &r) == WK_EMALFORMED);
		CHECK(tp_is_zeroed(&r));
	}
	free(d);

	c = content_xml(NULL, NULL, "<text:p>unclosed");
	z = make_odt(c, NULL, &n);
	CHECK(tp_parse_mem(z, n, NULL, &r) == WK_EMALFORMED);
	CHECK_CONTAINS(tp_err, "content.xml is not well-formed XML");
	CHECK(tp_is_zeroed(&r));
	free(z);
	free(c);
}

TEST(odt_text_limit)
{
	struct parse_limits lim;
	struct parse_result r;
	char *c, *z;
	size_t n;

	parse_default_limits(&lim);
	lim.max_text = 10;
	c = content_xml(NULL, NULL, P("0123456789") P("more"));
	z = make_odt(c, NULL, &n);
	CHECK(tp_parse_mem(z, n, &lim, &r) == WK_ETOOBIG);
	CHECK_STR(tp_err, "extracted text is longer than the 10 bytes limit");
	CHECK(tp_is_zeroed(&r));
	lim.max_text = 15;
	CHECK(tp_parse_mem(z, n, &lim, &r) == 0);
	parse_result_release(&r);
	free(z);
	free(c);
}
