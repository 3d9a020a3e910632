/* test_preview.c - the preview cut and the watermark weaving. */
#include "../harness.h"
#include "../../src/base/buf.h"
#include "../../src/base/utf8.h"
#include "../../src/domain/preview.h"
#include "../../src/parse/parse.h"
#include "../../src/store/store.h"

#include <stdlib.h>
#include <string.h>

#define WM "文库—全网资源每日更新 example.com"

/* n paragraphs of len characters each, cycling through a CJK sentence
 * that ends in 。 every 20 characters. */
static struct store_block *make_blocks(int n, int len, int64_t *total)
{
	static const char *unit = "机关党建和业务工作深度融合需要长期坚持。";
	struct store_block *b = calloc((size_t)n, sizeof(*b));
	int i, j;
	*total = 0;
	for (i = 0; i < n; i++) {
		char *t = malloc((size_t)len * 3 + 1), *p = t;
		for (j = 0; j < len; j++) {
			size_t off = utf8_offset(unit, strlen(unit),
						 (size_t)(j % 20));
			size_t l = utf8_offset(unit, strlen(unit),
					       (size_t)(j % 20) + 1) - off;
			memcpy(p, unit + off, l);
			p += l;
		}
		*p = '\0';
		b[i].kind = PB_PARAGRAPH;
		b[i].text = t;
		b[i].char_start = *total;
		*total += len;
	}
	return b;
}

static void free_blocks(struct store_block *b, int n)
{
	int i;
	for (i = 0; i < n; i++)
		free((void *)b[i].text);
	free(b);
}

static const struct preview_opts opts = { 30, 500, 500, WM };

TEST(preview_limit_share_minimum_and_short_documents)
{
	CHECK(preview_limit(10000, &opts) == 3000);
	CHECK(preview_limit(1000, &opts) == 500);
	CHECK(preview_limit(400, &opts) == 200);	/* never everything */
}

TEST(preview_weaves_watermark_about_every_500_chars)
{
	int64_t total;
	struct store_block *b = make_blocks(40, 120, &total);
	struct preview_stats st;
	struct buf html, text;
	const char *p;
	size_t prev = 0;
	int gaps = 0;

	buf_init(&html, 0);
	buf_init(&text, 0);
	preview_build(b, 40, total, &opts, &html, &text, &st);
	CHECK(st.chars <= preview_limit(total, &opts));
	CHECK(st.chars >= preview_limit(total, &opts) * 4 / 5);
	CHECK(st.truncated);
	/* 1440 characters shown: the opening watermark plus one about
	 * every 500 characters. */
	CHECK(st.watermarks >= 3 && st.watermarks <= 4);
	/* Distance between watermarks in the text, in characters. */
	for (p = strstr(text.data, WM); p; p = strstr(p + 1, WM)) {
		size_t at = utf8_count(text.data, (size_t)(p - text.data));
		if (prev) {
			size_t gap = at - prev;
			CHECK(gap >= 450 && gap <= 760);
			gaps++;
		}
		prev = at + utf8_count(WM, strlen(WM));
	}
	CHECK(gaps == st.watermarks - 1);
	CHECK(strncmp(text.data, WM, strlen(WM)) == 0);
	CHECK(strstr(text.data + text.len - 5, "...") != NULL);
	CHECK_CONTAINS(html.data, "<p class=\"wm\">" WM "</p>");
	buf_release(&html);
	buf_release(&text);
	free_blocks(b, 40);
}

TEST(preview_splits_one_long_paragraph_at_sentence_ends)
{
	int64_t total;
	struct store_block *b = make_blocks(1, 6000, &total);
	struct preview_stats st;
	struct buf text;
	const char *p;

	buf_init(&text, 0);
	preview_build(b, 1, total, &opts, NULL, &text, &st);
	CHECK(st.chars == 1800);	/* 30%, and 1800 is a sentence end */
	CHECK(st.watermarks == 4);
	/* Each woven-in watermark follows a sentence end. */
	for (p = strstr(text.data + 1, "\n" WM); p; p = strstr(p + 1, "\n" WM))
		CHECK(!strncmp(p - 3, "。", 3));
	buf_release(&text);
	free_blocks(b, 1);
}

TEST(preview_cut_never_splits_utf8_and_escapes_after_cutting)
{
	struct store_block b[2] = {
		{ PB_PARAGRAPH, 0, 0, NULL },
		{ PB_PARAGRAPH, 0, 0, NULL },
	};
	struct preview_opts o = { 10, 7, 500, "" };
	struct preview_stats st;
	struct buf html, text;
	/* 20 characters: markup-like text with no sentence end. */
	b[0].text = "<b>&amp;中文字符测试中文字符测试";
	b[1].text = "第二段不应出现";
	b[1].char_start = 21;

	buf_init(&html, 0);
	buf_init(&text, 0);
	preview_build(b, 2, 28, &o, &html, &text, &st);
	CHECK(st.chars == 7);
	CHECK(utf8_valid(html.data, html.len));
	CHECK(utf8_valid(text.data, text.len));
	CHECK_STR(text.data, "<b>&amp...\n");
	CHECK_STR(html.data, "<p>&lt;b&gt;&amp;amp...</p>\n");
	CHECK(!strstr(html.data, "第二段"));
	CHECK(st.watermarks == 0);
	buf_release(&html);
	buf_release(&text);
}

TEST(preview_cut_prefers_sentence_end_and_utf8_boundary)
{
	struct store_block b = { PB_PARAGRAPH, 0, 0,
		"第一句话写完了。第二句话还没有写完就被截断了" };
	struct preview_opts o = { 50, 10, 500, "" };
	struct preview_stats st;
	struct buf text;

	buf_init(&text, 0);
	preview_build(&b, 1, 22, &o, NULL, &text, &st);
	/* Limit 11 characters; the sentence ends at 8, within 20% back?
	 * 11 - 11/5 = 9 > 8, so the cut is at exactly 11 characters. */
	CHECK_STR(text.data, "第一句话写完了。第二句...\n");
	buf_release(&text);

	o.min_chars = 9;
	buf_init(&text, 0);
	preview_build(&b, 1, 22, &o, NULL, &text, &st);
	/* Limit 11 again (50%); min 9 changes nothing. */
	CHECK(st.chars == 11);
	buf_release(&text);

	o.share = 40;
	o.min_chars = 0;
	buf_init(&text, 0);
	preview_build(&b, 1, 22, &o, NULL, &text, &st);
	/* Limit 8: ends right at the 。 */
	CHECK_STR(text.data, "第一句话写完了。...\n");
	buf_release(&text);
}

TEST(preview_headings_lists_tables_markup)
{
	struct store_block b[4] = {
		{ PB_HEADING, 1, 0, "标题" },
		{ PB_LIST_ITEM, 1, 2, "要点" },
		{ PB_TABLE_ROW, 0, 4, "甲\t乙" },
		{ PB_PARAGRAPH, 0, 7, "正文内容很长很长很长很长很长很长很长很长很长" },
	};
	struct preview_opts o = { 50, 0, 500, "" };
	struct preview_stats st;
	struct buf html;

	buf_init(&html, 0);
	preview_build(b, 4, 30, &o, &html, NULL, &st);
	CHECK_CONTAINS(html.data, "<h2>标题</h2>");
	CHECK_CONTAINS(html.data, "<ul>\n<li class=\"l1\">要点</li>\n</ul>");
	CHECK_CONTAINS(html.data, "<table>\n<tr><td>甲</td><td>乙</td></tr>\n</table>");
	CHECK(st.truncated);
	buf_release(&html);
}
