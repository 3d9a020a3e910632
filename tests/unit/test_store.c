/* test_store.c - the SQLite store: migrations, blobs, documents, views,
 * settings and fragments, on a temporary data folder. */
#include "../harness.h"
#include "../../src/base/arena.h"
#include "../../src/base/buf.h"
#include "../../src/base/err.h"
#include "../../src/base/json.h"
#include "../../src/domain/qr.h"
#include "../../src/domain/settings.h"
#include "../../src/store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static struct store *open_tmp(char *dir)
{
	char err[256];
	struct store *s;
	strcpy(dir, "/tmp/wenku-unit.XXXXXX");
	if (!mkdtemp(dir))
		return NULL;
	s = store_open(dir, err, sizeof(err));
	if (!s)
		fprintf(stderr, "    store_open: %s\n", err);
	return s;
}

static void rm_tmp(const char *dir)
{
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "    could not remove %s\n", dir);
}

TEST(store_migrates_and_reopens)
{
	char dir[64], err[256];
	struct store *s = open_tmp(dir);
	CHECK(s != NULL);
	if (!s)
		return;
	CHECK(store_schema_version(s) >= 1);
	CHECK(store_check(s) == 0);
	store_close(s);
	s = store_open(dir, err, sizeof(err));	/* nothing to apply twice */
	CHECK(s && store_schema_version(s) >= 1);
	store_close(s);
	rm_tmp(dir);
}

TEST(store_blob_is_content_addressed_and_idempotent)
{
	char dir[64], hex[65], hex2[65], path[512];
	struct store *s = open_tmp(dir);
	struct stat st;

	if (!s)
		return;
	CHECK(store_blob_put(s, "abc", 3, hex) == 0);
	CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223"
		       "b00361a396177a9cb410ff61f20015ad");
	CHECK(store_blob_path(s, hex, path, sizeof(path)) == 0);
	CHECK(strstr(path, "/blobs/ba/78/ba7816bf") != NULL);
	CHECK(stat(path, &st) == 0 && st.st_size == 3);
	CHECK(store_blob_put(s, "abc", 3, hex2) == 0);
	CHECK_STR(hex2, hex);
	CHECK(store_blob_path(s, "../../etc/passwd", path, sizeof(path)) ==
	      WK_EINVAL);
	store_close(s);
	rm_tmp(dir);
}

static int64_t add_doc(struct store *s, const char *title, int64_t cat)
{
	struct store_block b[3] = {
		{ 1, 1, 0, "标题" },
		{ 0, 0, 2, "第一段文字。" },
		{ 0, 0, 8, "第二段文字。" },
	};
	struct store_doc d = { 0 };
	char hex[65];

	store_blob_put(s, title, strlen(title), hex);
	d.title = title;
	d.format = "txt";
	d.sha256 = hex;
	d.size = 10;
	d.chars = 14;
	d.category_id = cat;
	d.status = "published";
	d.published_at = 1700000000;
	return store_doc_insert(s, &d, b, 3) == 0 ? d.id : 0;
}

TEST(store_documents_blocks_and_listing)
{
	char dir[64];
	struct store *s = open_tmp(dir);
	struct arena *a = arena_new(0);
	struct store_category c = { .slug = "dangjian", .name = "党建" };
	struct store_block *blocks;
	struct store_doc d, *list;
	size_t n;
	int64_t id;

	if (!s)
		return;
	CHECK(store_category_insert(s, &c) == 0 && c.id > 0);
	id = add_doc(s, "文档一", c.id);
	CHECK(id > 0);
	CHECK(store_doc_get(s, a, id, &d) == 0);
	CHECK_STR(d.title, "文档一");
	CHECK_STR(d.category_name, "党建");
	CHECK(store_doc_get(s, a, id + 100, &d) == WK_ENOTFOUND);
	/* Only blocks starting before the limit are read. */
	CHECK(store_doc_blocks(s, a, id, 8, &blocks, &n) == 0);
	CHECK(n == 2);
	CHECK(store_doc_blocks(s, a, id, 100, &blocks, &n) == 0);
	CHECK(n == 3 && !strcmp(blocks[2].text, "第二段文字。"));
	CHECK(store_doc_list(s, a, c.id, 10, 0, &list, &n) == 0 && n == 1);
	CHECK(store_doc_count(s, 0) == 1);
	CHECK(store_doc_list(s, a, 0, 0, 0, &list, &n) == WK_EINVAL);
	/* A second category with the same slug is a conflict. */
	CHECK(store_category_insert(s, &c) == WK_ECONFLICT);
	arena_free(a);
	store_close(s);
	rm_tmp(dir);
}

TEST(store_views_counted_once_per_visitor_and_day)
{
	char dir[64];
	struct store *s = open_tmp(dir);
	struct arena *a = arena_new(0);
	struct store_rank *r;
	struct store_doc d;
	bool counted;
	size_t n;
	int64_t id1, id2;

	if (!s)
		return;
	id1 = add_doc(s, "甲", 0);
	id2 = add_doc(s, "乙", 0);
	CHECK(store_view_record(s, id1, 100, "v1", &counted) == 0 && counted);
	CHECK(store_view_record(s, id1, 100, "v1", &counted) == 0 && !counted);
	CHECK(store_view_record(s, id1, 101, "v1", &counted) == 0 && counted);
	CHECK(store_view_record(s, id2, 101, "v2", &counted) == 0 && counted);
	CHECK(store_view_record(s, id2, 101, "v3", &counted) == 0 && counted);
	CHECK(store_view_record(s, id2, 101, "v4", &counted) == 0 && counted);
	CHECK(store_doc_get(s, a, id1, &d) == 0 && d.views == 2);
	/* Day 101 only: 乙 (3) ahead of 甲 (1). */
	CHECK(store_rank_views(s, a, 101, 10, &r, &n) == 0 && n == 2);
	CHECK(n == 2 && r[0].id == id2 && r[0].count == 3 && r[1].count == 1);
	/* All time: 乙 3, 甲 2. */
	CHECK(store_rank_views(s, a, -1, 10, &r, &n) == 0 && n == 2);
	CHECK(n == 2 && r[0].id == id2 && r[1].count == 2);
	arena_free(a);
	store_close(s);
	rm_tmp(dir);
}

TEST(settings_validated_and_loaded)
{
	char dir[64], err[256];
	struct store *s = open_tmp(dir);
	struct arena *a = arena_new(0);
	struct site_settings cfg;
	const char *v;

	if (!s)
		return;
	CHECK(settings_set(s, "preview_share", "95", err, sizeof(err)) ==
	      WK_EINVAL);
	CHECK(strstr(err, "preview_share") != NULL);
	CHECK(settings_set(s, "preview_share", "2x", err, sizeof(err)) ==
	      WK_EINVAL);
	CHECK(settings_set(s, "nope", "1", err, sizeof(err)) == WK_EINVAL);
	CHECK(settings_set(s, "site_url", "javascript:x", err, sizeof(err)) ==
	      WK_EINVAL);
	CHECK(settings_set(s, "site_name", "", err, sizeof(err)) == WK_EINVAL);
	CHECK(settings_set(s, "preview_share", "20", err, sizeof(err)) == 0);
	CHECK(settings_set(s, "site_url", "https://wk.example.com", err,
			   sizeof(err)) == 0);
	/* Settings that bound each other: price_min <= price_max, against
	 * the stored values and within one save. */
	CHECK(settings_set(s, "price_min", "2000", err, sizeof(err)) ==
	      WK_EINVAL);
	CHECK(strstr(err, "price_min (2000) may not be above price_max "
			  "(1000)") != NULL);
	CHECK(settings_set(s, "price_min", "50", err, sizeof(err)) == 0);
	CHECK(settings_set(s, "price_max", "40", err, sizeof(err)) ==
	      WK_EINVAL);
	{
		const char *names[] = { "price_max", "price_min" };
		const char *bad[] = { "40", "50" }, *good[] = { "40", "30" };
		CHECK(settings_save_audited(s, a, names, bad, 2, 0, err,
					    sizeof(err)) == WK_EINVAL);
		CHECK(settings_save_audited(s, a, names, good, 2, 0, err,
					    sizeof(err)) == 0);
	}
	CHECK(settings_load(s, a, &cfg) == 0);
	CHECK(cfg.price_min == 30 && cfg.price_max == 40);
	CHECK(cfg.preview_share == 20);
	CHECK(cfg.preview_min_chars == 500);
	CHECK_STR(cfg.watermark, "文库—全网资源每日更新 wk.example.com");
	CHECK(store_fragment_get(s, a, "doc_notice", &v) == WK_ENOTFOUND);
	CHECK(store_fragment_set(s, "doc_notice", "提示") == 0);
	CHECK(store_fragment_get(s, a, "doc_notice", &v) == 0);
	CHECK_STR(v, "提示");
	arena_free(a);
	store_close(s);
	rm_tmp(dir);
}

TEST(json_escapes_for_html_and_bad_utf8)
{
	struct buf b;
	buf_init(&b, 0);
	json_cstr(&b, "a\"b\\c\n<script>&\x01\xe2\x80\xa8\xff中");
	CHECK_STR(buf_str(&b), "\"a\\\"b\\\\c\\n\\u003cscript\\u003e\\u0026"
			       "\\u0001\\u2028\\ufffd中\"");
	buf_reset(&b);
	json_cstr(&b, NULL);
	CHECK_STR(buf_str(&b), "null");
	buf_release(&b);
}

TEST(qr_svg_is_a_real_code)
{
	struct buf b;
	int modules = 0;
	const char *p;

	buf_init(&b, 0);
	CHECK(qr_svg("https://u.wechat.com/wenku-kefu", "客服\"<x>", &b) == 0);
	CHECK(strncmp(buf_str(&b), "<svg class=\"qr\"", 15) == 0);
	/* Version 3 (29 modules) + 2 x 4 quiet zone. */
	CHECK(strstr(buf_str(&b), "viewBox=\"0 0 37 37\"") != NULL);
	CHECK(strstr(buf_str(&b), "aria-label=\"客服&quot;&lt;x&gt;\"") != NULL);
	for (p = buf_str(&b); (p = strstr(p, "M")); p++)
		modules++;
	CHECK(modules > 100);
	buf_reset(&b);
	CHECK(qr_svg("", "x", &b) == WK_EINVAL);
	buf_release(&b);
}

TEST(json_object_string_reads_members)
{
	static const struct {
		const char *json, *key;
		int rc;
		const char *want;
	} cases[] = {
		{ "{\"name\":\"alice\",\"password\":\"x\"}", "name", 0, "alice" },
		{ " { \"a\" : [1, {\"b\": null}], \"name\" : \"\\u4e2d\\u6587\" } ",
		  "name", 0, "中文" },
		{ "{\"name\":\"\\ud83d\\ude00\"}", "name", 0, "😀" },
		{ "{\"name\":\"a\\\"b\\\\c\\n\"}", "name", 0, "a\"b\\c\n" },
		{ "{\"name\":12}", "name", WK_ENOTFOUND, NULL },
		{ "{\"other\":\"x\"}", "name", WK_ENOTFOUND, NULL },
		{ "{}", "name", WK_ENOTFOUND, NULL },
		{ "{\"name\":\"x\"", "name", WK_EMALFORMED, NULL },
		{ "{\"name\":\"x\"} trailing", "name", WK_EMALFORMED, NULL },
		{ "[\"name\"]", "name", WK_EMALFORMED, NULL },
		{ "{\"name\":\"\\ud800\"}", "name", WK_EMALFORMED, NULL },
		{ "{\"name\":\"a\x01\"}", "name", WK_EMALFORMED, NULL },
		{ "{\"name\":\"\xc0\xaf\"}", "name", WK_EMALFORMED, NULL },
		{ "{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
		  "a", WK_EMALFORMED, NULL },
		{ "{\"name\":\"first\",\"name\":\"second\"}", "name", 0, "first" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf b;
		int rc;
		buf_init(&b, 0);
		rc = json_object_string(cases[i].json, strlen(cases[i].json),
					cases[i].key, &b);
		if (rc != cases[i].rc)
			fprintf(stderr, "    case %zu: rc %d\n", i, rc);
		CHECK(rc == cases[i].rc);
		if (cases[i].want)
			CHECK_STR(buf_str(&b), cases[i].want);
		buf_release(&b);
	}
}

TEST(json_object_int_reads_whole_numbers_only)
{
	static const struct {
		const char *json;
		int rc;
		int64_t want;
	} cases[] = {
		{ "{\"n\":100}", 0, 100 },
		{ "{\"a\":\"x\", \"n\" : -7 }", 0, -7 },
		{ "{\"n\":0}", 0, 0 },
		{ "{\"n\":9223372036854775799}", 0, 9223372036854775799LL },
		{ "{\"n\":99999999999999999999}", WK_ENOTFOUND, 0 },
		{ "{\"n\":1.5}", WK_ENOTFOUND, 0 },
		{ "{\"n\":1e3}", WK_ENOTFOUND, 0 },
		{ "{\"n\":\"100\"}", WK_ENOTFOUND, 0 },
		{ "{\"n\":true}", WK_ENOTFOUND, 0 },
		{ "{\"m\":1}", WK_ENOTFOUND, 0 },
		{ "{\"n\":01}", WK_ENOTFOUND, 0 },
		{ "{\"n\":-}", WK_EMALFORMED, 0 },
		{ "{\"n\":1", WK_EMALFORMED, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t v = -12345;
		int rc = json_object_int(cases[i].json, strlen(cases[i].json),
					 "n", &v);
		if (rc != cases[i].rc)
			fprintf(stderr, "    case %zu: rc %d\n", i, rc);
		CHECK(rc == cases[i].rc);
		CHECK(rc ? v == -12345 : v == cases[i].want);
	}
}
