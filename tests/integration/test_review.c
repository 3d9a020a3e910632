/*
 * test_review.c - the console's review queue over HTTP: uploads through
 * the API token path wait as 'pending' (publish_uploads 0), moderators
 * see them oldest first with the preview, edit, approve (public page,
 * one upload reward), reject with a reason the provider sees, recommend
 * on the home page, approve or reject many at once, take a published
 * document down and restore it (or a rejected one) from the recycle
 * bin, lifting its strike; each action is
 * audited and `wenku check` still passes.
 */
#include "browser.h"
#include "client.h"
#include "itest.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static long long sqlf(const char *data, const char *fmt, long long v)
{
	char sql[400];

	snprintf(sql, sizeof(sql), fmt, v);
	return tb_sql_int(data, sql);
}

/* Upload text as name through POST /api/v1/documents with the token;
 * the HTTP status. */
static int api_upload(int port, const char *token, const char *name,
		      const char *text)
{
	char hdr[300], body[4096];
	struct resp r;
	int st;

	snprintf(body, sizeof(body),
		 "--XyZb\r\nContent-Disposition: form-data; name=\"price\""
		 "\r\n\r\n2\r\n--XyZb\r\nContent-Disposition: form-data; "
		 "name=\"file\"; filename=\"%s\"\r\nContent-Type: "
		 "application/octet-stream\r\n\r\n%s\r\n--XyZb--\r\n", name,
		 text);
	snprintf(hdr, sizeof(hdr), "Content-Type: multipart/form-data; "
		 "boundary=XyZb\r\nAuthorization: Bearer %s\r\n", token);
	if (http_do(port, "POST", "/api/v1/documents", hdr, body, &r))
		return -1;
	st = r.status;
	resp_free(&r);
	return st;
}

/* Wait until the provider has n pending documents; their ids, oldest
 * first, into ids. */
static int wait_pending(const char *data, long long prov, int n,
			long long *ids)
{
	int i, k;

	for (i = 0; i < 200; i++) {
		if (sqlf(data, "SELECT COUNT(*) FROM documents WHERE "
			       "provider_id = %lld AND status = 'pending'",
			 prov) >= n)
			break;
		usleep(100000);
	}
	for (k = 0; k < n; k++) {
		char sql[300];
		snprintf(sql, sizeof(sql), "SELECT id FROM documents WHERE "
			 "provider_id = %lld AND status = 'pending' ORDER BY "
			 "created_at, id LIMIT 1 OFFSET %d", prov, k);
		ids[k] = tb_sql_int(data, sql);
		if (ids[k] <= 0)
			return -1;
	}
	return 0;
}

static long long audited(const char *data, const char *action, long long id)
{
	char sql[300];

	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM audit_log WHERE "
		 "action = '%s' AND object_type = 'document' AND object_id = "
		 "%lld", action, id);
	return tb_sql_int(data, sql);
}

static const char *const texts[] = {
	"审核测试甲号文档。第一段内容写在这里，用来检查审核预览。"
	"第二段内容也写在这里，足够长以便解析。",
	"审核测试乙号文档。这一篇会被驳回，理由给上传者看。"
	"第二段内容也写在这里，足够长以便解析。",
	"审核测试丙号文档。批量通过的第一篇，内容各不相同。"
	"第二段内容也写在这里，足够长以便解析。",
	"审核测试丁号文档。批量通过的第二篇，另有一些文字。"
	"第二段内容也写在这里，足够长以便解析。",
};

void review_tests(const char *bin, const char *work)
{
	struct tbrowser anon = { 0 }, mod = { 0 }, adm = { 0 }, prov = { 0 },
		  rd = { 0 };
	char data[600], token[80] = "", path[128], f[600], loc[200];
	long long pid, ids[4], cat, more[2];
	struct server s;
	struct resp r;
	const char *p;
	int i;

	snprintf(data, sizeof(data), "%s/review-data", work);
	begin("review queue: pending uploads, oldest first, for moderators");
	if (server_start(&s, bin, data, NULL)) {
		CHECK(0);
		end();
		return;
	}
	anon.port = mod.port = adm.port = prov.port = rd.port = s.port;
	tb_sign_in(bin, data, &adm, "rv-admin", "admin");
	tb_sign_in(bin, data, &mod, "rv-mod", "moderator");
	tb_sign_in(bin, data, &prov, "rv-prov", "provider");
	tb_sign_in(bin, data, &rd, "rv-rd", "reader");
	{
		const char *av[] = { bin, "user", "token", "rv-prov", "--data",
				     data, NULL };
		char *out = cmd_stdout(av, NULL);
		p = out ? strstr(out, "Bearer):\n") : NULL;
		if (p)
			snprintf(token, sizeof(token), "%.64s", p + 9);
		free(out);
		CHECK(strlen(token) == 64);
	}
	pid = tb_sql_int(data, "SELECT id FROM users WHERE name = 'rv-prov'");
	cat = tb_sql_int(data, "SELECT id FROM categories WHERE slug = "
			    "'dangjian'");
	CHECK(pid > 0 && cat > 0);
	for (i = 0; i < 4; i++) {
		snprintf(f, sizeof(f), "review-%d.txt", i);
		CHECK(api_upload(s.port, token, f, texts[i]) == 202);
		usleep(1100000);	/* distinct upload times */
	}
	CHECK(wait_pending(data, pid, 4, ids) == 0);

	CHECK(tb_get(&anon, "/admin/review", &r) == 303);
	CHECK(resp_header(&r, "location", loc, sizeof(loc)) == 0 &&
	      !strncmp(loc, "/login", 6));
	resp_free(&r);
	CHECK(tb_get_st(&rd, "/admin/review") == 403);
	CHECK(tb_get_st(&prov, "/admin/review") == 403);
	CHECK(tb_get(&mod, "/admin/review", &r) == 200);
	CHECK_HAS(r.headers, "cache-control: no-store");
	CHECK_HAS(r.body, "审核测试甲号文档");
	CHECK_HAS(r.body, "rv-prov");
	p = r.body ? strstr(r.body, "审核测试甲号文档") : NULL;
	CHECK(p && strstr(p, "审核测试丁号文档"));	/* oldest first */
	resp_free(&r);
	CHECK(tb_get_st(&mod, "/admin/review?page=0") == 400);
	CHECK(tb_get(&adm, "/admin", &r) == 200);
	CHECK_HAS(r.body, "href=\"/admin/review\"");
	resp_free(&r);

	/* The preview beside the metadata; the public page stays 404. */
	snprintf(path, sizeof(path), "/d/%lld", ids[0]);
	CHECK(tb_get_st(&anon, path) == 404);
	CHECK(tb_get_st(&rd, path) == 404);
	snprintf(path, sizeof(path), "/admin/review/%lld", ids[0]);
	CHECK(tb_get_st(&rd, path) == 403);
	CHECK(tb_get_st(&anon, path) == 303);
	CHECK(tb_get(&mod, path, &r) == 200);
	CHECK_HAS(r.body, "用来检查审核预览");
	CHECK_HAS(r.body, "class=\"review-preview");
	CHECK_HAS(r.body, "value=\"approve\"");
	resp_free(&r);
	/* Page images of a document under review: moderators only (a
	 * text document has none). */
	snprintf(f, sizeof(f), "/admin/review/%lld/page/1", ids[0]);
	CHECK(tb_get_st(&rd, f) == 403);
	CHECK(tb_get_st(&anon, f) == 403);
	CHECK(tb_get_st(&mod, f) == 404);
	end();

	begin("review queue: edit before approving, audited");
	CHECK(tb_post(&rd, path, "&action=edit&doc_title=x&price=1") == 403);
	snprintf(f, sizeof(f), "&action=edit&doc_title=%%E5%%AE%%A1%%E6%%A0%%B8"
		 "%%E6%%94%%B9%%E5%%90%%8D&category=%lld&price=5&vip_free=1",
		 cat);	/* 审核改名 */
	CHECK(tb_post(&mod, path, "&action=edit&doc_title=x&price=99999") == 400);
	CHECK(tb_post(&mod, path, "&action=edit&doc_title=&price=1") == 400);
	CHECK(tb_post(&mod, path, "&action=edit&doc_title=x&price=1&category="
		   "987654") == 400);
	CHECK(tb_post(&mod, path, f) == 303);
	CHECK(tb_post(&mod, path, f) == 303);	/* no change: not logged */
	CHECK(audited(data, "document.edit", ids[0]) == 1);
	CHECK(sqlf(data, "SELECT COUNT(*) FROM documents WHERE id = %lld AND "
			 "title = '审核改名' AND price = 5 AND vip_free = 1",
		   ids[0]) == 1);
	CHECK(sqlf(data, "SELECT COUNT(*) FROM audit_log WHERE object_id = "
			 "%lld AND action = 'document.edit' AND after_state LIKE "
			 "'title=审核改名 %%price=5 vip_free=1'", ids[0]) == 1);
	end();

	begin("review queue: approve publishes and rewards once");
	CHECK(tb_post(&rd, path, "&action=approve") == 403);
	CHECK(tb_post(&mod, path, "&action=approve") == 303);
	CHECK(tb_post(&mod, path, "&action=approve") == 409);
	CHECK(audited(data, "document.approve", ids[0]) == 1);
	CHECK(tb_get(&mod, path, &r) == 200);	/* the history on the page */
	CHECK_HAS(r.body, "document.approve");
	CHECK_HAS(r.body, "document.edit");
	resp_free(&r);
	snprintf(f, sizeof(f), "/d/%lld", ids[0]);
	CHECK(tb_get(&anon, f, &r) == 200);
	CHECK_HAS(r.body, "审核改名");
	resp_free(&r);
	CHECK(sqlf(data, "SELECT COUNT(*) FROM ledger_transactions WHERE "
			 "idem_key = 'reward:upload:d%lld'", ids[0]) == 1);
	CHECK(sqlf(data, "SELECT COUNT(*) FROM documents WHERE id = %lld AND "
			 "published_at > 0", ids[0]) == 1);
	CHECK(tb_post(&mod, path, "&action=edit&doc_title=x&price=1") == 409);
	/* Search knows the edited title. */
	CHECK(tb_get(&anon, "/search?q=%E5%AE%A1%E6%A0%B8%E6%94%B9%E5%90%8D", &r)
	      == 200);
	snprintf(f, sizeof(f), "href=\"/d/%lld\"", ids[0]);
	CHECK_HAS(r.body, f);
	resp_free(&r);
	end();

	begin("review queue: reject with a reason the provider sees");
	snprintf(path, sizeof(path), "/admin/review/%lld", ids[1]);
	CHECK(tb_post(&mod, path, "&action=reject&reason=") == 400);
	CHECK(tb_post(&mod, path, "&action=reject&reason=%E5%86%85%E5%AE%B9%E4"
		   "%B8%8D%E5%AE%8C%E6%95%B4") == 303);	/* 内容不完整 */
	CHECK(tb_post(&mod, path, "&action=reject&reason=x") == 409);
	CHECK(tb_post(&mod, path, "&action=approve") == 409);
	CHECK(audited(data, "document.reject", ids[1]) == 1);
	CHECK(sqlf(data, "SELECT COUNT(*) FROM ledger_transactions WHERE "
			 "idem_key = 'reward:upload:d%lld'", ids[1]) == 0);
	snprintf(f, sizeof(f), "/d/%lld", ids[1]);
	CHECK(tb_get_st(&anon, f) == 404);
	CHECK(tb_get(&prov, "/me/docs", &r) == 200);
	CHECK_HAS(r.body, "内容不完整");
	CHECK_HAS(r.body, "未通过");
	resp_free(&r);
	end();

	begin("review queue: recommend on the home page, unpin");
	snprintf(path, sizeof(path), "/admin/review/%lld", ids[0]);
	CHECK(tb_post(&rd, path, "&action=recommend") == 403);
	CHECK(tb_post(&mod, path, "&action=recommend") == 303);
	CHECK(tb_post(&mod, path, "&action=recommend") == 409);
	CHECK(audited(data, "document.recommend", ids[0]) == 1);
	CHECK(tb_get(&anon, "/", &r) == 200);
	CHECK_HAS(r.body, "id=\"recommended\"");
	p = r.body ? strstr(r.body, "id=\"recommended\"") : NULL;
	snprintf(f, sizeof(f), "href=\"/d/%lld\"", ids[0]);
	CHECK(p && strstr(p, f));
	resp_free(&r);
	snprintf(f, sizeof(f), "/admin/review/%lld", ids[1]);
	CHECK(tb_post(&mod, f, "&action=recommend") == 409);	/* rejected */
	CHECK(tb_post(&mod, path, "&action=unrecommend") == 303);
	CHECK(tb_post(&mod, path, "&action=unrecommend") == 409);
	CHECK(audited(data, "document.unrecommend", ids[0]) == 1);
	CHECK(tb_get(&anon, "/", &r) == 200);
	CHECK(r.body && !strstr(r.body, "id=\"recommended\""));
	resp_free(&r);
	end();

	begin("review queue: bulk approve and bulk reject, each audited");
	CHECK(tb_post(&rd, "/admin/review", "&action=approve&ids=1") == 403);
	CHECK(tb_post(&mod, "/admin/review", "&action=approve") == 400);
	snprintf(f, sizeof(f), "&action=approve&ids=%lld&ids=%lld", ids[2],
		 ids[3]);
	CHECK(tb_post(&mod, "/admin/review", f) == 303);
	for (i = 2; i < 4; i++) {
		CHECK(audited(data, "document.approve", ids[i]) == 1);
		CHECK(sqlf(data, "SELECT COUNT(*) FROM documents WHERE id = "
				 "%lld AND status = 'published'", ids[i]) == 1);
	}
	/* Approving them again does nothing. */
	CHECK(tb_post(&mod, "/admin/review", f) == 303);
	CHECK(audited(data, "document.approve", ids[2]) == 1);
	CHECK(tb_sql_int(data, "SELECT COUNT(*) FROM ledger_transactions WHERE "
			    "idem_key LIKE 'reward:upload:d%'") == 3);
	CHECK(api_upload(s.port, token, "bulk-a.txt",
			 "批量驳回测试一号。这里写一些内容。第二段内容也写在这里，"
			 "足够长以便解析。") == 202);
	CHECK(api_upload(s.port, token, "bulk-b.txt",
			 "批量驳回测试二号。这里写另外的内容。第二段内容也写在这里，"
			 "足够长以便解析。") == 202);
	CHECK(wait_pending(data, pid, 2, more) == 0);
	snprintf(f, sizeof(f), "&action=reject&reason=&ids=%lld&ids=%lld",
		 more[0], more[1]);
	CHECK(tb_post(&mod, "/admin/review", f) == 400);
	snprintf(f, sizeof(f), "&action=reject&reason=%%E9%%87%%8D%%E5%%A4"
		 "%%8D&ids=%lld&ids=%lld", more[0], more[1]);	/* 重复 */
	CHECK(tb_post(&mod, "/admin/review", f) == 303);
	for (i = 0; i < 2; i++) {
		CHECK(audited(data, "document.reject", more[i]) == 1);
		CHECK(sqlf(data, "SELECT COUNT(*) FROM documents WHERE id = "
				 "%lld AND status = 'rejected' AND review_note "
				 "= '重复'", more[i]) == 1);
	}
	CHECK(tb_get(&mod, "/admin/review", &r) == 200);
	CHECK_HAS(r.body, "没有待审核的文档");
	resp_free(&r);
	end();

	begin("review queue: a document's tags replaced, audited");
	snprintf(path, sizeof(path), "/admin/review/%lld", ids[0]);
	CHECK(tb_get(&mod, path, &r) == 200);
	CHECK_HAS(r.body, "name=\"tags\"");
	resp_free(&r);
	CHECK(tb_post(&rd, path, "&action=tags&tags=x") == 403);
	CHECK(tb_post(&mod, path, "&action=tags&tags=%3Cscript%3E") == 400);
	CHECK(tb_post(&mod, path, "&action=tags&tags=a+b+c+d+e+f+g+h+i+j+k")
	      == 400);	/* eleven */
	CHECK(audited(data, "document.tags", ids[0]) == 0);
	/* 审核标签, 新标签 */
	CHECK(tb_post(&mod, path, "&action=tags&tags=%E5%AE%A1%E6%A0%B8%E6%A0"
		   "%87%E7%AD%BE%2C+%E6%96%B0%E6%A0%87%E7%AD%BE") == 303);
	CHECK(audited(data, "document.tags", ids[0]) == 1);
	CHECK(sqlf(data, "SELECT COUNT(*) FROM doc_tags dt JOIN tags t ON "
			 "t.id = dt.tag_id WHERE dt.doc_id = %lld AND t.name "
			 "IN ('审核标签', '新标签')", ids[0]) == 2);
	CHECK(sqlf(data, "SELECT COUNT(*) FROM doc_tags WHERE doc_id = %lld",
		   ids[0]) == 2);
	CHECK(tb_post(&mod, path, "&action=tags&tags=%E5%AE%A1%E6%A0%B8%E6%A0"
		   "%87%E7%AD%BE+%E6%96%B0%E6%A0%87%E7%AD%BE") == 303);
	CHECK(audited(data, "document.tags", ids[0]) == 1);	/* unchanged */
	CHECK(tb_get(&anon, "/tag/%E6%96%B0%E6%A0%87%E7%AD%BE", &r) == 200);
	snprintf(f, sizeof(f), "href=\"/d/%lld\"", ids[0]);
	CHECK_HAS(r.body, f);
	resp_free(&r);
	end();

	begin("review queue: take down, the recycle bin, restore");
	snprintf(path, sizeof(path), "/admin/review/%lld", ids[2]);
	CHECK(tb_post(&rd, path, "&action=takedown&reason=x") == 403);
	CHECK(tb_post(&mod, path, "&action=takedown&reason=") == 400);
	CHECK(tb_post_ex(&mod, path, "action=takedown&reason=x", false) ==
	      403);	/* no CSRF token */
	CHECK(sqlf(data, "SELECT COUNT(*) FROM documents WHERE id = %lld AND "
			 "status = 'published'", ids[2]) == 1);
	CHECK(tb_post(&mod, path, "&action=takedown&reason=%E4%BE%B5%E6%9D%83")
	      == 303);	/* 侵权 */
	CHECK(tb_post(&mod, path, "&action=takedown&reason=x") == 409);
	CHECK(audited(data, "document.takedown", ids[2]) == 1);
	CHECK(sqlf(data, "SELECT COUNT(*) FROM documents WHERE id = %lld AND "
			 "status = 'removed' AND review_note = '侵权'",
		   ids[2]) == 1);
	CHECK(sqlf(data, "SELECT COUNT(*) FROM ledger_transactions WHERE "
			 "idem_key = 'revoke:upload:d%lld'", ids[2]) == 1);
	snprintf(f, sizeof(f), "/d/%lld", ids[2]);
	CHECK(tb_get_st(&anon, f) == 404);
	CHECK(tb_get(&prov, "/me/docs", &r) == 200);
	CHECK_HAS(r.body, "侵权");
	resp_free(&r);
	CHECK(sqlf(data, "SELECT COUNT(*) FROM notifications WHERE kind = "
			 "'doc_taken_down' AND note = '侵权' AND doc_id = %lld",
		   ids[2]) == 1);
	CHECK(tb_get(&prov, "/me/inbox", &r) == 200);
	CHECK_HAS(r.body, "您的文档已被管理员下架");
	resp_free(&r);
	/* The bin holds removed and rejected documents, not pending ones. */
	CHECK(tb_get_st(&rd, "/admin/review?tab=bin") == 403);
	CHECK(tb_get(&mod, "/admin/review?tab=bin", &r) == 200);
	snprintf(f, sizeof(f), "href=\"/admin/review/%lld\"", ids[2]);
	CHECK_HAS(r.body, f);
	snprintf(f, sizeof(f), "href=\"/admin/review/%lld\"", more[0]);
	CHECK_HAS(r.body, f);
	snprintf(f, sizeof(f), "href=\"/admin/review/%lld\"", ids[3]);
	CHECK(r.body && !strstr(r.body, f));	/* published */
	resp_free(&r);
	/* The published list, searched by title; moderators find the
	 * console page from the document itself. */
	CHECK(tb_get(&mod, "/admin/review?tab=published&q=%E5%AE%A1%E6%A0%B8"
		      "%E6%94%B9%E5%90%8D", &r) == 200);	/* 审核改名 */
	snprintf(f, sizeof(f), "href=\"/admin/review/%lld\"", ids[0]);
	CHECK_HAS(r.body, f);
	snprintf(f, sizeof(f), "href=\"/admin/review/%lld\"", ids[3]);
	CHECK(r.body && !strstr(r.body, f));	/* another title */
	resp_free(&r);
	CHECK(tb_get(&mod, "/admin/review?tab=published", &r) == 200);
	CHECK_HAS(r.body, f);
	resp_free(&r);
	CHECK(tb_get_st(&mod, "/admin/review?tab=nope") == 400);
	snprintf(f, sizeof(f), "/d/%lld", ids[3]);
	CHECK(tb_get(&mod, f, &r) == 200);
	snprintf(f, sizeof(f), "<a href=\"/admin/review/%lld\">", ids[3]);
	CHECK_HAS(r.body, f);
	resp_free(&r);
	snprintf(f, sizeof(f), "/d/%lld", ids[3]);
	CHECK(tb_get(&anon, f, &r) == 200);
	CHECK(r.body && !strstr(r.body, "/admin/review/"));
	resp_free(&r);
	/* A live strike for the document is lifted by restoring it. */
	snprintf(f, sizeof(f), "INSERT INTO strikes (user_id, doc_id, "
		 "report_id, created_at) VALUES (%lld, %lld, 0, 1)", pid,
		 ids[2]);
	CHECK(tb_sql_exec(data, f) == SQLITE_OK);
	CHECK(tb_post(&rd, path, "&action=restore") == 403);
	CHECK(tb_post(&mod, path, "&action=restore") == 303);
	CHECK(tb_post(&mod, path, "&action=restore") == 409);
	CHECK(audited(data, "document.restore", ids[2]) == 1);
	CHECK(sqlf(data, "SELECT COUNT(*) FROM documents WHERE id = %lld AND "
			 "status = 'published' AND review_note = ''",
		   ids[2]) == 1);
	CHECK(sqlf(data, "SELECT COUNT(*) FROM strikes WHERE doc_id = %lld "
			 "AND lifted_at IS NULL", ids[2]) == 0);
	CHECK(sqlf(data, "SELECT COUNT(*) FROM notifications WHERE kind = "
			 "'doc_restored' AND doc_id = %lld", ids[2]) == 1);
	CHECK(sqlf(data, "SELECT COUNT(*) FROM audit_log WHERE action = "
			 "'user.strike_lifted' AND object_id = %lld", pid) == 1);
	snprintf(f, sizeof(f), "/d/%lld", ids[2]);
	CHECK(tb_get_st(&anon, f) == 200);
	/* A rejected document goes back to the queue, not online. */
	snprintf(path, sizeof(path), "/admin/review/%lld", more[0]);
	CHECK(tb_post(&mod, path, "&action=takedown&reason=x") == 409);
	CHECK(tb_post(&mod, path, "&action=restore&reason=%E8%AF%AF%E5%88%A4")
	      == 303);	/* 误判 */
	CHECK(sqlf(data, "SELECT COUNT(*) FROM documents WHERE id = %lld AND "
			 "status = 'pending'", more[0]) == 1);
	CHECK(sqlf(data, "SELECT COUNT(*) FROM audit_log WHERE action = "
			 "'document.restore' AND object_id = %lld AND note = "
			 "'误判' AND after_state = 'status=pending'",
		   more[0]) == 1);
	CHECK(tb_get(&mod, "/admin/review", &r) == 200);
	snprintf(f, sizeof(f), "href=\"/admin/review/%lld\"", more[0]);
	CHECK_HAS(r.body, f);
	resp_free(&r);
	end();

	begin("review queue: the ledger still balances");
	{
		const char *av[] = { bin, "check", "--data", data, NULL };
		char *out = cmd_stdout(av, NULL);
		CHECK_HAS(out, "ledger: ok");
		free(out);
	}
	CHECK(server_stop(&s) == 0);
	end();
}
