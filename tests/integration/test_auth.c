/*
 * test_auth.c - accounts over HTTP: sign-up, sign-in, sessions, CSRF,
 * comments and their deletion, escaping of what users write.
 */
#include "client.h"
#include "itest.h"

#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Value of cookie name in the response's Set-Cookie headers (lower-cased
 * header block: names are given lower-case). */
static int set_cookie(const struct resp *r, const char *name, char *out,
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

/* The value of the first input named name in html. */
static int form_value(const char *html, const char *name, char *out,
		      size_t outlen)
{
	char key[96];
	const char *p, *v;
	size_t n;

	snprintf(key, sizeof(key), "name=\"%s\" value=\"", name);
	p = html ? strstr(html, key) : NULL;
	if (!p)
		return -1;
	v = p + strlen(key);
	n = strcspn(v, "\"");
	if (n >= outlen)
		return -1;
	memcpy(out, v, n);
	out[n] = '\0';
	return 0;
}

struct browser {
	int port;
	char session[80];
	char pre[80];
};

static int b_get(struct browser *b, const char *path, struct resp *r)
{
	char hdr[400];
	snprintf(hdr, sizeof(hdr), "User-Agent: test\r\nCookie: wk_pre=%s%s%s"
				   "\r\n",
		 b->pre, b->session[0] ? "; wk_session=" : "", b->session);
	if (http_do(b->port, "GET", path, hdr, NULL, r))
		return -1;
	set_cookie(r, "wk_pre", b->pre, sizeof(b->pre));
	return 0;
}

static int b_post(struct browser *b, const char *path, const char *body,
		  const char *origin, struct resp *r)
{
	char hdr[600];
	snprintf(hdr, sizeof(hdr),
		 "User-Agent: test\r\nContent-Type: application/x-www-form-"
		 "urlencoded\r\nOrigin: %s\r\nCookie: wk_pre=%s%s%s\r\n",
		 origin, b->pre, b->session[0] ? "; wk_session=" : "",
		 b->session);
	if (http_do(b->port, "POST", path, hdr, body, r))
		return -1;
	{
		char v[80];
		if (set_cookie(r, "wk_session", v, sizeof(v)) == 0)
			snprintf(b->session, sizeof(b->session), "%s", v);
	}
	return 0;
}

void auth_tests(const char *bin, const char *work)
{
	char data[600], origin[64], csrf[64], body[1200], path[128];
	struct browser a = { 0 }, b = { 0 };
	struct server s;
	struct resp r;

	snprintf(data, sizeof(data), "%s/auth-data", work);
	begin("sign up, sign in, sessions and CSRF");
	if (server_start(&s, bin, data, NULL)) {
		CHECK(0);
		end();
		return;
	}
	a.port = b.port = s.port;
	snprintf(origin, sizeof(origin), "http://127.0.0.1:%d", s.port);

	/* The form sets a pre-session cookie and carries its token. */
	CHECK(b_get(&a, "/register", &r) == 0 && r.status == 200);
	CHECK(a.pre[0] != '\0');
	CHECK(form_value(r.body, "csrf", csrf, sizeof(csrf)) == 0);
	resp_free(&r);
	/* Without the token, with a wrong one, or cross-site: 403. */
	CHECK(b_post(&a, "/register", "name=alice&password=Lantern-Horse-77"
		     "&password2=Lantern-Horse-77", origin, &r) == 0 &&
	      r.status == 403);
	resp_free(&r);
	snprintf(body, sizeof(body), "csrf=%s&name=alice&password=Lantern-"
		 "Horse-77&password2=Lantern-Horse-77", csrf);
	CHECK(b_post(&a, "/register", body, "http://evil.example", &r) == 0 &&
	      r.status == 403);
	resp_free(&r);
	CHECK(b_post(&a, "/register", "csrf=00000000000000000000000000000000"
		     "&name=alice&password=Lantern-Horse-77&password2=Lantern"
		     "-Horse-77", origin, &r) == 0 && r.status == 403);
	resp_free(&r);
	/* A common password is refused with the reason. */
	snprintf(body, sizeof(body), "csrf=%s&name=alice&password=password"
		 "123&password2=password123", csrf);
	CHECK(b_post(&a, "/register", body, origin, &r) == 0 &&
	      r.status == 400);
	CHECK_HAS(r.body, "该密码过于常见");
	resp_free(&r);
	/* A display name with markup is kept as text. */
	snprintf(body, sizeof(body), "csrf=%s&name=alice&display_name=%%3Cscript"
		 "%%3Ealert(1)%%3C%%2Fscript%%3E&password=Lantern-Horse-77"
		 "&password2=Lantern-Horse-77", csrf);
	CHECK(b_post(&a, "/register", body, origin, &r) == 0 &&
	      r.status == 303);
	CHECK(strlen(a.session) == 64);
	CHECK_HAS(r.headers, "httponly");
	CHECK_HAS(r.headers, "samesite=lax");
	resp_free(&r);
	CHECK(b_get(&a, "/me", &r) == 0 && r.status == 200);
	CHECK_HAS(r.body, "&lt;script&gt;alert(1)&lt;/script&gt;");
	CHECK(!strstr(r.body, "<script>alert(1)"));
	CHECK(form_value(r.body, "csrf", csrf, sizeof(csrf)) == 0);
	resp_free(&r);
	/* The same name again is taken. */
	{
		char c2[64];
		CHECK(b_get(&b, "/register", &r) == 0);
		CHECK(form_value(r.body, "csrf", c2, sizeof(c2)) == 0);
		resp_free(&r);
		snprintf(body, sizeof(body), "csrf=%s&name=alice&password="
			 "Other-Secret-99&password2=Other-Secret-99", c2);
		CHECK(b_post(&b, "/register", body, origin, &r) == 0 &&
		      r.status == 400);
		CHECK_HAS(r.body, "该用户名已被使用");
		resp_free(&r);
		/* Wrong password and unknown user: same answer. */
		snprintf(body, sizeof(body), "csrf=%s&name=alice&password="
			 "wrong-password-1", c2);
		CHECK(b_post(&b, "/login", body, origin, &r) == 0 &&
		      r.status == 403);
		CHECK_HAS(r.body, "用户名或密码错误");
		resp_free(&r);
		snprintf(body, sizeof(body), "csrf=%s&name=nobody-here&"
			 "password=wrong-password-1", c2);
		CHECK(b_post(&b, "/login", body, origin, &r) == 0 &&
		      r.status == 403);
		CHECK_HAS(r.body, "用户名或密码错误");
		resp_free(&r);
	}
	end();

	begin("comments: post, reply, escape, delete own only");
	CHECK(b_get(&a, "/d/1", &r) == 0 && r.status == 200);
	CHECK(form_value(r.body, "csrf", csrf, sizeof(csrf)) == 0);
	CHECK(!strstr(r.body, "textarea name=\"body\" rows=\"4\" "
			      "maxlength=\"2000\" placeholder"));
	resp_free(&r);
	snprintf(body, sizeof(body), "csrf=%s&parent=&body=%%3Cimg+src%%3Dx+"
		 "onerror%%3Dalert(2)%%3E+%%E5%%A5%%BD", csrf);
	CHECK(b_post(&a, "/d/1/comments", body, origin, &r) == 0 &&
	      r.status == 303);
	resp_free(&r);
	CHECK(b_get(&a, "/d/1", &r) == 0);
	CHECK_HAS(r.body, "&lt;img src=x onerror=alert(2)&gt; 好");
	CHECK(!strstr(r.body, "<img src=x"));
	CHECK_HAS(r.body, "action=\"/comments/");
	resp_free(&r);
	/* Without a session: to the sign-in page. */
	CHECK(b_post(&b, "/d/1/comments", body, origin, &r) == 0 &&
	      (r.status == 303 || r.status == 403));
	resp_free(&r);
	{
		/* Bob signs up; he sees no delete button on Alice's
		 * comment and cannot delete it; Alice can. */
		char c2[64], cid[32] = "";
		const char *p;
		CHECK(b_get(&b, "/register", &r) == 0);
		CHECK(form_value(r.body, "csrf", c2, sizeof(c2)) == 0);
		resp_free(&r);
		snprintf(body, sizeof(body), "csrf=%s&name=bob&password="
			 "Other-Secret-99&password2=Other-Secret-99", c2);
		CHECK(b_post(&b, "/register", body, origin, &r) == 0 &&
		      r.status == 303);
		resp_free(&r);
		CHECK(b_get(&a, "/d/1", &r) == 0);
		p = strstr(r.body, "action=\"/comments/");
		if (p)
			sscanf(p + 18, "%31[0-9]", cid);
		resp_free(&r);
		CHECK(cid[0] != '\0');
		CHECK(b_get(&b, "/d/1", &r) == 0);
		CHECK(!strstr(r.body, "action=\"/comments/"));
		CHECK(form_value(r.body, "csrf", c2, sizeof(c2)) == 0);
		resp_free(&r);
		snprintf(path, sizeof(path), "/comments/%s/delete", cid);
		snprintf(body, sizeof(body), "csrf=%s", c2);
		CHECK(b_post(&b, path, body, origin, &r) == 0 &&
		      r.status == 404);
		resp_free(&r);
		snprintf(body, sizeof(body), "csrf=%s", csrf);
		CHECK(b_post(&a, path, body, origin, &r) == 0 &&
		      r.status == 303);
		resp_free(&r);
		CHECK(b_get(&a, "/d/1", &r) == 0);
		CHECK(!strstr(r.body, "onerror=alert(2)"));
		resp_free(&r);
		/* Deleting it again: gone. */
		CHECK(b_post(&a, path, body, origin, &r) == 0 &&
		      r.status == 404);
		resp_free(&r);
		b.session[0] = '\0';
	}
	end();

	begin("sign-out and password change end sessions");
	{
		char old[80];
		snprintf(old, sizeof(old), "%s", a.session);
		CHECK(b_get(&a, "/me", &r) == 0 && r.status == 200);
		CHECK(form_value(r.body, "csrf", csrf, sizeof(csrf)) == 0);
		resp_free(&r);
		snprintf(body, sizeof(body), "csrf=%s&old=Lantern-Horse-77&"
			 "new=Quiet-River-2025&new2=Quiet-River-2025", csrf);
		CHECK(b_post(&a, "/me/password", body, origin, &r) == 0 &&
		      r.status == 303);
		resp_free(&r);
		CHECK(strcmp(old, a.session) != 0);
		/* The old token is dead, the new one lives. */
		snprintf(b.session, sizeof(b.session), "%s", old);
		CHECK(b_get(&b, "/me", &r) == 0 && r.status == 303);
		resp_free(&r);
		CHECK(b_get(&a, "/me", &r) == 0 && r.status == 200);
		CHECK(form_value(r.body, "csrf", csrf, sizeof(csrf)) == 0);
		resp_free(&r);
		snprintf(body, sizeof(body), "csrf=%s", csrf);
		snprintf(old, sizeof(old), "%s", a.session);
		CHECK(b_post(&a, "/logout", body, origin, &r) == 0 &&
		      r.status == 303);
		resp_free(&r);
		snprintf(b.session, sizeof(b.session), "%s", old);
		CHECK(b_get(&b, "/me", &r) == 0 && r.status == 303);
		resp_free(&r);
		b.session[0] = '\0';
	}
	snprintf(path, sizeof(path), "%s", "/login");
	CHECK(b_get(&b, path, &r) == 0 && r.status == 200);
	resp_free(&r);
	end();

	begin("JSON API: register, me, logout with X-CSRF-Token, login");
	{
		char hdr[600], sess[80] = "", csrf2[64] = "";
		const char *p;
		snprintf(hdr, sizeof(hdr), "Content-Type: application/json\r\n"
			 "Origin: %s\r\n", origin);
		CHECK(http_do(s.port, "POST", "/api/v1/auth/register", hdr,
			      "{\"name\":\"erin\",\"password\":\"Amber-Lake-52\","
			      "\"display_name\":\"艾琳\"}", &r) == 0);
		CHECK(r.status == 201);
		CHECK_HAS(r.body, "\"name\":\"erin\"");
		CHECK_HAS(r.body, "\"display_name\":\"艾琳\"");
		CHECK(set_cookie(&r, "wk_session", sess, sizeof(sess)) == 0);
		p = r.body ? strstr(r.body, "\"csrf\":\"") : NULL;
		if (p)
			snprintf(csrf2, sizeof(csrf2), "%.32s", p + 8);
		resp_free(&r);
		snprintf(hdr, sizeof(hdr), "Cookie: wk_session=%s\r\n", sess);
		CHECK(http_do(s.port, "GET", "/api/v1/me", hdr, NULL, &r) == 0 &&
		      r.status == 200);
		CHECK_HAS(r.body, "\"role\":\"reader\"");
		resp_free(&r);
		/* Logout without the header: refused; with it: done. */
		snprintf(hdr, sizeof(hdr), "Cookie: wk_session=%s\r\nOrigin: %s"
			 "\r\n", sess, origin);
		CHECK(http_do(s.port, "POST", "/api/v1/auth/logout", hdr, "",
			      &r) == 0 && r.status == 403);
		resp_free(&r);
		snprintf(hdr, sizeof(hdr), "Cookie: wk_session=%s\r\nOrigin: %s"
			 "\r\nX-CSRF-Token: %s\r\n", sess, origin, csrf2);
		CHECK(http_do(s.port, "POST", "/api/v1/auth/logout", hdr, "",
			      &r) == 0 && r.status == 200);
		resp_free(&r);
		snprintf(hdr, sizeof(hdr), "Cookie: wk_session=%s\r\n", sess);
		CHECK(http_do(s.port, "GET", "/api/v1/me", hdr, NULL, &r) == 0 &&
		      r.status == 401);
		resp_free(&r);
		/* A form post (what another site can send) is refused. */
		snprintf(hdr, sizeof(hdr), "Content-Type: application/x-www-"
			 "form-urlencoded\r\nOrigin: %s\r\n", origin);
		CHECK(http_do(s.port, "POST", "/api/v1/auth/login", hdr,
			      "name=erin&password=Amber-Lake-52", &r) == 0 &&
		      r.status == 403);
		resp_free(&r);
		snprintf(hdr, sizeof(hdr), "Content-Type: application/json\r\n"
			 "Origin: http://evil.example\r\n");
		CHECK(http_do(s.port, "POST", "/api/v1/auth/login", hdr,
			      "{\"name\":\"erin\",\"password\":\"Amber-Lake-52\"}",
			      &r) == 0 && r.status == 403);
		resp_free(&r);
		snprintf(hdr, sizeof(hdr), "Content-Type: application/json\r\n"
			 "Origin: %s\r\n", origin);
		CHECK(http_do(s.port, "POST", "/api/v1/auth/login", hdr,
			      "{\"name\":\"erin\",\"password\":\"Amber-Lake-52\"}",
			      &r) == 0 && r.status == 200);
		CHECK_HAS(r.body, "\"csrf\":\"");
		resp_free(&r);
		CHECK(http_do(s.port, "POST", "/api/v1/auth/login", hdr,
			      "{\"name\":\"erin\",\"password\":\"nope-nope-1\"}",
			      &r) == 0 && r.status == 403);
		CHECK_HAS(r.body, "bad_credentials");
		resp_free(&r);
	}
	end();

	begin("sign-in failures are limited: 429 with Retry-After");
	{
		char c2[64];
		int i, last = 0;
		CHECK(b_get(&b, "/login", &r) == 0);
		CHECK(form_value(r.body, "csrf", c2, sizeof(c2)) == 0);
		resp_free(&r);
		for (i = 0; i < 12; i++) {
			snprintf(body, sizeof(body), "csrf=%s&name=alice&"
				 "password=not-it-%d", c2, i);
			CHECK(b_post(&b, "/login", body, origin, &r) == 0);
			last = r.status;
			if (i == 11)
				CHECK_HAS(r.headers, "retry-after:");
			resp_free(&r);
		}
		CHECK(last == 429);
	}
	end();
	CHECK(server_stop(&s) == 0);
}
