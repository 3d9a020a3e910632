/*
 * test_epub.c - the EPUB parser: real books from other projects' test
 * suites (tests/data/parse/, see its README.md), and small books built
 * here: a Chinese one for the structure, DOCTYPEs and entities, path
 * traversal in the package, encryption, missing parts, truncation and
 * the text limit.
 */
#include "../harness.h"
#include "parse_util.h"
#include "../../src/base/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONTAINER(path)                                                      \
	"<container version=\"1.0\" xmlns=\"urn:oasis:"                        \
	"names:tc:opendocument:xmlns:container\"><rootfiles><rootfile "      \
	"full-path=\"" path "\" media-type=\"application/oebps-package+xml\"" \
	"/></rootfiles></container>"

#define XHTML_OPEN                                                           \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"                          \
	"<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://"   \
	"www.idpf.org/2007/ops\">"

/* An OPF whose manifest has the items (already XML) and whose spine
 * lists the idrefs (already XML); free() it. */
static char *opf_xml(const char *items, const char *spine)
{
	size_t n = strlen(items) + strlen(spine) + 1024;
	char *s = malloc(n);

	snprintf(s, n,
		 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
		 "<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\">"
		 "<metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
		 "<dc:title>红楼梦</dc:title><dc:title>second title</dc:title>"
		 "<dc:creator>曹雪芹</dc:creator></metadata>"
		 "<manifest>%s</manifest><spine>%s</spine></package>",
		 items, spine);
	return s;
}

#define ITEM(id, href)                                                       \
	"<item id=\"" id "\" href=\"" href "\" media-type=\"application/"     \
	"xhtml+xml\"/>"
#define REF(id) "<itemref idref=\"" id "\"/>"

/* A book: mimetype, container pointing at OEBPS/content.opf, that OPF,
 * then the extra entries; free() it. */
static char *make_book(const char *opf, const struct tp_zent *extra,
		       size_t *len)
{
	struct tp_zent e[16];
	size_t n = 0;

	e[n++] = (struct tp_zent){ "mimetype", "application/epub+zip", 0 };
	e[n++] = (struct tp_zent){ "META-INF/container.xml",
				   CONTAINER("OEBPS/content.opf"), 0 };
	e[n++] = (struct tp_zent){ "OEBPS/content.opf", opf, 0 };
	for (; extra && extra->name && n < 15; extra++)
		e[n++] = *extra;
	e[n] = (struct tp_zent){ NULL, NULL, 0 };
	return tp_zip(e, TP_ZIP_MIMETYPE, len);
}

/* Parse a one-chapter book whose chapter is xhtml. */
static int parse_chapter(const char *xhtml, struct parse_result *r)
{
	char *opf = opf_xml(ITEM("c1", "c1.xhtml"), REF("c1")), *z;
	struct tp_zent extra[] = { { "OEBPS/c1.xhtml", xhtml, 0 },
				   { NULL, NULL, 0 } };
	size_t n;
	int rc;

	z = make_book(opf, extra, &n);
	rc = tp_parse_mem(z, n, NULL, r);
	free(z);
	free(opf);
	return rc;
}

/* ---- real books --------------------------------------------------------- */

TEST(epub_testdocs_facts)
{
	static const struct {
		const char *file, *title, *author, *contains;
	} docs[] = {
		{ "pandoc-features.epub",
		  "EPUBTEST 0100 - Reflowable Content Tests", "Markus Gylling",
		  "Tests for required Reading System functionality are" },
		/* its encryption.xml only lists an obfuscated font */
		{ "pandoc-epub2_cover.epub", "Pandoc EPUB Test",
		  "François Martin", "Pandoc EPUB2 Test" },
		/* XHTML 1.1 DOCTYPE, &nbsp;, .xml names, __MACOSX junk */
		{ "tika-testEPUB_xml_ext.epub", "1984", "George Orwell",
		  "effort to escape the vile wind, slipped quickly through the" },
	};
	struct parse_result r;
	char path[256];
	size_t i;

	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		snprintf(path, sizeof(path), TP_DATA "%s", docs[i].file);
		CHECK(tp_parse_file(path, &r) == 0);
		CHECK(r.format == PF_EPUB);
		CHECK(tp_consistent(&r));
		CHECK_STR(r.title, docs[i].title);
		CHECK_STR(r.author, docs[i].author);
		CHECK(tp_contains_nows(r.text, docs[i].contains));
		CHECK(r.pages >= 1 && r.pages_estimated);
		parse_result_release(&r);
	}
	/* head, title and the stylesheet link are not text; chapters
	 * start on new pages. */
	CHECK(tp_parse_file(TP_DATA "tika-testEPUB_xml_ext.epub", &r) == 0);
	CHECK(r.nblocks == 4);
	if (r.nblocks == 4) {
		CHECK(tp_block_is(&r, 0, PB_HEADING, -1));
		CHECK_STR(r.blocks[0].text, "Part 1");
		CHECK(tp_block_is(&r, 1, PB_PAGE_BREAK, -1));
		CHECK(tp_block_is(&r, 2, PB_HEADING, 2));
		CHECK_STR(r.blocks[2].text, "Chapter 1");
	}
	parse_result_release(&r);
}

/* ---- structure ---------------------------------------------------------- */

TEST(epub_chinese_book_structure)
{
	const char *c1 =
		XHTML_OPEN "<head><title>HEADTITLE</title><style>p{}</style>"
		"<script>alert('x')</script></head><body>"
		"<h1>第一回 甄士隐梦幻识通灵</h1>"
		"<p>此开卷第一回也。\n   作者自云：<em>曾历过</em>一番梦幻之后。</p>"
		"<p>&nbsp;</p><p>一&mdash;二&hellip;&copy;&unknown;AT&T</p>"
		"<ul><li>甲<ul><li>乙</li></ul></li><li><p>丙</p></li></ul>"
		"<table><caption>表一</caption><tr><th>名</th><th>字</th></tr>"
		"<tr><td><p>宝玉</p><p>通灵</p></td><td>怡红</td></tr></table>"
		"<div>散<span>文</span><br/>换行</div>"
		"<pre>line 1\n  line 2\n</pre>"
		"<p><ruby>漢<rt>かん</rt>字<rt>じ</rt></ruby></p>"
		"<svg xmlns=\"http://www.w3.org/2000/svg\"><text>SVGTEXT</text>"
		"</svg><epub:switch><epub:case required-namespace=\"x\">CASE"
		"</epub:case><epub:default>默认</epub:default></epub:switch>"
		"</body></html>";
	const char *c2 = XHTML_OPEN "<body><h2>第二回</h2>文字</body></html>";
	char *opf = opf_xml(ITEM("c1", "text/c1.xhtml") ITEM("c2", "c2.xhtml")
			    "<item id=\"css\" href=\"s.css\" media-type=\"text/"
			    "css\"/>",
			    REF("c1") REF("css") REF("nope") REF("c2")), *z;
	struct tp_zent extra[] = { { "OEBPS/text/c1.xhtml", c1, 0 },
				   { "OEBPS/c2.xhtml", c2, 0 },
				   { "OEBPS/s.css", "p{}", 0 },
				   { NULL, NULL, 0 } };
	struct parse_result r;
	size_t n;

	z = make_book(opf, extra, &n);
	CHECK(parse_detect(z, n) == PF_EPUB);
	CHECK(tp_parse_mem(z, n, NULL, &r) == 0);
	CHECK(r.format == PF_EPUB);
	CHECK(tp_consistent(&r));
	CHECK_STR(r.title, "红楼梦");
	CHECK_STR(r.author, "曹雪芹");
	CHECK_STR(r.text,
		  "第一回 甄士隐梦幻识通灵\n此开卷第一回也。 作者自云：曾历过一番"
		  "梦幻之后。\n一—二…©&unknown;AT&T\n甲\n乙\n丙\n表一\n名\t字\n"
		  "宝玉 通灵\t怡红\n散文 换行\nline 1\nline 2\n漢字\n默认\n"
		  "第二回\n文字");
	CHECK(!strstr(r.text, "HEADTITLE") && !strstr(r.text, "alert"));
	if (r.nblocks == 17) {
		CHECK(tp_block_is(&r, 0, PB_HEADING, 1));
		CHECK(tp_block_is(&r, 3, PB_LIST_ITEM, 1));
		CHECK(tp_block_is(&r, 4, PB_LIST_ITEM, 2));
		CHECK(tp_block_is(&r, 5, PB_LIST_ITEM, 1));
		CHECK(tp_block_is(&r, 7, PB_TABLE_ROW, -1));
		CHECK(tp_block_is(&r, 8, PB_TABLE_ROW, -1));
		CHECK(tp_block_is(&r, 14, PB_PAGE_BREAK, -1));
		CHECK(tp_block_is(&r, 15, PB_HEADING, 2));
	} else {
		CHECK(r.nblocks == 17);
	}
	parse_result_release(&r);
	free(z);
	free(opf);
}

/* ---- DOCTYPEs and entities ---------------------------------------------- */

TEST(epub_doctype_and_entities)
{
	static const char *const accepted[] = {
		"<!DOCTYPE html>",
		"<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.1//EN\" "
		"\"http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd\">",
		/* a system id is a name, never a file that is opened */
		"<!DOCTYPE html SYSTEM \"file:///etc/passwd\">",
	};
	static const char *const refused[] = {
		"<!DOCTYPE html [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;"
		"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>",
		"<!DOCTYPE html [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>",
		"<!DOCTYPE html PUBLIC \"x\" \"y\" [<!ENTITY nbsp \"&#160;\">]>",
	};
	char doc[1024];
	struct parse_result r;
	size_t i;

	for (i = 0; i < sizeof(accepted) / sizeof(accepted[0]); i++) {
		snprintf(doc, sizeof(doc),
			 "<?xml version=\"1.0\"?>%s<html xmlns=\"http://www.w3."
			 "org/1999/xhtml\"><body><p>a&nbsp;b &xxe; c</p></body>"
			 "</html>", accepted[i]);
		CHECK(parse_chapter(doc, &r) == 0);
		CHECK_STR(r.text, "a\xc2\xa0" "b &xxe; c");
		parse_result_release(&r);
	}
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		snprintf(doc, sizeof(doc),
			 "<?xml version=\"1.0\"?>%s<html xmlns=\"http://www.w3."
			 "org/1999/xhtml\"><body><p>&lol2; &xxe;</p></body>"
			 "</html>", refused[i]);
		CHECK(parse_chapter(doc, &r) == WK_EMALFORMED);
		CHECK_CONTAINS(tp_err, "DTD");
		CHECK_CONTAINS(tp_err, "OEBPS/c1.xhtml");
		CHECK(tp_is_zeroed(&r));
	}
	/* The package documents are held to the same rule. */
	{
		struct tp_zent e[] = {
			{ "mimetype", "application/epub+zip", 0 },
			{ "META-INF/container.xml",
			  "<!DOCTYPE c [<!ENTITY x \"y\">]>"
			  CONTAINER("a.opf"), 0 },
			{ NULL, NULL, 0 } };
		size_t n;
		char *z = tp_zip(e, TP_ZIP_MIMETYPE, &n);
		CHECK(tp_parse_mem(z, n, NULL, &r) == WK_EMALFORMED);
		CHECK_CONTAINS(tp_err, "DTD");
		free(z);
	}
}

TEST(epub_malformed_chapter)
{
	struct parse_result r;

	CHECK(parse_chapter(XHTML_OPEN "<body><p>open</body></html>", &r) ==
	      WK_EMALFORMED);
	CHECK_CONTAINS(tp_err, "OEBPS/c1.xhtml is not well-formed XML");
	CHECK(tp_is_zeroed(&r));
}

/* ---- names in the package ----------------------------------------------- */

TEST(epub_path_traversal_harmless)
{
	const char *good = XHTML_OPEN "<body><p>inside</p></body></html>";
	char *opf = opf_xml(ITEM("a", "../../etc/passwd")
			    ITEM("b", "/etc/passwd")
			    ITEM("c", "file:///etc/passwd")
			    ITEM("d", "..%2F..%2F..%2Fetc%2Fpasswd")
			    ITEM("e", "ch%201.xhtml#frag")
			    ITEM("f", "//host/x.xhtml"),
			    REF("a") REF("b") REF("c") REF("d") REF("e")
			    REF("f")), *z;
	char *bad = opf_xml(ITEM("a", "../../../../etc/passwd"), REF("a"));
	struct tp_zent extra[] = { { "OEBPS/ch 1.xhtml", good, 0 },
				   { NULL, NULL, 0 } };
	struct tp_zent root[] = {
		{ "mimetype", "application/epub+zip", 0 },
		{ "META-INF/container.xml", CONTAINER("../../etc/passwd"), 0 },
		{ NULL, NULL, 0 } };
	struct parse_result r;
	size_t n;

	/* Every name is resolved inside the zip; only the escaped space
	 * names something there. */
	z = make_book(opf, extra, &n);
	CHECK(tp_parse_mem(z, n, NULL, &r) == 0);
	CHECK_STR(r.text, "inside");
	parse_result_release(&r);
	free(z);

	z = make_book(bad, NULL, &n);
	CHECK(tp_parse_mem(z, n, NULL, &r) == WK_EMALFORMED);
	CHECK_STR(tp_err, "epub has none of the 1 content documents its "
			  "spine lists");
	CHECK(tp_is_zeroed(&r));
	free(z);

	z = tp_zip(root, TP_ZIP_MIMETYPE, &n);
	CHECK(tp_parse_mem(z, n, NULL, &r) == WK_EMALFORMED);
	CHECK_STR(tp_err, "epub rootfile etc/passwd is missing");
	free(z);
	free(opf);
	free(bad);
}

/* ---- encryption and missing parts --------------------------------------- */

#define ENCRYPTION(uri)                                                      \
	"<encryption xmlns=\"urn:oasis:names:tc:opendocument:xmlns:"          \
	"container\" xmlns:enc=\"http://www.w3.org/2001/04/xmlenc#\">"         \
	"<enc:EncryptedData><enc:EncryptionMethod Algorithm=\"http://www.w3." \
	"org/2001/04/xmlenc#aes128-cbc\"/><enc:CipherData>"                   \
	"<enc:CipherReference URI=\"" uri "\"/></enc:CipherData>"             \
	"</enc:EncryptedData></encryption>"

TEST(epub_encrypted_rejected)
{
	const char *c1 = XHTML_OPEN "<body><p>text</p></body></html>";
	char *opf = opf_xml(ITEM("c1", "c1.xhtml"), REF("c1")), *z;
	struct tp_zent drm[] = {
		{ "OEBPS/c1.xhtml", "\x8f\x13\xfe garbage", 0 },
		{ "META-INF/encryption.xml", ENCRYPTION("OEBPS/c1.xhtml"), 0 },
		{ NULL, NULL, 0 } };
	struct tp_zent font[] = {
		{ "OEBPS/c1.xhtml", c1, 0 },
		{ "META-INF/encryption.xml", ENCRYPTION("OEBPS/font.otf"), 0 },
		{ NULL, NULL, 0 } };
	struct tp_zent opf_enc[] = {
		{ "mimetype", "application/epub+zip", 0 },
		{ "META-INF/container.xml", CONTAINER("content.opf"), 0 },
		{ "content.opf", "\x01\x02 not xml", 0 },
		{ "META-INF/encryption.xml", ENCRYPTION("content.opf"), 0 },
		{ NULL, NULL, 0 } };
	struct parse_result r;
	size_t n;

	z = make_book(opf, drm, &n);
	CHECK(tp_parse_mem(z, n, NULL, &r) == WK_EUNSUPPORTED);
	CHECK_CONTAINS(tp_err, "encrypted");
	CHECK(tp_is_zeroed(&r));
	free(z);

	z = make_book(opf, font, &n);
	CHECK(tp_parse_mem(z, n, NULL, &r) == 0);
	CHECK_STR(r.text, "text");
	parse_result_release(&r);
	free(z);

	z = tp_zip(opf_enc, TP_ZIP_MIMETYPE, &n);
	CHECK(tp_parse_mem(z, n, NULL, &r) == WK_EUNSUPPORTED);
	CHECK_CONTAINS(tp_err, "encrypted");
	free(z);
	free(opf);
}

TEST(epub_missing_parts)
{
	struct tp_zent no_container[] = {
		{ "mimetype", "application/epub+zip", 0 },
		{ "x.opf", "<package/>", 0 }, { NULL, NULL, 0 } };
	struct tp_zent no_rootfile[] = {
		{ "mimetype", "application/epub+zip", 0 },
		{ "META-INF/container.xml", "<container xmlns=\"urn:oasis:names:"
		  "tc:opendocument:xmlns:container\"><rootfiles/></container>",
		  0 },
		{ NULL, NULL, 0 } };
	struct tp_zent no_mimetype[] = {
		{ "META-INF/container.xml", CONTAINER("a.opf"), 0 },
		{ NULL, NULL, 0 } };
	char *empty = opf_xml("", ""), *z;
	struct parse_result r;
	size_t n;

	CHECK(strcmp(parse_format_name(PF_EPUB), "epub") == 0);
	z = tp_zip(no_container, TP_ZIP_MIMETYPE, &n);
	CHECK(parse_detect(z, n) == PF_EPUB);
	CHECK(tp_parse_mem(z, n, NULL, &r) == WK_EMALFORMED);
	CHECK_STR(tp_err, "epub has no META-INF/container.xml");
	free(z);

	z = tp_zip(no_rootfile, TP_ZIP_MIMETYPE, &n);
	CHECK(tp_parse_mem(z, n, NULL, &r) == WK_EMALFORMED);
	CHECK_STR(tp_err, "epub has no rootfile in META-INF/container.xml");
	free(z);

	/* No mimetype entry, but a container: still a book. */
	z = tp_zip(no_mimetype, TP_ZIP_MIMETYPE, &n);
	CHECK(parse_detect(z, n) == PF_EPUB);
	CHECK(tp_parse_mem(z, n, NULL, &r) == WK_EMALFORMED);
	CHECK_STR(tp_err, "epub rootfile a.opf is missing");
	free(z);

	z = make_book(empty, NULL, &n);
	CHECK(tp_parse_mem(z, n, NULL, &r) == WK_EMALFORMED);
	CHECK_STR(tp_err, "epub spine lists no content documents");
	CHECK(tp_is_zeroed(&r));
	free(z);
	free(empty);
}

TEST(epub_truncated)
{
	struct parse_result r;
	size_t n, cut;
	char *d = tp_slurp(TP_DATA "pandoc-features.epub", &n);

	CHECK(d != NULL);
	for (cut = 1; d && cut < 8; cut++) {
		CHECK(tp_parse_mem(d, n * cut / 8, NULL, &r) == WK_EMALFORMED);
		CHECK(tp_is_zeroed(&r));
	}
	free(d);
}

TEST(epub_text_limit)
{
	struct parse_limits lim;
	struct parse_result r;
	char *opf = opf_xml(ITEM("c1", "c1.xhtml") ITEM("c2", "c2.xhtml"),
			    REF("c1") REF("c2")), *z;
	struct tp_zent extra[] = {
		{ "OEBPS/c1.xhtml", XHTML_OPEN "<body><p>0123456789</p>"
		  "</body></html>", 0 },
		{ "OEBPS/c2.xhtml", XHTML_OPEN "<body>tail text</body></html>",
		  0 },
		{ NULL, NULL, 0 } };
	size_t n;

	parse_default_limits(&lim);
	lim.max_text = 12;
	z = make_book(opf, extra, &n);
	CHECK(tp_parse_mem(z, n, &lim, &r) == WK_ETOOBIG);
	CHECK_STR(tp_err, "extracted text is longer than the 12 bytes limit");
	CHECK(tp_is_zeroed(&r));
	lim.max_text = 20;
	CHECK(tp_parse_mem(z, n, &lim, &r) == 0);
	CHECK_STR(r.text, "0123456789\ntail text");
	parse_result_release(&r);
	free(z);
	free(opf);
}

/* Rewriting HTML entities for expat grows a document (a bare '&' five
 * times); the growth is capped by the text limit. */
TEST(epub_entity_growth_capped)
{
	struct parse_limits lim;
	struct parse_result r;
	char doc[1024];
	size_t i, k;

	k = (size_t)snprintf(doc, sizeof(doc), XHTML_OPEN "<body><p>");
	for (i = 0; i < 200; i++)
		doc[k++] = '&';
	snprintf(doc + k, sizeof(doc) - k, "</p></body></html>");
	CHECK(parse_chapter(doc, &r) == 0);	/* default limits */
	CHECK(r.text_len == 200);
	parse_result_release(&r);

	parse_default_limits(&lim);
	lim.max_text = 100;
	{
		char *opf = opf_xml(ITEM("c1", "c1.xhtml"), REF("c1")), *z;
		struct tp_zent extra[] = { { "OEBPS/c1.xhtml", doc, 0 },
					   { NULL, NULL, 0 } };
		size_t n;

		z = make_book(opf, extra, &n);
		CHECK(tp_parse_mem(z, n, &lim, &r) == WK_ETOOBIG);
		CHECK_STR(tp_err, "OEBPS/c1.xhtml has too many HTML entities");
		CHECK(tp_is_zeroed(&r));
		free(z);
		free(opf);
	}
}
