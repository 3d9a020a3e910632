/* test_discover.c - rankings with a set clock, view de-duplication,
 * tags, favourites and history, and the sitemap and RSS output (checked
 * with xmllint against the schemas in tests/data/sitemap). */
#include "../harness.h"
#include "../../src/base/arena.h"
#include "../../src/base/buf.h"
#include "../../src/base/err.h"
#include "../../src/domain/docs.h"
#include "../../src/domain/rank.h"
#include "../../src/domain/settings.h"
#include "../../src/domain/tags.h"
#include "../../src/store/store.h"
#include "../../src/web/seo.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* 2024-05-01 00:00:00 in Beijing: a Wednesday, China day 19844. */
#define MAY1 1714492800LL
#define DAY 86400LL

static struct store *open_tmp(char *dir)
{
	char err[256];
	strcpy(dir, "/tmp/wenku-disc.XXXXXX");
	if (!mkdtemp(dir))
		return NULL;
	return store_open(dir, err, sizeof(err));
}

static void rm_tmp(const char *dir)
{
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "    could not remove %s\n", dir);
}

static int64_t add_doc(struct store *s, const char *title, int64_t cat,
		       const char *status, int64_t published, uint64_t sh)
{
	struct store_block b[2] = {
		{ 1, 1, 0, "标题 <&>" },
		{ 0, 0, 6, "正文第一段，讲述党建工作的要点。" },
	};
	struct store_doc d = { 0 };
	char hex[65];

	store_blob_put(s, title, strlen(title), hex);
	d.title = title;
	d.format = "txt";
	d.sha256 = hex;
	d.size = 10;
	d.chars = 2000;
	d.category_id = cat;
	d.status = status;
	d.created_at = published;
	d.published_at = strcmp(status, "published") ? 0 : published;
	d.simhash = sh;
	d.has_simhash = sh != 0;
	return store_doc_insert(s, &d, b, 2) == 0 ? d.id : 0;
}

TEST(rank_windows_in_china_time)
{
	CHECK(rank_day(MAY1) == 19844);
	CHECK(rank_day(MAY1 - 1) == 19843);	/* 23:59:59 the day before */
	CHECK(rank_day_start(19844) == MAY1);
	/* Wednesday 1 May: the week began on Monday 29 April, the month
	 * on the 1st. */
	CHECK(rank_window_first_day(RANK_TODAY, MAY1 + 3600) == 19844);
	CHECK(rank_window_first_day(RANK_WEEK, MAY1 + 3600) == 19842);
	CHECK(rank_window_first_day(RANK_MONTH, MAY1 + 3600) == 19844);
	CHECK(rank_window_first_day(RANK_MONTH, MAY1 - 1) == 19844 - 30);
	/* Sunday 5 May 23:59:59 is still that week; Monday starts anew. */
	CHECK(rank_window_first_day(RANK_WEEK, MAY1 + 5 * DAY - 1) == 19842);
	CHECK(rank_window_first_day(RANK_WEEK, MAY1 + 5 * DAY) == 19849);
	CHECK(rank_window_first_day(RANK_MONTH, MAY1 + 14 * DAY) == 19844);
	CHECK(rank_window_first_day(RANK_ALL, MAY1) == -1);
	CHECK(rank_window_parse("week") == RANK_WEEK);
	CHECK(rank_window_parse("year") == -1);
	CHECK(rank_window_parse(NULL) == -1);
}

TEST(views_once_per_visitor_per_china_day_and_windows)
{
	char dir[64];
	struct store *s = open_tmp(dir);
	struct arena *a = arena_new(0);
	struct store_rank *r;
	struct store_doc d;
	unsigned char key[DOCS_VISITOR_KEY_BYTES] = { 1, 2, 3 };
	char v1[33], v1b[33], v2[33];
	int64_t id1, id2, hidden;
	size_t n;

	if (!s)
		return;
	id1 = add_doc(s, "一", 0, "published", MAY1 - 40 * DAY, 0);
	id2 = add_doc(s, "二", 0, "published", MAY1 - 40 * DAY, 0);
	hidden = add_doc(s, "待审", 0, "pending", MAY1 - 40 * DAY, 0);
	CHECK(id1 && id2 && hidden);
	/* The visitor key is keyed and changes with the day. */
	docs_visitor_key(key, 19844, "10.0.0.1", "UA", v1);
	docs_visitor_key(key, 19845, "10.0.0.1", "UA", v1b);
	CHECK(strcmp(v1, v1b) != 0);
	CHECK(strlen(v1) == 32 && !strstr(v1, "10.0.0.1"));
	key[0] = 9;
	docs_visitor_key(key, 19844, "10.0.0.1", "UA", v2);
	CHECK(strcmp(v1, v2) != 0);

	/* One visitor, three views in one China day (08:00 to 23:59),
	 * counts once; the next China day counts again. */
	CHECK(docs_count_view(s, id1, "u:7", MAY1 + 10) == 0);
	CHECK(docs_count_view(s, id1, "u:7", MAY1 + 3600) == 0);
	CHECK(docs_count_view(s, id1, "u:7", MAY1 + DAY - 1) == 0);
	CHECK(store_doc_get(s, a, id1, &d) == 0 && d.views == 1);
	CHECK(docs_count_view(s, id1, "u:7", MAY1 + DAY) == 0);
	CHECK(store_doc_get(s, a, id1, &d) == 0 && d.views == 2);
	/* id2: three visitors twenty days earlier (last month). */
	CHECK(docs_count_view(s, id2, "a", MAY1 - 20 * DAY) == 0);
	CHECK(docs_count_view(s, id2, "b", MAY1 - 20 * DAY) == 0);
	CHECK(docs_count_view(s, id2, "c", MAY1 - 20 * DAY) == 0);
	/* A document that is not published never ranks. */
	CHECK(docs_count_view(s, hidden, "a", MAY1 + 10) == 0);
	CHECK(docs_count_view(s, hidden, "b", MAY1 + 10) == 0);
	CHECK(docs_count_view(s, hidden, "c", MAY1 + 10) == 0);

	/* On 2 May: today id1 (1), this week id1 (2), this month id1,
	 * all time id2 (3) ahead of id1 (2). */
	CHECK(rank_list(s, a, RANK_VIEWS, RANK_TODAY, MAY1 + DAY + 60, 10,
			&r, &n) == 0);
	CHECK(n == 1 && r[0].id == id1 && r[0].count == 1);
	CHECK(rank_list(s, a, RANK_VIEWS, RANK_WEEK, MAY1 + DAY + 60, 10, &r,
			&n) == 0);
	CHECK(n == 1 && r[0].id == id1 && r[0].count == 2);
	CHECK(rank_list(s, a, RANK_VIEWS, RANK_MONTH, MAY1 + DAY + 60, 10,
			&r, &n) == 0);
	CHECK(n == 1 && r[0].id == id1);
	CHECK(rank_list(s, a, RANK_VIEWS, RANK_ALL, MAY1 + DAY + 60, 10, &r,
			&n) == 0);
	CHECK(n == 2 && r[0].id == id2 && r[0].count == 3 && r[1].id == id1);
	/* April's window reaches back to id2's views (windows have no
	 * end: the clock does not run backwards). */
	CHECK(rank_list(s, a, RANK_VIEWS, RANK_MONTH, MAY1 - 1, 10, &r,
			&n) == 0);
	CHECK(n == 2 && r[0].id == id2 && r[0].count == 3);
	arena_free(a);
	store_close(s);
	rm_tmp(dir);
}

TEST(download_ranking_windows_published_only)
{
	char dir[64], path[128];
	struct store *s = open_tmp(dir);
	struct arena *a = arena_new(0);
	struct store_rank *r;
	int64_t id1, id2, hidden;
	sqlite3 *db;
	size_t n;

	if (!s)
		return;
	id1 = add_doc(s, "一", 0, "published", MAY1 - 40 * DAY, 0);
	id2 = add_doc(s, "二", 0, "published", MAY1 - 40 * DAY, 0);
	hidden = add_doc(s, "待审", 0, "removed", MAY1 - 40 * DAY, 0);
	snprintf(path, sizeof(path), "%s/wenku.db", dir);
	CHECK(sqlite3_open(path, &db) == SQLITE_OK);
	{
		char sql[600];
		/* id1: two guest downloads today; id2: one account three
		 * times yesterday (counts once) and a guest last week;
		 * the removed document many today. */
		snprintf(sql, sizeof(sql),
			 "INSERT INTO users (name, display_name, created_at) "
			 "VALUES ('dl', 'dl', 0);"
			 "INSERT INTO downloads (user_id, doc_id, ip, created_at)"
			 " VALUES (NULL, %lld, '', %lld), (NULL, %lld, '', %lld),"
			 " (1, %lld, '', %lld), (1, %lld, '', %lld), "
			 "(1, %lld, '', %lld), (NULL, %lld, '', %lld), "
			 "(NULL, %lld, '', %lld), (NULL, %lld, '', %lld), "
			 "(NULL, %lld, '', %lld);",
			 (long long)id1, MAY1 + DAY + 5, (long long)id1,
			 MAY1 + DAY + 6, (long long)id2, MAY1 + 1,
			 (long long)id2, MAY1 + 2, (long long)id2, MAY1 + 3,
			 (long long)id2, MAY1 - 7 * DAY, (long long)hidden,
			 MAY1 + DAY + 1, (long long)hidden, MAY1 + DAY + 2,
			 (long long)hidden, MAY1 + DAY + 3);
		CHECK(sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK);
	}
	sqlite3_close(db);
	CHECK(rank_list(s, a, RANK_DOWNLOADS, RANK_TODAY, MAY1 + DAY + 60, 10,
			&r, &n) == 0);
	CHECK(n == 1 && r[0].id == id1 && r[0].count == 2);
	CHECK(rank_list(s, a, RANK_DOWNLOADS, RANK_WEEK, MAY1 + DAY + 60, 10,
			&r, &n) == 0);
	CHECK(n == 2 && r[0].id == id1 && r[1].id == id2 && r[1].count == 1);
	CHECK(rank_list(s, a, RANK_DOWNLOADS, RANK_ALL, MAY1 + DAY + 60, 10,
			&r, &n) == 0);
	CHECK(n == 2 && r[0].id == id2 && r[0].count == 2);
	for (size_t i = 0; i < n; i++)
		CHECK(r[i].id != hidden);
	arena_free(a);
	store_close(s);
	rm_tmp(dir);
}

TEST(tags_parse_and_frequent_terms)
{
	struct arena *a = arena_new(0);
	const char **v;
	size_t n;

	CHECK(tags_parse(a, "党建, 党课，学习、C++ 党建", &v, &n) == 0);
	CHECK(n == 4);
	if (n == 4) {
		CHECK_STR(v[0], "党建");
		CHECK_STR(v[3], "C++");
	}
	CHECK(tags_parse(a, "", &v, &n) == 0 && n == 0);
	CHECK(tags_parse(a, "a,b,c,d,e,f", &v, &n) == WK_EINVAL);
	CHECK(tags_parse(a, "<script>", &v, &n) == WK_EINVAL);
	CHECK(tags_parse(a, "a/b", &v, &n) == WK_EINVAL);
	CHECK(tags_parse(a, "一二三四五六七八九十一二三四五六七八九十一", &v,
			 &n) == WK_EINVAL);
	{
		const char *t = "党员干部要加强学习。党员干部要加强学习。"
				"党员干部要加强学习。Budget budget BUDGET the "
				"the the the";
		bool dangyuan = false, budget = false, the = false;
		size_t i;
		CHECK(tags_from_text(a, t, strlen(t), &v, &n) == 0);
		CHECK(n >= 2 && n <= TAGS_MAX);
		for (i = 0; i < n; i++) {
			dangyuan |= !strcmp(v[i], "党员");
			budget |= !strcmp(v[i], "budget");
			the |= !strcmp(v[i], "the");
			CHECK(strcmp(v[i], "员干") != 0);
		}
		CHECK(dangyuan && budget && !the);
	}
	arena_free(a);
}

TEST(favourites_history_and_tags_in_store)
{
	char dir[64];
	struct store *s = open_tmp(dir);
	struct arena *a = arena_new(0);
	struct store_user u = { .name = "r", .display_name = "r" };
	struct store_doc *docs;
	struct store_tag *tags, t;
	int64_t ids[5], *at, hidden;
	const char *names[] = { "党建", "学习" };
	bool on;
	size_t n, i;

	if (!s)
		return;
	CHECK(store_user_insert(s, &u) == 0);
	for (i = 0; i < 5; i++)
		ids[i] = add_doc(s, (const char *[]){ "a", "b", "c", "d",
						      "e" }[i],
				 0, "published", MAY1, 0);
	hidden = add_doc(s, "h", 0, "pending", MAY1, 0);
	CHECK(store_favorite_toggle(s, u.id, ids[0], MAY1, &on) == 0 && on);
	CHECK(store_favorite_toggle(s, u.id, hidden, MAY1 + 1, &on) == 0);
	CHECK(store_favorites(s, a, u.id, 10, 0, &docs, &n) == 0 && n == 1);
	CHECK(store_favorite_toggle(s, u.id, ids[0], MAY1, &on) == 0 && !on);
	CHECK(store_favorites(s, a, u.id, 10, 0, &docs, &n) == 0 && n == 0);
	/* History keeps the newest three; a revisit moves to the top. */
	for (i = 0; i < 5; i++)
		CHECK(store_history_add(s, u.id, ids[i], MAY1 + (int64_t)i,
					3) == 0);
	CHECK(store_history_add(s, u.id, ids[2], MAY1 + 10, 3) == 0);
	CHECK(store_history(s, a, u.id, 10, &docs, &at, &n) == 0);
	CHECK(n == 3 && docs[0].id == ids[2] && at[0] == MAY1 + 10 &&
	      docs[1].id == ids[4] && docs[2].id == ids[3]);
	/* Tags: a tag page lists published documents only. */
	CHECK(store_tags_attach(s, ids[1], names, 2, "provider") == 0);
	CHECK(store_tags_attach(s, hidden, names, 1, "keyword") == 0);
	CHECK(store_doc_tags(s, a, ids[1], &tags, &n) == 0 && n == 2);
	CHECK(store_tag_by_name(s, a, "党建", &t) == 0 && t.count == 1);
	CHECK(store_tag_docs(s, a, t.id, 10, 0, &docs, &n) == 0 && n == 1 &&
	      docs[0].id == ids[1]);
	CHECK(store_tag_by_name(s, a, "无", &t) == WK_ENOTFOUND);
	/* Replacing the set: a tag kept keeps its source, a new one is the
	 * provider's, the rest go; more than the limit is refused. */
	{
		const char *kw[] = { "关键词甲", "关键词乙" };
		const char *set[] = { "关键词乙", "新加" };
		const char *many[STORE_DOC_TAGS_MAX + 1];
		for (i = 0; i <= STORE_DOC_TAGS_MAX; i++)
			many[i] = "x";
		CHECK(store_tags_attach(s, ids[1], kw, 2, "keyword") == 0);
		CHECK(store_doc_tags(s, a, ids[1], &tags, &n) == 0 && n == 4);
		CHECK(store_doc_tags_replace(s, ids[1], set, 2) == 0);
		CHECK(store_doc_tags(s, a, ids[1], &tags, &n) == 0 && n == 2);
		/* provider's first: 新加, then the keyword 关键词乙 */
		CHECK(n == 2 && !strcmp(tags[0].name, "新加") &&
		      !strcmp(tags[1].name, "关键词乙"));
		CHECK(store_doc_tags_replace(s, ids[1], many,
					     STORE_DOC_TAGS_MAX + 1) ==
		      WK_EINVAL);
		CHECK(store_doc_tags_replace(s, ids[1], NULL, 0) == 0);
		CHECK(store_doc_tags(s, a, ids[1], &tags, &n) == 0 && n == 0);
	}
	arena_free(a);
	store_close(s);
	rm_tmp(dir);
}

/* Write b to path; run cmd (with %s for the path); its exit status. */
static int xmllint(const struct buf *b, const char *path, const char *args)
{
	char cmd[1024];
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fwrite(buf_str(b), 1, b->len, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "xmllint %s '%s' >/dev/null 2>&1", args,
		 path);
	return system(cmd);
}

TEST(sitemap_validates_and_lists_published_only)
{
	char dir[64], path[128];
	struct store *s = open_tmp(dir);
	struct arena *a = arena_new(0);
	struct store_category c = { .slug = "dangjian", .name = "党建" };
	int64_t ids[5], hidden;
	struct buf b;
	size_t i;

	if (!s)
		return;
	CHECK(store_category_insert(s, &c) == 0);
	for (i = 0; i < 5; i++)
		ids[i] = add_doc(s, (const char *[]){ "a", "b", "c", "d",
						      "e" }[i],
				 c.id, "published", MAY1 + (int64_t)i * DAY, 0);
	hidden = add_doc(s, "h", c.id, "pending", MAY1, 0);
	snprintf(path, sizeof(path), "%s/out.xml", dir);
	buf_init(&b, 0);
	/* Two documents a file: five published make three files. */
	CHECK(seo_sitemap_index(s, a, "https://wk.example.com", 2, MAY1,
				&b) == 0);
	CHECK_CONTAINS(buf_str(&b), "https://wk.example.com/sitemap-3.xml");
	CHECK(!strstr(buf_str(&b), "sitemap-4.xml"));
	CHECK_CONTAINS(buf_str(&b), "<lastmod>2024-05-05T00:00:00+08:00");
	CHECK(xmllint(&b, path, "--noout --schema "
				"tests/data/sitemap/siteindex.xsd") == 0);
	buf_reset(&b);
	CHECK(seo_sitemap_file(s, a, "https://wk.example.com", 1, 2, &b) == 0);
	CHECK_CONTAINS(buf_str(&b), "/d/1</loc>");
	CHECK_CONTAINS(buf_str(&b), "/d/2</loc>");
	CHECK(xmllint(&b, path, "--noout --schema "
				"tests/data/sitemap/sitemap.xsd") == 0);
	buf_reset(&b);
	CHECK(seo_sitemap_file(s, a, "https://wk.example.com", 3, 2, &b) == 0);
	CHECK_CONTAINS(buf_str(&b), "/d/5</loc>");
	CHECK(!strstr(buf_str(&b), arena_sprintf(a, "/d/%lld<",
						 (long long)hidden)));
	CHECK(xmllint(&b, path, "--noout --schema "
				"tests/data/sitemap/sitemap.xsd") == 0);
	buf_reset(&b);
	CHECK(seo_sitemap_file(s, a, "https://wk.example.com", 4, 2, &b) ==
	      WK_ENOTFOUND);
	buf_reset(&b);
	CHECK(seo_sitemap_file(s, a, "https://wk.example.com", 0, 2, &b) == 0);
	CHECK_CONTAINS(buf_str(&b), "/c/dangjian</loc>");
	CHECK(xmllint(&b, path, "--noout --schema "
				"tests/data/sitemap/sitemap.xsd") == 0);
	/* A file that breaks the schema is caught (the check can fail). */
	buf_reset(&b);
	buf_adds(&b, "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/"
		     "0.9\"><url><lastmod>x</lastmod></url></urlset>");
	CHECK(xmllint(&b, path, "--noout --schema "
				"tests/data/sitemap/sitemap.xsd") != 0);
	buf_release(&b);
	(void)ids;
	arena_free(a);
	store_close(s);
	rm_tmp(dir);
}

TEST(rss_feed_is_rss2_with_preview_start_only)
{
	char dir[64], path[128];
	struct store *s = open_tmp(dir);
	struct arena *a = arena_new(0);
	struct site_settings cfg;
	struct buf b;
	int64_t id, hidden;

	if (!s)
		return;
	memset(&cfg, 0, sizeof(cfg));
	cfg.site_name = "文库 & <站>";
	cfg.site_url = "https://wk.example.com";
	cfg.slogan = "全网资源每日更新";
	cfg.preview_share = 30;
	cfg.preview_min_chars = 10;
	id = add_doc(s, "标题 <一> & \"二\"", 0, "published", MAY1, 0);
	hidden = add_doc(s, "不该出现", 0, "pending", MAY1, 0);
	CHECK(id && hidden);
	snprintf(path, sizeof(path), "%s/feed.xml", dir);
	buf_init(&b, 0);
	CHECK(seo_rss(s, a, &cfg, 0, NULL, NULL, MAY1, &b) == 0);
	CHECK(xmllint(&b, path, "--noout") == 0);
	CHECK(xmllint(&b, path, "--xpath "
		      "'/rss[@version=\"2.0\"]/channel/title' --noout") == 0);
	CHECK(xmllint(&b, path, "--xpath 'boolean(/rss[@version=\"2.0\"]/"
		      "channel[title and link and description]/item[title "
		      "and link and guid and pubDate and description])'") ==
	      0);
	CHECK_CONTAINS(buf_str(&b), "标题 &lt;一&gt; &amp; &quot;二&quot;");
	CHECK_CONTAINS(buf_str(&b), "Wed, 01 May 2024 00:00:00 +0800");
	CHECK(!strstr(buf_str(&b), "不该出现"));
	/* The description is the start of the preview: 30% of 2000
	 * characters is more than 200, so 200 at most. */
	CHECK_CONTAINS(buf_str(&b), "<description>标题 &lt;&amp;&gt; 正文");
	buf_release(&b);
	arena_free(a);
	store_close(s);
	rm_tmp(dir);
}

TEST(jsonld_cannot_close_its_script)
{
	struct arena *a = arena_new(0);
	struct site_settings cfg;
	struct store_doc d = { 0 };
	const char *tags[] = { "</script>" };
	const char *j;

	memset(&cfg, 0, sizeof(cfg));
	cfg.site_name = "文库";
	cfg.site_url = "https://wk.example.com";
	d.id = 3;
	d.title = "</script><script>alert(1)</script>\xe2\x80\xa8";
	d.format = "docx";
	d.published_at = MAY1;
	j = seo_doc_jsonld(a, &cfg, &d, "a & b", "作者", true, tags, 1);
	CHECK(j != NULL);
	CHECK(j && !strchr(j, '<') && !strchr(j, '>') && !strchr(j, '&'));
	CHECK(j && !strstr(j, "\xe2\x80\xa8"));
	CHECK_CONTAINS(j, "\\u003c/script\\u003e");
	CHECK_CONTAINS(j, "\\u2028");
	CHECK_CONTAINS(j, "\"@type\":\"DigitalDocument\"");
	CHECK_CONTAINS(j, "\"datePublished\":\"2024-05-01T00:00:00+08:00\"");
	CHECK_CONTAINS(j, "https://wk.example.com/d/3/cover");
	arena_free(a);
}

TEST(related_peers_same_category_published)
{
	char dir[64];
	struct store *s = open_tmp(dir);
	struct arena *a = arena_new(0);
	struct store_category c1 = { .slug = "a", .name = "A" };
	struct store_category c2 = { .slug = "b", .name = "B" };
	int64_t *ids, me, near, far, other, hidden;
	uint64_t *hs;
	size_t n;

	if (!s)
		return;
	CHECK(store_category_insert(s, &c1) == 0);
	CHECK(store_category_insert(s, &c2) == 0);
	me = add_doc(s, "me", c1.id, "published", MAY1, 0xF0F0);
	near = add_doc(s, "near", c1.id, "published", MAY1, 0xF0F1);
	far = add_doc(s, "far", c1.id, "published", MAY1, ~0xF0F0ULL);
	other = add_doc(s, "other", c2.id, "published", MAY1, 0xF0F0);
	hidden = add_doc(s, "hidden", c1.id, "rejected", MAY1, 0xF0F0);
	CHECK(store_doc_simhash_peers(s, a, c1.id, me, 10, &ids, &hs, &n) ==
	      0);
	CHECK(n == 2);
	for (size_t i = 0; i < n; i++)
		CHECK(ids[i] == near || ids[i] == far);
	(void)other;
	(void)hidden;
	arena_free(a);
	store_close(s);
	rm_tmp(dir);
}
