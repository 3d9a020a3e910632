/*
 * browser.h - a small cookie-keeping browser for the integration tests:
 * the pre-session and session cookies and the page's CSRF token are kept
 * between requests, POSTs carry the token and the site's Origin. Plus
 * direct SQL on a data folder's database, to check what the server
 * wrote.
 */
#ifndef WK_TEST_BROWSER_H
#define WK_TEST_BROWSER_H

#include "client.h"

#include <stdbool.h>
#include <stddef.h>

struct tbrowser {
	int port;
	char session[80];
	char pre[80];
	char csrf[64];
};

/* The value of cookie name set by reply r, into out: 0 or -1. */
int tb_cookie(const struct resp *r, const char *name, char *out,
	      size_t outlen);
/* The value of the first input named name in html, into out: 0 or -1. */
int tb_field(const char *html, const char *name, char *out, size_t len);
/* GET path (the reply in *r, freed by the caller): the status or -1;
 * cookies and the page's csrf token are kept. */
int tb_get(struct tbrowser *b, const char *path, struct resp *r);
/* The same, only the status. */
int tb_get_st(struct tbrowser *b, const char *path);
/* POST form fields ("&a=1&b=2"); the csrf field is put first unless
 * with_csrf is false. The status or -1. */
int tb_post_ex(struct tbrowser *b, const char *path, const char *fields,
	       bool with_csrf);
int tb_post(struct tbrowser *b, const char *path, const char *fields);
/* POST body as it is, with this Origin (cross-site tests); a session
 * cookie in the reply is kept. 0 with the reply in *r, or -1. */
int tb_post_raw(struct tbrowser *b, const char *path, const char *body,
		const char *origin, struct resp *r);
/* POST fields given without the csrf field ("a=1&b=2"), which is put
 * before them; the reply in *r (freed by the caller). The status or -1. */
int tb_post_form(struct tbrowser *b, const char *path, const char *fields,
		 struct resp *r);
/* The same, only the status. */
int tb_post_form_st(struct tbrowser *b, const char *path,
		    const char *fields);
/* Create account name with role through `bin user add` on data and sign
 * in with it. */
void tb_sign_in(const char *bin, const char *data, struct tbrowser *b,
		const char *name, const char *role);
/* The first column of sql's first row on data's database (-1 when
 * none); sqlite3_exec's result code for a statement. */
long long tb_sql_int(const char *data, const char *sql);
int tb_sql_exec(const char *data, const char *sql);

#endif
