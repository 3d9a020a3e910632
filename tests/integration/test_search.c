/*
 * test_search.c - search over HTTP on the demo library: the page and
 * the API find the reference lecture by 1-, 2- and 4-character queries
 * with highlights; a phrase from past the preview finds the document
 * but appears in no response; parameters are checked; the reader's
 * text comes back escaped; a document taken down disappears from
 * results at once.
 */
#include "client.h"
#include "itest.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Percent-encode s into out. */
static void enc(const char *s, char *out, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;

	for (; *s && o + 4 < n; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    (c >= 'A' && c <= 'Z')) {
			out[o++] = (char)c;
		} else {
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	out[o] = '\0';
}

static int get_q(int port, const char *base, const char *q,
		 const char *extra, struct resp *r)
{
	char e[1024], path[1400];
	enc(q, e, sizeof(e));
	snprintf(path, sizeof(path), "%s?q=%s%s", base, e, extra ? extra : "");
	return http_get(port, path, r);
}

static long api_total(int port, const char *q, const char *extra)
{
	struct resp r;
	long total = -1;
	const char *t;

	if (get_q(port, "/api/v1/search", q, extra, &r))
		return -1;
	if (r.status == 200 && (t = strstr(r.body, "\"total\":")))
		total = strtol(t + 8, NULL, 10);
	resp_free(&r);
	return total;
}

void search_tests(const char *bin, const char *work)
{
	char data[600], dbpath[700], frag[64];
	char *lecture = file_slurp("tests/data/parse/reference-lecture.txt");
	struct server s;
	struct resp r;
	sqlite3 *db;
	const char *p;

	snprintf(data, sizeof(data), "%s/search-data", work);
	begin("search page and API find the lecture, highlighted");
	if (server_start(&s, bin, data, NULL)) {
		CHECK(0);
		end();
		free(lecture);
		return;
	}
	CHECK(get_q(s.port, "/search", "党建", NULL, &r) == 0);
	CHECK(r.status == 200);
	CHECK_HAS(r.body, "机关<mark>党建</mark>");
	CHECK_HAS(r.body, "class=\"search-box\"");
	CHECK_HAS(r.body, "value=\"党建\"");
	resp_free(&r);
	CHECK(get_q(s.port, "/api/v1/search", "党", NULL, &r) == 0);
	CHECK(r.status == 200);
	CHECK_HAS(r.body, "\"total\":");
	CHECK_HAS(r.body, "\\u003cmark\\u003e党\\u003c/mark\\u003e");
	resp_free(&r);
	CHECK(api_total(s.port, "机关党建", NULL) >= 1);
	CHECK(api_total(s.port, "机关 党建", NULL) >= 1);
	CHECK(api_total(s.port, "不存在的词语组合啊", NULL) == 0);
	CHECK(api_total(s.port, "党建", "&format=docx&sort=newest") >= 1);
	CHECK(api_total(s.port, "党建", "&format=pdf") == 0);
	CHECK(api_total(s.port, "党建", "&price=free") >= 0);
	end();

	begin("search: bad parameters are 400, the query comes back escaped");
	CHECK(get_q(s.port, "/search", "x", "&sort=bogus", &r) == 0 &&
	      r.status == 400);
	resp_free(&r);
	CHECK(get_q(s.port, "/search", "x", "&page=0", &r) == 0 &&
	      r.status == 400);
	resp_free(&r);
	CHECK(get_q(s.port, "/search", "x", "&page=51", &r) == 0 &&
	      r.status == 400);
	resp_free(&r);
	CHECK(get_q(s.port, "/api/v1/search", "x", "&category=nope", &r) == 0 &&
	      r.status == 400);
	resp_free(&r);
	CHECK(get_q(s.port, "/search", "<script>alert(1)</script>\"党",
		    NULL, &r) == 0);
	CHECK(r.status == 200);
	CHECK(r.body && !strstr(r.body, "<script>alert"));
	CHECK_HAS(r.body, "&lt;script&gt;");
	resp_free(&r);
	CHECK(get_q(s.port, "/search", "", NULL, &r) == 0 && r.status == 200);
	resp_free(&r);
	end();

	begin("search finds text past the preview but never shows it");
	/* A stretch from the lecture's last third: far past the preview. */
	p = lecture ? lecture + strlen(lecture) * 3 / 4 : NULL;
	while (p && ((unsigned char)*p & 0xC0) == 0x80)
		p++;
	frag[0] = '\0';
	if (p) {
		/* 6 characters of CJK text (3 bytes each), no punctuation */
		const char *q = p;
		int n = 0;
		while (*q && n < 6) {
			unsigned char c = (unsigned char)*q;
			if (c >= 0xE4 && c <= 0xE9) {
				if (n == 0)
					p = q;
				n++;
				q += 3;
			} else {
				n = 0;
				q++;
			}
		}
		if (n == 6)
			snprintf(frag, sizeof(frag), "%.*s", (int)(q - p), p);
	}
	CHECK(frag[0] != '\0');
	CHECK(api_total(s.port, frag, NULL) >= 1);
	CHECK(get_q(s.port, "/api/v1/search", frag, NULL, &r) == 0);
	CHECK(r.body && !strstr(r.body + 20, frag));	/* past "q" */
	resp_free(&r);
	CHECK(get_q(s.port, "/search", frag, NULL, &r) == 0);
	{
		/* once in the search box (twice: header and form), never
		 * in a result */
		const char *hits = r.body ? strstr(r.body, "<ol class=\"hits\">")
					  : NULL;
		CHECK(hits && !strstr(hits, frag));
	}
	resp_free(&r);
	end();

	begin("a document taken down leaves search results at once");
	snprintf(dbpath, sizeof(dbpath), "%s/wenku.db", data);
	CHECK(api_total(s.port, "专题党课", NULL) >= 1);
	if (sqlite3_open(dbpath, &db) == SQLITE_OK) {
		sqlite3_busy_timeout(db, 5000);
		CHECK(sqlite3_exec(db, "UPDATE documents SET status = 'removed' "
				       "WHERE title LIKE '专题党课%'",
				   NULL, NULL, NULL) == SQLITE_OK);
		sqlite3_close(db);
	} else {
		CHECK(0);
	}
	CHECK(api_total(s.port, "专题党课", NULL) == 0);
	CHECK(get_q(s.port, "/search", "专题党课", "&sort=views", &r) == 0);
	CHECK(r.body && !strstr(r.body, "href=\"/d/5\""));
	resp_free(&r);
	end();

	begin("search server stops cleanly");
	CHECK(server_stop(&s) == 0);
	end();
	free(lecture);
}
