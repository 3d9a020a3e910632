/*
 * browser.c - the integration tests' cookie-keeping browser (browser.h).
 */
#include "browser.h"
#include "itest.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int tb_cookie(const struct resp *r, const char *name, char *out,
	      size_t outlen)
{
	char key[96];
	const char *p;
	size_t n;

	snprintf(key, sizeof(key), "\nset-cookie: %s=", name);
	p = r->headers ? strstr(r->headers, key) : NULL;
	if (!p)
		return -1;
	p += strlen(key);
	n = strcspn(p, ";\r");
	if (n >= outlen)
		return -1;
	memcpy(out, p, n);
	out[n] = '\0';
	return 0;
}

/* The value of the first input named name in html, into out. */
int tb_field(const char *html, const char *name, char *out, size_t len)
{
	char key[96];
	const char *p;
	size_t n;

	snprintf(key, sizeof(key), "name=\"%s\" value=\"", name);
	p = html ? strstr(html, key) : NULL;
	if (!p)
		return -1;
	p += strlen(key);
	n = strcspn(p, "\"");
	if (n >= len)
		return -1;
	memcpy(out, p, n);
	out[n] = '\0';
	return 0;
}

int tb_get(struct tbrowser *b, const char *path, struct resp *r)
{
	char hdr[400];

	snprintf(hdr, sizeof(hdr), "User-Agent: test\r\nCookie: wk_pre=%s%s%s"
		 "\r\n", b->pre, b->session[0] ? "; wk_session=" : "",
		 b->session);
	if (http_do(b->port, "GET", path, hdr, NULL, r))
		return -1;
	tb_cookie(r, "wk_pre", b->pre, sizeof(b->pre));
	tb_field(r->body, "csrf", b->csrf, sizeof(b->csrf));
	return r->status;
}

int tb_get_st(struct tbrowser *b, const char *path)
{
	struct resp r;
	int st = tb_get(b, path, &r);

	resp_free(&r);
	return st;
}

int tb_post_raw(struct tbrowser *b, const char *path, const char *body,
		const char *origin, struct resp *r)
{
	char hdr[600];

	snprintf(hdr, sizeof(hdr), "User-Agent: test\r\nContent-Type: "
		 "application/x-www-form-urlencoded\r\nOrigin: %s\r\n"
		 "Cookie: wk_pre=%s%s%s\r\n", origin, b->pre,
		 b->session[0] ? "; wk_session=" : "", b->session);
	if (http_do(b->port, "POST", path, hdr, body, r))
		return -1;
	tb_cookie(r, "wk_session", b->session, sizeof(b->session));
	return 0;
}

/* POST fields (the csrf field is added unless with_csrf is false). */
int tb_post_ex(struct tbrowser *b, const char *path, const char *fields,
		   bool with_csrf)
{
	char origin[64], body[1600];
	struct resp r;
	int st;

	snprintf(origin, sizeof(origin), "http://127.0.0.1:%d", b->port);
	snprintf(body, sizeof(body), "%s%s%s", with_csrf ? "csrf=" : "",
		 with_csrf ? b->csrf : "", fields);
	if (tb_post_raw(b, path, body, origin, &r))
		return -1;
	st = r.status;
	resp_free(&r);
	return st;
}

int tb_post(struct tbrowser *b, const char *path, const char *fields)
{
	return tb_post_ex(b, path, fields, true);
}

void tb_sign_in(const char *bin, const char *data, struct tbrowser *b,
		    const char *name, const char *role)
{
	const char *av[] = { bin, "user", "add", name, "--role", role,
			     "--data", data, NULL };
	char f[200];

	free(cmd_stdout(av, "Browser-Pass-4321\n"));
	CHECK(tb_get_st(b, "/login") == 200);
	snprintf(f, sizeof(f), "&name=%s&password=Browser-Pass-4321", name);
	CHECK(tb_post(b, "/login", f) == 303);
	CHECK(tb_get_st(b, "/me") == 200);	/* the session's csrf */
}

long long tb_sql_int(const char *data, const char *sql)
{
	char path[700];
	sqlite3 *db;
	sqlite3_stmt *st;
	long long v = -1;

	snprintf(path, sizeof(path), "%s/wenku.db", data);
	if (sqlite3_open(path, &db) != SQLITE_OK)
		return -1;
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return v;
}

int tb_sql_exec(const char *data, const char *sql)
{
	char path[700];
	sqlite3 *db;
	int rc;

	snprintf(path, sizeof(path), "%s/wenku.db", data);
	if (sqlite3_open(path, &db) != SQLITE_OK)
		return -1;
	sqlite3_busy_timeout(db, 5000);
	rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc;
}

int tb_post_form(struct tbrowser *b, const char *path, const char *fields,
		 struct resp *r)
{
	char hdr[600], *body;
	size_t n = strlen(fields) + 128;
	int rc;

	snprintf(hdr, sizeof(hdr), "User-Agent: test\r\nContent-Type: "
		 "application/x-www-form-urlencoded\r\nOrigin: http://127.0.0."
		 "1:%d\r\nCookie: wk_pre=%s%s%s\r\n", b->port, b->pre,
		 b->session[0] ? "; wk_session=" : "", b->session);
	if (!(body = malloc(n)))
		return -1;
	snprintf(body, n, "csrf=%s&%s", b->csrf, fields);
	rc = http_do(b->port, "POST", path, hdr, body, r);
	free(body);
	if (rc)
		return -1;
	tb_cookie(r, "wk_session", b->session, sizeof(b->session));
	return r->status;
}

int tb_post_form_st(struct tbrowser *b, const char *path, const char *fields)
{
	struct resp r;
	int st = tb_post_form(b, path, fields, &r);

	if (st >= 0)
		resp_free(&r);
	return st;
}
