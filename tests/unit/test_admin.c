/* test_admin.c - the operator console's domain: the dashboard's 30 China
 * days with a set clock (bucket edges at Beijing midnight), queue sizes,
 * account search with LIKE wildcards taken literally, and the audited
 * actions (role, suspension, points, VIP, job retry). */
#include "../harness.h"
#include "../../src/base/arena.h"
#include "../../src/base/err.h"
#include "../../src/domain/admin.h"
#include "../../src/domain/auth.h"
#include "../../src/domain/codes.h"
#include "../../src/domain/ledger.h"
#include "../../src/domain/rank.h"
#include "ledger_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* 2024-05-01 00:00:00 in Beijing, China day 19844. */
#define MAY1 1714492800LL
#define DAY 86400LL

TEST(admin_dashboard_buckets)
{
	char dir[64], sql[2048];
	struct store *s = open_tmp(dir);
	struct admin_dashboard d;
	sqlite3 *db = raw_open(dir);
	int64_t now = MAY1 + 10 * 3600;	/* 10:00 in Beijing */
	static const int64_t jobs_at[] = {
		MAY1 - 29 * DAY,	/* the first second of day 0 */
		MAY1 - 29 * DAY - 1,	/* the day before: left out */
		MAY1 - 1,		/* 23:59:59 on April 30: day 28 */
		MAY1,			/* day 29 */
		MAY1 + 9 * 3600,	/* day 29 */
	};
	size_t i;

	CHECK(s && db);
	for (i = 0; i < sizeof(jobs_at) / sizeof(jobs_at[0]); i++) {
		snprintf(sql, sizeof(sql),
			 "INSERT INTO jobs (sha256, created_at, updated_at) "
			 "VALUES ('x', %lld, %lld)", (long long)jobs_at[i],
			 (long long)jobs_at[i]);
		CHECK(raw_exec(db, sql) == SQLITE_OK);
	}
	/* A page-image job is no upload; a failed job is a queue entry. */
	snprintf(sql, sizeof(sql),
		 "INSERT INTO jobs (sha256, kind, created_at, updated_at) "
		 "VALUES ('x', 'pages', %lld, 0);"
		 "INSERT INTO jobs (sha256, status, outcome, reason, created_at,"
		 " updated_at) VALUES ('x', 'done', 'rejected', 'bad', 0, 0);"
		 "INSERT INTO users (name, display_name, created_at) VALUES "
		 "('s1', 's1', %lld), ('s2', 's2', %lld);"
		 "INSERT INTO documents (title, format, sha256, size, status, "
		 "created_at, published_at) VALUES "
		 "('p', 'txt', 'x', 1, 'published', 0, %lld), "
		 "('q', 'txt', 'x', 1, 'pending', 0, NULL);"
		 "INSERT INTO doc_view_days (doc_id, day, views) VALUES "
		 "(1, 19844, 5), (2, 19844, 1), (1, 19815, 2), (1, 19814, 100);"
		 "INSERT INTO downloads (doc_id, ip, created_at) VALUES "
		 "(1, '', %lld)",
		 (long long)MAY1, (long long)(MAY1 + 3600),
		 (long long)(MAY1 - 28 * DAY), (long long)(MAY1 - 28 * DAY),
		 (long long)(MAY1 - 2 * DAY + 5));
	CHECK(raw_exec(db, sql) == SQLITE_OK);
	/* Ledger: a grant of 100 and a purchase of 30 on May 1, a revoke
	 * (flows back to issuance: neither issued nor spent). */
	snprintf(sql, sizeof(sql),
		 "INSERT INTO ledger_accounts (id, kind, user_id, balance) "
		 "VALUES (901, 'issuance', NULL, 0), (902, 'user', 1, 0), "
		 "(903, 'revenue', NULL, 0);"
		 "INSERT INTO ledger_transactions (id, idem_key, kind, "
		 "request_hash, reply, created_at) VALUES "
		 "(1, 'k1', 'grant', '', '', %lld), "
		 "(2, 'k2', 'purchase', '', '', %lld), "
		 "(3, 'k3', 'revoke', '', '', %lld);"
		 "INSERT INTO ledger_postings (tx_id, account_id, amount) VALUES"
		 " (1, 901, -100), (1, 902, 100), (2, 902, -30), (2, 903, 30),"
		 " (3, 902, -10), (3, 901, 10)",
		 (long long)MAY1, (long long)(MAY1 + 60),
		 (long long)(MAY1 + 120));
	CHECK(raw_exec(db, sql) == SQLITE_OK);

	CHECK(admin_dashboard_at(s, now, &d) == 0);
	CHECK(d.first_day == 19844 - 29);
	CHECK(d.first_day == rank_day(now) - 29);
	CHECK(d.daily[STORE_ADMIN_UPLOADS][0] == 1);
	CHECK(d.daily[STORE_ADMIN_UPLOADS][28] == 1);
	CHECK(d.daily[STORE_ADMIN_UPLOADS][29] == 2);
	CHECK(d.total[STORE_ADMIN_UPLOADS] == 4);
	CHECK(d.daily[STORE_ADMIN_SIGNUPS][29] == 1);
	CHECK(d.daily[STORE_ADMIN_SIGNUPS][1] == 1);
	CHECK(d.total[STORE_ADMIN_SIGNUPS] == 2);
	CHECK(d.daily[STORE_ADMIN_PUBLISHED][1] == 1);
	CHECK(d.total[STORE_ADMIN_PUBLISHED] == 1);
	CHECK(d.daily[STORE_ADMIN_VIEWS][29] == 6);
	CHECK(d.daily[STORE_ADMIN_VIEWS][0] == 2);
	CHECK(d.total[STORE_ADMIN_VIEWS] == 8);
	CHECK(d.daily[STORE_ADMIN_DOWNLOADS][27] == 1);
	CHECK(d.daily[STORE_ADMIN_ISSUED][29] == 100);
	CHECK(d.total[STORE_ADMIN_ISSUED] == 100);
	CHECK(d.daily[STORE_ADMIN_SPENT][29] == 30);
	CHECK(d.total[STORE_ADMIN_SPENT] == 30);
	CHECK(d.queues.jobs_queued == 6);
	CHECK(d.queues.jobs_failed == 1);
	CHECK(d.queues.docs_pending == 1);
	CHECK(d.queues.reports_open == 0);

	/* A day later the window moves by one. */
	CHECK(admin_dashboard_at(s, now + DAY, &d) == 0);
	CHECK(d.daily[STORE_ADMIN_UPLOADS][28] == 2);
	CHECK(d.total[STORE_ADMIN_UPLOADS] == 3);
	sqlite3_close(db);
	store_close(s);
	rm_tmp(dir);
}

TEST(admin_user_search_literal)
{
	char dir[64];
	struct store *s = open_tmp(dir);
	struct arena *a = arena_new(0);
	struct store_admin_user *u;
	size_t n;
	bool more;

	add_user(s, "a_b");
	add_user(s, "axb");
	add_user(s, "pct100%");
	CHECK(store_admin_users(s, a, "_", 0, 10, &u, &n, &more) == 0);
	CHECK(n == 1 && !strcmp(u[0].name, "a_b"));
	CHECK(store_admin_users(s, a, "%", 0, 10, &u, &n, &more) == 0);
	CHECK(n == 1 && !strcmp(u[0].name, "pct100%"));
	CHECK(store_admin_users(s, a, "", 0, 2, &u, &n, &more) == 0);
	CHECK(n == 2 && more && !strcmp(u[0].name, "pct100%"));
	CHECK(store_admin_users(s, a, "", 2, 2, &u, &n, &more) == 0);
	CHECK(n == 1 && !more && !strcmp(u[0].name, "a_b"));
	CHECK(store_admin_users(s, a, "' OR 1=1 --", 0, 10, &u, &n,
				&more) == 0 && n == 0);
	arena_free(a);
	store_close(s);
	rm_tmp(dir);
}

TEST(admin_actions_audited)
{
	char dir[64];
	struct store *s = open_tmp(dir);
	struct arena *a = arena_new(0);
	struct ledger_result lr;
	struct store_audit *e;
	int64_t admin = add_user(s, "boss"), u = add_user(s, "joe");
	int64_t now = (int64_t)time(NULL), until;
	sqlite3 *db = raw_open(dir);
	size_t n;
	bool more, replayed;

	CHECK(store_account_set_role(s, admin, "admin") == 0);
	CHECK(admin_set_role(s, admin, admin, "admin") == 0);	/* no-op */
	/* An admin may not demote or suspend themselves. */
	CHECK(admin_set_role(s, admin, admin, "reader") == WK_EFORBIDDEN);
	CHECK(admin_suspend(s, admin, admin, 0, "x", now) == WK_EFORBIDDEN);
	CHECK(admin_set_role(s, admin, u, "overlord") == WK_EINVAL);
	CHECK(admin_set_role(s, admin, 999, "reader") == WK_ENOTFOUND);
	CHECK(admin_set_role(s, admin, u, "provider") == 0);
	CHECK(admin_suspend(s, admin, u, now - 1, "late", now) == WK_EINVAL);
	CHECK(admin_suspend(s, admin, u, now + DAY, "", now) == WK_EINVAL);
	CHECK(admin_suspend(s, admin, u, now + DAY, "spam", now) == 0);
	CHECK(admin_lift(s, admin, u, "appeal") == 0);
	CHECK(admin_lift(s, admin, u, NULL) == WK_ECONFLICT);
	CHECK(admin_grant_points(s, a, admin, "boss", u, 50, "short", "x",
				 &lr) == WK_EINVAL);
	CHECK(admin_grant_points(s, a, admin, "boss", u, 50,
				 "abcdef0123456789", "补偿", &lr) == 0);
	CHECK(lr.balance == 50 && !lr.replayed);
	/* The same form again: replayed, not granted or logged twice. */
	CHECK(admin_grant_points(s, a, admin, "boss", u, 50,
				 "abcdef0123456789", "补偿", &lr) == 0);
	CHECK(lr.replayed && balance_of(s, u) == 50);
	CHECK(raw_int(db, "SELECT memo FROM ledger_transactions WHERE "
			  "idem_key = 'admin-grant:abcdef0123456789' AND "
			  "memo LIKE '%admin boss%'") != -1);
	CHECK(admin_grant_vip(s, admin, u, 1, 0, "vvvvvvvvvvvvvvvv", now,
			      &until, &replayed) == 0);
	CHECK(until == now + 30 * DAY && !replayed);
	CHECK(admin_grant_vip(s, admin, u, 1, 0, "vvvvvvvvvvvvvvvv", now,
			      &until, &replayed) == 0 && replayed);
	CHECK(raw_exec(db, "INSERT INTO jobs (sha256, status, outcome, "
			   "reason, attempts, created_at, updated_at) VALUES "
			   "('x', 'done', 'rejected', 'timeout', 3, 0, 0)") ==
	      SQLITE_OK);
	CHECK(admin_job_retry(s, admin, 1, now) == 0);
	CHECK(admin_job_retry(s, admin, 1, now) == WK_ECONFLICT);
	CHECK(admin_job_retry(s, admin, 2, now) == WK_ENOTFOUND);
	CHECK(raw_int(db, "SELECT attempts FROM jobs WHERE id = 1 AND "
			  "status = 'queued'") == 0);

	CHECK(store_admin_audit(s, a, "boss", "", "", 0, 0, 50, &e, &n,
				&more) == 0);
	CHECK(n == 6);
	if (n == 6) {
		CHECK_STR(e[0].action, "job.retry");
		CHECK_STR(e[1].action, "user.vip_grant");
		CHECK_STR(e[2].action, "user.points_grant");
		CHECK_STR(e[2].before, "balance=0");
		CHECK_STR(e[3].action, "user.unsuspend");
		CHECK_STR(e[4].action, "user.suspend");
		CHECK_STR(e[4].note, "spam");
		CHECK_STR(e[5].action, "user.role");
		CHECK_STR(e[5].before, "role=reader");
		CHECK_STR(e[5].after, "role=provider");
	}
	CHECK(store_admin_audit(s, a, "", "user.s", "user", u, 0, 50, &e, &n,
				&more) == 0 && n == 1);
	CHECK(store_admin_audit(s, a, "", "user%", "", 0, 0, 50, &e, &n,
				&more) == 0 && n == 0);
	CHECK(store_admin_audit(s, a, "joe", "", "", 0, 0, 50, &e, &n,
				&more) == 0 && n == 0);
	{
		char err[256];
		CHECK(store_ledger_check(s, err, sizeof(err)) == 0);
	}
	sqlite3_close(db);
	arena_free(a);
	store_close(s);
	rm_tmp(dir);
}

/* ---- code batches (console) and password reset links ----------------------*/

TEST(admin_code_batches_void)
{
	char dir[64], sql[256];
	char (*codes)[CODE_TEXT] = calloc(20, CODE_TEXT);
	struct store *s = open_tmp(dir);
	struct arena *a = arena_new(0);
	struct store_code_batch b, *list;
	struct store_code_redemption *red;
	struct ledger_result r;
	enum code_outcome oc;
	int64_t now = 1800000000, adm, u1, u2, id = 0, vid = 0;
	sqlite3 *db;
	size_t n;
	bool more;

	CHECK(s && a && codes);
	if (!s || !a || !codes) {
		free(codes);
		arena_free(a);
		return;
	}
	db = raw_open(dir);
	adm = add_user(s, "cb-admin");
	u1 = add_user(s, "cb-u1");
	u2 = add_user(s, "cb-u2");
	/* Bounds: count 1..10000, one of points or plan, a new name. */
	CHECK(codes_create_batch(s, adm, "cb", 10, 0, 10001, now + DAY, now,
				 codes, &id) == WK_EINVAL);
	CHECK(codes_create_batch(s, adm, "cb", 10, 1, 1, now + DAY, now,
				 codes, &id) == WK_EINVAL);
	CHECK(codes_create_batch(s, 0, "cb", 10, 0, 1, now + DAY, now, codes,
				 &id) == WK_EINVAL);
	CHECK(codes_create_batch(s, adm, "cb", 0, 999, 1, now + DAY, now,
				 codes, &id) == WK_ENOTFOUND);
	CHECK(codes_create_batch(s, adm, "cb", 10, 0, 5, now + DAY, now,
				 codes, &id) == 0 && id > 0);
	CHECK(codes_create_batch(s, adm, "cb", 10, 0, 5, now + DAY, now,
				 codes + 5, &vid) == WK_ECONFLICT);
	CHECK(codes_create_batch(s, adm, "cb-vip", 0, 1, 2, now + DAY, now,
				 codes + 10, &vid) == 0 && vid > id);
	CHECK(raw_int(db, "SELECT COUNT(*) FROM redeem_codes") == 7);
	CHECK(raw_int(db, "SELECT COUNT(*) FROM audit_log WHERE action = "
			  "'codes.create' AND object_type = 'code_batch'") == 2);
	/* Redeemed, listed with the account. */
	CHECK(codes_redeem(s, a, u1, codes[0], now, &oc, &r) == 0 &&
	      oc == CODE_OK && r.balance == 10);
	CHECK(codes_redeem(s, a, u2, codes[10], now, &oc, &r) == 0 &&
	      oc == CODE_VIP);
	CHECK(store_code_batch_get(s, a, id, &b) == 0 && b.count == 5 &&
	      b.redeemed == 1 && b.points == 10 && !b.voided_at);
	CHECK(store_code_batch_get(s, a, id + 1, &b) == WK_ENOTFOUND);
	CHECK(store_code_batches(s, a, 0, 50, &list, &n, &more) == 0 &&
	      n == 2 && list[0].id == vid && list[0].vip_plan_id == 1 &&
	      list[0].redeemed == 1 && list[1].id == id);
	CHECK(store_code_redemptions(s, a, "cb", 100, &red, &n) == 0 &&
	      n == 1 && red[0].user_id == u1 && red[0].points == 10);
	CHECK(store_code_redemptions(s, a, "cb-vip", 100, &red, &n) == 0 &&
	      n == 1 && red[0].user_id == u2 && red[0].vip_plan_id == 1);
	/* Voided: refused as expired, what was redeemed stays. */
	CHECK(codes_void_batch(s, adm, id, now + 10) == 0);
	CHECK(codes_void_batch(s, adm, id, now + 11) == WK_ECONFLICT);
	CHECK(codes_void_batch(s, adm, 987654, now) == WK_ENOTFOUND);
	CHECK(codes_redeem(s, a, u2, codes[1], now + 20, &oc, &r) == 0 &&
	      oc == CODE_EXPIRED);
	CHECK(balance_of(s, u1) == 10 && balance_of(s, u2) == 0);
	CHECK(store_code_batch_get(s, a, id, &b) == 0 &&
	      b.voided_at == now + 10 && b.redeemed == 1);
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM audit_log WHERE "
		 "action = 'codes.void' AND object_id = %lld", (long long)id);
	CHECK(raw_int(db, sql) == 1);
	/* The other batch still works. */
	CHECK(codes_redeem(s, a, u1, codes[11], now + 20, &oc, &r) == 0 &&
	      oc == CODE_VIP);
	sqlite3_close(db);
	free(codes);
	arena_free(a);
	store_close(s);
	rm_tmp(dir);
}

TEST(admin_reset_link_once_and_expiry)
{
	char dir[64], tok[AUTH_TOKEN_HEX], tok2[AUTH_TOKEN_HEX], sql[256];
	struct store *s = open_tmp(dir);
	struct arena *a = arena_new(0);
	enum auth_reason why;
	int64_t now = 1800000000, adm, u, uid;
	sqlite3 *db;

	CHECK(s && a);
	if (!s || !a) {
		arena_free(a);
		return;
	}
	db = raw_open(dir);
	adm = add_user(s, "rs-admin");
	u = add_user(s, "rs-user");
	CHECK(auth_reset_create(s, adm, 987654, now, tok) == WK_ENOTFOUND);
	CHECK(auth_reset_create(s, adm, u, now, tok) == 0 &&
	      strlen(tok) == 64);
	CHECK(auth_reset_create(s, adm, u, now, tok2) == 0 &&
	      strcmp(tok, tok2));
	/* Only the hash is kept; the creation is audited, not the token. */
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM password_resets "
		 "WHERE token_hash = '%s'", tok);
	CHECK(raw_int(db, sql) == 0);
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM audit_log WHERE "
		 "action = 'user.reset_link' AND object_id = %lld AND "
		 "after_state || note NOT LIKE '%%%s%%'", (long long)u, tok);
	CHECK(raw_int(db, sql) == 2);
	CHECK(raw_exec(db, "INSERT INTO sessions (token_hash, user_id, "
			   "created_at, last_seen_at, expires_at) VALUES ('x', "
			   "(SELECT id FROM users WHERE name = 'rs-user'), 1, 1, 9)")
	      == SQLITE_OK);
	CHECK(auth_reset_check(s, tok, now, &uid) == 0 && uid == u);
	CHECK(auth_reset_check(s, "abc", now, &uid) == WK_ENOTFOUND);
	/* The registration rules apply. */
	CHECK(auth_reset_use(s, tok, "12345678", now, &why) == WK_EINVAL &&
	      why == AR_PW_COMMON);
	CHECK(auth_reset_use(s, tok, "rs-user", now, &why) == WK_EINVAL);
	/* Expired at now + 24 h. */
	CHECK(auth_reset_check(s, tok2, now + AUTH_RESET_TTL, &uid) ==
	      WK_ENOTFOUND);
	CHECK(auth_reset_use(s, tok2, "Brand-New-Pass-77",
			     now + AUTH_RESET_TTL, &why) == WK_ENOTFOUND);
	CHECK(auth_reset_use(s, tok, "Brand-New-Pass-77",
			     now + AUTH_RESET_TTL - 1, &why) == 0);
	CHECK(raw_int(db, "SELECT COUNT(*) FROM sessions") == 0);
	/* Once only. */
	CHECK(auth_reset_use(s, tok, "Other-New-Pass-88", now + 10, &why) ==
	      WK_ENOTFOUND);
	CHECK(auth_reset_check(s, tok, now, &uid) == WK_ENOTFOUND);
	sqlite3_close(db);
	arena_free(a);
	store_close(s);
	rm_tmp(dir);
}
