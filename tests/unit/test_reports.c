/* test_reports.c - reports and takedowns (state machine, strikes, the
 * upload reward taken back, the audit log), and comment moderation
 * (blocked words, pre-approval and its reward). */
#include "../harness.h"
#include "../../src/domain/ingest.h"
#include "../../src/base/arena.h"
#include "../../src/base/err.h"
#include "../../src/domain/audit.h"
#include "../../src/domain/comments.h"
#include "../../src/domain/ledger.h"
#include "../../src/domain/reports.h"
#include "ledger_util.h"

#include <time.h>

static const char *doc_status(struct store *s, struct arena *a, int64_t id)
{
	struct store_doc d;
	return store_doc_get(s, a, id, &d) == 0 ? d.status : "?";
}

TEST(report_fields_checked)
{
	char dir[64];
	struct store *s = open_tmp(dir);
	struct report_form f = { 0 };
	enum report_problem why;
	int64_t prov, doc, id;
	char big[REPORT_DETAILS_MAX * 3 + 8];
	size_t i;

	CHECK(s != NULL);
	if (!s)
		return;
	prov = add_user(s, "p1");
	doc = add_paid_doc(s, "文档甲", 0, prov);
	f.reason = "bogus";
	CHECK(report_file(s, doc, 0, "1.2.3.4", &f, &id, &why) == WK_EINVAL &&
	      why == RP_REASON);
	f.reason = "copyright";
	CHECK(report_file(s, doc, 0, "1.2.3.4", &f, &id, &why) == WK_EINVAL &&
	      why == RP_NAME);
	f.claimant_name = "张三";
	f.claimant_contact = "  ";
	CHECK(report_file(s, doc, 0, "1.2.3.4", &f, &id, &why) == WK_EINVAL &&
	      why == RP_CONTACT);
	f.claimant_contact = "zs@example.com";
	CHECK(report_file(s, doc, 0, "1.2.3.4", &f, &id, &why) == WK_EINVAL &&
	      why == RP_PROOF);
	f.proof = "登记号\x01";	/* control characters refused */
	CHECK(report_file(s, doc, 0, "1.2.3.4", &f, &id, &why) == WK_EINVAL &&
	      why == RP_PROOF);
	f.proof = "登记号 2024-A-001";
	CHECK(report_file(s, doc, 0, "1.2.3.4", &f, &id, &why) == 0 && id > 0);
	/* "other" needs details, which have a limit in characters. */
	f = (struct report_form){ .reason = "other" };
	CHECK(report_file(s, doc, 0, NULL, &f, &id, &why) == WK_EINVAL &&
	      why == RP_DETAILS);
	for (i = 0; i < REPORT_DETAILS_MAX + 1; i++)
		memcpy(big + i * 3, "字", 3);
	big[(REPORT_DETAILS_MAX + 1) * 3] = '\0';
	f.details = big;
	CHECK(report_file(s, doc, 0, NULL, &f, &id, &why) == WK_EINVAL);
	big[REPORT_DETAILS_MAX * 3] = '\0';
	CHECK(report_file(s, doc, 0, NULL, &f, &id, &why) == 0);
	/* Only published documents. */
	CHECK(report_file(s, 987654, 0, NULL, &f, &id, &why) == WK_ENOTFOUND);
	store_close(s);
	rm_tmp(dir);
}

TEST(report_takedown_strikes_and_reward)
{
	char dir[64], err[256];
	struct store *s = open_tmp(dir);
	struct arena *a = arena_new(0);
	struct report_form f = { "copyright", "", "张三", "zs@example.com",
				 "证明" };
	struct report_result res;
	struct store_audit *log;
	enum report_problem why;
	int64_t prov, mod, d1, d2, r1, r2, r3, n;
	size_t nlog;
	bool given;
	sqlite3 *db;

	CHECK(s && a);
	if (!s || !a)
		return;
	prov = add_user(s, "prov");
	mod = add_user(s, "mod");
	d1 = add_paid_doc(s, "文档一", 0, prov);
	d2 = add_paid_doc(s, "文档二", 0, prov);
	CHECK(ledger_reward_upload(s, a, prov, d1, (int64_t)time(NULL), 10, 3,
				   &given) == 0 && given);
	CHECK(report_file(s, d1, 0, NULL, &f, &r1, &why) == 0);
	f.reason = "spam";
	CHECK(report_file(s, d1, 0, NULL, &f, &r2, &why) == 0);
	f.reason = "copyright";
	CHECK(report_file(s, d2, 0, NULL, &f, &r3, &why) == 0);

	/* hide, then remove: needs a note; the reward goes back, a strike. */
	CHECK(report_decide(s, a, r1, RA_RESTORE, "", mod, 2, &res) ==
	      WK_ECONFLICT);
	CHECK(report_decide(s, a, r1, RA_HIDE, NULL, mod, 2, &res) == 0);
	CHECK_STR(doc_status(s, a, d1), "hidden");
	CHECK(report_decide(s, a, r1, RA_HIDE, NULL, mod, 2, &res) ==
	      WK_ECONFLICT);
	CHECK(report_decide(s, a, r1, RA_REMOVE, "", mod, 2, &res) ==
	      WK_EINVAL);
	CHECK(report_decide(s, a, r1, RA_REMOVE, "侵权属实", mod, 2, &res) == 0);
	CHECK(res.revoked == 10 && res.strike && res.strikes == 1 &&
	      !res.suspended);
	CHECK_STR(doc_status(s, a, d1), "removed");
	CHECK(balance_of(s, prov) == 0);
	/* The same bytes uploaded again are refused, saying why. */
	{
		struct ingest_opts o = { .filename = "again.txt",
					 .provider_id = prov };
		struct store_job job;
		char e2[256];

		CHECK(ingest_enqueue(s, a, "文档一", strlen("文档一"), &o, &job,
				     e2, sizeof(e2)) == 0);
		CHECK(job.outcome && !strcmp(job.outcome, "rejected"));
		CHECK(job.reason && strstr(job.reason, "taken down"));
	}
	/* Another report on the removed document can't act on it. */
	CHECK(report_decide(s, a, r2, RA_HIDE, NULL, mod, 2, &res) ==
	      WK_ECONFLICT);
	CHECK(report_decide(s, a, r2, RA_DISMISS, NULL, mod, 2, &res) == 0);
	CHECK_STR(doc_status(s, a, d1), "removed");

	/* The second upheld claim reaches the limit. */
	CHECK(report_decide(s, a, r3, RA_REMOVE, "侵权", mod, 2, &res) == 0);
	CHECK(res.strikes == 2 && res.suspended);
	CHECK(store_strike_count(s, prov, &n) == 0 && n == 2);

	/* Counter-notice: the provider's own removed document, once. */
	CHECK(report_counter(s, a, d1, mod, "不是他的") == WK_ENOTFOUND);
	CHECK(report_counter(s, a, d1, prov, "") == WK_EINVAL);
	CHECK(report_counter(s, a, d1, prov, "我有授权书") == 0);
	CHECK(report_counter(s, a, d1, prov, "again") == WK_ECONFLICT);

	/* Restore lifts the strike; the reward is not given twice. */
	CHECK(report_decide(s, a, r1, RA_RESTORE, "反通知成立", mod, 2, &res) ==
	      0);
	CHECK(res.strike && res.strikes == 1);
	CHECK_STR(doc_status(s, a, d1), "published");
	CHECK(report_decide(s, a, r1, RA_RESTORE, "", mod, 2, &res) ==
	      WK_ECONFLICT);
	CHECK(store_strike_count(s, prov, &n) == 0 && n == 1);
	/* Removed again later: a new strike on the same document. */
	f.reason = "copyright";
	CHECK(report_file(s, d1, 0, NULL, &f, &r1, &why) == 0);
	CHECK(report_decide(s, a, r1, RA_REMOVE, "再次侵权", mod, 2, &res) == 0);
	CHECK(res.strikes == 2 && res.revoked == 0);

	/* Each step is logged; the log refuses edits. */
	CHECK(audit_list(s, a, AUDIT_DOC, d1, 100, &log, &nlog) == 0);
	CHECK(nlog == 4);	/* hide, remove, restore, remove */
	CHECK(nlog == 4 && !strcmp(log[0].action, "document.remove") &&
	      !strcmp(log[0].before, "status=published") &&
	      log[0].actor_id == mod && !strcmp(log[0].note, "再次侵权"));
	CHECK(audit_list(s, a, AUDIT_USER, prov, 100, &log, &nlog) == 0);
	CHECK(nlog == 6);	/* strike, strike, suspended, lifted, strike,
				 * suspended */
	CHECK(audit_list(s, a, NULL, 0, 0, &log, &nlog) == WK_EINVAL);
	db = raw_open(dir);
	CHECK(raw_exec(db, "UPDATE audit_log SET note = 'x'") != 0);
	CHECK(raw_exec(db, "DELETE FROM audit_log") != 0);
	/* 'hidden' passes the widened CHECK; nonsense does not. */
	CHECK(raw_exec(db, "UPDATE documents SET status = 'bogus'") != 0);
	sqlite3_close(db);
	CHECK(store_ledger_check(s, err, sizeof(err)) == 0);
	arena_free(a);
	store_close(s);
	rm_tmp(dir);
}

TEST(comment_blocked_words_fold)
{
	const char *words = "违禁词, BadWord\n ，赌 博 ,";

	CHECK(comment_blocked(words, "这里有违禁词哦"));
	CHECK(comment_blocked(words, "ＢＡＤＷＯＲＤ"));	/* full width */
	CHECK(comment_blocked(words, "a badword b"));
	CHECK(comment_blocked(words, "bad\xe2\x80\x8bword"));	/* ZWSP */
	CHECK(comment_blocked(words, "赌 博"));
	CHECK(!comment_blocked(words, "bad word"));
	CHECK(!comment_blocked(words, "正常评论"));
	CHECK(!comment_blocked("", "违禁词"));
	CHECK(!comment_blocked(" , ,\n", "anything"));
	CHECK(!comment_blocked(NULL, "anything"));
}

TEST(comment_pre_approval_reward)
{
	char dir[64];
	struct store *s = open_tmp(dir);
	struct arena *a = arena_new(0);
	struct comment_rules pre = { true, "spam", 2, 5 };
	struct comment_rules post = { false, "", 2, 5 };
	struct store_comment *list;
	enum comment_outcome oc;
	int64_t u, mod, doc, c1, c2;
	size_t n;

	CHECK(s && a);
	if (!s || !a)
		return;
	u = add_user(s, "writer");
	mod = add_user(s, "moder");
	doc = add_paid_doc(s, "评论文档", 0, 0);
	CHECK(comment_post(s, a, &pre, doc, u, 0, "buy SPAM now", &c1, &oc) ==
	      0 && oc == CO_BLOCKED && c1 == 0);
	CHECK(comment_post(s, a, &pre, doc, u, 0, "好文", &c1, &oc) == 0 &&
	      oc == CO_PENDING && c1 > 0);
	CHECK(store_comment_list(s, a, doc, &list, &n) == 0 && n == 0);
	CHECK(balance_of(s, u) == 0);
	CHECK(comment_moderate(s, a, &pre, c1, CA_RESTORE, mod) ==
	      WK_ECONFLICT);
	CHECK(comment_moderate(s, a, &pre, c1, CA_APPROVE, mod) == 0);
	CHECK(store_comment_list(s, a, doc, &list, &n) == 0 && n == 1);
	CHECK(balance_of(s, u) == 2);
	CHECK(comment_moderate(s, a, &pre, c1, CA_APPROVE, mod) ==
	      WK_ECONFLICT);
	CHECK(comment_moderate(s, a, &pre, c1, CA_HIDE, mod) == 0);
	CHECK(store_comment_list(s, a, doc, &list, &n) == 0 && n == 0);
	CHECK(balance_of(s, u) == 0);
	CHECK(comment_moderate(s, a, &pre, c1, CA_RESTORE, mod) == 0);
	CHECK(store_comment_list(s, a, doc, &list, &n) == 0 && n == 1);
	CHECK(balance_of(s, u) == 0);	/* not given twice */
	CHECK(comment_moderate(s, a, &pre, 987654, CA_HIDE, mod) ==
	      WK_ENOTFOUND);
	/* Post-moderation: visible and rewarded at once. */
	CHECK(comment_post(s, a, &post, doc, u, 0, "spam is fine here", &c2,
			   &oc) == 0 && oc == CO_VISIBLE);
	CHECK(balance_of(s, u) == 2);
	arena_free(a);
	store_close(s);
	rm_tmp(dir);
}
