/*
 * test_admin.c - the operator console over HTTP: the dashboard for
 * moderators and admins, account search and the audited actions (role,
 * suspension, points through the ledger, VIP), the audit log with its
 * filters, and failed conversion jobs queued again. Every action must
 * leave an audit_log row, and `wenku check` must still pass.
 */
#include "browser.h"
#include "client.h"
#include "itest.h"

#include <signal.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Audit rows of action on user id. */
static long long audited(const char *data, const char *action, long id)
{
	char sql[300];

	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM audit_log WHERE "
		 "action = '%s' AND object_id = %ld", action, id);
	return tb_sql_int(data, sql);
}


/* POST fields with the csrf field; the whole reply in *r. */
static int post_resp(struct tbrowser *b, const char *path, const char *fields,
		     struct resp *r)
{
	char hdr[600], body[1200];

	snprintf(hdr, sizeof(hdr), "User-Agent: test\r\nContent-Type: "
		 "application/x-www-form-urlencoded\r\nOrigin: http://127.0.0."
		 "1:%d\r\nCookie: wk_pre=%s%s%s\r\n", b->port, b->pre,
		 b->session[0] ? "; wk_session=" : "", b->session);
	snprintf(body, sizeof(body), "csrf=%s%s", b->csrf, fields);
	if (http_do(b->port, "POST", path, hdr, body, r))
		return -1;
	return r->status;
}

/* Whether the database files hold needle. */
static bool db_has(const char *data, const char *needle)
{
	const char *files[] = { "wenku.db", "wenku.db-wal" };
	bool found = false;
	size_t i;

	for (i = 0; i < 2; i++) {
		char fp[700], *buf;
		FILE *ff;
		long len;
		snprintf(fp, sizeof(fp), "%s/%s", data, files[i]);
		if (!(ff = fopen(fp, "rb")))
			continue;
		fseek(ff, 0, SEEK_END);
		len = ftell(ff);
		fseek(ff, 0, SEEK_SET);
		buf = malloc((size_t)len + 1);
		if (buf && fread(buf, 1, (size_t)len, ff) == (size_t)len &&
		    memmem(buf, (size_t)len, needle, strlen(needle)))
			found = true;
		free(buf);
		fclose(ff);
	}
	return found;
}

/* Lines of text (CRLF or LF ended). */
static int lines(const char *text)
{
	int n = 0;

	for (; text && *text; text++)
		n += *text == '\n';
	return n;
}

void admin_tests(const char *bin, const char *work)
{
	struct tbrowser anon = { 0 }, adm = { 0 }, mod = { 0 }, prov = { 0 },
		  rd = { 0 };
	char data[600], path[128], f[400], nonce[80], loc[200];
	long uid, admin_id;
	struct server s;
	struct resp r;
	const char *p;

	snprintf(data, sizeof(data), "%s/admin-data", work);
	begin("console: dashboard for moderators, the rest for admins");
	if (server_start(&s, bin, data, NULL)) {
		CHECK(0);
		end();
		return;
	}
	anon.port = adm.port = mod.port = prov.port = rd.port = s.port;
	tb_sign_in(bin, data, &adm, "ad-admin", "admin");
	tb_sign_in(bin, data, &mod, "ad-mod", "moderator");
	tb_sign_in(bin, data, &prov, "ad-prov", "provider");
	tb_sign_in(bin, data, &rd, "ad_rd", "reader");

	CHECK(tb_get(&anon, "/admin", &r) == 303);
	CHECK(resp_header(&r, "location", loc, sizeof(loc)) == 0 &&
	      !strncmp(loc, "/login", 6));
	resp_free(&r);
	CHECK(tb_get(&rd, "/me", &r) == 200);	/* no console link for readers */
	CHECK(r.body && !strstr(r.body, "href=\"/admin\""));
	resp_free(&r);
	CHECK(tb_get(&mod, "/me", &r) == 200);
	CHECK_HAS(r.body, "href=\"/admin\"");
	resp_free(&r);
	CHECK(tb_get_st(&rd, "/admin") == 403);
	CHECK(tb_get_st(&prov, "/admin") == 403);
	CHECK(tb_get(&mod, "/admin", &r) == 200);
	CHECK_HAS(r.body, "<svg");
	CHECK_HAS(r.body, "<rect x=");
	CHECK_HAS(r.body, "href=\"/mod/reports\"");
	CHECK_HAS(r.body, "href=\"/mod/comments\"");
	CHECK_HAS(r.body, "href=\"/mod/verifications\"");
	CHECK(r.body && !strstr(r.body, "href=\"/admin/users\""));
	CHECK(r.body && !strstr(r.body, " style="));	/* CSP: no inline */
	resp_free(&r);
	CHECK(tb_get(&adm, "/admin", &r) == 200);
	CHECK_HAS(r.body, "href=\"/admin/users\"");
	/* One Cache-Control, the console's stricter one. */
	CHECK(r.headers && strstr(r.headers, "cache-control: no-store") &&
	      strstr(r.headers, "cache-control:") ==
		      strstr(r.headers, "cache-control: no-store") &&
	      !strstr(strstr(r.headers, "cache-control:") + 1,
		      "cache-control:"));
	CHECK_HAS(r.body, "<polyline points=");
	/* The demo library's sign-ups of today are in the last bar. */
	CHECK_HAS(r.body, "注册");
	resp_free(&r);
	{
		static const char *const admin_only[] = {
			"/admin/users", "/admin/audit", "/admin/jobs",
			"/admin/users/1",
		};
		size_t i;
		for (i = 0; i < 4; i++) {
			CHECK(tb_get_st(&mod, admin_only[i]) == 403);
			CHECK(tb_get_st(&prov, admin_only[i]) == 403);
			CHECK(tb_get_st(&rd, admin_only[i]) == 403);
			CHECK(tb_get_st(&anon, admin_only[i]) == 303);
			CHECK(tb_get_st(&adm, admin_only[i]) == 200);
		}
	}
	end();

	begin("console: user search takes % and _ literally, paged");
	CHECK(tb_get(&adm, "/admin/users?q=ad_", &r) == 200);
	CHECK_HAS(r.body, ">ad_rd</a>");
	CHECK(r.body && !strstr(r.body, ">ad-mod</a>"));
	p = r.body ? strstr(r.body, "href=\"/admin/users/") : NULL;
	uid = p ? atol(p + 19) : 0;
	resp_free(&r);
	CHECK(uid > 0);
	CHECK(tb_get(&adm, "/admin/users?q=%25", &r) == 200);
	CHECK(r.body && !strstr(r.body, ">ad_rd</a>"));
	resp_free(&r);
	CHECK(tb_get(&adm, "/admin/users?q=ad", &r) == 200);
	CHECK_HAS(r.body, ">ad-admin</a>");
	CHECK_HAS(r.body, ">ad-prov</a>");
	p = r.body ? strstr(r.body, ">ad-admin</a>") : NULL;
	resp_free(&r);
	admin_id = tb_sql_int(data, "SELECT id FROM users WHERE name = 'ad-admin'");
	CHECK(admin_id > 0 && p);
	CHECK(tb_get_st(&adm, "/admin/users?page=0") == 400);
	CHECK(tb_get_st(&adm, "/admin/users?page=2&q=ad") == 200);
	end();

	begin("console: role, suspension, points and VIP, each audited");
	snprintf(path, sizeof(path), "/admin/users/%ld", uid);
	CHECK(tb_get(&adm, path, &r) == 200);
	CHECK_HAS(r.body, "ad_rd");
	CHECK(tb_field(r.body, "nonce", nonce, sizeof(nonce)) == 0);
	resp_free(&r);
	/* Without the CSRF token, or by a moderator: refused. */
	CHECK(tb_post_ex(&adm, path, "action=role&role=admin", false) == 403);
	CHECK(tb_post(&mod, path, "&action=role&role=admin") == 403);
	CHECK(tb_post(&prov, path, "&action=suspend&reason=x") == 403);
	CHECK(tb_post(&adm, path, "&action=role&role=overlord") == 400);
	CHECK(tb_post(&adm, path, "&action=role&role=provider") == 303);
	CHECK(audited(data, "user.role", uid) == 1);
	CHECK(tb_sql_int(data, "SELECT COUNT(*) FROM users WHERE name = 'ad_rd' "
			    "AND role = 'provider'") == 1);
	/* The role change ended the account's sessions. */
	CHECK(tb_get_st(&rd, "/me") == 303);
	/* An admin can't demote or suspend themselves. */
	snprintf(f, sizeof(f), "/admin/users/%ld", admin_id);
	CHECK(tb_post(&adm, f, "&action=role&role=reader") == 403);
	CHECK(tb_post(&adm, f, "&action=suspend&reason=x") == 403);
	CHECK(audited(data, "user.role", admin_id) == 0);

	CHECK(tb_post(&adm, path, "&action=suspend&days=3") == 400);
	CHECK(tb_post(&adm, path, "&action=suspend&days=0&reason=x") == 400);
	CHECK(tb_post(&adm, path, "&action=suspend&days=3&reason=%E5%88%B7%E5"
		   "%B1%8F") == 303);
	CHECK(audited(data, "user.suspend", uid) == 1);
	CHECK(tb_get(&adm, path, &r) == 200);
	CHECK_HAS(r.body, "已封禁");
	CHECK_HAS(r.body, "刷屏");
	resp_free(&r);
	CHECK(tb_post(&adm, path, "&action=lift&reason=ok") == 303);
	CHECK(tb_post(&adm, path, "&action=lift&reason=ok") == 409);
	CHECK(audited(data, "user.unsuspend", uid) == 1);
	/* An end time typed in China time; a past or impossible one is
	 * refused. */
	CHECK(tb_post(&adm, path, "&action=suspend&until=2001-02-30T10:00&"
		   "reason=x") == 400);
	CHECK(tb_post(&adm, path, "&action=suspend&until=2001-02-03T10:00&"
		   "reason=x") == 400);
	CHECK(tb_post(&adm, path, "&action=suspend&until=2099-01-01T08:00&"
		   "reason=x") == 303);
	CHECK(tb_sql_int(data, "SELECT suspended_until FROM users WHERE name = "
			    "'ad_rd'") == 4070908800LL);
	CHECK(tb_post(&adm, path, "&action=lift&reason=ok") == 303);
	CHECK(audited(data, "user.suspend", uid) == 2);
	CHECK(audited(data, "user.unsuspend", uid) == 2);

	CHECK(tb_post(&adm, path, "&action=points&amount=0&reason=x&nonce="
		   "abcdefabcdefabcdef") == 400);
	snprintf(f, sizeof(f), "&action=points&amount=77&reason=%%E8%%A1%%A5"
		 "%%E5%%81%%BF&nonce=%s", nonce);
	CHECK(tb_post(&adm, path, f) == 303);
	CHECK(tb_post(&adm, path, f) == 303);	/* a resubmitted form */
	CHECK(audited(data, "user.points_grant", uid) == 1);
	CHECK(tb_sql_int(data, "SELECT COUNT(*) FROM ledger_transactions WHERE "
			    "kind = 'grant' AND memo LIKE '补偿 (admin "
			    "ad-admin #%'") == 1);
	CHECK(tb_get(&adm, path, &r) == 200);
	CHECK_HAS(r.body, "<td class=\"points-balance\">77</td>");
	CHECK_HAS(r.body, "+77");
	CHECK_HAS(r.body, "补偿 (admin ad-admin");
	resp_free(&r);
	/* The user sees it in their own ledger too. */
	tb_sign_in(bin, data, &rd, "ad_rd", "reader");
	CHECK(tb_get(&rd, "/api/v1/me/ledger", &r) == 200);
	CHECK_HAS(r.body, "77");
	resp_free(&r);

	snprintf(f, sizeof(f), "&action=vip&plan=1&nonce=%s", nonce);
	CHECK(tb_post(&adm, path, f) == 303);
	CHECK(tb_post(&adm, path, f) == 303);	/* once per form */
	CHECK(audited(data, "user.vip_grant", uid) == 1);
	CHECK(tb_sql_int(data, "SELECT COUNT(*) FROM vip_periods WHERE "
			    "source = 'grant' AND granted_by = (SELECT id "
			    "FROM users WHERE name = 'ad-admin')") == 1);
	CHECK(tb_post(&adm, path, "&action=vip&plan=999&nonce="
		   "abcdefabcdefabcdef") == 404);
	CHECK(tb_get(&adm, path, &r) == 200);
	CHECK_HAS(r.body, "月度VIP");
	CHECK_HAS(r.body, "user.vip_grant");
	resp_free(&r);
	{
		const char *av[] = { bin, "check", "--data", data, NULL };
		char *out = cmd_stdout(av, NULL);
		CHECK_HAS(out, "ledger: ok");
		free(out);
	}
	end();

	begin("console: the audit log, newest first, filtered");
	CHECK(tb_get(&adm, "/admin/audit", &r) == 200);
	CHECK_HAS(r.body, "user.vip_grant");
	p = r.body ? strstr(r.body, "user.vip_grant") : NULL;
	CHECK(p && strstr(r.body, "user.role") > p);	/* newest first */
	resp_free(&r);
	CHECK(tb_get(&adm, "/admin/audit?action=user.s", &r) == 200);
	CHECK_HAS(r.body, "user.suspend");
	CHECK(r.body && !strstr(r.body, "<td>user.role</td>"));
	resp_free(&r);
	CHECK(tb_get(&adm, "/admin/audit?actor=ad-mod", &r) == 200);
	CHECK(r.body && !strstr(r.body, "<td>user.role</td>"));
	resp_free(&r);
	snprintf(f, sizeof(f), "/admin/audit?object=user:%ld&actor=ad-admin",
		 uid);
	CHECK(tb_get(&adm, f, &r) == 200);
	CHECK_HAS(r.body, "<td>user.points_grant</td>");
	CHECK_HAS(r.body, "role=provider");
	resp_free(&r);
	/* Each entry links to its object's console page. */
	snprintf(f, sizeof(f), "<a href=\"/admin/users/%ld\">user:%ld</a>",
		 uid, uid);
	CHECK(tb_get(&adm, "/admin/audit?object=user", &r) == 200);
	CHECK_HAS(r.body, f);
	resp_free(&r);
	CHECK(tb_get_st(&adm, "/admin/audit?object=user:x") == 400);
	CHECK(tb_get_st(&adm, "/admin/audit?action=%25") == 200);
	end();

	begin("console: failed conversion jobs, queued again");
	CHECK(tb_sql_exec(data, "INSERT INTO jobs (sha256, filename, status, "
			     "outcome, reason, attempts, created_at, "
			     "updated_at) SELECT sha256, 'broken.docx', 'done',"
			     " 'rejected', '文件已损坏', 3, 1, 1 FROM blobs "
			     "LIMIT 1") == SQLITE_OK);
	{
		long long job = tb_sql_int(data, "SELECT id FROM jobs WHERE "
					      "filename = 'broken.docx'");
		CHECK(job > 0);
		CHECK(tb_get(&adm, "/admin/jobs", &r) == 200);
		CHECK_HAS(r.body, "broken.docx");
		CHECK_HAS(r.body, "文件已损坏");
		resp_free(&r);
		snprintf(path, sizeof(path), "/admin/jobs/%lld/retry", job);
		CHECK(tb_post(&mod, path, "") == 403);
		CHECK(tb_post(&adm, path, "") == 303);
		CHECK(audited(data, "job.retry", (long)job) == 1);
		snprintf(f, sizeof(f), "SELECT COUNT(*) FROM jobs WHERE id = "
			 "%lld AND outcome = 'rejected'", job);
		CHECK(tb_sql_int(data, f) == 0);
	}
	end();

	begin("console: fragments saved sanitized, shown in their slots");
	CHECK(tb_get_st(&mod, "/admin/fragments") == 403);
	CHECK(tb_get_st(&rd, "/admin/fragments") == 403);
	CHECK(tb_get_st(&anon, "/admin/fragments") == 303);
	CHECK(tb_get(&adm, "/admin/fragments", &r) == 200);
	CHECK_HAS(r.body, "新用户注册即送积分");	/* the demo's notice */
	resp_free(&r);
	/* A preview saves nothing. */
	CHECK(tb_post(&adm, "/admin/fragments/sidebar",
		   "&format=html&preview=1&content=%3Cp%3EX%3C%2Fp%3E") == 200);
	CHECK(tb_sql_int(data, "SELECT COUNT(*) FROM fragments WHERE "
			    "slot = 'sidebar'") == 0);
	CHECK(tb_post(&adm, "/admin/fragments/sidebar",
		   "&format=html&content=%3Cp%3E%E5%B9%BF%E5%91%8A%E4%BD%8D%3Cscript%3Ealert%281%29%3C%2Fscript%3E%3Ca%20href%3D%22javascript%3Ax%22%3E%E9%93%BE%E6%8E%A5%3C%2Fa%3E%3C%2Fp%3E") == 303);
	CHECK(tb_sql_int(data, "SELECT COUNT(*) FROM audit_log WHERE action = "
			    "'fragment.set'") == 1);
	CHECK(tb_get(&anon, "/vip", &r) == 200);
	CHECK_HAS(r.body, "<p>广告位<a rel=\"nofollow noopener\">链接</a></p>");
	CHECK(r.body && !strstr(r.body, "alert(1)"));
	resp_free(&r);
	/* Plain text is escaped on output. */
	CHECK(tb_post(&adm, "/admin/fragments/footer",
		   "&format=text&content=%E9%A1%B5%E8%84%9A%E8%AF%B4%E6%98%8E%20%3Cb%3E") == 303);
	CHECK(tb_get(&anon, "/", &r) == 200);
	CHECK_HAS(r.body, "<p>页脚说明 &lt;b&gt;</p>");
	resp_free(&r);
	/* Admins only; known slots only; nothing without CSRF. */
	CHECK(tb_post(&mod, "/admin/fragments/sidebar",
		   "&format=text&content=x") == 403);
	CHECK(tb_post(&adm, "/admin/fragments/header",
		   "&format=text&content=x") == 404);
	CHECK(tb_post(&adm, "/admin/fragments/sidebar",
		   "&format=js&content=x") == 400);
	CHECK(tb_post_ex(&adm, "/admin/fragments/sidebar",
		      "format=text&content=x", false) == 403);
	CHECK(tb_sql_int(data, "SELECT COUNT(*) FROM audit_log WHERE action = "
			    "'fragment.set'") == 2);
	end();

	begin("console: settings from the table, all or nothing, audited");
	CHECK(tb_sql_exec(data, "INSERT INTO settings (name, value, updated_at) "
			     "VALUES ('payment_secret', "
			     "'console-secret-0123456789', 1)") == SQLITE_OK);
	CHECK(tb_get_st(&mod, "/admin/settings") == 403);
	CHECK(tb_get_st(&anon, "/admin/settings") == 303);
	CHECK(tb_get(&adm, "/admin/settings", &r) == 200);
	CHECK_HAS(r.body, "<code>price_max</code>");
	CHECK_HAS(r.body, "name=\"price_max\" type=\"number\" min=\"0\"");
	CHECK(r.body && !strstr(r.body, "console-secret-0123456789"));
	resp_free(&r);
	/* One bad value: nothing stored. */
	CHECK(tb_post(&adm, "/admin/settings",
		   "&price_max=500&reward_signin=abc") == 400);
	CHECK(tb_sql_int(data, "SELECT COUNT(*) FROM settings WHERE name = "
			    "'price_max'") == 0);
	/* Good values: stored and audited; an empty secret field keeps
	 * the secret, which is never written to the log. */
	CHECK(tb_post(&adm, "/admin/settings",
		   "&price_max=500&reward_signin=8&payment_secret=") == 303);
	CHECK(tb_sql_int(data, "SELECT value FROM settings WHERE name = "
			    "'price_max'") == 500);
	CHECK(tb_sql_int(data, "SELECT COUNT(*) FROM audit_log WHERE action = "
			    "'setting.set'") == 2);
	CHECK(tb_sql_int(data, "SELECT COUNT(*) FROM settings WHERE name = "
			    "'payment_secret' AND value = "
			    "'console-secret-0123456789'") == 1);
	CHECK(tb_post(&adm, "/admin/settings",
		   "&payment_secret=another-secret-0123456789") == 303);
	CHECK(tb_sql_int(data, "SELECT COUNT(*) FROM audit_log WHERE note = "
			    "'payment_secret' AND before_state = '(secret)' "
			    "AND after_state = '(secret)'") == 1);
	CHECK(tb_post(&mod, "/admin/settings", "&price_max=1") == 403);
	end();

	begin("settings: in force without a restart (console at once, "
	      "`wenku config set` within seconds)");
	{
		const char *set[] = { bin, "config", "--data", data, "set",
				      "site_name", "CLI改名文库", NULL };
		int tries;
		/* The console: the next page already shows it. */
		CHECK(tb_post(&adm, "/admin/settings",
			   "&slogan=%E5%AE%9E%E6%97%B6%E7%94%9F%E6%95%88") ==
		      303);
		CHECK(tb_get(&anon, "/", &r) == 200);
		CHECK_HAS(r.body, "实时生效");
		resp_free(&r);
		/* Another process: picked up by the server's two-second
		 * check. */
		CHECK(run_cmd(set, NULL, NULL) == 0);
		for (tries = 0; tries < 50; tries++) {
			bool seen;
			CHECK(tb_get(&anon, "/", &r) == 200);
			seen = r.body && strstr(r.body, "CLI改名文库");
			resp_free(&r);
			if (seen)
				break;
			usleep(200 * 1000);
		}
		CHECK(tries < 50);
		/* SIGHUP reads them again and does not stop the server. */
		CHECK(tb_sql_exec(data, "UPDATE settings SET value = "
				     "'HUP标语' WHERE name = 'slogan'") ==
		      SQLITE_OK);
		CHECK(kill(s.pid, SIGHUP) == 0);
		for (tries = 0; tries < 25; tries++) {
			bool seen;
			usleep(200 * 1000);
			CHECK(tb_get(&anon, "/", &r) == 200);
			seen = r.body && strstr(r.body, "HUP标语");
			resp_free(&r);
			if (seen)
				break;
		}
		CHECK(tries < 25);
		CHECK(kill(s.pid, 0) == 0);
		CHECK(tb_get(&anon, "/", &r) == 200);
		CHECK_HAS(r.body, "CLI改名文库");
		resp_free(&r);
	}
	end();

	begin("console: code batches as a CSV download, hashes only, voided");
	{
		char code[40], code2[40], vcode[40], bpath[80], hdr[200];
		long long bid, before, vid;
		const char *q;
		CHECK(tb_get(&adm, "/admin/codes", &r) == 200);
		CHECK_HAS(r.body, "只保存卡密的哈希");
		CHECK_HAS(r.body, "action=\"/admin/codes\"");
		resp_free(&r);
		CHECK(tb_get_st(&mod, "/admin/codes") == 403);
		CHECK(tb_post(&mod, "/admin/codes", "&name=x&kind=points&points=5"
			   "&count=1&days=1") == 403);
		CHECK(tb_post_ex(&adm, "/admin/codes", "name=x&kind=points&"
			      "points=5&count=1&days=1", false) == 403);
		CHECK(tb_post(&adm, "/admin/codes", "&name=t1&kind=points&"
			   "points=5&count=10001&days=1") == 400);
		CHECK(tb_post(&adm, "/admin/codes", "&name=t1&kind=points&"
			   "points=0&count=1&days=1") == 400);
		CHECK(tb_post(&adm, "/admin/codes", "&name=t1&kind=vip&"
			   "plan=999&count=1&days=1") == 400);
		CHECK(post_resp(&adm, "/admin/codes", "&name=tb-1&kind=points&"
				"points=50&count=5&days=30", &r) == 200);
		CHECK(resp_header(&r, "content-disposition", hdr,
				  sizeof(hdr)) == 0 &&
		      !strcmp(hdr, "attachment; filename=codes-tb-1.csv"));
		CHECK(resp_header(&r, "cache-control", hdr, sizeof(hdr)) == 0 &&
		      !strcmp(hdr, "no-store"));
		CHECK(resp_header(&r, "content-type", hdr, sizeof(hdr)) == 0 &&
		      !strncmp(hdr, "text/csv", 8));
		CHECK(r.body && !strncmp(r.body, "code,points,expires\r\n", 21));
		CHECK(lines(r.body) == 6);
		code[0] = code2[0] = '\0';
		q = r.body ? strchr(r.body, '\n') : NULL;
		if (q && sscanf(q + 1, "%23[0-9A-Z-],50,", code) == 1) {
			q = strchr(q + 1, '\n');
			if (q)
				sscanf(q + 1, "%23[0-9A-Z-],50,", code2);
		}
		resp_free(&r);
		CHECK(strlen(code) == 23 && strlen(code2) == 23);
		/* The same name again: refused, nothing made. */
		CHECK(tb_post(&adm, "/admin/codes", "&name=tb-1&kind=points&"
			   "points=50&count=5&days=30") == 409);
		CHECK(tb_sql_int(data, "SELECT COUNT(*) FROM redeem_codes WHERE "
				    "batch = 'tb-1'") == 5);
		/* Only hashes: the code is nowhere in the database, with or
		 * without its dashes, nor in the audit log. */
		{
			char bare[24];
			size_t i, k = 0;
			for (i = 0; code[i]; i++)
				if (code[i] != '-')
					bare[k++] = code[i];
			bare[k] = '\0';
			CHECK(!db_has(data, code) && !db_has(data, bare));
		}
		bid = tb_sql_int(data, "SELECT MIN(id) FROM redeem_codes WHERE "
				    "batch = 'tb-1'");
		CHECK(audited(data, "codes.create", (long)bid) == 1);

		/* A reader redeems one; the batch shows who and when. */
		before = tb_sql_int(data, "SELECT balance FROM ledger_accounts a "
				       "JOIN users u ON u.id = a.user_id WHERE "
				       "u.name = 'ad_rd'");
		CHECK(tb_get_st(&rd, "/me") == 200);
		snprintf(f, sizeof(f), "&code=%s", code);
		CHECK(tb_post(&rd, "/me/redeem", f) == 303);
		CHECK(tb_sql_int(data, "SELECT balance FROM ledger_accounts a "
				    "JOIN users u ON u.id = a.user_id WHERE "
				    "u.name = 'ad_rd'") == before + 50);
		snprintf(bpath, sizeof(bpath), "/admin/codes/%lld", bid);
		CHECK(tb_get(&adm, bpath, &r) == 200);
		CHECK_HAS(r.body, ">ad_rd</a>");
		CHECK_HAS(r.body, "+50");
		CHECK_HAS(r.body, "<td class=\"batch-count\">5</td>");
		CHECK_HAS(r.body, "<td class=\"batch-redeemed\">1</td>");
		CHECK_HAS(r.body, "无法再次导出");
		resp_free(&r);
		CHECK(tb_get(&adm, "/admin/codes", &r) == 200);
		CHECK_HAS(r.body, ">tb-1</a>");
		resp_free(&r);
		CHECK(tb_get_st(&adm, "/admin/codes/987654") == 404);
		CHECK(tb_get_st(&mod, bpath) == 403);

		/* A VIP batch. */
		CHECK(post_resp(&adm, "/admin/codes", "&name=tb-vip&kind=vip&"
				"plan=1&count=2&days=10", &r) == 200);
		CHECK(r.body && !strncmp(r.body, "code,vip_plan,expires\r\n",
					 23));
		CHECK(lines(r.body) == 3);
		vcode[0] = '\0';
		q = r.body ? strchr(r.body, '\n') : NULL;
		if (q)
			sscanf(q + 1, "%23[0-9A-Z-],1,", vcode);
		resp_free(&r);
		snprintf(f, sizeof(f), "&code=%s", vcode);
		CHECK(tb_post(&rd, "/me/redeem", f) == 303);
		CHECK(tb_sql_int(data, "SELECT COUNT(*) FROM vip_periods WHERE "
				    "source = 'code'") == 1);
		vid = tb_sql_int(data, "SELECT MIN(id) FROM redeem_codes WHERE "
				    "batch = 'tb-vip'");
		snprintf(path, sizeof(path), "/admin/codes/%lld", vid);
		CHECK(tb_get(&adm, path, &r) == 200);
		CHECK_HAS(r.body, ">ad_rd</a>");
		CHECK_HAS(r.body, "VIP #1");
		resp_free(&r);

		/* Void the points batch: the next code is refused, the
		 * points already redeemed stay. */
		snprintf(path, sizeof(path), "/admin/codes/%lld/void", bid);
		CHECK(tb_post(&mod, path, "") == 403);
		CHECK(tb_post(&adm, path, "") == 303);
		CHECK(tb_post(&adm, path, "") == 409);
		CHECK(audited(data, "codes.void", (long)bid) == 1);
		snprintf(f, sizeof(f), "&code=%s", code2);
		tb_post(&rd, "/me/redeem", f);
		CHECK(tb_sql_int(data, "SELECT balance FROM ledger_accounts a "
				    "JOIN users u ON u.id = a.user_id WHERE "
				    "u.name = 'ad_rd'") == before + 50);
		CHECK(tb_sql_int(data, "SELECT COUNT(*) FROM ledger_transactions "
				    "WHERE kind = 'grant' AND memo = "
				    "'redeem:code'") == 1);
		CHECK(tb_get(&adm, bpath, &r) == 200);
		CHECK(r.body && !strstr(r.body, "/void\""));
		CHECK_HAS(r.body, "<td class=\"batch-redeemed\">1</td>");
		resp_free(&r);
		{
			const char *av[] = { bin, "check", "--data", data,
					     NULL };
			char *out = cmd_stdout(av, NULL);
			CHECK_HAS(out, "ledger: ok");
			free(out);
		}
	}
	end();

	begin("console: a one-time password-reset link");
	{
		char token[80] = "", rpath[120];
		struct tbrowser visitor = { 0 };
		visitor.port = s.port;
		snprintf(path, sizeof(path), "/admin/users/%ld", uid);
		CHECK(tb_get(&adm, path, &r) == 200);
		CHECK_HAS(r.body, "value=\"reset\"");
		resp_free(&r);
		CHECK(tb_post(&mod, path, "&action=reset") == 403);
		CHECK(post_resp(&adm, path, "&action=reset", &r) == 200);
		p = r.body ? strstr(r.body, "/reset/") : NULL;
		if (p)
			sscanf(p + 7, "%64[0-9a-f]", token);
		CHECK_HAS(r.headers, "\ncache-control: no-store");
		resp_free(&r);
		CHECK(strlen(token) == 64);
		CHECK(audited(data, "user.reset_link", uid) == 1);
		CHECK(!db_has(data, token));
		CHECK(tb_get_st(&rd, "/me") == 200);	/* signed in */
		snprintf(rpath, sizeof(rpath), "/reset/%s", token);
		CHECK(tb_get(&visitor, rpath, &r) == 200);
		CHECK_HAS(r.body, "name=\"password2\"");
		resp_free(&r);
		CHECK(tb_post_ex(&visitor, rpath, "password=Reset-Pass-5150&"
			      "password2=Reset-Pass-5150", false) == 403);
		CHECK(tb_post(&visitor, rpath, "&password=Reset-Pass-5150&"
			   "password2=Other-Pass-5150") == 400);
		CHECK(tb_post(&visitor, rpath, "&password=12345678&"
			   "password2=12345678") == 400);
		CHECK(post_resp(&visitor, rpath, "&password=Reset-Pass-5150&"
				"password2=Reset-Pass-5150", &r) == 200);
		CHECK_HAS(r.body, "reset-done");
		resp_free(&r);
		/* The account's old sessions ended; the new password works. */
		CHECK(tb_get_st(&rd, "/me") == 303);
		rd.session[0] = '\0';
		CHECK(tb_get_st(&rd, "/login") == 200);
		CHECK(tb_post(&rd, "/login", "&name=ad_rd&password="
			   "Reset-Pass-5150") == 303);
		CHECK(tb_get_st(&rd, "/me") == 200);
		/* Once only; unknown and expired links are refused. */
		CHECK(tb_get(&visitor, rpath, &r) == 404);
		CHECK_HAS(r.body, "reset-invalid");
		resp_free(&r);
		CHECK(tb_post(&visitor, rpath, "&password=Again-Pass-5150&"
			   "password2=Again-Pass-5150") == 404);
		CHECK(tb_get_st(&visitor, "/reset/abc") == 404);
		CHECK(post_resp(&adm, path, "&action=reset", &r) == 200);
		token[0] = '\0';
		p = r.body ? strstr(r.body, "/reset/") : NULL;
		if (p)
			sscanf(p + 7, "%64[0-9a-f]", token);
		resp_free(&r);
		CHECK(tb_sql_exec(data, "UPDATE password_resets SET expires_at = "
				     "1 WHERE used_at IS NULL") == SQLITE_OK);
		snprintf(rpath, sizeof(rpath), "/reset/%s", token);
		CHECK(tb_get_st(&visitor, rpath) == 404);
		/* Attempts from one address are limited. */
		{
			int i, st = 0;
			for (i = 0; i < 40 && st != 429; i++)
				st = tb_get_st(&visitor, "/reset/abc");
			CHECK(st == 429);
		}
		/* The access log does not hold the links' tokens. */
		{
			FILE *lf = fopen(s.log, "rb");
			char *lb = NULL;
			long ln = 0;
			if (lf) {
				fseek(lf, 0, SEEK_END);
				ln = ftell(lf);
				fseek(lf, 0, SEEK_SET);
				lb = calloc(1, (size_t)ln + 1);
				if (lb && fread(lb, 1, (size_t)ln, lf) !=
						  (size_t)ln)
					ln = 0;
				fclose(lf);
			}
			CHECK(lb && ln > 0);
			CHECK_HAS(lb, "\"GET /reset/...\" 404");
			CHECK(lb && !strstr(lb, token));
			free(lb);
		}
	}
	end();

	CHECK(server_stop(&s) == 0);
}
