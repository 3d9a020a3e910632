/* test_review.c - the console's review queue (domain/review.h): approve
 * (once, with one upload reward), reject with a reason (the reward taken
 * back), edits before approval, recommendation, the audit entries and
 * the moderators' preview of a pending document. */
#include "../harness.h"
#include "../../src/base/arena.h"
#include "../../src/base/err.h"
#include "../../src/domain/audit.h"
#include "../../src/domain/docs.h"
#include "../../src/domain/ledger.h"
#include "../../src/domain/review.h"
#include "ledger_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A pending document by provider. */
static int64_t add_pending(struct store *s, const char *dir,
			   const char *title, int64_t provider)
{
	int64_t id = add_paid_doc(s, title, 2, provider);
	sqlite3 *db = raw_open(dir);
	char sql[200];

	snprintf(sql, sizeof(sql), "UPDATE documents SET status = 'pending', "
		 "published_at = NULL WHERE id = %lld", (long long)id);
	CHECK(db && raw_exec(db, sql) == 0);
	sqlite3_close(db);
	return id;
}

static const char *status_of(struct store *s, struct arena *a, int64_t id)
{
	struct store_doc d;

	return store_doc_get(s, a, id, &d) == 0 ? d.status : "?";
}

static size_t audit_count(struct store *s, struct arena *a, int64_t id,
			  const char *action)
{
	struct store_audit *e;
	size_t n, i, k = 0;

	if (audit_list(s, a, AUDIT_DOC, id, 50, &e, &n))
		return 999;
	for (i = 0; i < n; i++)
		k += !strcmp(e[i].action, action);
	return k;
}

TEST(review_approve_once_with_one_reward)
{
	char dir[64];
	struct store *s = open_tmp(dir);
	struct arena *a = arena_new(0);
	struct store_review_doc *q;
	struct site_settings cfg = { .preview_share = 50,
				     .preview_min_chars = 1,
				     .watermark_every = 1000,
				     .watermark = "wm" };
	struct docs_view v;
	int64_t mod, prov, d1, d2;
	size_t n;
	bool given, more;

	CHECK(s && a);
	if (!s || !a)
		return;
	mod = add_user(s, "mod");
	prov = add_user(s, "prov");
	d1 = add_pending(s, dir, "待审一", prov);
	d2 = add_pending(s, dir, "待审二", prov);
	CHECK(store_review_list(s, a, REVIEW_PENDING, NULL, 0, 10, &q, &n, &more) == 0 &&
	      n == 2 && !more && q[0].doc.id == d1 && q[1].doc.id == d2);
	CHECK(store_review_list(s, a, REVIEW_PENDING, NULL, 0, 1, &q, &n, &more) == 0 &&
	      n == 1 && more);
	/* The public view refuses a pending document; the review view
	 * shows the preview. */
	CHECK(docs_view(s, a, &cfg, d1, &v) == WK_ENOTFOUND);
	CHECK(docs_review_view(s, a, &cfg, d1, &v) == 0 && v.preview_html);
	CHECK(review_approve(s, a, mod, d1, 1700000000, 10, 3, &given) == 0);
	CHECK(given);
	CHECK(!strcmp(status_of(s, a, d1), "published"));
	CHECK(balance_of(s, prov) == 10);
	CHECK(review_approve(s, a, mod, d1, 1700000000, 10, 3, &given) ==
	      WK_ECONFLICT && !given);
	CHECK(balance_of(s, prov) == 10);
	CHECK(audit_count(s, a, d1, "document.approve") == 1);
	CHECK(review_approve(s, a, mod, 987654, 1700000000, 10, 3, &given) ==
	      WK_ENOTFOUND);
	CHECK(docs_view(s, a, &cfg, d1, &v) == 0);
	store_close(s);
	arena_free(a);
	rm_tmp(dir);
}

TEST(review_reject_needs_reason_and_revokes)
{
	char dir[64];
	struct store *s = open_tmp(dir);
	struct arena *a = arena_new(0);
	struct store_review_doc r;
	char big[REVIEW_REASON_MAX + 2];
	int64_t mod, prov, d1, revoked;
	sqlite3 *db;
	bool given;

	CHECK(s && a);
	if (!s || !a)
		return;
	mod = add_user(s, "mod");
	prov = add_user(s, "prov");
	d1 = add_pending(s, dir, "待审三", prov);
	/* A reward already given (as if published once): taken back. */
	CHECK(ledger_reward_upload(s, a, prov, d1, 1700000000, 10, 3,
				   &given) == 0 && given);
	CHECK(review_reject(s, a, mod, d1, "", &revoked) == WK_EINVAL);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CHECK(review_reject(s, a, mod, d1, big, &revoked) == WK_EINVAL);
	CHECK(review_reject(s, a, mod, d1, "内容不完整", &revoked) == 0);
	CHECK(revoked == 10 && balance_of(s, prov) == 0);
	CHECK(!strcmp(status_of(s, a, d1), "rejected"));
	CHECK(store_review_get(s, a, d1, &r) == 0 &&
	      !strcmp(r.review_note, "内容不完整"));
	CHECK(review_reject(s, a, mod, d1, "again", &revoked) ==
	      WK_ECONFLICT);
	CHECK(audit_count(s, a, d1, "document.reject") == 1);
	db = raw_open(dir);
	CHECK(raw_int(db, "SELECT COUNT(*) FROM ledger_transactions WHERE "
			  "idem_key LIKE 'revoke:upload:%'") == 1);
	sqlite3_close(db);
	store_close(s);
	arena_free(a);
	rm_tmp(dir);
}

TEST(review_edit_and_recommend)
{
	char dir[64];
	struct store *s = open_tmp(dir);
	struct arena *a = arena_new(0);
	struct store_category c = { .slug = "kj", .name = "课件", .sort = 1 };
	struct store_audit *e;
	struct store_doc *docs;
	struct store_doc d;
	int64_t mod, prov, d1, d2;
	size_t n;
	bool given;

	CHECK(s && a);
	if (!s || !a)
		return;
	mod = add_user(s, "mod");
	prov = add_user(s, "prov");
	CHECK(store_category_insert(s, &c) == 0 && c.id > 0);
	d1 = add_pending(s, dir, "旧标题", prov);
	d2 = add_paid_doc(s, "已发布", 0, prov);
	CHECK(review_edit(s, a, mod, d1, "", 0, 1, 100, false) == WK_EINVAL);
	CHECK(review_edit(s, a, mod, d1, "新\x01", 0, 1, 100, false) ==
	      WK_EINVAL);
	CHECK(review_edit(s, a, mod, d1, "新标题", 0, 101, 100, false) ==
	      WK_EINVAL);
	CHECK(review_edit(s, a, mod, d1, "新标题", 987654, 1, 100, false) ==
	      WK_EINVAL);
	CHECK(review_edit(s, a, mod, d1, "新标题", c.id, 5, 100, true) == 0);
	CHECK(review_edit(s, a, mod, d1, "新标题", c.id, 5, 100, true) == 0);
	CHECK(audit_list(s, a, AUDIT_DOC, d1, 10, &e, &n) == 0 && n == 1);
	CHECK(n == 1 && !strcmp(e[0].action, "document.edit") &&
	      strstr(e[0].before, "title=旧标题") &&
	      strstr(e[0].after, "title=新标题") &&
	      strstr(e[0].after, "price=5 vip_free=1"));
	CHECK(store_doc_get(s, a, d1, &d) == 0 && !strcmp(d.title, "新标题") &&
	      d.category_id == c.id && d.price == 5 && d.vip_free);
	/* Only pending documents are edited; only published recommended. */
	CHECK(review_edit(s, a, mod, d2, "x", 0, 1, 100, false) ==
	      WK_ECONFLICT);
	CHECK(review_recommend(s, a, mod, d1, true, 1700000000) ==
	      WK_ECONFLICT);
	CHECK(review_recommend(s, a, mod, d2, true, 1700000000) == 0);
	CHECK(review_recommend(s, a, mod, d2, true, 1700000000) ==
	      WK_ECONFLICT);
	CHECK(store_doc_recommended(s, a, 8, &docs, &n) == 0 && n == 1 &&
	      docs[0].id == d2);
	CHECK(review_approve(s, a, mod, d1, 1700000001, 0, 3, &given) == 0 &&
	      !given);	/* reward 0: none */
	CHECK(review_recommend(s, a, mod, d1, true, 1700000001) == 0);
	CHECK(store_doc_recommended(s, a, 8, &docs, &n) == 0 && n == 2 &&
	      docs[0].id == d1);	/* the newest pin first */
	CHECK(review_recommend(s, a, mod, d2, false, 0) == 0);
	CHECK(review_recommend(s, a, mod, d2, false, 0) == WK_ECONFLICT);
	CHECK(store_doc_recommended(s, a, 8, &docs, &n) == 0 && n == 1);
	CHECK(audit_count(s, a, d2, "document.recommend") == 1 &&
	      audit_count(s, a, d2, "document.unrecommend") == 1);
	store_close(s);
	arena_free(a);
	rm_tmp(dir);
}

TEST(review_page_images_for_moderators_only)
{
	char dir[64], hex[65], sql[200];
	struct store *s = open_tmp(dir);
	struct arena *a = arena_new(0);
	struct site_settings cfg = { .preview_share = 50 };
	struct store_image img = { "page", 1, hex, 10, 10 };
	unsigned char *png = NULL;
	int64_t prov, mod, d1, revoked;
	sqlite3 *db;
	size_t len = 0;

	CHECK(s && a);
	if (!s || !a)
		return;
	mod = add_user(s, "mod");
	prov = add_user(s, "prov");
	d1 = add_pending(s, dir, "带页图的待审文档", prov);
	db = raw_open(dir);
	snprintf(sql, sizeof(sql), "UPDATE documents SET pages = 4 WHERE id "
		 "= %lld", (long long)d1);
	CHECK(db && raw_exec(db, sql) == 0);
	sqlite3_close(db);
	CHECK(store_blob_put(s, "\x89PNG-page-1", 11, hex) == 0);
	CHECK(store_image_add(s, d1, &img) == 0);
	CHECK(docs_image(s, a, &cfg, d1, 1, &png, &len) == WK_ENOTFOUND);
	CHECK(docs_review_image(s, a, &cfg, d1, 1, &png, &len) == 0 &&
	      len == 11 && png && !memcmp(png, "\x89PNG", 4));
	free(png);
	png = NULL;
	/* Past the free preview, or once rejected: nothing. */
	CHECK(docs_review_image(s, a, &cfg, d1, 4, &png, &len) ==
	      WK_ENOTFOUND);
	CHECK(review_reject(s, a, mod, d1, "不合格", &revoked) == 0);
	CHECK(docs_review_image(s, a, &cfg, d1, 1, &png, &len) ==
	      WK_ENOTFOUND);
	store_close(s);
	arena_free(a);
	rm_tmp(dir);
}
