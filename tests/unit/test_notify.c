/* test_notify.c - in-site notifications (domain/notify.h): the inbox of
 * one recipient only, paging, marking read, the bound per account, cut
 * texts, and the events that post them, each inside its own
 * transaction (no event without its notice, no notice without its
 * event). */
#include "../harness.h"
#include "../../src/base/arena.h"
#include "../../src/base/err.h"
#include "../../src/base/utf8.h"
#include "../../src/domain/admin.h"
#include "../../src/domain/comments.h"
#include "../../src/domain/ledger.h"
#include "../../src/domain/notify.h"
#include "../../src/domain/purchase.h"
#include "../../src/domain/reports.h"
#include "../../src/domain/review.h"
#include "ledger_util.h"

#include <stdio.h>
#include <string.h>

/* Notifications of kind (NULL: any) for user. */
static int64_t count_kind(const char *dir, int64_t user, const char *kind)
{
	sqlite3 *db = raw_open(dir);
	char sql[300];
	int64_t n;

	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM notifications WHERE "
		 "user_id = %lld%s%s%s", (long long)user,
		 kind ? " AND kind = '" : "", kind ? kind : "",
		 kind ? "'" : "");
	n = raw_int(db, sql);
	sqlite3_close(db);
	return n;
}

static void sql(const char *dir, const char *text)
{
	sqlite3 *db = raw_open(dir);

	CHECK(db && raw_exec(db, text) == 0);
	sqlite3_close(db);
}

TEST(notify_kind_names_round_trip)
{
	enum notify_kind k;
	int i;

	for (i = 0; i < NK_COUNT; i++) {
		const char *n = notify_kind_name((enum notify_kind)i);
		CHECK(n && notify_kind_parse(n, &k) && k == (enum notify_kind)i);
	}
	CHECK(notify_kind_name(NK_COUNT) == NULL);
	CHECK(!notify_kind_parse("doc_deleted", &k));
	CHECK(!notify_kind_parse(NULL, &k));
}

TEST(notify_inbox_is_the_recipients_own)
{
	char dir[64];
	struct store *s = open_tmp(dir);
	struct arena *a = arena_new(0);
	struct store_notification *v;
	struct notify_event e = { .kind = NK_DOC_APPROVED,
				  .object_type = "document", .doc_id = 7,
				  .subject = "标题" };
	int64_t ua, ub, unread, changed;
	size_t n;
	bool more;
	int i;

	CHECK(s && a);
	if (!s || !a)
		return;
	ua = add_user(s, "na");
	ub = add_user(s, "nb");
	for (i = 1; i <= 3; i++) {
		e.object_id = i;
		CHECK(notify_post(s, ua, &e, 1700000000 + i) == 0);
	}
	e.object_id = 99;
	CHECK(notify_post(s, ub, &e, 1700000100) == 0);
	/* Anonymous: nobody to tell; an unknown kind is refused. */
	CHECK(notify_post(s, 0, &e, 1700000100) == 0);
	e.kind = NK_COUNT;
	CHECK(notify_post(s, ua, &e, 1700000100) == WK_EINVAL);
	CHECK(count_kind(dir, ua, NULL) == 3 && count_kind(dir, ub, NULL) == 1);

	CHECK(notify_list(s, a, ua, false, 1, 2, &v, &n, &more) == 0);
	CHECK(n == 2 && more && v[0].object_id == 3 && v[1].object_id == 2);
	CHECK(!strcmp(v[0].kind, "doc_approved") && v[0].doc_id == 7 &&
	      !strcmp(v[0].subject, "标题") && v[0].read_at == 0 &&
	      v[0].created_at == 1700000003);
	CHECK(notify_list(s, a, ua, false, 2, 2, &v, &n, &more) == 0);
	CHECK(n == 1 && !more && v[0].object_id == 1);
	CHECK(notify_list(s, a, ua, false, 0, 2, &v, &n, &more) == WK_EINVAL);
	CHECK(notify_list(s, a, ua, false, 1, NOTIFY_PAGE_MAX + 1, &v, &n,
			  &more) == WK_EINVAL);
	CHECK(notify_unread(s, ua, &unread) == 0 && unread == 3);

	/* B can neither mark nor see A's. */
	CHECK(notify_list(s, a, ua, false, 1, 10, &v, &n, &more) == 0 &&
	      n == 3);
	CHECK(notify_read(s, ub, v[0].id, 1700000200) == WK_ENOTFOUND);
	CHECK(notify_read(s, ua, 987654, 1700000200) == WK_ENOTFOUND);
	CHECK(notify_unread(s, ua, &unread) == 0 && unread == 3);
	CHECK(notify_list(s, a, ub, false, 1, 10, &v, &n, &more) == 0 &&
	      n == 1 && v[0].object_id == 99);

	CHECK(notify_list(s, a, ua, false, 1, 10, &v, &n, &more) == 0);
	CHECK(notify_read(s, ua, v[1].id, 1700000200) == 0);
	CHECK(notify_read(s, ua, v[1].id, 1700000300) == 0);	/* again */
	CHECK(notify_unread(s, ua, &unread) == 0 && unread == 2);
	CHECK(notify_list(s, a, ua, true, 1, 10, &v, &n, &more) == 0 &&
	      n == 2 && v[0].object_id == 3 && v[1].object_id == 1);
	CHECK(notify_list(s, a, ua, false, 1, 10, &v, &n, &more) == 0 &&
	      v[1].read_at == 1700000200);	/* the first time kept */
	CHECK(notify_read_all(s, ua, 1700000400, &changed) == 0 &&
	      changed == 2);
	CHECK(notify_unread(s, ua, &unread) == 0 && unread == 0);
	CHECK(notify_unread(s, ub, &unread) == 0 && unread == 1);
	store_close(s);
	arena_free(a);
	rm_tmp(dir);
}

TEST(notify_keeps_the_newest_and_cuts_texts)
{
	char dir[64], big[NOTIFY_SUBJECT_MAX * 2];
	struct store *s = open_tmp(dir);
	struct arena *a = arena_new(0);
	struct store_notification *v;
	struct notify_event e = { .kind = NK_POINTS_GRANTED, .amount = 1 };
	int64_t ua, ub;
	size_t n, i;
	bool more;

	CHECK(s && a);
	if (!s || !a)
		return;
	ua = add_user(s, "ka");
	ub = add_user(s, "kb");
	CHECK(notify_post(s, ub, &e, 1) == 0);
	/* Many in one transaction: notify_post joins it. */
	CHECK(store_write_begin(s) == 0);
	for (i = 1; i <= NOTIFY_KEEP + 5; i++) {
		e.object_id = (int64_t)i;
		CHECK(notify_post(s, ua, &e, (int64_t)i) == 0);
	}
	CHECK(store_write_commit(s) == 0);
	CHECK(count_kind(dir, ua, NULL) == NOTIFY_KEEP);
	CHECK(count_kind(dir, ub, NULL) == 1);
	CHECK(notify_list(s, a, ua, false, NOTIFY_KEEP / NOTIFY_PAGE_MAX,
			  NOTIFY_PAGE_MAX, &v, &n, &more) == 0);
	CHECK(n == NOTIFY_PAGE_MAX && !more && v[n - 1].object_id == 6);

	/* A subject of 3-byte characters is cut on a character boundary. */
	for (i = 0; i + 3 < sizeof(big); i += 3)
		memcpy(big + i, "字", 3);
	big[i] = '\0';
	e.subject = big;
	e.note = big;
	CHECK(notify_post(s, ub, &e, 2) == 0);
	CHECK(notify_list(s, a, ub, false, 1, 1, &v, &n, &more) == 0 && n == 1);
	CHECK(strlen(v[0].subject) == NOTIFY_SUBJECT_MAX / 3 * 3 &&
	      utf8_valid(v[0].subject, strlen(v[0].subject)));
	CHECK(!strcmp(v[0].note, big));	/* under NOTIFY_NOTE_MAX */
	store_close(s);
	arena_free(a);
	rm_tmp(dir);
}

/* A pending document by provider. */
static int64_t add_pending(struct store *s, const char *dir,
			   const char *title, int64_t provider)
{
	int64_t id = add_paid_doc(s, title, 2, provider);
	char q[200];

	snprintf(q, sizeof(q), "UPDATE documents SET status = 'pending', "
		 "published_at = NULL WHERE id = %lld", (long long)id);
	sql(dir, q);
	return id;
}

TEST(notify_commits_with_its_event_only)
{
	char dir[64];
	struct store *s = open_tmp(dir);
	struct arena *a = arena_new(0);
	struct report_result res;
	struct report_form f = { .reason = "spam" };
	enum report_problem why;
	struct store_doc d;
	int64_t mod, prov, rd, d1, d2, rep, revoked;
	bool given;

	CHECK(s && a);
	if (!s || !a)
		return;
	mod = add_user(s, "fmod");
	prov = add_user(s, "fprov");
	rd = add_user(s, "frd");
	d1 = add_pending(s, dir, "待审", prov);
	/* The notice can't be written: the approval does not happen. */
	sql(dir, "CREATE TRIGGER nt_fail BEFORE INSERT ON notifications "
		 "BEGIN SELECT RAISE(ABORT, 'injected'); END");
	CHECK(review_approve(s, a, mod, d1, 1700000000, 0, 0, &given) != 0);
	CHECK(store_doc_get(s, a, d1, &d) == 0 && !strcmp(d.status, "pending"));
	sql(dir, "DROP TRIGGER nt_fail");
	CHECK(review_approve(s, a, mod, d1, 1700000000, 0, 0, &given) == 0);
	CHECK(count_kind(dir, prov, "doc_approved") == 1);
	CHECK(count_kind(dir, mod, NULL) == 0);

	/* The decision fails after its notices were posted: none stays. */
	d2 = add_paid_doc(s, "已发布", 0, prov);
	CHECK(report_file(s, d2, rd, "1.2.3.4", &f, &rep, &why) == 0);
	sql(dir, "CREATE TRIGGER nt_fail BEFORE INSERT ON audit_log WHEN "
		 "NEW.action = 'report.remove' BEGIN SELECT RAISE(ABORT, "
		 "'injected'); END");
	CHECK(report_decide(s, a, rep, RA_REMOVE, "违规", mod, 0, &res) != 0);
	CHECK(count_kind(dir, prov, "doc_removed") == 0);
	CHECK(count_kind(dir, rd, NULL) == 0);
	CHECK(store_doc_get(s, a, d2, &d) == 0 &&
	      !strcmp(d.status, "published"));
	sql(dir, "DROP TRIGGER nt_fail");
	CHECK(report_decide(s, a, rep, RA_REMOVE, "违规", mod, 0, &res) == 0);
	CHECK(count_kind(dir, prov, "doc_removed") == 1);
	CHECK(count_kind(dir, rd, "report_upheld") == 1);
	CHECK(count_kind(dir, rd, NULL) == 1);

	/* A rejection carries its reason. */
	d1 = add_pending(s, dir, "待审二", prov);
	CHECK(review_reject(s, a, mod, d1, "内容不完整", &revoked) == 0);
	{
		sqlite3 *db = raw_open(dir);
		char q[300];
		snprintf(q, sizeof(q), "SELECT COUNT(*) FROM notifications "
			 "WHERE kind = 'doc_rejected' AND user_id = %lld AND "
			 "doc_id = %lld AND note = '内容不完整' AND subject = "
			 "'待审二'", (long long)prov, (long long)d1);
		CHECK(raw_int(db, q) == 1);
		sqlite3_close(db);
	}
	store_close(s);
	arena_free(a);
	rm_tmp(dir);
}

TEST(notify_comment_replies)
{
	char dir[64];
	struct store *s = open_tmp(dir);
	struct arena *a = arena_new(0);
	struct comment_rules post = { .pre = false }, pre = { .pre = true };
	enum comment_outcome oc;
	int64_t ua, ub, mod, doc, c1, c2, c3, c4;

	CHECK(s && a);
	if (!s || !a)
		return;
	ua = add_user(s, "ca");
	ub = add_user(s, "cb");
	mod = add_user(s, "cm");
	doc = add_paid_doc(s, "评论文档", 0, mod);
	CHECK(comment_post(s, a, &post, doc, ua, 0, "top", &c1, &oc) == 0 &&
	      oc == CO_VISIBLE);
	CHECK(count_kind(dir, mod, NULL) == 0);	/* not a reply */
	CHECK(comment_post(s, a, &post, doc, ub, c1, "a reply", &c2, &oc) ==
	      0);
	CHECK(count_kind(dir, ua, "comment_reply") == 1);
	CHECK(comment_post(s, a, &post, doc, ua, c1, "myself", &c3, &oc) == 0);
	CHECK(count_kind(dir, ua, "comment_reply") == 1);
	/* Pre-approval: told when the reply becomes visible, once. */
	CHECK(comment_post(s, a, &pre, doc, ub, c1, "pending reply", &c4,
			   &oc) == 0 && oc == CO_PENDING);
	CHECK(count_kind(dir, ua, "comment_reply") == 1);
	CHECK(comment_moderate(s, a, &pre, c4, CA_APPROVE, mod) == 0);
	CHECK(count_kind(dir, ua, "comment_reply") == 2);
	CHECK(comment_moderate(s, a, &pre, c4, CA_HIDE, mod) == 0);
	CHECK(comment_moderate(s, a, &pre, c4, CA_RESTORE, mod) == 0);
	CHECK(count_kind(dir, ua, "comment_reply") == 2);
	CHECK(count_kind(dir, ub, NULL) == 0);
	{
		sqlite3 *db = raw_open(dir);
		char q[300];
		snprintf(q, sizeof(q), "SELECT COUNT(*) FROM notifications "
			 "WHERE object_type = 'comment' AND object_id = %lld "
			 "AND doc_id = %lld AND note = 'pending reply' AND "
			 "subject = '评论文档'", (long long)c4, (long long)doc);
		CHECK(raw_int(db, q) == 1);
		sqlite3_close(db);
	}
	store_close(s);
	arena_free(a);
	rm_tmp(dir);
}

TEST(notify_sales_and_grants)
{
	char dir[64];
	struct store *s = open_tmp(dir);
	struct arena *a = arena_new(0);
	struct ledger_result r;
	enum buy_outcome oc;
	struct store_doc d;
	int64_t prov, buyer, adm, doc;

	CHECK(s && a);
	if (!s || !a)
		return;
	prov = add_user(s, "sp");
	buyer = add_user(s, "sb");
	adm = add_user(s, "sa");
	doc = add_paid_doc(s, "付费文档", 10, prov);
	CHECK(ledger_grant(s, a, buyer, 100, "test:topup", "top-up", &r) == 0);
	CHECK(count_kind(dir, buyer, NULL) == 0);	/* not an admin's */
	CHECK(store_doc_get(s, a, doc, &d) == 0);
	CHECK(purchase_buy(s, a, buyer, &d, 70, "lic", 1700000000, &oc, &r) ==
	      0 && oc == BUY_OK);
	CHECK(purchase_buy(s, a, buyer, &d, 70, "lic", 1700000000, &oc, &r) ==
	      0 && oc == BUY_ALREADY);
	CHECK(count_kind(dir, prov, "doc_sold") == 1);
	CHECK(count_kind(dir, buyer, NULL) == 0);
	{
		sqlite3 *db = raw_open(dir);
		CHECK(raw_int(db, "SELECT amount FROM notifications WHERE "
				  "kind = 'doc_sold'") == 7);
		sqlite3_close(db);
	}
	CHECK(admin_grant_points(s, a, adm, "sa", buyer, 50,
				 "abcdefabcdef01234", "活动奖励", &r) == 0);
	CHECK(admin_grant_points(s, a, adm, "sa", buyer, 50,
				 "abcdefabcdef01234", "活动奖励", &r) == 0 &&
	      r.replayed);
	CHECK(count_kind(dir, buyer, "points_granted") == 1);
	CHECK(count_kind(dir, adm, NULL) == 0);
	store_close(s);
	arena_free(a);
	rm_tmp(dir);
}
