/*
 * test_seo.c - what crawlers and feed readers get from the running
 * server: robots.txt, the sitemap index and files (validated with
 * xmllint against tests/data/sitemap), the RSS feeds, a document page's
 * OpenGraph tags and JSON-LD, the ranking, tag and "今日更新" parts.
 */
#include "client.h"
#include "itest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Write body to path and run xmllint with args on it; its status. */
static int lint(const struct resp *r, const char *path, const char *args)
{
	char cmd[1024];
	FILE *f = fopen(path, "w");

	if (!f || !r->body)
		return -1;
	fwrite(r->body, 1, r->body_len, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "xmllint %s '%s' >/dev/null 2>&1", args,
		 path);
	return system(cmd);
}

void seo_tests(int port, long id, const char *work)
{
	char path[512], ct[128], url[64];
	struct resp r;

	snprintf(path, sizeof(path), "%s/seo.xml", work);
	begin("robots.txt, sitemap index and files validate, RSS 2.0 feeds");
	CHECK(http_get(port, "/robots.txt", &r) == 0 && r.status == 200);
	CHECK_HAS(r.body, "Disallow: /me");
	CHECK_HAS(r.body, "Disallow: /api/");
	CHECK_HAS(r.body, "Sitemap: http://127.0.0.1:8080/sitemap.xml");
	resp_free(&r);
	CHECK(http_get(port, "/sitemap.xml", &r) == 0 && r.status == 200);
	CHECK(resp_header(&r, "content-type", ct, sizeof(ct)) == 0 &&
	      strstr(ct, "application/xml"));
	CHECK_HAS(r.body, "/sitemap-1.xml</loc>");
	CHECK(lint(&r, path, "--noout --schema "
			     "tests/data/sitemap/siteindex.xsd") == 0);
	resp_free(&r);
	CHECK(http_get(port, "/sitemap-1.xml", &r) == 0 && r.status == 200);
	snprintf(url, sizeof(url), "/d/%ld</loc>", id);
	CHECK_HAS(r.body, url);
	CHECK(lint(&r, path, "--noout --schema "
			     "tests/data/sitemap/sitemap.xsd") == 0);
	resp_free(&r);
	CHECK(http_get(port, "/sitemap-pages.xml", &r) == 0 &&
	      r.status == 200);
	CHECK_HAS(r.body, "/c/dangjian</loc>");
	CHECK(lint(&r, path, "--noout --schema "
			     "tests/data/sitemap/sitemap.xsd") == 0);
	resp_free(&r);
	CHECK(http_get(port, "/sitemap-2.xml", &r) == 0 && r.status == 404);
	resp_free(&r);
	CHECK(http_get(port, "/sitemap-0.xml", &r) == 0 && r.status == 404);
	resp_free(&r);
	CHECK(http_get(port, "/feed.xml", &r) == 0 && r.status == 200);
	CHECK(resp_header(&r, "content-type", ct, sizeof(ct)) == 0 &&
	      strstr(ct, "application/rss+xml"));
	CHECK(lint(&r, path, "--noout") == 0);
	CHECK(lint(&r, path, "--xpath 'boolean(/rss[@version=\"2.0\"]/"
			     "channel[title and link and description]/"
			     "item[title and link and guid and pubDate])'") ==
	      0);
	CHECK_HAS(r.body, "专题党课");
	resp_free(&r);
	CHECK(http_get(port, "/c/dangjian/feed.xml", &r) == 0 &&
	      r.status == 200);
	CHECK(lint(&r, path, "--noout") == 0);
	CHECK_HAS(r.body, "专题党课");
	CHECK(!strstr(r.body, "年中工作会议上的讲话"));
	resp_free(&r);
	CHECK(http_get(port, "/c/nope/feed.xml", &r) == 0 && r.status == 404);
	resp_free(&r);
	end();

	begin("document page: description, OpenGraph, JSON-LD, tags, related");
	snprintf(url, sizeof(url), "/d/%ld", id);
	CHECK(http_get(port, url, &r) == 0 && r.status == 200);
	CHECK_HAS(r.body, "<meta property=\"og:type\" content=\"article\">");
	CHECK_HAS(r.body, "<meta property=\"og:title\" content=\"专题党课");
	CHECK_HAS(r.body, "<meta property=\"og:url\" content=\"http://127.0.0.1:8080/d/");
	CHECK_HAS(r.body, "<meta property=\"og:description\"");
	CHECK_HAS(r.body, "<script type=\"application/ld+json\">{\"@context\":"
			  "\"https://schema.org\",\"@type\":\"DigitalDocument\"");
	CHECK_HAS(r.body, "class=\"tag\" rel=\"tag\"");
	CHECK_HAS(r.body, "id=\"related\"");
	CHECK_HAS(r.body, "下载排行");
	CHECK_HAS(r.body, "收藏");
	{
		/* The JSON-LD block holds no raw < (it cannot end early). */
		const char *j = strstr(r.body, "application/ld+json\">");
		const char *e = j ? strstr(j, "</script>") : NULL;
		CHECK(j && e && !memchr(j + 21, '<', (size_t)(e - j - 21)));
	}
	resp_free(&r);
	end();

	begin("home: 今日更新 and rankings; /rank windows; tag pages");
	CHECK(http_get(port, "/", &r) == 0 && r.status == 200);
	CHECK_HAS(r.body, "今日更新");
	{
		/* The demo library was published today (China time). */
		const char *t = strstr(r.body, "id=\"today\"");
		const char *e = t ? strstr(t, "</section>") : NULL;
		CHECK(t && e && strstr(t, "专题党课") &&
		      strstr(t, "专题党课") < e);
	}
	CHECK_HAS(r.body, "id=\"ranks\"");
	CHECK_HAS(r.body, "本月");
	CHECK_HAS(r.body, "href=\"/tag/");
	resp_free(&r);
	CHECK(http_get(port, "/rank?w=month", &r) == 0 && r.status == 200);
	CHECK_HAS(r.body, "id=\"rank-views\"");
	CHECK_HAS(r.body, "id=\"rank-downloads\"");
	CHECK_HAS(r.body, "<link rel=\"canonical\" href=\"http://127.0.0.1:8080/rank?w=month\">");
	resp_free(&r);
	CHECK(http_get(port, "/rank?w=decade", &r) == 0 && r.status == 400);
	resp_free(&r);
	CHECK(http_get(port, "/tag/%E5%85%9A%E5%91%98", &r) == 0);
	CHECK(r.status == 200 || r.status == 404);
	if (r.status == 200)
		CHECK_HAS(r.body, "<h1 class=\"tag-title\">党员</h1>");
	resp_free(&r);
	CHECK(http_get(port, "/tag/%3Cscript%3E", &r) == 0 && r.status == 404);
	CHECK(!r.body || !strstr(r.body, "<script>"));
	resp_free(&r);
	end();
}
