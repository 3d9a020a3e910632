/*
 * test_reports.c - reports and moderation over HTTP: report -> hide ->
 * remove -> counter-notice -> restore, a removed document gone from the
 * ranking and from downloads while its purchaser keeps the record,
 * strikes suspending uploads, and comment moderation (pre-approval,
 * blocked words, hide and restore).
 */
#include "browser.h"
#include "client.h"
#include "itest.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- helpers ----------------------------------------------------------*/

static char *run(const char *const *argv, const char *in)
{
	return cmd_stdout(argv, in);
}

static void sign_in(const char *bin, const char *data, struct tbrowser *b,
		    const char *name, const char *role)
{
	const char *av[] = { bin, "user", "add", name, "--role", role,
			     "--data", data, NULL };
	char f[200];
	struct resp r;

	free(run(av, "Report-Pass-4321\n"));
	CHECK(tb_get(b, "/login", &r) == 200);
	resp_free(&r);
	snprintf(f, sizeof(f), "name=%s&password=Report-Pass-4321", name);
	CHECK(tb_post_form(b, "/login", f, &r) == 303);
	resp_free(&r);
	CHECK(tb_get(b, "/me", &r) == 200);	/* the session's csrf */
	resp_free(&r);
}

/* Import a text document by provider "rp-prov" at price; its id. */
static long import_doc(const char *bin, const char *data, const char *work,
		       int seed, const char *price)
{
	const char *opts[] = { "--publish", "--price", price, "--provider",
			       "rp-prov", NULL };
	char file[700], title[64];

	/* Text of its own, so no two are near duplicates. */
	snprintf(file, sizeof(file), "%s/report-doc-%d.txt", work, seed);
	snprintf(title, sizeof(title), "举报测试文档%d号", seed);
	return import_cjk_doc(bin, data, file, title,
			      2166136261u * (unsigned)(seed + 7), 1500, opts);
}

/* The first "/mod/reports/N" link on the moderator's queue page. */
static long newest_report(struct tbrowser *mod, const char *query)
{
	char path[128];
	struct resp r;
	const char *p;
	long id = 0;

	snprintf(path, sizeof(path), "/mod/reports%s", query);
	if (tb_get(mod, path, &r) == 200 && r.body &&
	    (p = strstr(r.body, "href=\"/mod/reports/")))
		id = atol(p + 19);
	resp_free(&r);
	return id;
}

static long long sql_int(const char *data, const char *sql)
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

/* Decide report id as moderator mod; the status. */
static int decide(struct tbrowser *mod, long id, const char *action,
		  const char *note)
{
	char path[64], f[300];

	snprintf(path, sizeof(path), "/mod/reports/%ld", id);
	snprintf(f, sizeof(f), "action=%s&note=%s", action, note);
	return tb_post_form_st(mod, path, f);
}

/* File a copyright claim on doc as b; the status. */
static int claim(struct tbrowser *b, long doc)
{
	char path[64];

	snprintf(path, sizeof(path), "/d/%ld/report", doc);
	CHECK(tb_get_st(b, path) == 200);
	return tb_post_form_st(b, path, "reason=copyright&details=%E6%95%B4%E7%AF%87"
		       "&claimant_name=%E5%BC%A0%E4%B8%89&claimant_contact="
		       "zs%40example.com&proof=%E7%99%BB%E8%AE%B0%E5%8F%B7"
		       "2024-A-001");
}

static void set_conf(const char *bin, const char *data, const char *name,
		     const char *value)
{
	const char *av[] = { bin, "config", "--data", data, "set", name,
			     value, NULL };
	free(run(av, NULL));
}

void report_tests(const char *bin, const char *work)
{
	struct tbrowser anon = { 0 }, prov = { 0 }, mod = { 0 }, rd = { 0 };
	char data[600], path[128], *body;
	long d1, d2, d3, d4, rep;
	struct server s;
	struct resp r;

	snprintf(data, sizeof(data), "%s/reports-data", work);
	set_conf(bin, data, "strike_limit", "2");
	set_conf(bin, data, "blocked_words", "违禁词, ＢａｄＷｏｒｄ");
	begin("report -> hide -> remove -> counter-notice -> restore");
	if (server_start(&s, bin, data, NULL)) {
		CHECK(0);
		end();
		return;
	}
	anon.port = prov.port = mod.port = rd.port = s.port;
	sign_in(bin, data, &prov, "rp-prov", "provider");
	sign_in(bin, data, &mod, "rp-mod", "moderator");
	sign_in(bin, data, &rd, "rp-reader", "reader");
	d1 = import_doc(bin, data, work, 1, "0");
	d2 = import_doc(bin, data, work, 2, "0");
	d3 = import_doc(bin, data, work, 3, "0");
	d4 = import_doc(bin, data, work, 4, "5");
	CHECK(d1 > 0 && d2 > 0 && d3 > 0 && d4 > 0);

	/* A view puts d1 in the all-time reading ranking. */
	snprintf(path, sizeof(path), "/d/%ld", d1);
	CHECK(tb_get_st(&anon, path) == 200);
	CHECK(tb_get(&rd, "/", &r) == 200);
	CHECK_HAS(r.body, "举报测试文档1号");
	resp_free(&r);

	/* The form: a copyright claim needs its proof; the page shows the
	 * reason, the fields are kept. */
	snprintf(path, sizeof(path), "/d/%ld/report", d1);
	CHECK(tb_get(&anon, path, &r) == 200);
	CHECK_HAS(r.body, "name=\"claimant_name\"");
	resp_free(&r);
	CHECK(tb_post_form(&anon, path, "reason=copyright&claimant_name=A&"
		   "claimant_contact=b", &r) == 400);
	CHECK_HAS(r.body, "著作权举报需提供权属证明");
	CHECK_HAS(r.body, "value=\"A\"");
	resp_free(&r);
	CHECK(tb_post_form(&anon, path, "reason=nonsense", &r) == 400);
	resp_free(&r);
	/* Without the CSRF token: refused. */
	{
		char keep[64];
		snprintf(keep, sizeof(keep), "%s", anon.csrf);
		snprintf(anon.csrf, sizeof(anon.csrf), "0000");
		CHECK(tb_post_form_st(&anon, path, "reason=spam") == 403);
		snprintf(anon.csrf, sizeof(anon.csrf), "%s", keep);
	}
	CHECK(claim(&anon, d1) == 303);
	CHECK(sql_int(data, "SELECT COUNT(*) FROM reports WHERE reporter_id "
			    "IS NULL AND reason = 'copyright' AND proof <> ''")
	      == 1);

	/* The queue lists it; readers and providers may not see it. */
	rep = newest_report(&mod, "?status=open&reason=copyright");
	CHECK(rep > 0);
	CHECK(tb_get_st(&rd, "/mod/reports") == 403);
	CHECK(tb_get_st(&prov, "/mod/reports") == 403);
	snprintf(path, sizeof(path), "/mod/reports/%ld", rep);
	CHECK(tb_get(&mod, path, &r) == 200);
	CHECK_HAS(r.body, "张三");
	CHECK_HAS(r.body, "2024-A-001");
	resp_free(&r);
	CHECK(decide(&rd, rep, "hide", "") == 403);

	/* Hide: the page, the ranking and the download are gone at once. */
	CHECK(decide(&mod, rep, "hide", "") == 303);
	snprintf(path, sizeof(path), "/d/%ld", d1);
	CHECK(tb_get_st(&anon, path) == 404);
	CHECK(tb_get(&rd, "/", &r) == 200);
	CHECK(!r.body || !strstr(r.body, "举报测试文档1号"));
	resp_free(&r);
	snprintf(path, sizeof(path), "/d/%ld/download", d1);
	CHECK(tb_get_st(&rd, path) == 404);
	CHECK(decide(&mod, rep, "hide", "") == 409);

	/* Remove needs a reason for the provider. */
	CHECK(decide(&mod, rep, "remove", "") == 400);
	CHECK(decide(&mod, rep, "remove", "%E4%BE%B5%E6%9D%83%E5%B1%9E%E5%AE"
		     "%9E") == 303);	/* 侵权属实 */
	CHECK(sql_int(data, "SELECT COUNT(*) FROM strikes WHERE lifted_at IS "
			    "NULL") == 1);

	/* The provider sees it and answers, once. */
	CHECK(tb_get(&prov, "/me/docs", &r) == 200);
	CHECK_HAS(r.body, "已下架");
	resp_free(&r);
	snprintf(path, sizeof(path), "/d/%ld/counter", d1);
	CHECK(tb_get(&prov, path, &r) == 200);
	CHECK_HAS(r.body, "侵权属实");
	resp_free(&r);
	CHECK(tb_get_st(&rd, path) == 403);
	CHECK(tb_get_st(&mod, path) == 404);	/* not theirs */
	CHECK(tb_post_form_st(&prov, path, "text=") == 400);
	CHECK(tb_post_form_st(&prov, path, "text=%E6%88%91%E6%8B%A5%E6%9C%89%E7%89%88"
		      "%E6%9D%83") == 303);	/* 我拥有版权 */
	CHECK(tb_post_form_st(&prov, path, "text=again") == 409);
	CHECK(newest_report(&mod, "?status=counter") == rep);
	snprintf(path, sizeof(path), "/mod/reports/%ld", rep);
	CHECK(tb_get(&mod, path, &r) == 200);
	CHECK_HAS(r.body, "我拥有版权");
	resp_free(&r);

	/* Restore: back on the site, the strike lifted. */
	CHECK(decide(&mod, rep, "restore", "counter-notice") == 303);
	snprintf(path, sizeof(path), "/d/%ld", d1);
	CHECK(tb_get_st(&anon, path) == 200);
	CHECK(sql_int(data, "SELECT COUNT(*) FROM strikes WHERE lifted_at IS "
			    "NULL") == 0);
	CHECK(decide(&mod, rep, "restore", "") == 409);
	/* Every step is in the audit log, which refuses edits. */
	snprintf(path, sizeof(path), "SELECT COUNT(*) FROM audit_log WHERE "
		 "object_type = 'report' AND object_id = %ld", rep);
	CHECK(sql_int(data, path) == 4);	/* hide remove counter restore */
	CHECK(sql_int(data, "SELECT COUNT(*) FROM audit_log WHERE action = "
			    "'document.remove' AND before_state = "
			    "'status=hidden'") == 1);
	CHECK(sql_int(data, "UPDATE audit_log SET note = 'x'") == -1);
	/* Dismissing an open report leaves the document alone. */
	snprintf(path, sizeof(path), "/d/%ld/report", d1);
	CHECK(tb_get_st(&rd, path) == 200);
	CHECK(tb_post_form_st(&rd, path, "reason=spam&details=ads") == 303);
	rep = newest_report(&mod, "?status=open&reason=spam");
	CHECK(rep > 0 && decide(&mod, rep, "dismiss", "") == 303);
	snprintf(path, sizeof(path), "/d/%ld", d1);
	CHECK(tb_get_st(&anon, path) == 200);
	end();

	begin("removed: gone from downloads, purchaser keeps the record");
	{
		const char *av[] = { bin, "points", "grant", "rp-reader", "50",
				     "--data", data, NULL };
		free(run(av, NULL));
		snprintf(path, sizeof(path), "/d/%ld", d4);
		CHECK(tb_get_st(&rd, path) == 200);
		snprintf(path, sizeof(path), "/d/%ld/buy", d4);
		CHECK(tb_post_form_st(&rd, path, "") == 303);
		snprintf(path, sizeof(path), "/d/%ld/download", d4);
		CHECK(tb_get_st(&rd, path) == 200);
		snprintf(path, sizeof(path), "/d/%ld/report", d4);
		CHECK(tb_get_st(&rd, path) == 200);
		CHECK(tb_post_form_st(&rd, path, "reason=illegal") == 303);
		rep = newest_report(&mod, "?status=open&reason=illegal");
		CHECK(rep > 0 && decide(&mod, rep, "remove", "illegal") == 303);
		snprintf(path, sizeof(path), "/d/%ld/download", d4);
		CHECK(tb_get_st(&rd, path) == 404);
		snprintf(path, sizeof(path), "/api/v1/documents/%ld/download",
			 d4);
		CHECK(tb_get_st(&rd, path) == 404);
		snprintf(path, sizeof(path), "SELECT COUNT(*) FROM entitlements"
			 " WHERE doc_id = %ld", d4);
		CHECK(sql_int(data, path) == 1);
		/* Not a copyright claim: no strike. */
		CHECK(sql_int(data, "SELECT COUNT(*) FROM strikes") == 1);
	}
	end();

	begin("strikes: strike_limit upheld claims suspend uploads");
	CHECK(tb_get_st(&prov, "/upload") == 200);
	CHECK(claim(&rd, d2) == 303);
	rep = newest_report(&mod, "?status=open&reason=copyright");
	CHECK(rep > 0 && decide(&mod, rep, "remove", "copyright") == 303);
	CHECK(tb_get_st(&prov, "/upload") == 200);	/* 1 of 2 */
	CHECK(claim(&rd, d3) == 303);
	rep = newest_report(&mod, "?status=open&reason=copyright");
	CHECK(rep > 0 && decide(&mod, rep, "remove", "copyright") == 303);
	CHECK(tb_get_st(&prov, "/upload") == 403);
	CHECK(tb_get(&prov, "/me/docs", &r) == 200);	/* still follows them */
	CHECK_HAS(r.body, "上传功能已被暂停");
	resp_free(&r);
	CHECK(sql_int(data, "SELECT COUNT(*) FROM audit_log WHERE action = "
			    "'user.uploads_suspended'") == 1);
	/* Restoring one document lifts its strike: below the limit. */
	CHECK(decide(&mod, rep, "restore", "") == 303);
	CHECK(tb_get_st(&prov, "/upload") == 200);
	end();
	CHECK(server_stop(&s) == 0);

	begin("comments: pre-approval, blocked words, hide and restore");
	set_conf(bin, data, "comment_moderation", "pre");
	if (server_start(&s, bin, data, NULL)) {
		CHECK(0);
		end();
		return;
	}
	anon.port = prov.port = mod.port = rd.port = s.port;
	snprintf(path, sizeof(path), "/d/%ld", d1);
	CHECK(tb_get_st(&rd, path) == 200);
	snprintf(path, sizeof(path), "/d/%ld/comments", d1);
	/* A blocked word, in any width or case: refused, nothing stored. */
	CHECK(tb_post_form(&rd, path, "body=this+has+a+badword+in+it", &r) == 400);
	CHECK_HAS(r.body, "违禁词");
	resp_free(&r);
	CHECK(tb_post_form_st(&rd, path, "body=%E5%90%AB%E6%9C%89%E8%BF%9D%E7%A6%81"
		      "%E8%AF%8D") == 400);
	CHECK(sql_int(data, "SELECT COUNT(*) FROM comments WHERE body LIKE "
			    "'%badword%' OR body LIKE '%违禁%'") == 0);
	/* Pre-approval: pending, invisible, no reward until approved. */
	CHECK(tb_post_form(&rd, path, "body=waiting-for-approval-42", &r) == 303);
	CHECK_HAS(r.headers, "comment=pending");
	resp_free(&r);
	snprintf(path, sizeof(path), "/d/%ld", d1);
	CHECK(tb_get(&anon, path, &r) == 200);
	CHECK(!r.body || !strstr(r.body, "waiting-for-approval-42"));
	resp_free(&r);
	CHECK(sql_int(data, "SELECT COUNT(*) FROM ledger_transactions WHERE "
			    "memo = 'reward:comment'") == 0);
	CHECK(tb_get(&mod, "/mod/comments", &r) == 200);
	CHECK_HAS(r.body, "waiting-for-approval-42");
	body = r.body ? strstr(r.body, "action=\"/mod/comments/") : NULL;
	{
		long cid = body ? atol(body + 22) : 0;
		char cpath[128];
		resp_free(&r);
		CHECK(cid > 0);
		snprintf(cpath, sizeof(cpath), "/mod/comments/%ld", cid);
		CHECK(tb_post_form_st(&rd, cpath, "action=approve") == 403);
		CHECK(tb_post_form_st(&mod, cpath, "action=approve") == 303);
		CHECK(tb_post_form_st(&mod, cpath, "action=approve") == 409);
		CHECK(tb_get(&anon, path, &r) == 200);
		CHECK_HAS(r.body, "waiting-for-approval-42");
		resp_free(&r);
		CHECK(sql_int(data, "SELECT COUNT(*) FROM ledger_transactions "
				    "WHERE memo = 'reward:comment'") == 1);
		CHECK(tb_post_form_st(&mod, cpath, "action=hide") == 303);
		CHECK(tb_get(&anon, path, &r) == 200);
		CHECK(!r.body || !strstr(r.body, "waiting-for-approval-42"));
		resp_free(&r);
		CHECK(tb_post_form_st(&mod, cpath, "action=restore") == 303);
		CHECK(tb_get(&anon, path, &r) == 200);
		CHECK_HAS(r.body, "waiting-for-approval-42");
		resp_free(&r);
		snprintf(cpath, sizeof(cpath), "SELECT COUNT(*) FROM audit_log"
			 " WHERE object_type = 'comment' AND object_id = %ld",
			 cid);
		CHECK(sql_int(data, cpath) == 3);
	}
	end();
	CHECK(server_stop(&s) == 0);
}
