/*
 * test_notify.c - in-site notifications over HTTP: each event (review,
 * report decisions, verification, comment replies, admin grants, a
 * sale) leaves exactly one notification for the right account with the
 * right link; the inbox, the header's count and the API show only the
 * account's own; another account can neither read nor mark them; a
 * decision whose transaction fails leaves no notification.
 */
#include "browser.h"
#include "client.h"
#include "itest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long long sqlf(const char *data, const char *fmt, const char *s,
		      long long v)
{
	char sql[600];

	snprintf(sql, sizeof(sql), fmt, s, v);
	return tb_sql_int(data, sql);
}

/* Notifications of kind for the account named name. */
static long long count_of(const char *data, const char *name,
			  const char *kind)
{
	char sql[400];

	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM notifications n "
		 "JOIN users u ON u.id = n.user_id WHERE u.name = '%s' AND "
		 "n.kind = '%s'", name, kind);
	return tb_sql_int(data, sql);
}

/* sql with one number in it. */
static long long sqln(const char *data, const char *fmt, long long v)
{
	char sql[600];

	snprintf(sql, sizeof(sql), fmt, v);
	return tb_sql_int(data, sql);
}

/* All notifications of the account named name. */
static long long total_of(const char *data, const char *name)
{
	char sql[400];

	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM notifications n JOIN "
		 "users u ON u.id = n.user_id WHERE u.name = '%s'", name);
	return tb_sql_int(data, sql);
}

/* Import a text document of provider nt-prov at price (publish or
 * leave pending); its id. */
static long import_doc(const char *bin, const char *data, const char *work,
		       int seed, const char *price, bool publish)
{
	const char *opts[] = { "--price", price, "--provider", "nt-prov",
			       publish ? "--publish" : NULL, NULL };
	char file[700], title[64];

	snprintf(file, sizeof(file), "%s/notify-doc-%d.txt", work, seed);
	snprintf(title, sizeof(title), "消息测试文档%d号", seed);
	return import_cjk_doc(bin, data, file, title,
			      2654435761u * (unsigned)(seed + 11), 1200, opts);
}

/* An API call with b's session cookie (and its CSRF token for a POST):
 * the status, the body in *r. */
static int api(struct tbrowser *b, const char *method, const char *path,
	       const char *json, struct resp *r)
{
	char hdr[400];

	snprintf(hdr, sizeof(hdr), "Cookie: wk_session=%s\r\n%s%s%s",
		 b->session, json ? "X-CSRF-Token: " : "", json ? b->csrf : "",
		 json ? "\r\nContent-Type: application/json\r\n" : "");
	if (http_do(b->port, method, path, hdr, json, r))
		return -1;
	return r->status;
}

void notify_tests(const char *bin, const char *work)
{
	struct tbrowser anon = { 0 }, adm = { 0 }, mod = { 0 }, prov = { 0 },
			ra = { 0 }, rb = { 0 };
	char data[600], path[160], f[600], nonce[80];
	long long pid, ra_id, rep, cid, reply, nid, n0;
	long dp1, dp2, d3, d4, d5;
	struct server s;
	struct resp r;

	snprintf(data, sizeof(data), "%s/notify-data", work);
	begin("notifications: review approve/reject tell the provider");
	if (server_start(&s, bin, data, NULL)) {
		CHECK(0);
		end();
		return;
	}
	anon.port = adm.port = mod.port = prov.port = ra.port = rb.port =
		s.port;
	tb_sign_in(bin, data, &adm, "nt-admin", "admin");
	tb_sign_in(bin, data, &mod, "nt-mod", "moderator");
	tb_sign_in(bin, data, &prov, "nt-prov", "provider");
	tb_sign_in(bin, data, &ra, "nt-ra", "reader");
	tb_sign_in(bin, data, &rb, "nt-rb", "reader");
	pid = tb_sql_int(data, "SELECT id FROM users WHERE name = 'nt-prov'");
	ra_id = tb_sql_int(data, "SELECT id FROM users WHERE name = 'nt-ra'");
	dp1 = import_doc(bin, data, work, 1, "0", false);
	dp2 = import_doc(bin, data, work, 2, "0", false);
	d3 = import_doc(bin, data, work, 3, "0", true);
	d4 = import_doc(bin, data, work, 4, "10", true);
	d5 = import_doc(bin, data, work, 5, "0", true);
	CHECK(pid > 0 && ra_id > 0 && dp1 > 0 && dp2 > 0 && d3 > 0 &&
	      d4 > 0 && d5 > 0);
	CHECK(sqlf(data, "SELECT COUNT(*) FROM documents WHERE status = '%s' "
			 "AND id >= %lld", "pending", dp1) == 2);
	CHECK(tb_sql_int(data, "SELECT COUNT(*) FROM notifications") == 0);

	snprintf(path, sizeof(path), "/admin/review/%ld", dp1);
	CHECK(tb_post_form_st(&mod, path, "action=approve") == 303);
	snprintf(path, sizeof(path), "/admin/review/%ld", dp2);
	/* 内容不完整 */
	CHECK(tb_post_form_st(&mod, path, "action=reject&reason=%E5%86%85%E5"
			      "%AE%B9%E4%B8%8D%E5%AE%8C%E6%95%B4") == 303);
	CHECK(count_of(data, "nt-prov", "doc_approved") == 1);
	CHECK(count_of(data, "nt-prov", "doc_rejected") == 1);
	CHECK(sqlf(data, "SELECT COUNT(*) FROM notifications WHERE kind = "
			 "'%s' AND doc_id = %lld AND note = '内容不完整'",
		   "doc_rejected", dp2) == 1);
	CHECK(total_of(data, "nt-mod") == 0);
	CHECK(tb_get(&prov, "/me/inbox", &r) == 200);
	CHECK_HAS(r.headers, "cache-control: no-store");
	CHECK_HAS(r.body, "您上传的文档已通过审核并发布");
	CHECK_HAS(r.body, "您上传的文档未通过审核");
	CHECK_HAS(r.body, "内容不完整");
	snprintf(f, sizeof(f), "href=\"/d/%ld\"", dp1);
	CHECK_HAS(r.body, f);
	CHECK_HAS(r.body, "href=\"/me/docs\"");
	/* The header's count for the signed-in provider. */
	CHECK_HAS(r.body, "class=\"unread-count\"");
	resp_free(&r);
	CHECK(tb_get(&prov, "/me/inbox?lang=en", &r) == 200);
	CHECK_HAS(r.body, "Your upload was approved and published");
	resp_free(&r);
	end();

	begin("notifications: report decisions tell provider and reporter");
	snprintf(path, sizeof(path), "/d/%ld/report", d3);
	CHECK(tb_get_st(&rb, path) == 200);
	CHECK(tb_post_form_st(&rb, path, "reason=spam&details=ads") == 303);
	rep = tb_sql_int(data, "SELECT MAX(id) FROM reports");
	snprintf(path, sizeof(path), "/mod/reports/%lld", rep);
	CHECK(tb_post_form_st(&mod, path, "action=hide&note=checking") == 303);
	CHECK(count_of(data, "nt-prov", "doc_hidden") == 1);
	CHECK(total_of(data, "nt-rb") == 0);	/* hiding is not an outcome */
	CHECK(tb_post_form_st(&mod, path, "action=dismiss&note=fine%3Ci%3E") ==
	      303);
	CHECK(count_of(data, "nt-prov", "doc_restored") == 1);
	CHECK(count_of(data, "nt-rb", "report_dismissed") == 1);
	CHECK(sqlf(data, "SELECT COUNT(*) FROM notifications WHERE kind = "
			 "'%s' AND object_type = 'report' AND object_id = %lld "
			 "AND note = 'fine<i>'", "report_dismissed", rep) == 1);
	/* Shown escaped, as every value is. */
	CHECK(tb_get(&rb, "/me/inbox", &r) == 200);
	CHECK_HAS(r.body, "fine&lt;i&gt;");
	CHECK(r.body && !strstr(r.body, "fine<i>"));
	CHECK_HAS(r.body, "您的举报经核查未发现违规");
	snprintf(f, sizeof(f), "href=\"/d/%ld\"", d3);
	CHECK_HAS(r.body, f);
	resp_free(&r);
	/* Upheld: removed, the reason shown to the provider. */
	snprintf(path, sizeof(path), "/d/%ld/report", d3);
	CHECK(tb_get_st(&ra, path) == 200);
	CHECK(tb_post_form_st(&ra, path, "reason=illegal") == 303);
	rep = tb_sql_int(data, "SELECT MAX(id) FROM reports");
	snprintf(path, sizeof(path), "/mod/reports/%lld", rep);
	CHECK(tb_post_form_st(&mod, path, "action=remove&note=gone-now") ==
	      303);
	CHECK(count_of(data, "nt-prov", "doc_removed") == 1);
	CHECK(sqlf(data, "SELECT COUNT(*) FROM notifications WHERE kind = "
			 "'%s' AND doc_id = %lld AND note = 'gone-now'",
		   "doc_removed", d3) == 1);
	CHECK(count_of(data, "nt-ra", "report_upheld") == 1);
	/* An anonymous report: only the provider hears of it. */
	n0 = tb_sql_int(data, "SELECT COUNT(*) FROM notifications");
	snprintf(path, sizeof(path), "/d/%ld/report", d5);
	CHECK(tb_get_st(&anon, path) == 200);
	CHECK(tb_post_form_st(&anon, path, "reason=spam") == 303);
	rep = tb_sql_int(data, "SELECT MAX(id) FROM reports");
	CHECK(sqln(data, "SELECT COUNT(*) FROM reports WHERE id = %lld AND "
			 "reporter_id IS NULL", rep) == 1);
	snprintf(path, sizeof(path), "/mod/reports/%lld", rep);
	/* A decision whose transaction fails leaves nothing behind. */
	CHECK(tb_sql_exec(data, "CREATE TRIGGER nt_fail BEFORE INSERT ON "
			  "audit_log WHEN NEW.action = 'report.hide' BEGIN "
			  "SELECT RAISE(ABORT, 'injected'); END") == 0);
	/* RAISE(ABORT) is a constraint failure: a conflict. */
	CHECK(tb_post_form_st(&mod, path, "action=hide&note=x") == 409);
	CHECK(tb_sql_int(data, "SELECT COUNT(*) FROM notifications") == n0);
	CHECK(sqlf(data, "SELECT COUNT(*) FROM reports WHERE status = '%s' "
			 "AND id = %lld", "open", rep) == 1);
	CHECK(tb_sql_exec(data, "DROP TRIGGER nt_fail") == 0);
	CHECK(tb_post_form_st(&mod, path, "action=hide&note=x") == 303);
	CHECK(tb_sql_int(data, "SELECT COUNT(*) FROM notifications") ==
	      n0 + 1);
	CHECK(count_of(data, "nt-prov", "doc_hidden") == 2);
	end();

	begin("notifications: verification, comment replies, grants, sales");
	CHECK(tb_get_st(&ra, "/me/verify") == 200);
	/* 张三 */
	CHECK(tb_post_form_st(&ra, "/me/verify", "real_name=%E5%BC%A0%E4%B8%89"
			      "&id_number=11010519491231002X") == 303);
	{
		long long vid = tb_sql_int(data, "SELECT MAX(id) FROM "
					   "verifications");
		snprintf(path, sizeof(path), "/mod/verifications/%lld", vid);
		CHECK(tb_get_st(&mod, "/mod/verifications") == 200);
		CHECK(tb_post_form_st(&mod, path, "decision=reject&reason="
				      "blurry") == 303);
		CHECK(count_of(data, "nt-ra", "verify_rejected") == 1);
		CHECK(sqlf(data, "SELECT COUNT(*) FROM notifications WHERE "
				 "kind = '%s' AND object_id = %lld AND note = "
				 "'blurry'", "verify_rejected", vid) == 1);
		CHECK(tb_post_form_st(&mod, path, "decision=approve") == 409);
		CHECK(count_of(data, "nt-ra", "verify_approved") == 0);
	}

	/* ra comments on dp1; rb replies; ra's reply to herself is quiet. */
	snprintf(path, sizeof(path), "/d/%ld", dp1);
	CHECK(tb_get_st(&ra, path) == 200);
	snprintf(path, sizeof(path), "/d/%ld/comments", dp1);
	CHECK(tb_post_form_st(&ra, path, "body=first-comment") == 303);
	cid = tb_sql_int(data, "SELECT MAX(id) FROM comments");
	snprintf(f, sizeof(f), "body=a-reply&parent=%lld", cid);
	CHECK(tb_get_st(&rb, "/") == 200);
	CHECK(tb_post_form_st(&rb, path, f) == 303);
	reply = tb_sql_int(data, "SELECT MAX(id) FROM comments");
	CHECK(reply > cid);
	snprintf(f, sizeof(f), "body=self-reply&parent=%lld", cid);
	CHECK(tb_post_form_st(&ra, path, f) == 303);
	CHECK(count_of(data, "nt-ra", "comment_reply") == 1);
	CHECK(count_of(data, "nt-rb", "comment_reply") == 0);
	CHECK(sqlf(data, "SELECT COUNT(*) FROM notifications WHERE kind = "
			 "'%s' AND object_id = %lld", "comment_reply",
		   reply) == 1);

	/* An admin's grants, once per form. */
	snprintf(path, sizeof(path), "/admin/users/%lld", ra_id);
	CHECK(tb_get(&adm, path, &r) == 200);
	CHECK(tb_field(r.body, "nonce", nonce, sizeof(nonce)) == 0);
	resp_free(&r);
	snprintf(f, sizeof(f), "&action=points&amount=77&reason=bonus&nonce=%s",
		 nonce);
	CHECK(tb_post(&adm, path, f) == 303);
	CHECK(tb_post(&adm, path, f) == 303);	/* resubmitted */
	CHECK(count_of(data, "nt-ra", "points_granted") == 1);
	CHECK(sqlf(data, "SELECT amount FROM notifications WHERE kind = '%s' "
			 "AND user_id = %lld", "points_granted", ra_id) == 77);
	snprintf(f, sizeof(f), "&action=vip&plan=1&nonce=%s", nonce);
	CHECK(tb_post(&adm, path, f) == 303);
	CHECK(tb_post(&adm, path, f) == 303);
	CHECK(count_of(data, "nt-ra", "vip_granted") == 1);
	CHECK(total_of(data, "nt-admin") == 0);

	/* A sale: the provider's share (provider_share 70% of 10, less
	 * ra's VIP discount of 20%: 8 points, 5 of them the provider's). */
	snprintf(path, sizeof(path), "/d/%ld/buy", d4);
	CHECK(tb_get_st(&ra, "/") == 200);
	CHECK(tb_post_form_st(&ra, path, "") == 303);
	CHECK(tb_post_form_st(&ra, path, "") == 303);	/* bought already */
	CHECK(count_of(data, "nt-prov", "doc_sold") == 1);
	CHECK(sqlf(data, "SELECT amount FROM notifications WHERE kind = '%s' "
			 "AND doc_id = %lld", "doc_sold", d4) == 5);
	/* One's own daily sign-in is no news. */
	n0 = total_of(data, "nt-rb");
	CHECK(tb_post_form_st(&rb, "/me/signin", "") == 303);
	CHECK(total_of(data, "nt-rb") == n0);
	CHECK(tb_get(&ra, "/me/inbox", &r) == 200);
	snprintf(f, sizeof(f), "href=\"/d/%ld#c%lld\"", dp1, reply);
	CHECK_HAS(r.body, f);
	CHECK_HAS(r.body, "有人回复了您的评论");
	CHECK_HAS(r.body, "管理员向您发放了积分");
	CHECK_HAS(r.body, "+77 积分");
	CHECK_HAS(r.body, "href=\"/me/verify\"");
	CHECK_HAS(r.body, "blurry");
	CHECK_HAS(r.body, "全部标为已读");
	CHECK_HAS(r.body, "class=\"note note-points_granted unread\"");
	resp_free(&r);
	end();

	begin("notifications: a message from the staff, escaped, audited");
	snprintf(path, sizeof(path), "/admin/users/%lld", ra_id);
	CHECK(tb_post(&mod, path, "&action=message&message=x") == 403);
	CHECK(tb_post(&adm, path, "&action=message&message=") == 400);
	n0 = total_of(data, "nt-ra");
	/* 您好<b>退款已处理</b> */
	CHECK(tb_post(&adm, path, "&action=message&message=%E6%82%A8%E5%A5%BD"
		   "%3Cb%3E%E9%80%80%E6%AC%BE%E5%B7%B2%E5%A4%84%E7%90%86%3C%2Fb"
		   "%3E") == 303);
	CHECK(total_of(data, "nt-ra") == n0 + 1);
	CHECK(count_of(data, "nt-ra", "admin_message") == 1);
	CHECK(sqlf(data, "SELECT COUNT(*) FROM audit_log WHERE action = "
			 "'%s' AND object_id = %lld AND note = "
			 "'您好<b>退款已处理</b>'", "user.message", ra_id) == 1);
	CHECK(tb_get(&ra, "/me/inbox", &r) == 200);
	CHECK_HAS(r.body, "站点客服给您发来消息");
	CHECK_HAS(r.body, "您好&lt;b&gt;退款已处理&lt;/b&gt;");
	resp_free(&r);
	CHECK(tb_post(&adm, "/admin/users/987654", "&action=message&message=x")
	      == 404);
	end();

	begin("notifications: only the recipient reads or marks them");
	nid = sqlf(data, "SELECT id FROM notifications WHERE kind = '%s' AND "
			 "user_id = %lld", "points_granted", ra_id);
	CHECK(nid > 0);
	/* Another account: the inbox does not show it, marking is 404. */
	CHECK(tb_get(&rb, "/me/inbox", &r) == 200);
	CHECK(r.body && !strstr(r.body, "管理员向您发放了积分") &&
	      !strstr(r.body, "bonus"));
	resp_free(&r);
	snprintf(f, sizeof(f), "id=%lld", nid);
	CHECK(tb_post_form_st(&rb, "/me/inbox/read", f) == 404);
	CHECK(tb_post_form_st(&prov, "/me/inbox/read", f) == 404);
	CHECK(tb_post_form_st(&anon, "/me/inbox/read", f) == 303);
	CHECK(tb_post_ex(&ra, "/me/inbox/read", f, false) == 403);
	CHECK(sqln(data, "SELECT COUNT(*) FROM notifications WHERE id = %lld "
			 "AND read_at IS NULL", nid) == 1);
	snprintf(f, sizeof(f), "{\"id\":%lld}", nid);
	CHECK(api(&rb, "POST", "/api/v1/me/notifications/read", f, &r) == 404);
	resp_free(&r);
	CHECK(api(&rb, "GET", "/api/v1/me/notifications", NULL, &r) == 200);
	CHECK(r.body && !strstr(r.body, "points_granted"));
	CHECK_HAS(r.body, "\"kind\":\"report_dismissed\"");
	resp_free(&r);
	/* An API token works too, in English when asked, and marks
	 * without a CSRF token (there is no cookie to forge). */
	{
		const char *av[] = { bin, "user", "token", "nt-rb", "--data",
				     data, NULL };
		char *out = cmd_stdout(av, NULL), tok[80] = "", hdr[200];
		const char *t = out ? strstr(out, "Bearer):\n") : NULL;
		if (t)
			snprintf(tok, sizeof(tok), "%.64s", t + 9);
		free(out);
		CHECK(strlen(tok) == 64);
		snprintf(hdr, sizeof(hdr), "Authorization: Bearer %s\r\n", tok);
		CHECK(http_do(s.port, "GET", "/api/v1/me/notifications?lang=en",
			      hdr, NULL, &r) == 0 && r.status == 200);
		CHECK_HAS(r.body, "\"text\":\"Your report was reviewed: "
				  "nothing wrong was found\"");
		CHECK(r.body && !strstr(r.body, "points_granted"));
		resp_free(&r);
		snprintf(hdr, sizeof(hdr), "Authorization: Bearer %s\r\n"
			 "Content-Type: application/json\r\n", tok);
		CHECK(http_do(s.port, "POST", "/api/v1/me/notifications/read",
			      hdr, "{\"all\":1}", &r) == 0 && r.status == 200);
		CHECK_HAS(r.body, "\"unread\":0}");
		resp_free(&r);
		snprintf(f, sizeof(f), "{\"id\":%lld}", nid);
		CHECK(http_do(s.port, "POST", "/api/v1/me/notifications/read",
			      hdr, f, &r) == 0 && r.status == 404);
		resp_free(&r);
		CHECK(http_do(s.port, "POST", "/api/v1/me/notifications/read",
			      hdr, "{\"id\":", &r) == 0 && r.status == 400);
		resp_free(&r);
		CHECK(total_of(data, "nt-rb") > 0);
		CHECK(tb_sql_int(data, "SELECT COUNT(*) FROM notifications "
				 "WHERE user_id = (SELECT id FROM users WHERE "
				 "name = 'nt-rb') AND read_at IS NULL") == 0);
	}
	/* The recipient: unread count, mark one, mark all. */
	n0 = sqln(data, "SELECT COUNT(*) FROM notifications WHERE user_id = "
			"%lld AND read_at IS NULL", ra_id);
	CHECK(n0 == 6);	/* five events and the staff message */
	CHECK(tb_get(&ra, "/", &r) == 200);
	snprintf(f, sizeof(f), "class=\"unread-count\" aria-label=\"未读消息\">"
		 "%lld</span>", n0);
	CHECK_HAS(r.body, f);
	resp_free(&r);
	CHECK(api(&ra, "GET", "/api/v1/me/notifications?unread=1", NULL,
		  &r) == 200);
	snprintf(f, sizeof(f), "{\"unread\":%lld,\"page\":1,\"more\":false,"
		 "\"notifications\":[{\"id\":", n0);
	CHECK_HAS(r.body, f);
	CHECK_HAS(r.body, "\"kind\":\"points_granted\",\"text\":\"管理员向您"
			  "发放了积分\"");
	CHECK_HAS(r.body, "\"link\":\"/me\"");
	resp_free(&r);
	CHECK(api(&ra, "GET", "/api/v1/me/notifications?unread=2", NULL,
		  &r) == 400);
	resp_free(&r);
	CHECK(api(&ra, "GET", "/api/v1/me/notifications?page=0", NULL, &r) ==
	      400);
	resp_free(&r);
	snprintf(f, sizeof(f), "id=%lld&page=1", nid);
	CHECK(tb_post_form(&ra, "/me/inbox/read", f, &r) == 303);
	CHECK(resp_header(&r, "location", path, sizeof(path)) == 0 &&
	      !strcmp(path, "/me/inbox"));
	resp_free(&r);
	CHECK(sqln(data, "SELECT COUNT(*) FROM notifications WHERE id = %lld "
			 "AND read_at IS NOT NULL", nid) == 1);
	CHECK(tb_post_form_st(&ra, "/me/inbox/read", "id=abc") == 400);
	CHECK(tb_post_form_st(&ra, "/me/inbox/read", "") == 400);
	CHECK(tb_post_form_st(&ra, "/me/inbox/read", "all=1&page=999999") ==
	      400);
	CHECK(api(&ra, "GET", "/api/v1/me/notifications?unread=1", NULL,
		  &r) == 200);
	snprintf(f, sizeof(f), "{\"unread\":%lld,", n0 - 1);
	CHECK_HAS(r.body, f);
	CHECK(r.body && !strstr(r.body, "points_granted"));
	resp_free(&r);
	CHECK(api(&ra, "POST", "/api/v1/me/notifications/read", "{\"id\":0}",
		  &r) == 400);
	resp_free(&r);
	CHECK(api(&ra, "POST", "/api/v1/me/notifications/read", "{\"all\":1}",
		  &r) == 200);
	snprintf(f, sizeof(f), "{\"read\":%lld,\"unread\":0}", n0 - 1);
	CHECK_HAS(r.body, f);
	resp_free(&r);
	CHECK(tb_get(&ra, "/", &r) == 200);
	CHECK(r.body && !strstr(r.body, "unread-count") &&
	      strstr(r.body, "href=\"/me/inbox\""));
	resp_free(&r);
	CHECK(tb_get(&ra, "/me/inbox", &r) == 200);
	CHECK(r.body && !strstr(r.body, "全部标为已读") &&
	      !strstr(r.body, " unread\"") &&
	      strstr(r.body, "class=\"note note-points_granted\""));
	resp_free(&r);
	/* The provider marks all through the form. */
	CHECK(tb_post_form_st(&prov, "/me/inbox/read", "all=1") == 303);
	CHECK(sqln(data, "SELECT COUNT(*) FROM notifications WHERE user_id = "
			 "%lld AND read_at IS NULL", pid) == 0);
	/* Visitors: no inbox link, no count, no extra query. */
	CHECK(tb_get(&anon, "/", &r) == 200);
	CHECK(r.body && !strstr(r.body, "/me/inbox") &&
	      !strstr(r.body, "unread-count"));
	resp_free(&r);
	CHECK(tb_get(&anon, "/me/inbox", &r) == 303);
	resp_free(&r);
	CHECK(http_do(s.port, "GET", "/api/v1/me/notifications", NULL, NULL,
		      &r) == 0 && r.status == 401);
	resp_free(&r);
	end();
	CHECK(server_stop(&s) == 0);
}
