/*
 * test_console.c - the console's later pages over HTTP: VIP plans
 * (/admin/vip), an account's sessions and "end all sessions", the
 * settings page's sections and the settings it gained (registration,
 * price_min), the licence kept with each purchase, and `wenku codes
 * list|void`. Each action is checked for its effect and its audit entry;
 * each refusal for its message and for nothing having changed.
 */
#include "browser.h"
#include "client.h"
#include "itest.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Audit rows of action on object id. */
static long long audited(const char *data, const char *action, long long id)
{
	char sql[300];

	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM audit_log WHERE "
		 "action = '%s' AND object_id = %lld", action, id);
	return tb_sql_int(data, sql);
}

/* Restart the server on the same data folder (settings are read at
 * start); every browser follows it to its new port. */
static bool restart(struct server *s, const char *bin, const char *data,
		    struct tbrowser *const *b, size_t n)
{
	size_t i;

	CHECK(server_stop(s) == 0);
	if (server_start(s, bin, data, NULL)) {
		CHECK(0);
		return false;
	}
	for (i = 0; i < n; i++)
		b[i]->port = s->port;
	return true;
}

/* Run `bin args... --data data`: the exit status; output in *out (may
 * be NULL). */
static int wenku(const char *bin, const char *data, const char *a1,
		 const char *a2, const char *a3, const char *a4, char **out)
{
	const char *av[10];
	int n = 0;

	av[n++] = bin;
	av[n++] = a1;
	if (a2)
		av[n++] = a2;
	if (a3)
		av[n++] = a3;
	if (a4)
		av[n++] = a4;
	av[n++] = "--data";
	av[n++] = data;
	av[n] = NULL;
	return run_cmd_ex(av, NULL, out, false);
}

/* A multipart body with a price field and a small text file. */
static size_t upload_body(char *out, size_t cap, const char *price,
			  const char *name)
{
	return (size_t)snprintf(
		out, cap,
		"--XyZb\r\nContent-Disposition: form-data; name=\"price\"\r\n"
		"\r\n%s\r\n--XyZb\r\nContent-Disposition: form-data; "
		"name=\"file\"; filename=\"%s\"\r\nContent-Type: "
		"application/octet-stream\r\n\r\n最低价测试文档%s。第一段内容写"
		"在这里，第二段内容也写在这里。\r\n--XyZb--\r\n",
		price, name, name);
}

static int api_upload(int port, const char *token, const char *price,
		      const char *name, struct resp *r)
{
	char hdr[300], body[1024];
	upload_body(body, sizeof(body), price, name);
	snprintf(hdr, sizeof(hdr), "Content-Type: multipart/form-data; "
		 "boundary=XyZb\r\nAuthorization: Bearer %s\r\n", token);
	return http_do(port, "POST", "/api/v1/documents", hdr, body, r) ? -1
								: r->status;
}

static void vip_plans(const char *bin, const char *data, struct tbrowser *adm,
		      struct tbrowser *mod, struct tbrowser *rd,
		      struct tbrowser *anon)
{
	struct resp r;
	const char *p;
	long long before;

	begin("console: VIP plans, admins only, each change audited");
	CHECK(tb_get_st(mod, "/admin/vip") == 403);
	CHECK(tb_get_st(rd, "/admin/vip") == 403);
	CHECK(tb_get_st(anon, "/admin/vip") == 303);
	CHECK(tb_get(adm, "/admin/vip", &r) == 200);
	CHECK_HAS(r.body, "月度VIP");
	CHECK_HAS(r.body, "Yearly VIP");
	CHECK_HAS(r.body, "class=\"vip-members\"");
	CHECK_HAS(r.body, "name=\"discount\"");
	resp_free(&r);
	/* Linked from the console's navigation, for admins only. */
	CHECK(tb_get(adm, "/admin", &r) == 200);
	CHECK_HAS(r.body, "href=\"/admin/vip\"");
	resp_free(&r);
	CHECK(tb_get(mod, "/admin", &r) == 200);
	CHECK(r.body && !strstr(r.body, "href=\"/admin/vip\""));
	resp_free(&r);

	/* Refusals: said why, nothing added. */
	CHECK(tb_post_form(adm, "/admin/vip", "name=W&days=0&price=90&quota=5"
			   "&discount=10&position=4&on_sale=1", &r) == 400);
	CHECK_HAS(r.body, "天数须为 1–3660 的整数");
	CHECK_HAS(r.body, "value=\"W\"");	/* what was typed stays */
	resp_free(&r);
	CHECK(tb_post_form(adm, "/admin/vip", "name=W&days=7&price=0&quota=5"
			   "&discount=10", &r) == 400);
	CHECK_HAS(r.body, "价格须为 1–1000000000 积分");
	resp_free(&r);
	CHECK(tb_post_form(adm, "/admin/vip?lang=en", "name=&days=7&price=9&"
			   "quota=5&discount=10", &r) == 400);
	CHECK_HAS(r.body, "A name is required");
	resp_free(&r);
	CHECK(tb_post(adm, "/admin/vip", "&name=W&days=7&price=9&quota=5&"
		      "discount=91") == 400);
	CHECK(tb_post(adm, "/admin/vip", "&name=W&days=7&price=9&quota=1001&"
		      "discount=0") == 400);
	CHECK(tb_post(mod, "/admin/vip", "&name=W&days=7&price=9&quota=5&"
		      "discount=0") == 403);
	CHECK(tb_post_ex(adm, "/admin/vip", "name=W&days=7&price=9&quota=5&"
			 "discount=0", false) == 403);
	CHECK(tb_sql_int(data, "SELECT COUNT(*) FROM vip_plans") == 3);
	CHECK(tb_sql_int(data, "SELECT COUNT(*) FROM audit_log WHERE "
			    "object_type = 'vip_plan'") == 0);

	/* Added, audited, on the public VIP page. */
	CHECK(tb_post(adm, "/admin/vip", "&name=%E5%91%A8%E5%8D%A1&name_en="
		      "Weekly&days=7&price=90&quota=5&discount=10&position=4&"
		      "on_sale=1") == 303);
	CHECK(tb_sql_int(data, "SELECT COUNT(*) FROM vip_plans WHERE name = "
			    "'周卡' AND days = 7 AND price = 90 AND "
			    "daily_quota = 5 AND discount = 10 AND active = 1")
	      == 1);
	CHECK(tb_sql_int(data, "SELECT COUNT(*) FROM audit_log WHERE action = "
			    "'vip_plan.add' AND after_state LIKE "
			    "'name=周卡 name_en=Weekly days=7 price=90 %'") == 1);
	CHECK(tb_get(anon, "/vip", &r) == 200);
	CHECK_HAS(r.body, "周卡");
	resp_free(&r);

	/* A member buys plan 1 at its old terms. */
	{
		const char *av[] = { bin, "points", "grant", "cs_rd", "1000",
				     "--reason", "test", "--data", data, NULL };
		CHECK(run_cmd(av, NULL, NULL) == 0);
	}
	CHECK(tb_get_st(rd, "/vip") == 200);
	CHECK(tb_post(rd, "/vip/buy", "&plan=1&nonce=0123456789abcdef0123456789"
		      "abcdef") == 303);
	before = tb_sql_int(data, "SELECT balance FROM ledger_accounts a JOIN "
			       "users u ON u.id = a.user_id WHERE u.name = "
			       "'cs_rd'");
	CHECK(before == 700);

	/* Edited: audited before and after; the member keeps the quota,
	 * discount and price of the period bought. */
	CHECK(tb_get(adm, "/admin/vip/1", &r) == 200);
	CHECK_HAS(r.body, "value=\"月度VIP\"");
	CHECK_HAS(r.body, "name=\"price\" type=\"number\" min=\"1\" "
		  "max=\"1000000000\" required value=\"300\"");
	resp_free(&r);
	CHECK(tb_post(adm, "/admin/vip/1", "&action=edit&name=%E6%9C%88%E5%BA"
		      "%A6VIP&name_en=Monthly%20VIP&days=30&price=500&quota=3&"
		      "discount=50&position=1") == 303);
	CHECK(tb_sql_int(data, "SELECT COUNT(*) FROM audit_log WHERE action = "
			    "'vip_plan.edit' AND object_id = 1 AND before_state "
			    "LIKE '%price=300 quota=10 discount=20%' AND "
			    "after_state LIKE '%price=500 quota=3 "
			    "discount=50%'") == 1);
	CHECK(tb_sql_int(data, "SELECT COUNT(*) FROM vip_periods v JOIN users "
			    "u ON u.id = v.user_id WHERE u.name = 'cs_rd' AND "
			    "v.daily_quota = 10 AND v.discount = 20") == 1);
	CHECK(tb_sql_int(data, "SELECT balance FROM ledger_accounts a JOIN "
			    "users u ON u.id = a.user_id WHERE u.name = "
			    "'cs_rd'") == before);
	CHECK(tb_get(adm, "/admin/vip/1", &r) == 200);
	CHECK_HAS(r.body, "required value=\"500\"");
	resp_free(&r);
	/* A refused edit: the message, the plan as it was. */
	CHECK(tb_post_form(adm, "/admin/vip/1", "action=edit&name=X&days=30&"
			   "price=500&quota=3&discount=95&position=1", &r) ==
	      400);
	CHECK_HAS(r.body, "折扣须为 0–90 的整数");
	resp_free(&r);
	CHECK(tb_sql_int(data, "SELECT discount FROM vip_plans WHERE id = 1") ==
	      50);
	CHECK(audited(data, "vip_plan.edit", 1) == 1);

	/* Off sale and on again; never deleted. */
	CHECK(tb_post(mod, "/admin/vip/1", "&action=off_sale") == 403);
	CHECK(tb_post(adm, "/admin/vip/1", "&action=off_sale") == 303);
	CHECK(tb_post(adm, "/admin/vip/1", "&action=off_sale") == 409);
	CHECK(audited(data, "vip_plan.off_sale", 1) == 1);
	CHECK(tb_sql_int(data, "SELECT active FROM vip_plans WHERE id = 1") ==
	      0);
	CHECK(tb_get(anon, "/vip", &r) == 200);
	CHECK(r.body && !strstr(r.body, "月度VIP"));
	resp_free(&r);
	CHECK(tb_get(adm, "/admin/vip", &r) == 200);
	p = r.body ? strstr(r.body, "class=\"vip-plan-1\"") : NULL;
	CHECK(p != NULL);
	CHECK(p && strstr(p, "<td class=\"vip-sale\">已下架</td>"
			     "<td class=\"vip-members\">1</td>") != NULL);
	resp_free(&r);
	CHECK(tb_post(adm, "/admin/vip/1", "&action=on_sale") == 303);
	CHECK(audited(data, "vip_plan.on_sale", 1) == 1);
	CHECK(tb_post(adm, "/admin/vip/1", "&action=delete") == 400);
	CHECK(tb_get_st(adm, "/admin/vip/987654") == 404);
	CHECK(tb_post(adm, "/admin/vip/987654", "&action=off_sale") == 404);
	CHECK(tb_sql_int(data, "SELECT COUNT(*) FROM vip_plans") == 4);
	{
		const char *av[] = { bin, "check", "--data", data, NULL };
		char *out = cmd_stdout(av, NULL);
		CHECK_HAS(out, "ledger: ok");
		free(out);
	}
	end();
}

static void sessions(const char *bin, const char *data, struct tbrowser *adm,
		     struct tbrowser *mod, struct tbrowser *rd, int port)
{
	struct tbrowser rd2 = { 0 };
	char path[80];
	struct resp r;
	long long uid;
	const char *p;
	int rows = 0;

	begin("console: an account's sessions, ended everywhere, audited");
	uid = tb_sql_int(data, "SELECT id FROM users WHERE name = 'cs_rd'");
	CHECK(uid > 0);
	rd2.port = port;
	CHECK(tb_get_st(&rd2, "/login") == 200);
	CHECK(tb_post(&rd2, "/login", "&name=cs_rd&password="
		      "Browser-Pass-4321") == 303);
	{
		const char *av[] = { bin, "user", "token", "cs_rd", "--display",
				     "partner-feed", "--data", data, NULL };
		CHECK(run_cmd(av, NULL, NULL) == 0);
	}
	snprintf(path, sizeof(path), "/admin/users/%lld", uid);
	CHECK(tb_get(adm, path, &r) == 200);
	for (p = r.body; p && (p = strstr(p, "<tr class=\"session\">")); p++)
		rows++;
	CHECK(rows == 2);
	CHECK_HAS(r.body, "<td>127.0.0.1</td>");
	CHECK_HAS(r.body, "partner-feed");
	CHECK_HAS(r.body, "value=\"sessions\"");
	/* Never a session's token. */
	CHECK(r.body && rd->session[0] && !strstr(r.body, rd->session) &&
	      !strstr(r.body, rd2.session));
	resp_free(&r);

	CHECK(tb_post(mod, path, "&action=sessions") == 403);
	CHECK(tb_get_st(rd, "/me") == 200);
	CHECK(tb_post(adm, path, "&action=sessions") == 303);
	CHECK(tb_sql_int(data, "SELECT COUNT(*) FROM audit_log WHERE action = "
			    "'user.sessions_end' AND before_state = "
			    "'sessions=2' AND after_state = 'sessions=0'") ==
	      1);
	CHECK(tb_sql_int(data, "SELECT COUNT(*) FROM sessions s JOIN users u "
			    "ON u.id = s.user_id WHERE u.name = 'cs_rd'") == 0);
	CHECK(tb_get_st(rd, "/me") == 303);	/* signed out everywhere */
	CHECK(tb_get_st(&rd2, "/me") == 303);
	CHECK(tb_get(adm, path, &r) == 200);
	CHECK_HAS(r.body, "没有有效的登录会话");
	resp_free(&r);

	/* A suspended account may read but not act. */
	rd->session[0] = '\0';
	CHECK(tb_get_st(rd, "/login") == 200);
	CHECK(tb_post(rd, "/login", "&name=cs_rd&password=Browser-Pass-4321") ==
	      303);
	CHECK(tb_get_st(rd, "/me") == 200);
	CHECK(tb_post(adm, path, "&action=suspend&days=1&reason=x") == 303);
	CHECK(tb_post(rd, "/me/signin", "") == 403);
	CHECK(tb_post(rd, "/me/redeem", "&code=AAAA") == 403);
	CHECK(tb_post(adm, path, "&action=lift&reason=ok") == 303);
	end();
}

static void settings(const char *bin, const char *data, struct server *s,
		     struct tbrowser *adm, struct tbrowser *mod,
		     struct tbrowser *rd, struct tbrowser *anon)
{
	struct tbrowser *all[] = { adm, mod, rd, anon };
	char token[80] = "", path[80], hdr[200], origin[64];
	struct resp r;
	long long users, doc, uid;

	begin("console: settings in sections; registration and price_min");
	CHECK(tb_get(anon, "/login", &r) == 200);	/* open: linked */
	CHECK_HAS(r.body, "href=\"/register?next=");
	resp_free(&r);
	CHECK(tb_get(adm, "/admin/settings", &r) == 200);
	CHECK_HAS(r.body, "id=\"settings-site\"");
	CHECK_HAS(r.body, "id=\"settings-money\"");
	CHECK_HAS(r.body, "积分与奖励");
	CHECK_HAS(r.body, "<select name=\"registration\"><option "
		  "value=\"open\" selected>open</option>");
	CHECK_HAS(r.body, "<code>price_min</code>");
	resp_free(&r);
	/* Moderators: no settings, no points. */
	CHECK(tb_get_st(mod, "/admin/settings") == 403);
	CHECK(tb_post(mod, "/admin/settings", "&registration=closed") == 403);
	uid = tb_sql_int(data, "SELECT id FROM users WHERE name = 'cs_rd'");
	snprintf(path, sizeof(path), "/admin/users/%lld", uid);
	CHECK(tb_post(mod, path, "&action=points&amount=5&reason=x&nonce="
		      "abcdefabcdefabcdef") == 403);
	CHECK(tb_sql_int(data, "SELECT COUNT(*) FROM ledger_transactions "
			    "WHERE idem_key LIKE 'admin-grant:%'") == 0);
	/* A bad value: the message, nothing stored. */
	CHECK(tb_post_form(adm, "/admin/settings", "registration=maybe&"
			   "price_min=5", &r) == 400);
	CHECK_HAS(r.body, "registration must be one of open|closed");
	resp_free(&r);
	CHECK(tb_post(adm, "/admin/settings", "&price_min=-1") == 400);
	CHECK(tb_post_form(adm, "/admin/settings", "price_min=5000", &r) ==
	      400);	/* above price_max (1000) */
	CHECK_HAS(r.body, "price_min (5000) may not be above price_max");
	resp_free(&r);
	CHECK(tb_sql_int(data, "SELECT COUNT(*) FROM settings WHERE name IN "
			    "('registration', 'price_min')") == 0);
	CHECK(tb_post(adm, "/admin/settings", "&registration=closed&"
		      "price_min=5") == 303);
	CHECK(tb_sql_int(data, "SELECT COUNT(*) FROM audit_log WHERE action = "
			    "'setting.set' AND ((note = 'registration' AND "
			    "before_state = 'open' AND after_state = "
			    "'closed') OR (note = 'price_min' AND "
			    "before_state = '0' AND after_state = '5'))") == 2);
	if (!restart(s, bin, data, all, 4)) {
		end();
		return;
	}
	snprintf(origin, sizeof(origin), "http://127.0.0.1:%d", s->port);

	/* Registration closed: the page and the API refuse, saying so. */
	users = tb_sql_int(data, "SELECT COUNT(*) FROM users");
	CHECK(tb_get(anon, "/register", &r) == 403);
	CHECK_HAS(r.body, "本站暂停开放注册");
	resp_free(&r);
	CHECK(tb_get(anon, "/register?lang=en", &r) == 403);
	CHECK_HAS(r.body, "Sign-up is closed");
	resp_free(&r);
	CHECK(tb_get(anon, "/login", &r) == 200);	/* no sign-up link */
	CHECK(r.body && !strstr(r.body, "href=\"/register"));
	resp_free(&r);
	CHECK(tb_get_st(anon, "/login") == 200);
	CHECK(tb_post(anon, "/register", "&name=cs-new&password=Amber-Lake-52&"
		      "password2=Amber-Lake-52") == 403);
	snprintf(hdr, sizeof(hdr), "Content-Type: application/json\r\n"
		 "Origin: %s\r\n", origin);
	CHECK(http_do(s->port, "POST", "/api/v1/auth/register", hdr,
		      "{\"name\":\"cs-api\",\"password\":\"Amber-Lake-52\"}",
		      &r) == 0);
	CHECK(r.status == 403);
	CHECK_HAS(r.body, "\"code\":\"registration_closed\"");
	CHECK_HAS(r.body, "本站暂停开放注册");
	resp_free(&r);
	CHECK(tb_sql_int(data, "SELECT COUNT(*) FROM users") == users);
	/* Admins still make accounts from the command line. */
	{
		const char *av[] = { bin, "user", "add", "cs-cli", "--role",
				     "provider", "--data", data, NULL };
		CHECK(run_cmd(av, "Browser-Pass-4321\n", NULL) == 0);
	}
	CHECK(tb_sql_int(data, "SELECT COUNT(*) FROM users WHERE name = "
			    "'cs-cli'") == 1);

	/* price_min: a paid price below it is refused (0 is free). */
	{
		const char *av[] = { bin, "user", "token", "cs-cli", "--data",
				     data, NULL };
		char *out = NULL;
		const char *p;
		run_cmd(av, NULL, &out);
		p = out ? strstr(out, "Bearer):\n") : NULL;
		if (p)
			snprintf(token, sizeof(token), "%.64s", p + 9);
		free(out);
	}
	CHECK(strlen(token) == 64);
	CHECK(api_upload(s->port, token, "3", "a.txt", &r) == 400);
	CHECK_HAS(r.body, "bad_price");
	resp_free(&r);
	CHECK(api_upload(s->port, token, "5", "b.txt", &r) == 202);
	resp_free(&r);
	CHECK(api_upload(s->port, token, "0", "c.txt", &r) == 202);
	resp_free(&r);
	CHECK(tb_sql_int(data, "SELECT COUNT(*) FROM jobs WHERE filename IN "
			    "('a.txt', 'b.txt', 'c.txt')") == 2);
	CHECK(tb_get(adm, "/upload", &r) == 200);
	CHECK_HAS(r.body, "5–1000");
	resp_free(&r);
	/* And in the review queue's edit. */
	doc = tb_sql_int(data, "SELECT MIN(id) FROM documents WHERE status = "
			    "'published' AND price = 0");
	CHECK(doc > 0);
	snprintf(hdr, sizeof(hdr), "UPDATE documents SET status = 'pending' "
		 "WHERE id = %lld", doc);
	CHECK(tb_sql_exec(data, hdr) == SQLITE_OK);
	snprintf(path, sizeof(path), "/admin/review/%lld", doc);
	CHECK(tb_post_form(mod, path, "action=edit&doc_title=price-min&"
			   "price=3", &r) == 400);
	CHECK_HAS(r.body, "price_min");
	resp_free(&r);
	snprintf(hdr, sizeof(hdr), "SELECT price FROM documents WHERE id = %lld",
		 doc);
	CHECK(tb_sql_int(data, hdr) == 0);
	CHECK(tb_post(mod, path, "&action=edit&doc_title=price-min&price=6") ==
	      303);
	CHECK(tb_sql_int(data, hdr) == 6);
	snprintf(hdr, sizeof(hdr), "UPDATE documents SET status = 'published'"
		 " WHERE id = %lld", doc);
	CHECK(tb_sql_exec(data, hdr) == SQLITE_OK);
	end();
}

/* The licence text of user name's purchase of doc. */
static bool licence_is(const char *data, long long doc, const char *like)
{
	char sql[400];

	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM entitlements e JOIN "
		 "users u ON u.id = e.user_id WHERE u.name = 'cs_rd' AND "
		 "e.doc_id = %lld AND e.license_text LIKE '%s'", doc, like);
	return tb_sql_int(data, sql) == 1;
}

static void licences(const char *bin, const char *data, struct server *s,
		     struct tbrowser *adm, struct tbrowser *mod,
		     struct tbrowser *rd, struct tbrowser *anon)
{
	struct tbrowser *all[] = { adm, mod, rd, anon };
	long long a, b;
	char path[80];
	struct resp r;
	const char *ra, *rb;

	begin("console: each purchase keeps the licence text it was shown");
	a = tb_sql_int(data, "SELECT MIN(id) FROM documents WHERE status = "
			  "'published' AND price > 0");
	b = tb_sql_int(data, "SELECT MAX(id) FROM documents WHERE status = "
			  "'published' AND price > 0");
	CHECK(a > 0 && b > a);
	snprintf(path, sizeof(path), "/d/%lld/buy", a);
	CHECK(tb_get_st(rd, "/me") == 200);
	CHECK(tb_post(rd, path, "") == 303);
	CHECK(licence_is(data, a, "%只拥有了使用权限%"));
	CHECK(tb_post(adm, "/admin/settings", "&license_text=%E7%AC%AC%E4%BA%8C%E7%89%88%E6%8E%88%E6%9D%83%E6%9D%A1"
		      "%E6%AC%BE%EF%BC%9A%E4%BB%85%E9%99%90%E4%B8%AA%E4%BA%BA"
		      "%E5%AD%A6%E4%B9%A0%E3%80%82") == 303);
	if (!restart(s, bin, data, all, 4)) {
		end();
		return;
	}
	snprintf(path, sizeof(path), "/d/%lld/buy", b);
	CHECK(tb_get_st(rd, "/me") == 200);
	CHECK(tb_post(rd, path, "") == 303);
	CHECK(licence_is(data, b, "第二版授权条款：仅限个人学习。"));
	CHECK(licence_is(data, a, "%只拥有了使用权限%"));	/* unchanged */
	/* /me shows each purchase with its own licence. */
	CHECK(tb_get(rd, "/me", &r) == 200);
	snprintf(path, sizeof(path), "href=\"/d/%lld\"", a);
	ra = r.body ? strstr(r.body, path) : NULL;
	snprintf(path, sizeof(path), "href=\"/d/%lld\"", b);
	rb = r.body ? strstr(r.body, path) : NULL;
	CHECK(ra && rb && rb < ra);	/* newest first */
	if (ra && rb && rb < ra) {
		const char *end_b = strstr(rb, "</tr>");
		const char *end_a = strstr(ra, "</tr>");
		const char *lic_b = strstr(rb, "第二版授权条款");
		const char *lic_a = strstr(ra, "只拥有了使用权限");
		CHECK(lic_b && end_b && lic_b < end_b);
		CHECK(lic_a && end_a && lic_a < end_a);
		CHECK(!strstr(ra, "第二版授权条款") ||
		      strstr(ra, "第二版授权条款") > end_a);
	}
	resp_free(&r);
	end();
}

static void cli_codes(const char *bin, const char *data, struct tbrowser *adm,
		      struct tbrowser *rd)
{
	char *out = NULL, code[40] = "", f[80], path[80], want[200];
	long long bid;
	const char *p;

	begin("wenku codes list and void from the command line");
	CHECK(wenku(bin, data, "codes", "generate", "--points", "5", &out) ==
	      2);	/* --count missing: usage */
	free(out);
	{
		const char *av[] = { bin, "codes", "generate", "--points", "7",
				     "--count", "3", "--batch", "cli-b1",
				     "--data", data, NULL };
		out = NULL;
		CHECK(run_cmd_ex(av, NULL, &out, false) == 0);
		p = out ? strchr(out, '\n') : NULL;
		if (p)
			sscanf(p + 1, "%23[0-9A-Z-],7,", code);
		free(out);
	}
	CHECK(strlen(code) == 23);
	bid = tb_sql_int(data, "SELECT MIN(id) FROM redeem_codes WHERE batch = "
			    "'cli-b1'");
	CHECK(bid > 0);
	snprintf(f, sizeof(f), "&code=%s", code);
	CHECK(tb_get_st(rd, "/me") == 200);
	CHECK(tb_post(rd, "/me/redeem", f) == 303);
	out = NULL;
	CHECK(wenku(bin, data, "codes", "list", NULL, NULL, &out) == 0);
	{
		static const char head[] = "id,batch,created,points,vip_plan,"
					   "count,redeemed,expires,voided\n";
		CHECK(out && !strncmp(out, head, sizeof(head) - 1));
	}
	snprintf(want, sizeof(want), "\n%lld,cli-b1,", bid);
	p = out ? strstr(out, want) : NULL;
	CHECK(p && strstr(p, ",7,0,3,1,") && strchr(p + 1, '\n') &&
	      strchr(p + 1, '\n')[-1] == ',');	/* not voided */
	free(out);

	snprintf(want, sizeof(want), "%lld", bid);
	out = NULL;
	CHECK(wenku(bin, data, "codes", "void", want, NULL, &out) == 0);
	CHECK_HAS(out, "voided");
	free(out);
	CHECK(tb_sql_int(data, "SELECT COUNT(*) FROM audit_log WHERE action = "
			    "'codes.void' AND actor_id IS NULL AND note = "
			    "'cli-b1'") == 1);
	CHECK(tb_sql_int(data, "SELECT COUNT(*) FROM redeem_codes WHERE batch "
			    "= 'cli-b1' AND voided_at IS NOT NULL") == 3);
	out = NULL;
	CHECK(wenku(bin, data, "codes", "void", want, NULL, &out) == 1);
	free(out);
	out = NULL;
	CHECK(wenku(bin, data, "codes", "void", "987654", NULL, &out) == 1);
	free(out);
	out = NULL;
	CHECK(wenku(bin, data, "codes", "void", "x1", NULL, &out) == 2);
	free(out);
	CHECK(audited(data, "codes.void", bid) == 1);
	out = NULL;
	CHECK(wenku(bin, data, "codes", "list", NULL, NULL, &out) == 0);
	snprintf(want, sizeof(want), "\n%lld,cli-b1,", bid);
	p = out ? strstr(out, want) : NULL;
	CHECK(p && strchr(p + 1, '\n') && strchr(p + 1, '\n')[-1] == 'Z');
	free(out);
	/* The console agrees: one redeemed, voided, by the command line. */
	snprintf(path, sizeof(path), "/admin/codes/%lld", bid);
	{
		struct resp r;
		CHECK(tb_get(adm, path, &r) == 200);
		CHECK_HAS(r.body, "<td class=\"batch-redeemed\">1</td>");
		CHECK(r.body && !strstr(r.body, "/void\""));
		resp_free(&r);
		CHECK(tb_get(adm, "/admin/audit?action=codes.void", &r) == 200);
		CHECK_HAS(r.body, "<td>系统或命令行</td><td>codes.void</td>");
		resp_free(&r);
	}
	end();
}

void console_tests(const char *bin, const char *work)
{
	struct tbrowser anon = { 0 }, adm = { 0 }, mod = { 0 }, rd = { 0 };
	char data[600];
	struct server s;

	snprintf(data, sizeof(data), "%s/console-data", work);
	begin("console: a server for the console tests");
	if (server_start(&s, bin, data, NULL)) {
		CHECK(0);
		end();
		return;
	}
	anon.port = adm.port = mod.port = rd.port = s.port;
	tb_sign_in(bin, data, &adm, "cs-admin", "admin");
	tb_sign_in(bin, data, &mod, "cs-mod", "moderator");
	tb_sign_in(bin, data, &rd, "cs_rd", "reader");
	end();

	vip_plans(bin, data, &adm, &mod, &rd, &anon);
	sessions(bin, data, &adm, &mod, &rd, s.port);
	settings(bin, data, &s, &adm, &mod, &rd, &anon);
	licences(bin, data, &s, &adm, &mod, &rd, &anon);
	cli_codes(bin, data, &adm, &rd);
	CHECK(server_stop(&s) == 0);
}
