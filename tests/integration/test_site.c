/*
 * test_site.c - integration tests: the real wenku binary on a free
 * loopback port, checked over HTTP.
 *
 *   integration-tests BIN WORKDIR
 *
 * Checks every element of the reference page on the reference lecture's
 * document page, the watermark rhythm, that no sentence past the preview
 * limit appears in any response, error pages, limits, keep-alive, static
 * files, the JSON API, view counting, themes and a clean SIGTERM.
 * Ends with "N passed, N failed".
 */
#include "client.h"
#include "itest.h"

#include <ctype.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int passed, failed, cur_failed;
static const char *cur_name;

void begin(const char *name)
{
	cur_name = name;
	cur_failed = 0;
}

void end(void)
{
	if (cur_failed) {
		failed++;
		printf("FAIL %s\n", cur_name);
	} else {
		passed++;
		printf("ok   %s\n", cur_name);
	}
	fflush(stdout);
}

/* Code points in [s, s+n). */
static size_t chars(const char *s, size_t n)
{
	size_t i, c = 0;
	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			c++;
	return c;
}

/* Text of the element with id="preview": its inner HTML with tags
 * removed and entities left as they are. Caller frees. */
static char *preview_text(const char *html)
{
	const char *p = strstr(html, "id=\"preview\"");
	const char *e;
	char *out, *o;
	int in_tag = 0;

	if (!p)
		return NULL;
	p = strchr(p, '>') + 1;
	e = strstr(p, "<div class=\"preview-end\"");
	if (!e)
		e = strstr(p, "</div>");
	out = o = malloc((size_t)(e - p) + 1);
	for (; p < e; p++) {
		if (*p == '<')
			in_tag = 1;
		else if (*p == '>')
			in_tag = 0;
		else if (!in_tag && *p != '\n')
			*o++ = *p;
	}
	*o = '\0';
	return out;
}

/* The id of the document whose title contains needle, from the home
 * page's list. 0 if absent. */
static long find_doc(int port, const char *needle)
{
	struct resp r;
	const char *t, *p;
	long id = 0;

	if (http_get(port, "/", &r))
		return 0;
	t = strstr(r.body, needle);
	if (t) {
		for (p = t; p > r.body && strncmp(p, "href=\"/d/", 9); p--)
			;
		id = strtol(p + 9, NULL, 10);
	}
	resp_free(&r);
	return id;
}

static const char *WM = "文库—全网资源每日更新 127.0.0.1:8080";

/* ---- the reference document page ------------------------------------*/

static void test_reference_page(int port, long id)
{
	static const char *elements[] = {
		/* title with format badge */
		"专题党课:推动机关党建和业务工作深度融合.docx",
		"class=\"badge fmt fmt-docx\">DOCX</span>",
		/* page and character counts */
		"页数: 1", "字数: ",
		/* free preview, watermark, cut */
		"id=\"preview\"", "习近平总书记强调",
		/* licence notice, disclaimer, report */
		"当您付费下载文档后,您只拥有了使用权限,并不意味着购买了版权",
		"不得用于其他商业用途",
		"本站所有内容均由合作方或网友上传",
		"侵犯商业秘密、侵犯著作权",
		"违规举报</a>",
		/* fragment slot, filled */
		"data-slot=\"doc_notice\"", "新用户注册即送积分",
		/* comments */
		"发表评论", "取消回复", "参与评论可获取积分奖励",
		"文秘小白", "正好用来准备支部党课", "class=\"replies\"",
		"谢谢支持", ">回复</a>",
		/* provider card */
		"class=\"card provider-card\"", "材料大师姐",
		"class=\"badge verified\">实名认证</span>",
		"class=\"badge role\">内容提供者</span>",
		"专注机关公文与党建材料写作十余年",
		/* ranking, confirm, VIP, contact, back to top */
		"阅读排行", "确认删除?", "href=\"/vip\"", "VIP会员",
		"客服微信", "<svg class=\"qr\"", "扫一扫添加客服微信",
		"id=\"back-to-top\"", "回到顶部",
	};
	char path[64], hdr[512];
	struct resp r;
	size_t i;
	char *pv;

	begin("reference page carries every element");
	snprintf(path, sizeof(path), "/d/%ld", id);
	CHECK(http_get(port, path, &r) == 0);
	CHECK(r.status == 200);
	for (i = 0; i < sizeof(elements) / sizeof(elements[0]); i++)
		CHECK_HAS(r.body, elements[i]);
	CHECK(resp_header(&r, "content-type", hdr, sizeof(hdr)) == 0 &&
	      strstr(hdr, "text/html"));
	CHECK(resp_header(&r, "content-security-policy", hdr,
			  sizeof(hdr)) == 0 && strstr(hdr, "script-src 'self'"));
	/* The QR code is a real matrix: many modules. */
	{
		const char *q = strstr(r.body, "<svg class=\"qr\"");
		int modules = 0;
		for (; q && (q = strstr(q + 1, "h")) && modules < 1000;)
			if (q[-1] >= '0' && q[-1] <= '9')
				modules++;
		CHECK(modules > 50);
	}
	pv = preview_text(r.body);
	CHECK(pv != NULL);
	if (pv) {
		size_t n = strlen(pv);
		CHECK(!strncmp(pv, WM, strlen(WM)));
		CHECK(n > 3 && !strcmp(pv + n - 3, "..."));
	}
	free(pv);
	resp_free(&r);
	end();
}

/* Watermark spacing on every demo document's page: the preview opens
 * with the watermark and no stretch between two runs past ~750
 * characters (500 nominal, sentence ends allowed to stretch it). */
static void test_watermark_rhythm(int port)
{
	int id, docs = 0, most = 0;

	begin("watermark appears about every 500 characters");
	for (id = 1; id < 40; id++) {
		char path[64];
		struct resp r;
		const char *p, *q;
		char *pv;
		int marks = 0;

		snprintf(path, sizeof(path), "/d/%d", id);
		if (http_get(port, path, &r) || r.status != 200) {
			resp_free(&r);
			continue;
		}
		docs++;
		pv = preview_text(r.body);
		CHECK(pv && !strncmp(pv, WM, strlen(WM)));
		for (p = pv; p && (q = strstr(p, WM)); p = q + strlen(WM)) {
			size_t gap = chars(p, (size_t)(q - p));
			if (marks > 0)
				CHECK(gap >= 400 && gap <= 760);
			marks++;
		}
		/* The tail after the last watermark is short too. */
		if (p)
			CHECK(chars(p, strlen(p)) <= 760);
		if (marks > most)
			most = marks;
		free(pv);
		resp_free(&r);
	}
	CHECK(docs >= 7);
	CHECK(most >= 4);	/* the long demo documents show it often */
	end();
}

/* Sentences of the lecture that lie wholly past the preview limit must
 * appear in no response at all. */
static void test_preview_hard_limit(int port, long id, const char *lecture)
{
	const char *paths[8];
	char p1[64], p2[64], p3[64];
	char *pv, *text_only;
	struct resp r;
	const char *s;
	size_t shown, pos = 0;
	int checked = 0, i;

	begin("no sentence past the preview limit in any response");
	snprintf(p1, sizeof(p1), "/d/%ld", id);
	snprintf(p2, sizeof(p2), "/api/v1/documents/%ld", id);
	snprintf(p3, sizeof(p3), "/d/%ld/report", id);
	paths[0] = p1;
	paths[1] = p2;
	paths[2] = p3;
	paths[3] = "/";
	paths[4] = "/c/dangjian";
	paths[5] = "/vip";
	paths[6] = "/d/999999";
	paths[7] = NULL;

	CHECK(http_get(port, p1, &r) == 0);
	pv = preview_text(r.body);
	resp_free(&r);
	if (!pv) {
		CHECK(0);
		end();
		return;
	}
	/* Characters of lecture text in the preview (watermarks out). */
	text_only = strdup(pv);
	{
		char *w;
		while ((w = strstr(text_only, WM)))
			memmove(w, w + strlen(WM), strlen(w + strlen(WM)) + 1);
	}
	shown = chars(text_only, strlen(text_only));
	CHECK(shown >= 500 && shown < 700);

	/* Walk the lecture's sentences (split at 。); test those that
	 * start more than 100 characters past what the preview shows. */
	for (s = lecture; *s;) {
		const char *e = strstr(s, "。");
		size_t n = e ? (size_t)(e - s) + 3 : strlen(s);
		size_t start = pos;
		pos += chars(s, n);
		if (start > shown + 100 && n > 30) {
			char *sent = strndup(s, n);
			/* The sentence's middle: 8 characters. */
			size_t mid = n / 2;
			char frag[64];
			while (((unsigned char)sent[mid] & 0xC0) == 0x80)
				mid--;
			snprintf(frag, sizeof(frag), "%.24s", sent + mid);
			while (strlen(frag) &&
			       ((unsigned char)frag[strlen(frag) - 1] & 0xC0) == 0x80)
				frag[strlen(frag) - 1] = '\0';
			while (strlen(frag) && ((unsigned char)frag[strlen(frag) - 1] & 0xC0) == 0xC0)
				frag[strlen(frag) - 1] = '\0';
			for (i = 0; paths[i]; i++) {
				if (http_get(port, paths[i], &r) == 0) {
					if (strstr(r.body, frag) ||
					    strstr(r.headers, frag)) {
						fprintf(stderr,
							"  leak of \"%s\" in %s\n",
							frag, paths[i]);
						CHECK(0);
					}
					resp_free(&r);
				}
			}
			checked++;
			free(sent);
		}
		s += n;
		while (*s == '\n' || *s == ' ')
			s++;
	}
	CHECK(checked >= 10);
	printf("     (%d sentences past the limit checked in %d responses each)\n",
	       checked, 7);
	free(text_only);
	free(pv);
	end();
}

/* ---- API -------------------------------------------------------------*/

static void test_api(int port, long id)
{
	char path[64], hdr[256];
	struct resp r;

	begin("JSON API returns metadata and the preview");
	snprintf(path, sizeof(path), "/api/v1/documents/%ld", id);
	CHECK(http_get(port, path, &r) == 0);
	CHECK(r.status == 200);
	CHECK(resp_header(&r, "content-type", hdr, sizeof(hdr)) == 0 &&
	      strstr(hdr, "application/json"));
	CHECK_HAS(r.body, "\"title\":\"专题党课:推动机关党建和业务工作深度融合\"");
	CHECK_HAS(r.body, "\"format\":\"docx\"");
	CHECK_HAS(r.body, "\"pages\":1");
	CHECK_HAS(r.body, "\"verified\":true");
	CHECK_HAS(r.body, "\"truncated\":true");
	CHECK_HAS(r.body, "\"text\":\"文库—全网资源每日更新 127.0.0.1:8080\\n");
	CHECK_HAS(r.body, "\"category\":{\"slug\":\"dangjian\",\"name\":\"党建\"}");
	resp_free(&r);

	CHECK(http_get(port, "/api/v1/documents/abc", &r) == 0);
	CHECK(r.status == 400);
	CHECK_HAS(r.body, "\"code\":\"bad_id\"");
	resp_free(&r);
	CHECK(http_get(port, "/api/v1/documents/987654", &r) == 0);
	CHECK(r.status == 404);
	CHECK_HAS(r.body, "\"code\":\"not_found\"");
	resp_free(&r);
	end();
}

/* ---- pages ---------------------------------------------------------------*/

static void test_home_and_categories(int port)
{
	static const char *cats[] = { "党建", "讲话稿", "工作总结", "心得体会",
				      "公文写作", "规章制度", "述职报告",
				      "计划方案" };
	struct resp r;
	size_t i;

	begin("home page lists categories, latest documents and ranking");
	CHECK(http_get(port, "/", &r) == 0);
	CHECK(r.status == 200);
	for (i = 0; i < sizeof(cats) / sizeof(cats[0]); i++)
		CHECK_HAS(r.body, cats[i]);
	CHECK_HAS(r.body, "最新文档");
	CHECK_HAS(r.body, "专题党课");
	CHECK_HAS(r.body, "阅读排行");
	CHECK_HAS(r.body, "<html lang=\"zh-CN\">");
	resp_free(&r);

	CHECK(http_get(port, "/c/dangjian", &r) == 0);
	CHECK(r.status == 200);
	CHECK_HAS(r.body, "<h1>党建</h1>");
	{
		/* The category's own list, not the sidebar's ranking. */
		const char *l = strstr(r.body, "class=\"doclist\"");
		const char *e = l ? strstr(l, "</ul>") : NULL;
		char *list = l && e ? strndup(l, (size_t)(e - l)) : NULL;
		CHECK_HAS(list, "专题党课");
		CHECK(list && !strstr(list, "年中工作会议上的讲话"));
		free(list);
	}
	resp_free(&r);

	CHECK(http_get(port, "/c/no-such-category", &r) == 0);
	CHECK(r.status == 404);
	resp_free(&r);
	CHECK(http_get(port, "/c/dangjian?page=abc", &r) == 0);
	CHECK(r.status == 400);
	resp_free(&r);

	CHECK(http_get(port, "/?lang=en", &r) == 0);
	CHECK_HAS(r.body, "<html lang=\"en\">");
	CHECK_HAS(r.body, "Latest documents");
	CHECK_HAS(r.body, "Most read");
	resp_free(&r);
	end();
}

static void test_views_counted_once(int port, long id)
{
	char path[64], api[64];
	struct resp r;
	long before = -1, after = -1;
	const char *v;

	begin("views counted once per visitor per day, crawlers not at all");
	snprintf(path, sizeof(path), "/d/%ld", id);
	snprintf(api, sizeof(api), "/api/v1/documents/%ld", id);
	CHECK(http_get(port, api, &r) == 0);
	v = strstr(r.body, "\"views\":");
	before = v ? strtol(v + 8, NULL, 10) : -1;
	resp_free(&r);
	/* A new visitor (new user agent) three times. */
	for (int i = 0; i < 3; i++) {
		CHECK(http_do(port, "GET", path,
			      "User-Agent: Mozilla/5.0 visitor-views-test\r\n",
			      NULL, &r) == 0);
		resp_free(&r);
	}
	/* A crawler. */
	CHECK(http_do(port, "GET", path,
		      "User-Agent: Mozilla/5.0 (compatible; Baiduspider/2.0)\r\n",
		      NULL, &r) == 0);
	resp_free(&r);
	CHECK(http_get(port, api, &r) == 0);
	v = strstr(r.body, "\"views\":");
	after = v ? strtol(v + 8, NULL, 10) : -1;
	resp_free(&r);
	CHECK(before >= 0 && after == before + 1);
	/* The ranking shows the document, once the page cache (1 s) has
	 * let the home page go. */
	usleep(1200 * 1000);
	CHECK(http_get(port, "/", &r) == 0);
	{
		const char *rk = strstr(r.body, "id=\"ranking\"");
		CHECK(rk && strstr(rk, "专题党课"));
	}
	resp_free(&r);
	end();
}

/* ---- errors and limits -----------------------------------------------------*/

static void test_errors(int port)
{
	struct resp r;
	char *longuri, *hdrs;

	begin("errors: 404, 400, 405, 413, 414, 431 in the site layout");
	CHECK(http_get(port, "/d/999999", &r) == 0);
	CHECK(r.status == 404);
	CHECK_HAS(r.body, "页面不存在");
	CHECK_HAS(r.body, "class=\"site-header\"");
	CHECK_HAS(r.body, "回到顶部");
	resp_free(&r);
	CHECK(http_get(port, "/no/such/page", &r) == 0);
	CHECK(r.status == 404);
	resp_free(&r);
	CHECK(http_get(port, "/d/abc", &r) == 0);
	CHECK(r.status == 400);
	CHECK_HAS(r.body, "请求有误");
	CHECK_HAS(r.body, "class=\"site-header\"");
	resp_free(&r);
	CHECK(http_get(port, "/d/0", &r) == 0);
	CHECK(r.status == 400);
	resp_free(&r);
	CHECK(http_get(port, "/d/99999999999999999999", &r) == 0);
	CHECK(r.status == 400);
	resp_free(&r);
	CHECK(http_do(port, "DELETE", "/d/1", NULL, NULL, &r) == 0);
	CHECK(r.status == 405);
	resp_free(&r);

	longuri = malloc(12000);
	strcpy(longuri, "/d/1?x=");
	memset(longuri + 7, 'a', 10000);
	longuri[10007] = '\0';
	CHECK(http_get(port, longuri, &r) == 0);
	CHECK(r.status == 414);
	CHECK_HAS(r.body, "请求过长");
	CHECK_HAS(r.body, "class=\"site-header\"");
	resp_free(&r);
	free(longuri);

	hdrs = malloc(50000);
	strcpy(hdrs, "X-Big: ");
	memset(hdrs + 7, 'b', 40000);
	strcpy(hdrs + 40007, "\r\n");
	CHECK(http_do(port, "GET", "/", hdrs, NULL, &r) == 0);
	CHECK(r.status == 431);
	CHECK_HAS(r.body, "class=\"site-header\"");
	resp_free(&r);
	free(hdrs);

	/* A declared body over the cap is refused before it is read. */
	{
		int fd = conn_open(port);
		const char *req = "POST /d/1 HTTP/1.1\r\nHost: x\r\n"
				  "Content-Length: 50000000\r\n\r\n";
		CHECK(fd >= 0 && conn_request(fd, req, strlen(req), &r) == 0);
		CHECK(r.status == 413);
		resp_free(&r);
		close(fd);
	}
	end();
}

static void test_page_cache(int port, long id)
{
	char path[64], hdr[64];
	struct resp a, b;

	begin("anonymous pages come from the micro-cache, sessions bypass it");
	snprintf(path, sizeof(path), "/d/%ld?cachetest=1", id);
	CHECK(http_get(port, path, &a) == 0);
	CHECK(resp_header(&a, "x-cache", hdr, sizeof(hdr)) == 0 &&
	      !strcmp(hdr, "miss"));
	CHECK(http_get(port, path, &b) == 0);
	CHECK(resp_header(&b, "x-cache", hdr, sizeof(hdr)) == 0 &&
	      !strcmp(hdr, "hit"));
	CHECK(a.body_len == b.body_len && !memcmp(a.body, b.body, a.body_len));
	resp_free(&b);
	/* Another language is another page. */
	snprintf(path, sizeof(path), "/d/%ld?cachetest=1&lang=en", id);
	CHECK(http_get(port, path, &b) == 0);
	CHECK(resp_header(&b, "x-cache", hdr, sizeof(hdr)) == 0 &&
	      !strcmp(hdr, "miss"));
	CHECK_HAS(b.body, "<html lang=\"en\">");
	resp_free(&b);
	/* A request carrying any other cookie is rendered for itself. */
	snprintf(path, sizeof(path), "/d/%ld?cachetest=1", id);
	CHECK(http_do(port, "GET", path, "Cookie: session=abc\r\n", NULL,
		      &b) == 0);
	CHECK(b.status == 200);
	CHECK(resp_header(&b, "x-cache", hdr, sizeof(hdr)) != 0);
	resp_free(&b);
	resp_free(&a);
	end();
}

/* Requests whose framing is ambiguous or broken get 400, never a 5xx
 * and never a second reading of the body. */
static void test_bad_framing(int port)
{
	static const char *reqs[] = {
		"POST /d/1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
		"Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
		"POST /d/1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
		"Content-Length: 6\r\n\r\nhello!",
		"POST /d/1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked"
		"\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
		"POST /d/1 HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
		"GET /d/1 HTTP/1.1\r\n\r\n",	/* no Host */
	};
	size_t i;

	begin("ambiguous or broken framing gets 400");
	for (i = 0; i < sizeof(reqs) / sizeof(reqs[0]); i++) {
		struct resp r;
		int fd = conn_open(port);
		CHECK(fd >= 0);
		if (fd < 0)
			continue;
		if (conn_request(fd, reqs[i], strlen(reqs[i]), &r) == 0) {
			if (r.status != 400)
				fprintf(stderr, "  request %zu: %d\n", i,
					r.status);
			CHECK(r.status == 400);
			resp_free(&r);
		} else {
			CHECK(0);
		}
		close(fd);
	}
	end();
}

static void test_keepalive(int port)
{
	const char *req = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
	struct resp r;
	int fd = conn_open(port), i;

	begin("keep-alive: several requests on one connection");
	CHECK(fd >= 0);
	for (i = 0; i < 5; i++) {
		CHECK(conn_request(fd, req, strlen(req), &r) == 0);
		CHECK(r.status == 200);
		CHECK(r.headers && !strstr(r.headers, "connection: close"));
		resp_free(&r);
	}
	close(fd);
	end();
}

static void test_static(int port)
{
	char etag[128], hdr[300];
	struct resp r;

	begin("static files with ETag and 304");
	CHECK(http_get(port, "/static/site.css", &r) == 0);
	CHECK(r.status == 200);
	CHECK(resp_header(&r, "content-type", hdr, sizeof(hdr)) == 0 &&
	      strstr(hdr, "text/css"));
	CHECK(resp_header(&r, "etag", etag, sizeof(etag)) == 0);
	CHECK_HAS(r.body, ".preview");
	resp_free(&r);
	snprintf(hdr, sizeof(hdr), "If-None-Match: %s\r\n", etag);
	CHECK(http_do(port, "GET", "/static/site.css", hdr, NULL, &r) == 0);
	CHECK(r.status == 304);
	resp_free(&r);
	CHECK(http_get(port, "/static/../migrations/0001_init.sql", &r) == 0);
	CHECK(r.status == 404 || r.status == 400);
	resp_free(&r);
	CHECK(http_get(port, "/static/%2e%2e/migrations/0001_init.sql", &r) == 0);
	CHECK(r.status == 404 || r.status == 400);
	CHECK(!strstr(r.body ? r.body : "", "CREATE TABLE"));
	resp_free(&r);
	CHECK(http_get(port, "/static/site.js", &r) == 0);
	CHECK(r.status == 200);
	CHECK_HAS(r.body, "back-to-top");
	resp_free(&r);
	end();
}

static void test_access_log(struct server *s)
{
	char *log = file_slurp(s->log);

	begin("one access-log line per request");
	CHECK_HAS(log, "\"GET /static/site.css\" 200");
	CHECK_HAS(log, "\"GET /d/999999\" 404");
	CHECK_HAS(log, "\"DELETE /d/1\" 405");
	free(log);
	end();
}

/* ---- restarts, themes, SIGTERM ---------------------------------------------*/

static void test_restart_and_theme(const char *bin, const char *work)
{
	char data[512], theme[512], path[600];
	const char *extra[3];
	struct server s;
	struct resp r;
	FILE *f;

	begin("restart keeps data, --theme overrides built-in files");
	snprintf(data, sizeof(data), "%s/data", work);
	snprintf(theme, sizeof(theme), "%s/theme", work);
	snprintf(path, sizeof(path), "%s/static", theme);
	mkdir(theme, 0755);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/static/site.css", theme);
	f = fopen(path, "w");
	fputs("/* themed */ body{color:#123}\n", f);
	fclose(f);
	extra[0] = "--theme";
	extra[1] = theme;
	extra[2] = NULL;
	CHECK(server_start(&s, bin, data, extra) == 0);
	CHECK(http_get(s.port, "/static/site.css", &r) == 0);
	CHECK_HAS(r.body, "/* themed */");
	resp_free(&r);
	/* Same demo library, not built twice. */
	CHECK(http_get(s.port, "/c/dangjian", &r) == 0);
	{
		const char *l = strstr(r.body, "class=\"doclist\"");
		const char *e = l ? strstr(l, "</ul>") : NULL;
		char *list = l && e ? strndup(l, (size_t)(e - l)) : NULL;
		const char *a = list ? strstr(list, "专题党课") : NULL;
		CHECK(a && !strstr(a + 1, "专题党课"));
		free(list);
	}
	resp_free(&r);
	CHECK(server_stop(&s) == 0);
	end();
}

int main(int argc, char **argv)
{
	char data[512], lecture_path[512];
	struct server s;
	char *lecture;
	long id;

	if (argc < 3) {
		fprintf(stderr, "usage: integration-tests BIN WORKDIR "
				"[RELEASE_BIN]\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	snprintf(data, sizeof(data), "%s/data", argv[2]);
	snprintf(lecture_path, sizeof(lecture_path),
		 "tests/data/parse/reference-lecture.txt");
	lecture = file_slurp(lecture_path);
	begin("server starts on a fresh data folder with the demo library");
	CHECK(lecture != NULL);
	CHECK(server_start(&s, argv[1], data, NULL) == 0);
	end();
	if (failed) {
		printf("%d passed, %d failed\n", passed, failed);
		return 1;
	}
	id = find_doc(s.port, "专题党课");
	begin("reference lecture is in the demo library");
	CHECK(id > 0);
	end();

	test_reference_page(s.port, id);
	test_watermark_rhythm(s.port);
	if (lecture)
		test_preview_hard_limit(s.port, id, lecture);
	test_api(s.port, id);
	test_home_and_categories(s.port);
	test_views_counted_once(s.port, id);
	test_errors(s.port);
	test_page_cache(s.port, id);
	test_bad_framing(s.port);
	test_keepalive(s.port);
	test_static(s.port);
	seo_tests(s.port, id, argv[2]);

	begin("SIGTERM drains and exits 0");
	CHECK(server_stop(&s) == 0);
	end();
	test_access_log(&s);
	test_restart_and_theme(argv[1], argv[2]);
	auth_tests(argv[1], argv[2]);
	report_tests(argv[1], argv[2]);
	admin_tests(argv[1], argv[2]);
	console_tests(argv[1], argv[2]);
	review_tests(argv[1], argv[2]);
	notify_tests(argv[1], argv[2]);
	search_tests(argv[1], argv[2]);
	metrics_tests(argv[1], argv[2]);
	startcfg_tests(argv[1], argv[2]);
	ingest_tests(argv[1], argc > 3 ? argv[3] : argv[1], argv[2]);
	ledger_load_tests(argc > 3 ? argv[3] : argv[1], argv[2]);
	ops_tests(argc > 3 ? argv[3] : argv[1], argv[2]);

	free(lecture);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
