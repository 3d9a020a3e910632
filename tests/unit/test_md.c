/*
 * test_md.c - Markdown: telling it from plain text (both ways), its
 * blocks, inline markup and HTML taken out, the title, encodings shared
 * with txt, and real Chinese files (tests/data/parse/, see its
 * README.md).
 */
#include "../harness.h"
#include "parse_util.h"
#include "../../src/base/err.h"
#include "../../src/parse/parse_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Parse Markdown text s; the caller releases r. */
static int parse_md(const char *s, struct parse_result *r)
{
	return tp_parse_mem(s, strlen(s), NULL, r);
}

/* md_parse() directly, whatever detection would say. */
static int md_direct(const char *s, struct parse_result *r)
{
	struct parse_limits lim;

	parse_default_limits(&lim);
	memset(r, 0, sizeof(*r));
	tp_err[0] = '\0';
	return md_parse(s, strlen(s), &lim, r, tp_err, sizeof(tp_err));
}

/* The text md_parse() makes of s, in a static buffer. */
static const char *md_text(const char *s)
{
	static char out[4096];
	struct parse_result r;

	out[0] = '\0';
	if (md_direct(s, &r) == 0)
		snprintf(out, sizeof(out), "%s", r.text);
	else
		snprintf(out, sizeof(out), "(error: %s)", tp_err);
	parse_result_release(&r);
	return out;
}

/* ---- real files --------------------------------------------------------- */

TEST(md_testdocs_facts)
{
	static const struct {
		const char *file, *title, *contains;
	} docs[] = {
		{ "chatchat-wiki-faq.md", "Q: 我要提出问题，怎么办",
		  "本项目支持哪些文件格式？" },
		{ "chatchat-llm-tech-stack.md", "大模型技术栈-算法与原理",
		  "通过学习向量来对激活层加权进行缩放" },
		/* the file has "开启 `PEFT_SHARE_BASE_WEIG...": the code
		 * span's backticks go */
		{ "chatchat-wiki-best-practices.md", "推荐的模型组合",
		  "开启 PEFT_SHARE_BASE_WEIG" },
	};
	struct parse_result r;
	char path[256];
	size_t i, n;
	char *d;

	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		snprintf(path, sizeof(path), TP_DATA "%s", docs[i].file);
		d = tp_slurp(path, &n);
		CHECK(d && parse_detect(d, n) == PF_MD);
		free(d);
		CHECK(tp_parse_file(path, &r) == 0);
		CHECK(r.format == PF_MD);
		CHECK(tp_consistent(&r));
		CHECK_STR(r.title, docs[i].title);
		CHECK(tp_contains_nows(r.text, docs[i].contains));
		/* fences go; what is inside them stays as written */
		CHECK(!strstr(r.text, "```"));
		CHECK(tp_find_block(&r, docs[i].title) >= 0);
		CHECK(r.pages_estimated && r.author == NULL);
		parse_result_release(&r);
	}
}

/* ---- detection ---------------------------------------------------------- */

TEST(md_vs_txt_detection)
{
	static const struct {
		const char *text;
		enum parse_format f;
	} cases[] = {
		{ "# 标题\n\n正文第一段。\n\n- 一\n- 二\n", PF_MD },
		{ "Title\n=====\n\nSee [the site](https://example.com).\n",
		  PF_MD },
		{ "intro\n\n```c\nint x;\n```\n\nuse `x` here\n", PF_MD },
		{ "| a | b |\n|---|---|\n| 1 | 2 |\n\n**bold** text\n", PF_MD },
		/* plain Chinese text with a '#' here and there */
		{ "第一章\n今天是3月#1号，我们开会讨论C#和F#。\n编号#2的问题。\n",
		  PF_TXT },
		{ "#话题# 今天天气很好\n#另一个话题#\n", PF_TXT },
		/* a heading alone is not enough */
		{ "# 通知\n\n明天放假一天。\n", PF_TXT },
		/* lists and emphasis alone are not structure */
		{ "1. 第一\n2. 第二\n**注意** 事项\n", PF_TXT },
		/* a script full of comments is not a document */
		{ "# set up\n# the path\n# and go\n# now\nexport A=1\n- x\n- y\n",
		  PF_TXT },
		{ "", PF_TXT },
	};
	size_t i;

	CHECK(strcmp(parse_format_name(PF_MD), "md") == 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum parse_format f = parse_detect(cases[i].text,
						   strlen(cases[i].text));
		CHECK(f == cases[i].f);
		if (f != cases[i].f)
			fprintf(stderr, "    case %zu: got %s\n", i,
				parse_format_name(f));
	}
}

TEST(md_encodings_shared_with_txt)
{
	/* "# 标题\n\n- 一\n- 二\n" in GB18030, and in UTF-16LE with a BOM */
	static const char gb[] = "# \xb1\xea\xcc\xe2\n\n- \xd2\xbb\n- \xb6\xfe\n";
	static const char u16[] =
		"\xff\xfe#\0 \0\x07\x68\x98\x98\n\0\n\0-\0 \0\0N\n\0-\0 \0"
		"\x8c\x4e\n\0";
	struct parse_result r;

	CHECK(parse_detect(gb, sizeof(gb) - 1) == PF_MD);
	CHECK(tp_parse_mem(gb, sizeof(gb) - 1, NULL, &r) == 0);
	CHECK(r.format == PF_MD);
	CHECK_STR(r.text, "标题\n一\n二");
	CHECK_STR(r.title, "标题");
	parse_result_release(&r);

	CHECK(parse_detect(u16, sizeof(u16) - 1) == PF_MD);
	CHECK(tp_parse_mem(u16, sizeof(u16) - 1, NULL, &r) == 0);
	CHECK_STR(r.text, "标题\n一\n二");
	parse_result_release(&r);

	/* binary data is refused as a txt would be */
	CHECK(md_direct("ab\x01\x02\x03\x04\x05\x06 cd", &r) ==
	      WK_EUNSUPPORTED);
	CHECK(tp_is_zeroed(&r));
}

/* ---- blocks ------------------------------------------------------------- */

TEST(md_blocks)
{
	struct parse_result r;
	const char *doc =
		"---\ntitle: \"前言 Title\"\ntags: [a]\n---\n"
		"# 第一章 #\n"
		"\n"
		"第一段第一行\n第一段第二行  \n第三行\\\n"
		"\n"
		"Setext 标题\n---\n"
		"- 项目一\n  - 子项目\n    继续\n- [x] 已完成\n"
		"1. 有序\n2) 第二\n"
		"\n"
		"不在列表里\n"
		"***\n"
		"> 引用 *一*\n> 继续\n>\n> > 嵌套\n"
		"\n"
		"```python\nprint(\"*not emphasis*\")\n\n  indented\n```\n"
		"~~~\nunclosed *fence*";

	CHECK(parse_md(doc, &r) == 0);
	CHECK(r.format == PF_MD);
	CHECK(tp_consistent(&r));
	CHECK_STR(r.title, "前言 Title");
	CHECK_STR(r.text,
		  "第一章\n第一段第一行 第一段第二行 第三行\nSetext 标题\n项目一\n"
		  "子项目 继续\n已完成\n有序\n第二\n不在列表里\n引用 一 继续\n嵌套\n"
		  "print(\"*not emphasis*\")\nindented\nunclosed *fence*");
	CHECK(r.nblocks == 14);
	if (r.nblocks == 14) {
		CHECK(tp_block_is(&r, 0, PB_HEADING, 1));
		CHECK(tp_block_is(&r, 1, PB_PARAGRAPH, -1));
		CHECK(tp_block_is(&r, 2, PB_HEADING, 2));
		CHECK(tp_block_is(&r, 3, PB_LIST_ITEM, 1));
		CHECK(tp_block_is(&r, 4, PB_LIST_ITEM, 2));
		CHECK(tp_block_is(&r, 5, PB_LIST_ITEM, 1));
		CHECK(tp_block_is(&r, 6, PB_LIST_ITEM, 1));
		CHECK(tp_block_is(&r, 8, PB_PARAGRAPH, -1));
		CHECK(tp_block_is(&r, 11, PB_PARAGRAPH, -1));
	}
	parse_result_release(&r);
}

TEST(md_tables_and_code)
{
	CHECK_STR(md_text("| 名 | **字** |\n| :--- | ---: |\n| 宝玉 | `a|b` |\n"
			  "| x \\| y | [链接](u) |\nafter\n\nnext"),
		  "名\t字\n宝玉\ta|b\nx | y\t链接\nafter\nnext");
	CHECK_STR(md_text("para\n\n    indented code *x*\n    line 2\n"),
		  "para\nindented code *x*\nline 2");
	CHECK_STR(md_text("- item\n\n      code in item\n"),
		  "item\ncode in item");
	/* empty blocks (the fuzzer's first find: an empty heading) */
	CHECK_STR(md_text("# t\n\n#\n-\n- \n> \n1.\n\n## ##\n"), "t");
	CHECK_STR(md_text("[ref]: https://example.com\n[^1]: a footnote\n\n"
			  "text[^1] and [ref]\n"),
		  "text and [ref]");
}

TEST(md_title_is_first_heading)
{
	struct parse_result r;

	CHECK(md_direct("intro\n\n## Second **level**\n\n# First\n", &r) == 0);
	CHECK_STR(r.title, "Second level");
	parse_result_release(&r);
	CHECK(md_direct("no heading here\n- a\n", &r) == 0);
	CHECK(r.title == NULL);
	parse_result_release(&r);
}

/* ---- inline markup ------------------------------------------------------ */

TEST(md_inline_markup_stripped)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "*em* _em_ **strong** __strong__ ***both***",
		  "em em strong strong both" },
		{ "~~gone~~ ~one~", "gone one" },
		{ "snake_case_name and 2 * 3 * 4 and a*b*c",
		  "snake_case_name and 2 * 3 * 4 and abc" },
		{ "**unclosed and *half", "**unclosed and *half" },
		{ "`code *x*` and ``a ` b``", "code *x* and a ` b" },
		{ "[文字](http://x.cn \"t\") [**粗** 链接](u) [ref][r] [x][]",
		  "文字 粗 链接 ref x" },
		{ "![图片说明](a.png) ![](empty.png)", "图片说明" },
		{ "[outer [inner](a) end](b)", "outer inner end" },
		{ "<https://example.com/a_b_> <mail@example.com>",
		  "https://example.com/a_b_ mail@example.com" },
		{ "\\*not em\\* \\_ \\# \\\\ \\a", "*not em* _ # \\ \\a" },
		{ "&amp; &lt;b&gt; &copy; &#x4e2d;&#25991; &bogus; &#0;",
		  "& <b> © 中文 &bogus; \xef\xbf\xbd" },
		{ "中文**加粗**中文", "中文加粗中文" },
		{ "[未闭合](链接 [x", "[未闭合](链接 [x" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK_STR(md_text(cases[i].in), cases[i].out);
}

TEST(md_html_not_passed_through)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "a <b>bold</b> <span class=\"x\">span</span> z",
		  "a bold span z" },
		{ "x <script>alert('XSS')</script> y", "x  y" },
		{ "x <style>p{color:red}</style> y", "x  y" },
		{ "<div align=\"center\">\n<h1>居中标题</h1>\n</div>\n\nafter",
		  "居中标题\nafter" },
		{ "<script>\nalert(1)\n</script>\nafter", "after" },
		{ "<!-- comment\nmore -->\nvisible", "visible" },
		{ "a <!-- c --> b <img src=x onerror=alert(1)> c", "a  b  c" },
		{ "<SCRIPT>evil()</SCRIPT>", "" },
		{ "1 < 2 and a <b", "1 < 2 and a <b" },
		{ "text <script>never closed", "text" },
	};
	struct parse_result r;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK(md_direct(cases[i].in, &r) == 0);
		CHECK_STR(r.text, cases[i].out);
		CHECK(!strstr(r.text, "<script") && !strstr(r.text, "alert") &&
		      !strstr(r.text, "<div"));
		parse_result_release(&r);
	}
}

TEST(md_text_limit)
{
	struct parse_limits lim;
	struct parse_result r;
	const char *doc = "# 标题\n\n- 0123456789\n- more\n";

	parse_default_limits(&lim);
	lim.max_text = 12;
	CHECK(tp_parse_mem(doc, strlen(doc), &lim, &r) == WK_ETOOBIG);
	CHECK_STR(tp_err, "extracted text is longer than the 12 bytes limit");
	CHECK(tp_is_zeroed(&r));
	lim.max_text = 4096;
	CHECK(tp_parse_mem(doc, strlen(doc), &lim, &r) == 0);
	CHECK_STR(r.text, "标题\n0123456789\nmore");
	parse_result_release(&r);
}

/* Inputs that make naive searches quadratic: each pattern repeated to
 * 512 KiB in one paragraph must still take moments (a quadratic scan
 * would take minutes). */
TEST(md_pathological_inputs_linear)
{
	static const char *const pats[] = {
		"[", "](", "![a](", "`", "`` ` ", "<a", "<a<", "**a ", "_a_b",
		"[^", "&", "\\", "|", "<!-", "[x](<",
	};
	struct parse_result r;
	size_t i, k, plen, n = 512 << 10;
	char *s = malloc(n + 16);
	clock_t t0;
	double secs;

	for (i = 0; s && i < sizeof(pats) / sizeof(pats[0]); i++) {
		plen = strlen(pats[i]);
		strcpy(s, "# t\n\n- a\n- b\n\nx ");
		for (k = strlen(s); k + plen < n; k += plen)
			memcpy(s + k, pats[i], plen);
		s[k] = '\0';
		t0 = clock();
		CHECK(md_direct(s, &r) == 0);
		CHECK(tp_consistent(&r));
		parse_result_release(&r);
		secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
		CHECK(secs < 10);
		if (secs >= 10)
			fprintf(stderr, "    pattern \"%s\": %.1f s\n", pats[i],
				secs);
	}
	free(s);
}
