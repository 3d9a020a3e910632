/* test_ledger.c - the points ledger: grants and spends, the balance
 * guard, idempotency keys, append-only postings enforced by the schema,
 * the invariant checker (and that it notices damage), durable commits
 * and concurrent spends, on a temporary data folder. */
#include "../harness.h"
#include "../../src/base/arena.h"
#include "../../src/base/err.h"
#include "../../src/domain/codes.h"
#include "../../src/domain/ledger.h"
#include "../../src/domain/payments.h"
#include "../../src/domain/purchase.h"
#include "../../src/domain/trace.h"
#include "../../src/parse/parse.h"
#include "parse_util.h"
#include "ledger_util.h"
#include "../../src/store/store.h"

#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <zip.h>

TEST(ledger_grant_spend_and_split)
{
	char dir[64], err[256];
	struct store *s;
	struct arena *a = arena_new(0);
	struct ledger_result r;
	int64_t alice, bob, rev;

	CHECK(sodium_init() >= 0);
	if (!(s = open_tmp(dir)))
		return;
	alice = add_user(s, "alice");
	bob = add_user(s, "bob");
	CHECK(balance_of(s, alice) == 0);	/* no account yet */

	CHECK(ledger_grant(s, a, alice, 100, "signup:alice", "registration",
			   &r) == 0);
	CHECK(!r.replayed && r.tx >= 1 && r.balance == 100);
	CHECK_STR(r.reply, arena_sprintf(a, "{\"tx\":%lld,\"balance\":100}",
					 (long long)r.tx));

	/* 33 at 70%: 23 (rounded down) to bob, 10 to the platform. */
	CHECK(ledger_spend(s, a, alice, 33, bob, 70, "buy:1", "doc 1", &r) ==
	      0);
	CHECK(r.balance == 67);
	CHECK(balance_of(s, alice) == 67);
	CHECK(balance_of(s, bob) == 23);
	CHECK(ledger_revenue(s, &rev) == 0 && rev == 10);

	/* All to the provider, all to the platform. */
	CHECK(ledger_spend(s, a, alice, 7, bob, 100, "buy:2", NULL, &r) == 0);
	CHECK(ledger_spend(s, a, alice, 5, 0, 70, "buy:3", NULL, &r) == 0);
	CHECK(balance_of(s, alice) == 55 && balance_of(s, bob) == 30);
	CHECK(ledger_revenue(s, &rev) == 0 && rev == 15);

	/* Bad parameters post nothing. */
	CHECK(ledger_grant(s, a, alice, 0, "k0", "", &r) == WK_EINVAL);
	CHECK(ledger_grant(s, a, alice, -5, "k1", "", &r) == WK_EINVAL);
	CHECK(ledger_grant(s, a, alice, LEDGER_MAX_AMOUNT + 1, "k2", "",
			   &r) == WK_EINVAL);
	CHECK(ledger_grant(s, a, alice, 1, "", "", &r) == WK_EINVAL);
	CHECK(ledger_spend(s, a, alice, 1, alice, 70, "k3", NULL, &r) ==
	      WK_EINVAL);
	CHECK(ledger_spend(s, a, alice, 1, bob, 101, "k4", NULL, &r) ==
	      WK_EINVAL);
	CHECK(ledger_grant(s, a, 999999, 1, "k5", "", &r) == WK_ENOTFOUND);
	CHECK(tx_count(dir) == 4);

	CHECK(store_ledger_check(s, err, sizeof(err)) == 0);
	store_close(s);
	rm_tmp(dir);
	arena_free(a);
}

TEST(ledger_overspend_is_refused_and_posts_nothing)
{
	char dir[64], err[256];
	struct store *s;
	struct arena *a = arena_new(0);
	struct ledger_result r;
	int64_t carol, dave, rev;

	CHECK(sodium_init() >= 0);
	if (!(s = open_tmp(dir)))
		return;
	carol = add_user(s, "carol");
	dave = add_user(s, "dave");
	/* No account at all yet. */
	CHECK(ledger_spend(s, a, carol, 1, dave, 70, "c:0", NULL, &r) ==
	      WK_EFORBIDDEN);
	CHECK(ledger_grant(s, a, carol, 10, "g:carol", "", &r) == 0);
	CHECK(ledger_spend(s, a, carol, 11, dave, 70, "c:1", NULL, &r) ==
	      WK_EFORBIDDEN);
	CHECK(r.reply == NULL);
	CHECK(balance_of(s, carol) == 10 && balance_of(s, dave) == 0);
	CHECK(ledger_revenue(s, &rev) == 0 && rev == 0);
	CHECK(tx_count(dir) == 1);
	/* The refused key was not used up: the same key can succeed. */
	CHECK(ledger_spend(s, a, carol, 10, dave, 70, "c:1b", NULL, &r) ==
	      0);
	CHECK(r.balance == 0);
	CHECK(ledger_spend(s, a, carol, 1, dave, 70, "c:2", NULL, &r) ==
	      WK_EFORBIDDEN);
	CHECK(store_ledger_check(s, err, sizeof(err)) == 0);
	store_close(s);
	rm_tmp(dir);
	arena_free(a);
}

TEST(ledger_idempotency_replays_and_refuses_other_parameters)
{
	char dir[64], err[256];
	struct store *s;
	struct arena *a = arena_new(0);
	struct ledger_result r1, r2;
	const char *first;
	int64_t erin, frank;

	CHECK(sodium_init() >= 0);
	if (!(s = open_tmp(dir)))
		return;
	erin = add_user(s, "erin");
	frank = add_user(s, "frank");
	CHECK(ledger_grant(s, a, erin, 50, "g:erin", "bonus", &r1) == 0);
	CHECK(ledger_grant(s, a, erin, 50, "g:erin", "bonus", &r2) == 0);
	CHECK(r2.replayed && r2.tx == r1.tx);
	CHECK_STR(r2.reply, r1.reply);
	CHECK(balance_of(s, erin) == 50);

	CHECK(ledger_spend(s, a, erin, 20, frank, 70, "buy:9", "doc 9", &r1) ==
	      0);
	first = r1.reply;
	/* Later activity changes the balance; the replay does not. */
	CHECK(ledger_grant(s, a, erin, 5, "g:erin:2", "bonus", &r2) == 0);
	CHECK(ledger_spend(s, a, erin, 20, frank, 70, "buy:9", "doc 9", &r2) ==
	      0);
	CHECK(r2.replayed);
	CHECK_STR(r2.reply, first);
	CHECK(r2.balance == 30);
	CHECK(balance_of(s, erin) == 35);
	CHECK(tx_count(dir) == 3);

	/* Same key, other parameters: refused, nothing posted. */
	CHECK(ledger_spend(s, a, erin, 21, frank, 70, "buy:9", "doc 9", &r2) ==
	      WK_ECONFLICT);
	CHECK(ledger_spend(s, a, erin, 20, frank, 60, "buy:9", "doc 9", &r2) ==
	      WK_ECONFLICT);
	CHECK(ledger_spend(s, a, erin, 20, frank, 70, "buy:9", "doc 8", &r2) ==
	      WK_ECONFLICT);
	CHECK(ledger_grant(s, a, erin, 20, "buy:9", "doc 9", &r2) ==
	      WK_ECONFLICT);
	CHECK(balance_of(s, erin) == 35);
	CHECK(tx_count(dir) == 3);

	/* And after a restart. */
	store_close(s);
	s = store_open(dir, err, sizeof(err));
	CHECK(s != NULL);
	if (!s)
		goto out;
	CHECK(ledger_spend(s, a, erin, 20, frank, 70, "buy:9", "doc 9", &r2) ==
	      0);
	CHECK(r2.replayed);
	CHECK_STR(r2.reply, first);
	CHECK(store_ledger_check(s, err, sizeof(err)) == 0);
	store_close(s);
out:
	rm_tmp(dir);
	arena_free(a);
}

TEST(ledger_store_post_rules)
{
	char dir[64], err[256];
	struct store *s;
	struct arena *a = arena_new(0);
	const char *reply;
	bool replayed;
	int64_t u, iss, rev, tx, b;
	struct store_posting p[3];
	struct store_ledger_tx t = { .idem_key = "raw:1", .kind = "grant",
				     .request_hash = "h1", .postings = p };

	if (!(s = open_tmp(dir)))
		return;
	u = add_user(s, "gina");
	CHECK(store_ledger_account(s, "user", u, true, &u) == 0);
	CHECK(store_ledger_account(s, "issuance", 0, true, &iss) == 0);
	CHECK(store_ledger_account(s, "revenue", 0, true, &rev) == 0);
	CHECK(store_ledger_account(s, "revenue", 0, true, &b) == 0 &&
	      b == rev);
	CHECK(store_ledger_account(s, "revenue", 5, true, &b) == WK_EINVAL);
	CHECK(store_ledger_account(s, "user", 0, true, &b) == WK_EINVAL);
	CHECK(store_ledger_account(s, "bank", 0, true, &b) == WK_EINVAL);

	/* Not summing to zero, too few postings, a zero amount, one
	 * account twice. */
	p[0] = (struct store_posting){ iss, -5 };
	p[1] = (struct store_posting){ u, 4 };
	t.n = 2;
	CHECK(store_ledger_post(s, a, &t, &reply, &replayed, &tx) ==
	      WK_EINVAL);
	t.n = 1;
	CHECK(store_ledger_post(s, a, &t, &reply, &replayed, &tx) ==
	      WK_EINVAL);
	p[0] = (struct store_posting){ iss, 0 };
	p[1] = (struct store_posting){ u, 0 };
	t.n = 2;
	CHECK(store_ledger_post(s, a, &t, &reply, &replayed, &tx) ==
	      WK_EINVAL);
	p[0] = (struct store_posting){ u, -5 };
	p[1] = (struct store_posting){ u, 5 };
	CHECK(store_ledger_post(s, a, &t, &reply, &replayed, &tx) ==
	      WK_EINVAL);
	/* A missing account. */
	p[0] = (struct store_posting){ iss, -5 };
	p[1] = (struct store_posting){ 4242, 5 };
	CHECK(store_ledger_post(s, a, &t, &reply, &replayed, &tx) ==
	      WK_ENOTFOUND);

	/* Three postings; the default reply. */
	p[0] = (struct store_posting){ iss, -9 };
	p[1] = (struct store_posting){ u, 6 };
	p[2] = (struct store_posting){ rev, 3 };
	t.n = 3;
	CHECK(store_ledger_post(s, a, &t, &reply, &replayed, &tx) == 0);
	CHECK(!replayed);
	CHECK_STR(reply, arena_sprintf(a, "{\"tx\":%lld}", (long long)tx));
	/* The second posting fails: the first one's balance move is
	 * undone too. */
	p[0] = (struct store_posting){ rev, 3 };
	p[1] = (struct store_posting){ u, -7 };
	p[2] = (struct store_posting){ iss, 4 };
	t.idem_key = "raw:2";
	CHECK(store_ledger_post(s, a, &t, &reply, &replayed, &tx) ==
	      WK_EFORBIDDEN);
	CHECK(store_ledger_balance(s, rev, &b) == 0 && b == 3);
	CHECK(store_ledger_balance(s, u, &b) == 0 && b == 6);

	/* Inside a caller's ledger transaction: a failed post is undone
	 * by its savepoint, the caller's other work survives. */
	CHECK(store_write_begin(s) == 0);
	CHECK(store_ledger_post(s, a, &t, &reply, &replayed, &tx) ==
	      WK_EINVAL);	/* not opened by store_ledger_begin */
	store_write_rollback(s);
	CHECK(store_ledger_begin(s) == 0);
	CHECK(store_sync_level(s) == 2);	/* FULL */
	CHECK(store_ledger_post(s, a, &t, &reply, &replayed, &tx) ==
	      WK_EFORBIDDEN);
	p[1] = (struct store_posting){ u, -6 };
	p[2] = (struct store_posting){ iss, 3 };
	t.idem_key = "raw:3";
	CHECK(store_ledger_post(s, a, &t, &reply, &replayed, &tx) == 0);
	CHECK(store_write_commit(s) == 0);
	CHECK(store_sync_level(s) == 1);	/* back to NORMAL */
	CHECK(store_ledger_balance(s, u, &b) == 0 && b == 0);
	CHECK(store_ledger_balance(s, rev, &b) == 0 && b == 6);
	CHECK(store_ledger_check(s, err, sizeof(err)) == 0);
	if (err[0])
		fprintf(stderr, "    %s\n", err);
	store_close(s);
	rm_tmp(dir);
	arena_free(a);
}

TEST(ledger_schema_is_append_only_and_checker_sees_damage)
{
	char dir[64], err[256];
	struct store *s;
	struct arena *a = arena_new(0);
	struct ledger_result r;
	int64_t hal, ivy;
	sqlite3 *db;

	CHECK(sodium_init() >= 0);
	if (!(s = open_tmp(dir)))
		return;
	hal = add_user(s, "hal");
	ivy = add_user(s, "ivy");
	CHECK(ledger_grant(s, a, hal, 40, "g:hal", "", &r) == 0);
	CHECK(ledger_spend(s, a, hal, 10, ivy, 70, "b:1", NULL, &r) == 0);
	db = raw_open(dir);
	CHECK(db != NULL);
	if (!db)
		goto out;
	CHECK(raw_exec(db, "UPDATE ledger_postings SET amount = amount * 2") !=
	      SQLITE_OK);
	CHECK(strstr(sqlite3_errmsg(db), "append-only") != NULL);
	CHECK(raw_exec(db, "DELETE FROM ledger_postings") != SQLITE_OK);
	CHECK(raw_exec(db, "UPDATE ledger_transactions SET reply = '{}'") !=
	      SQLITE_OK);
	CHECK(raw_exec(db, "DELETE FROM ledger_transactions") != SQLITE_OK);
	CHECK(raw_int(db, "SELECT COUNT(*) FROM ledger_postings") == 5);
	/* The balance CHECK holds even against raw SQL. */
	CHECK(raw_exec(db, "UPDATE ledger_accounts SET balance = -1 "
			   "WHERE kind = 'user'") != SQLITE_OK);
	CHECK(store_ledger_check(s, err, sizeof(err)) == 0);

	/* Damage the checker must see: a cached balance off... */
	CHECK(raw_exec(db, "UPDATE ledger_accounts SET balance = balance + 1 "
			   "WHERE kind = 'revenue'") == SQLITE_OK);
	CHECK(store_ledger_check(s, err, sizeof(err)) == WK_ECONFLICT);
	CHECK_CONTAINS(err, "cached balance");
	CHECK(raw_exec(db, "UPDATE ledger_accounts SET balance = balance - 1 "
			   "WHERE kind = 'revenue'") == SQLITE_OK);
	CHECK(store_ledger_check(s, err, sizeof(err)) == 0);
	/* ... and a transaction that does not balance (inserts are
	 * allowed, so only the checker can catch this). */
	CHECK(raw_exec(db,
		       "INSERT INTO ledger_transactions (id, idem_key, kind, "
		       "request_hash, reply, created_at) VALUES "
		       "(100, 'forged', 'grant', 'x', '{}', 0);"
		       "INSERT INTO ledger_postings (tx_id, account_id, amount) "
		       "SELECT 100, id, 5 FROM ledger_accounts "
		       "WHERE kind = 'revenue';"
		       "INSERT INTO ledger_postings (tx_id, account_id, amount) "
		       "SELECT 100, id, -4 FROM ledger_accounts "
		       "WHERE kind = 'issuance';") == SQLITE_OK);
	CHECK(store_ledger_check(s, err, sizeof(err)) == WK_ECONFLICT);
	CHECK_CONTAINS(err, "transaction 100: postings sum to 1");
	sqlite3_close(db);
out:
	store_close(s);
	rm_tmp(dir);
	arena_free(a);
}

TEST(ledger_migration_sections)
{
	char dir[64];
	struct store *s;
	sqlite3 *db;

	if (!(s = open_tmp(dir)))
		return;
	CHECK(store_schema_version(s) >= 9);
	store_close(s);
	db = raw_open(dir);
	CHECK(db != NULL);
	if (db) {
		/* sqlite-only kept, postgres-only left out. */
		CHECK(raw_int(db, "SELECT COUNT(*) FROM sqlite_master WHERE "
				  "type = 'trigger' AND name LIKE 'ledger_%'") ==
		      4);
		CHECK(raw_int(db, "SELECT COUNT(*) FROM sqlite_master WHERE "
				  "sql LIKE '%plpgsql%'") == 0);
		sqlite3_close(db);
	}
	rm_tmp(dir);
}

/* ---- concurrency ---------------------------------------------------------*/

#define THREADS 8
#define SPENDS 50

struct spender {
	struct store *s;
	int64_t user, payee;
	int thread;
	int ok, refused, other;
	atomic_int *negative;
};

static void *spend_loop(void *arg)
{
	struct spender *sp = arg;
	int i;

	for (i = 0; i < SPENDS; i++) {
		struct arena *a = arena_new(0);
		struct ledger_result r;
		char key[64];
		int64_t b;
		int rc;

		snprintf(key, sizeof(key), "t%d:%d", sp->thread, i);
		rc = ledger_spend(sp->s, a, sp->user, 1, sp->payee, 70, key,
				  NULL, &r);
		if (rc == 0)
			sp->ok++;
		else if (rc == WK_EFORBIDDEN)
			sp->refused++;
		else
			sp->other++;
		if (rc == 0 && r.balance < 0)
			atomic_fetch_add(sp->negative, 1);
		if (ledger_balance(sp->s, sp->user, &b) || b < 0)
			atomic_fetch_add(sp->negative, 1);
		arena_free(a);
	}
	return NULL;
}

TEST(ledger_concurrent_spends_never_overdraw)
{
	char dir[64], err[256];
	struct store *s;
	struct arena *a = arena_new(0);
	struct ledger_result r;
	struct spender sp[THREADS];
	pthread_t th[THREADS];
	atomic_int negative = 0;
	int64_t jo, kim, rev;
	int i, ok = 0, refused = 0, other = 0;

	CHECK(sodium_init() >= 0);
	if (!(s = open_tmp(dir)))
		return;
	jo = add_user(s, "jo");
	kim = add_user(s, "kim");
	CHECK(ledger_grant(s, a, jo, 100, "g:jo", "", &r) == 0);
	for (i = 0; i < THREADS; i++) {
		sp[i] = (struct spender){ .s = s, .user = jo, .payee = kim,
					  .thread = i, .negative = &negative };
		CHECK(pthread_create(&th[i], NULL, spend_loop, &sp[i]) == 0);
	}
	for (i = 0; i < THREADS; i++) {
		pthread_join(th[i], NULL);
		ok += sp[i].ok;
		refused += sp[i].refused;
		other += sp[i].other;
	}
	CHECK(ok == 100);
	CHECK(refused == THREADS * SPENDS - 100);
	CHECK(other == 0);
	CHECK(atomic_load(&negative) == 0);
	CHECK(balance_of(s, jo) == 0);
	/* Each 1-point sale at 70% rounds down to 0 for the provider. */
	CHECK(balance_of(s, kim) == 0);
	CHECK(ledger_revenue(s, &rev) == 0 && rev == 100);
	CHECK(tx_count(dir) == 101);
	CHECK(store_ledger_check(s, err, sizeof(err)) == 0);
	if (err[0])
		fprintf(stderr, "    %s\n", err);
	store_close(s);
	rm_tmp(dir);
	arena_free(a);
}

/* The same key sent by 8 threads at once: one transaction, one reply. */
struct retrier {
	struct store *s;
	int64_t user, payee;
	int rc;
	bool replayed;
	char reply[64];
};

static void *retry_once(void *arg)
{
	struct retrier *rt = arg;
	struct arena *a = arena_new(0);
	struct ledger_result r;

	rt->rc = ledger_spend(rt->s, a, rt->user, 3, rt->payee, 70, "same",
			      "doc 1", &r);
	if (rt->rc == 0) {
		rt->replayed = r.replayed;
		snprintf(rt->reply, sizeof(rt->reply), "%s", r.reply);
	}
	arena_free(a);
	return NULL;
}

TEST(ledger_concurrent_retries_post_once)
{
	char dir[64], err[256];
	struct store *s;
	struct arena *a = arena_new(0);
	struct ledger_result r;
	struct retrier rt[THREADS];
	pthread_t th[THREADS];
	int64_t lee, max;
	int i, fresh = 0;

	CHECK(sodium_init() >= 0);
	if (!(s = open_tmp(dir)))
		return;
	lee = add_user(s, "lee");
	max = add_user(s, "max");
	CHECK(ledger_grant(s, a, lee, 10, "g:lee", "", &r) == 0);
	for (i = 0; i < THREADS; i++) {
		rt[i] = (struct retrier){ .s = s, .user = lee, .payee = max };
		CHECK(pthread_create(&th[i], NULL, retry_once, &rt[i]) == 0);
	}
	for (i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < THREADS; i++) {
		CHECK(rt[i].rc == 0);
		fresh += !rt[i].replayed;
		CHECK_STR(rt[i].reply, rt[0].reply);
	}
	CHECK(fresh == 1);
	CHECK(balance_of(s, lee) == 7);
	CHECK(tx_count(dir) == 2);
	CHECK(store_ledger_check(s, err, sizeof(err)) == 0);
	store_close(s);
	rm_tmp(dir);
	arena_free(a);
}

TEST(ledger_rewards_once_per_account_and_per_china_day)
{
	char dir[64], err[256];
	struct store *s;
	struct arena *a = arena_new(0);
	struct store_ledger_entry *e;
	struct ledger_result r;
	bool already;
	size_t n;
	/* 2026-11-27 15:59:59 UTC is 23:59:59 in China; a second later it
	 * is the next China day, though still the same UTC day. */
	const int64_t before = 1795795199, after = before + 1;
	int64_t u;

	CHECK(sodium_init() >= 0);
	if (!(s = open_tmp(dir)))
		return;
	u = add_user(s, "rewardee");

	/* Registration bonus: once, and 0 gives nothing. */
	CHECK(ledger_reward_register(s, a, u, 20, &r) == 0 && !r.replayed &&
	      r.balance == 20);
	CHECK(ledger_reward_register(s, a, u, 20, &r) == 0 && r.replayed);
	CHECK(ledger_reward_register(s, a, u, 0, &r) == 0 && r.tx == 0);
	CHECK(balance_of(s, u) == 20);

	/* Sign-in: once per China day, even if the amount setting changes
	 * in between; again after China midnight. */
	CHECK(ledger_signin(s, a, u, before, 5, &r, &already) == 0 &&
	      !already && r.balance == 25);
	CHECK(ledger_signin(s, a, u, before - 3600, 5, &r, &already) == 0 &&
	      already && r.balance == 25);
	CHECK(ledger_signin(s, a, u, before, 9, &r, &already) == 0 &&
	      already && r.balance == 25);
	CHECK(ledger_signin(s, a, u, after, 5, &r, &already) == 0 &&
	      !already && r.balance == 30);
	CHECK(ledger_signin(s, a, u, after, 0, &r, &already) == WK_EINVAL);
	CHECK(balance_of(s, u) == 30);

	/* History, newest first, with what each was for. */
	CHECK(store_ledger_history(s, a, u, 10, &e, &n) == 0 && n == 3);
	if (n == 3) {
		CHECK(e[0].amount == 5 && !strcmp(e[0].memo, LEDGER_MEMO_SIGNIN));
		CHECK(e[1].amount == 5 && !strcmp(e[1].memo, LEDGER_MEMO_SIGNIN));
		CHECK(e[2].amount == 20 &&
		      !strcmp(e[2].memo, LEDGER_MEMO_REGISTER));
		CHECK(e[0].tx > e[1].tx && e[1].tx > e[2].tx);
	}
	CHECK(store_ledger_history(s, a, u, 1, &e, &n) == 0 && n == 1);
	CHECK(store_ledger_history(s, a, u + 100, 10, &e, &n) == 0 && n == 0);

	CHECK(store_ledger_check(s, err, sizeof(err)) == 0);
	store_close(s);
	rm_tmp(dir);
	arena_free(a);
}

TEST(codes_normalise_accepts_typing_variants_only)
{
	char out[CODE_CHARS + 1];

	CHECK(codes_normalise("7K3QD-M2X9A-0B1CE-FGHJK", out));
	CHECK_STR(out, "7K3QDM2X9A0B1CEFGHJK");
	/* case, spaces, O for 0, I and L for 1 */
	CHECK(codes_normalise(" 7k3qd m2x9a-ob1ce-fghjk ", out));
	CHECK_STR(out, "7K3QDM2X9A0B1CEFGHJK");
	CHECK(codes_normalise("7K3QD-M2X9A-0BICE-FGHJK", out));
	CHECK_STR(out, "7K3QDM2X9A0B1CEFGHJK");
	CHECK(codes_normalise("7K3QD-M2X9A-0BLCE-FGHJK", out));
	CHECK(!codes_normalise("7K3QD-M2X9A-0B1CE-FGHJ", out));	/* short */
	CHECK(!codes_normalise("7K3QD-M2X9A-0B1CE-FGHJKK", out));	/* long */
	CHECK(!codes_normalise("7K3QD-M2X9A-0B1CE-FGHJU", out));	/* U */
	CHECK(!codes_normalise("7K3QD-M2X9A-0B1CE-FGHJ'", out));
	CHECK(!codes_normalise("", out));
	CHECK(!codes_normalise(NULL, out));
}

struct redeemer {
	struct store *s;
	int64_t user;
	const char *code;
	enum code_outcome oc;
	int rc;
};

static void *redeem_once(void *arg)
{
	struct redeemer *rd = arg;
	struct arena *a = arena_new(0);
	struct ledger_result r;

	rd->rc = codes_redeem(rd->s, a, rd->user, rd->code, 1800000000,
			      &rd->oc, &r);
	arena_free(a);
	return NULL;
}

TEST(codes_generate_redeem_once_hashes_only)
{
	char dir[64], err[256], path[128], users[THREADS][24];
	char (*codes)[CODE_TEXT] = calloc(50, CODE_TEXT);
	struct store *s;
	struct arena *a = arena_new(0);
	struct ledger_result r;
	struct redeemer rd[THREADS];
	pthread_t th[THREADS];
	enum code_outcome oc;
	int64_t u1, u2, now = 1800000000, sum = 0;
	int i, j, wins = 0;
	FILE *f;

	CHECK(sodium_init() >= 0);
	if (!codes || !(s = open_tmp(dir))) {
		free(codes);
		return;
	}
	u1 = add_user(s, "coder1");
	u2 = add_user(s, "coder2");
	CHECK(codes_generate(s, "b1", 30, 50, now + 86400, now, codes) == 0);
	/* Shape, and 50 different codes. */
	for (i = 0; i < 50; i++) {
		CHECK(strlen(codes[i]) == 23 && codes[i][5] == '-' &&
		      codes[i][11] == '-' && codes[i][17] == '-');
		for (j = 0; j < i; j++)
			CHECK(strcmp(codes[i], codes[j]) != 0);
	}
	/* Bad batches are refused. */
	CHECK(codes_generate(s, "", 30, 1, now + 1, now, codes + 49) ==
	      WK_EINVAL);
	CHECK(codes_generate(s, "b", 0, 1, now + 1, now, codes + 49) ==
	      WK_EINVAL);
	CHECK(codes_generate(s, "b", 5, 1, now, now, codes + 49) ==
	      WK_EINVAL);

	/* Redeem: ok, replay for the same account, used for another. */
	CHECK(codes_redeem(s, a, u1, codes[0], now, &oc, &r) == 0 &&
	      oc == CODE_OK && !r.replayed && r.balance == 30);
	CHECK(codes_redeem(s, a, u1, codes[0], now, &oc, &r) == 0 &&
	      oc == CODE_OK && r.replayed && r.balance == 30);
	CHECK(codes_redeem(s, a, u2, codes[0], now, &oc, &r) == 0 &&
	      oc == CODE_USED);
	/* Lower case with spaces still works; a wrong one does not. */
	for (i = 0; codes[1][i]; i++)
		if (codes[1][i] >= 'A' && codes[1][i] <= 'Z')
			codes[1][i] = (char)(codes[1][i] - 'A' + 'a');
		else if (codes[1][i] == '-')
			codes[1][i] = ' ';
	CHECK(codes_redeem(s, a, u2, codes[1], now, &oc, &r) == 0 &&
	      oc == CODE_OK && r.balance == 30);
	CHECK(codes_redeem(s, a, u2, "00000-00000-00000-00000", now, &oc,
			   &r) == 0 && oc == CODE_INVALID);
	CHECK(codes_redeem(s, a, u2, "not a code", now, &oc, &r) == 0 &&
	      oc == CODE_INVALID);
	/* Expired: nothing posted. */
	CHECK(codes_redeem(s, a, u2, codes[2], now + 86400, &oc, &r) == 0 &&
	      oc == CODE_EXPIRED);
	CHECK(balance_of(s, u1) == 30 && balance_of(s, u2) == 30);

	/* THREADS accounts try one code at once: one wins. */
	for (i = 0; i < THREADS; i++) {
		snprintf(users[i], sizeof(users[i]), "racer%d", i);
		rd[i] = (struct redeemer){ .s = s, .user = add_user(s, users[i]),
					   .code = codes[3] };
	}
	for (i = 0; i < THREADS; i++)
		CHECK(pthread_create(&th[i], NULL, redeem_once, &rd[i]) == 0);
	for (i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < THREADS; i++) {
		CHECK(rd[i].rc == 0);
		CHECK(rd[i].oc == CODE_OK || rd[i].oc == CODE_USED);
		wins += rd[i].oc == CODE_OK;
		sum += balance_of(s, rd[i].user);
	}
	CHECK(wins == 1 && sum == 30);
	CHECK(store_ledger_check(s, err, sizeof(err)) == 0);
	store_close(s);

	/* Only hashes on disk: no code appears in the database. */
	snprintf(path, sizeof(path), "%s/wenku.db", dir);
	if ((f = fopen(path, "rb"))) {
		static char db[1 << 22];
		size_t n = fread(db, 1, sizeof(db) - 1, f);
		char plain[CODE_CHARS + 1];
		fclose(f);
		db[n] = '\0';
		CHECK(n > 0);
		CHECK(codes_normalise(codes[10], plain));
		CHECK(memmem(db, n, plain, CODE_CHARS) == NULL);
		CHECK(memmem(db, n, codes[10], 23) == NULL);
	}
	rm_tmp(dir);
	arena_free(a);
	free(codes);
}

TEST(payments_signature_and_credit_once)
{
	static const char secret[] = "gateway-secret-0123456789";
	static const char body[] =
		"{\"payment_id\":\"ali-7\",\"user\":\"payer\",\"points\":50}";
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	char hex[2 * sizeof(mac) + 1], bad[sizeof(hex)], err[256], dir[64];
	struct arena *a = arena_new(0);
	struct ledger_result r;
	struct store *s;
	int64_t u;

	CHECK(sodium_init() >= 0);
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret,
				    strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body,
				      strlen(body));
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));

	CHECK(payments_signature_ok(secret, body, strlen(body), hex));
	/* One flipped bit of body or signature, another key, a short
	 * secret, malformed hex: all refused. */
	CHECK(!payments_signature_ok(secret, body, strlen(body) - 1, hex));
	memcpy(bad, hex, sizeof(hex));
	bad[0] = bad[0] == 'a' ? 'b' : 'a';
	CHECK(!payments_signature_ok(secret, body, strlen(body), bad));
	CHECK(!payments_signature_ok("gateway-secret-0123456780", body,
				     strlen(body), hex));
	CHECK(!payments_signature_ok("short", body, strlen(body), hex));
	CHECK(!payments_signature_ok(secret, body, strlen(body), NULL));
	CHECK(!payments_signature_ok(secret, body, strlen(body), "abcd"));
	memcpy(bad, hex, sizeof(hex));
	bad[10] = 'x';
	CHECK(!payments_signature_ok(secret, body, strlen(body), bad));

	if (!(s = open_tmp(dir))) {
		arena_free(a);
		return;
	}
	u = add_user(s, "payer");
	CHECK(payments_credit(s, a, body, strlen(body), &r) == 0 &&
	      !r.replayed && r.balance == 50);
	CHECK(payments_credit(s, a, body, strlen(body), &r) == 0 &&
	      r.replayed && r.balance == 50);
#define CREDIT(js) payments_credit(s, a, js, strlen(js), &r)
	CHECK(CREDIT("{\"payment_id\":\"ali-7\",\"user\":\"payer\","
		     "\"points\":51}") == WK_ECONFLICT);
	CHECK(CREDIT("{\"payment_id\":\"ali-8\",\"user\":\"ghost\","
		     "\"points\":5}") == WK_ENOTFOUND);
	CHECK(CREDIT("{\"payment_id\":\"ali 9\",\"user\":\"payer\","
		     "\"points\":5}") == WK_EINVAL);
	CHECK(CREDIT("{\"payment_id\":\"\",\"user\":\"payer\","
		     "\"points\":5}") == WK_EINVAL);
	CHECK(CREDIT("{\"payment_id\":\"ali-10\",\"user\":\"payer\","
		     "\"points\":0}") == WK_EINVAL);
	CHECK(CREDIT("{\"payment_id\":\"ali-11\",\"user\":\"payer\","
		     "\"points\":100000001}") == WK_EINVAL);
	CHECK(CREDIT("{\"payment_id\":\"ali-12\",\"user\":\"payer\","
		     "\"points\":\"5\"}") == WK_EINVAL);
#undef CREDIT
	CHECK(balance_of(s, u) == 50);
	CHECK(store_ledger_check(s, err, sizeof(err)) == 0);
	store_close(s);
	rm_tmp(dir);
	arena_free(a);
}

struct buyer {
	struct store *s;
	int64_t user;
	struct store_doc d;
	enum buy_outcome oc;
	int rc;
};

static void *buy_once(void *arg)
{
	struct buyer *b = arg;
	struct arena *a = arena_new(0);
	struct ledger_result r;

	b->rc = purchase_buy(b->s, a, b->user, &b->d, 70, "licence v1", 1,
			     &b->oc, &r);
	arena_free(a);
	return NULL;
}

TEST(purchase_charges_once_splits_and_entitles)
{
	char dir[64], err[256];
	struct store *s;
	struct arena *a = arena_new(0);
	struct store_doc paid, free_doc, cheap;
	struct ledger_result r;
	struct buyer bs[THREADS];
	pthread_t th[THREADS];
	enum buy_outcome oc;
	int64_t prov, buyer, poor, rev, tx;
	int i, ok = 0;

	CHECK(sodium_init() >= 0);
	if (!(s = open_tmp(dir)))
		return;
	prov = add_user(s, "provider1");
	buyer = add_user(s, "buyer1");
	poor = add_user(s, "poor1");
	CHECK(store_doc_get(s, a, add_paid_doc(s, "付费文档", 30, prov),
			    &paid) == 0);
	CHECK(store_doc_get(s, a, add_paid_doc(s, "免费文档", 0, prov),
			    &free_doc) == 0);
	CHECK(store_doc_get(s, a, add_paid_doc(s, "便宜文档", 3, prov),
			    &cheap) == 0);
	CHECK(ledger_grant(s, a, buyer, 100, "g:buyer", "", &r) == 0);
	CHECK(ledger_grant(s, a, poor, 10, "g:poor", "", &r) == 0);

	/* Nobody may download a paid document before buying it. */
	CHECK(purchase_may_download(s, buyer, &paid, false) == WK_EFORBIDDEN);
	CHECK(purchase_may_download(s, 0, &paid, true) == WK_EFORBIDDEN);
	CHECK(purchase_may_download(s, prov, &paid, false) == 0);	/* own */
	/* Free: signed-in accounts; guests only when allowed. */
	CHECK(purchase_may_download(s, buyer, &free_doc, false) == 0);
	CHECK(purchase_may_download(s, 0, &free_doc, false) == WK_EFORBIDDEN);
	CHECK(purchase_may_download(s, 0, &free_doc, true) == 0);

	/* Short of points: nothing charged, no entitlement. */
	CHECK(purchase_buy(s, a, poor, &paid, 70, "licence v1", 1, &oc, &r) ==
	      0 && oc == BUY_SHORT && r.balance == 10);
	CHECK(balance_of(s, poor) == 10);
	CHECK(store_entitlement_get(s, poor, paid.id, NULL) == WK_ENOTFOUND);
	/* Free and own documents are not sold. */
	CHECK(purchase_buy(s, a, buyer, &free_doc, 70, "", 1, &oc, &r) == 0 &&
	      oc == BUY_FREE);
	CHECK(purchase_buy(s, a, prov, &paid, 70, "", 1, &oc, &r) == 0 &&
	      oc == BUY_OWN);

	/* Bought: 30 from the buyer, 21 to the provider, 9 kept. */
	CHECK(purchase_buy(s, a, buyer, &paid, 70, "licence v1", 1, &oc, &r) ==
	      0 && oc == BUY_OK && r.balance == 70);
	tx = r.tx;
	CHECK(balance_of(s, prov) == 21);
	CHECK(ledger_revenue(s, &rev) == 0 && rev == 9);
	CHECK(purchase_may_download(s, buyer, &paid, false) == 0);
	/* Again: already bought, the same transaction, nothing charged. */
	CHECK(purchase_buy(s, a, buyer, &paid, 70, "licence v2", 1, &oc, &r) ==
	      0 && oc == BUY_ALREADY && r.tx == tx && r.balance == 70);
	CHECK(balance_of(s, buyer) == 70);

	/* THREADS clicks at once on another document: one charge. */
	for (i = 0; i < THREADS; i++) {
		bs[i] = (struct buyer){ .s = s, .user = buyer, .d = cheap };
		CHECK(pthread_create(&th[i], NULL, buy_once, &bs[i]) == 0);
	}
	for (i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < THREADS; i++) {
		CHECK(bs[i].rc == 0);
		CHECK(bs[i].oc == BUY_OK || bs[i].oc == BUY_ALREADY);
		ok += bs[i].oc == BUY_OK;
	}
	CHECK(ok == 1);
	CHECK(balance_of(s, buyer) == 67);
	CHECK(store_ledger_check(s, err, sizeof(err)) == 0);
	store_close(s);

	/* An entitlement forged without a purchase is caught. */
	{
		sqlite3 *db = raw_open(dir);
		char sql[200];
		CHECK(db != NULL);
		snprintf(sql, sizeof(sql),
			 "INSERT INTO entitlements (user_id, doc_id, tx_id, "
			 "price, license_text, created_at) VALUES (%lld, %lld, "
			 "1, 30, '', 1)", (long long)poor, (long long)paid.id);
		CHECK(db && sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK);
		sqlite3_close(db);
		s = store_open(dir, err, sizeof(err));
		CHECK(s != NULL);
		if (s) {
			CHECK(store_ledger_check(s, err, sizeof(err)) ==
			      WK_ECONFLICT);
			CHECK(strstr(err, "not a purchase") != NULL);
			store_close(s);
		}
	}
	rm_tmp(dir);
	arena_free(a);
}

TEST(trace_stamps_text_and_finds_genuine_marks)
{
	static const struct {
		const char *name;
		const char *data;
		size_t len;
	} files[] = {
		{ "utf8", "第一行\n第二行\n", 20 },
		{ "utf8-bom", "\xef\xbb\xbf正文\n", 10 },
		{ "utf16le", "\xff\xfe\x63\x6b\x87\x65", 6 },
		{ "utf16be", "\xfe\xff\x6b\x63\x65\x87", 6 },
		{ "gb18030", "\xd5\xfd\xce\xc4\n", 5 },
	};
	unsigned char key[TRACE_KEY_BYTES], key2[TRACE_KEY_BYTES], *out;
	char mark[TRACE_MARK_MAX];
	size_t i, n;
	bool genuine;
	int64_t id;

	CHECK(sodium_init() >= 0);
	randombytes_buf(key, sizeof(key));
	randombytes_buf(key2, sizeof(key2));
	trace_mark(key, 4711, mark);
	CHECK(strncmp(mark, "D4711-", 6) == 0 && strlen(mark) == 16);

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		const unsigned char *in = (const unsigned char *)files[i].data;
		out = NULL;
		CHECK(trace_stamp(NULL, "txt", in, files[i].len, mark, &out, &n) == 0);
		if (!out)
			continue;
		/* The original follows the stamp, BOM kept first. */
		CHECK(n > files[i].len);
		if (in[0] == 0xef || in[0] == 0xff || in[0] == 0xfe)
			CHECK(memcmp(out, in, in[0] == 0xef ? 3 : 2) == 0);
		CHECK(memcmp(out + n - (files[i].len - (in[0] == 0xef ? 3
			     : in[0] >= 0xfe ? 2 : 0)),
			     in + (in[0] == 0xef ? 3 : in[0] >= 0xfe ? 2 : 0),
			     files[i].len - (in[0] == 0xef ? 3
					     : in[0] >= 0xfe ? 2 : 0)) == 0);
		if (!strcmp(files[i].name, "utf8"))
			CHECK(memcmp(out, "下载编号 D4711-", 18) == 0);
		id = 0;
		CHECK(trace_find(NULL, key, out, n, &id, &genuine) == 0);
		if (id != 4711 || !genuine)
			fprintf(stderr, "    %s: id %lld\n", files[i].name,
				(long long)id);
		CHECK(id == 4711 && genuine);
		/* Another site's key: found, not genuine. */
		CHECK(trace_find(NULL, key2, out, n, &id, &genuine) == 0 && !genuine);
		free(out);
	}
	/* A changed number is not genuine; no mark at all is said. */
	{
		char forged[64];
		snprintf(forged, sizeof(forged), "下载编号 D4712-%s\n",
			 mark + 6);
		CHECK(trace_find(NULL, key, (const unsigned char *)forged,
				 strlen(forged), &id, &genuine) == 0 &&
		      id == 4712 && !genuine);
		CHECK(trace_find(NULL, key, (const unsigned char *)"plain text", 10,
				 &id, &genuine) == WK_ENOTFOUND);
	}
	CHECK(trace_stamp(NULL, "rtf", (const unsigned char *)"{\\rtf", 5, mark,
			  &out, &n) == WK_EUNSUPPORTED);
	CHECK(trace_stamp(NULL, "txt", (const unsigned char *)"\xff\xfe\0\0", 4,
			  mark, &out, &n) == WK_EUNSUPPORTED);
}

TEST(trace_stamps_docx_which_still_parses)
{
	unsigned char key[TRACE_KEY_BYTES], *out = NULL;
	struct parse_result pr;
	char mark[TRACE_MARK_MAX], err[256];
	size_t len = 0, n = 0;
	char *in = tp_slurp(TP_DATA "reference-lecture.docx", &len);
	bool genuine = false;
	int64_t id = 0;

	CHECK(sodium_init() >= 0);
	if (!in)
		return;
	randombytes_buf(key, sizeof(key));
	trace_mark(key, 99, mark);
	/* The original carries no mark. */
	CHECK(trace_find(NULL, key, (unsigned char *)in, len, &id, &genuine) ==
	      WK_ENOTFOUND);
	CHECK(trace_stamp(NULL, "docx", (unsigned char *)in, len, mark, &out, &n) ==
	      0);
	if (out) {
		CHECK(trace_find(NULL, key, out, n, &id, &genuine) == 0 && id == 99 &&
		      genuine);
		/* Still a good docx, whose text now ends with the mark. */
		memset(&pr, 0, sizeof(pr));
		CHECK(parse_document(out, n, NULL, &pr, err, sizeof(err)) == 0);
		CHECK(pr.text && strstr(pr.text, "下载编号 D99-") != NULL);
		CHECK(pr.text && strstr(pr.text, "党建") != NULL);
		parse_result_release(&pr);
		free(out);
	}
	/* Not a zip: unsupported, nothing made. */
	out = NULL;
	CHECK(trace_stamp(NULL, "docx", (const unsigned char *)"not a zip", 9, mark,
			  &out, &n) == WK_EUNSUPPORTED && out == NULL);
	free(in);
}

/* The time of word/document.xml in a zip held in memory; -1 if none. */
static time_t docx_entry_time(const void *data, size_t len)
{
	zip_source_t *src;
	zip_t *za;
	zip_stat_t st;
	time_t t = -1;

	src = zip_source_buffer_create(data, len, 0, NULL);
	za = src ? zip_open_from_source(src, ZIP_RDONLY, NULL) : NULL;
	if (!za) {
		zip_source_free(src);
		return -1;
	}
	if (zip_stat(za, "word/document.xml", 0, &st) == 0 &&
	    (st.valid & ZIP_STAT_MTIME))
		t = st.mtime;
	zip_close(za);
	return t;
}

TEST(trace_stamp_of_a_docx_is_the_same_bytes_each_time)
{
	unsigned char key[TRACE_KEY_BYTES], *a = NULL, *b = NULL;
	char mark[TRACE_MARK_MAX];
	size_t len = 0, na = 0, nb = 0;
	char *in = tp_slurp(TP_DATA "reference-lecture.docx", &len);

	if (!in)
		return;
	randombytes_buf(key, sizeof(key));
	trace_mark(key, 7, mark);
	/* The rewritten entry keeps its own time, not the clock's, so a
	 * replayed download serves the very same copy. */
	CHECK(trace_stamp(NULL, "docx", (unsigned char *)in, len, mark, &a, &na) == 0);
	CHECK(a && docx_entry_time(a, na) == docx_entry_time(in, len));
	CHECK(docx_entry_time(in, len) != -1);
	CHECK(trace_stamp(NULL, "docx", (unsigned char *)in, len, mark, &b, &nb) == 0);
	CHECK(a && b && na == nb && memcmp(a, b, na) == 0);
	free(a);
	free(b);
	free(in);
}

/* Editors split the stamped line into runs; LibreOffice puts "下载编号 "
 * and the mark in two. The mark is still read, and when LibreOffice is
 * installed a real re-save is checked too. */
TEST(trace_survives_split_runs_and_libreoffice_resave)
{
	unsigned char key[TRACE_KEY_BYTES], *out = NULL;
	char mark[TRACE_MARK_MAX], doc[512], *zip;
	size_t zlen = 0, n = 0, len = 0;
	bool genuine = false;
	int64_t id = 0;
	char *in;

	CHECK(sodium_init() >= 0);
	randombytes_buf(key, sizeof(key));
	trace_mark(key, 4242, mark);
	snprintf(doc, sizeof(doc),
		 "<w:document xmlns:w=\"x\"><w:body><w:p><w:r><w:t "
		 "xml:space=\"preserve\">下载编号 </w:t></w:r><w:r><w:t>%.6s"
		 "</w:t></w:r><w:r><w:t>%s</w:t></w:r></w:p></w:body>"
		 "</w:document>", mark, mark + 6);
	{
		struct tp_zent e[] = { { "word/document.xml", doc, 0 },
				       { NULL, NULL, 0 } };
		zip = tp_zip(e, TP_ZIP_FAST, &zlen);
	}
	CHECK(zip != NULL);
	if (zip)
		CHECK(trace_find(NULL, key, (unsigned char *)zip, zlen, &id,
				 &genuine) == 0 && id == 4242 && genuine);
	free(zip);

	if (access("/usr/bin/soffice", X_OK) != 0)
		return;	/* the split-run case above stands for it */
	in = tp_slurp(TP_DATA "reference-lecture.docx", &len);
	if (!in)
		return;
	CHECK(trace_stamp(NULL, "docx", (unsigned char *)in, len, mark, &out, &n) ==
	      0);
	free(in);
	if (!out)
		return;
	{
		char dir[] = "/tmp/wenku-lo.XXXXXX", path[128], cmd[512];
		FILE *f;
		size_t rn = 0;
		char *re;
		CHECK(mkdtemp(dir) != NULL);
		snprintf(path, sizeof(path), "%s/stamped.docx", dir);
		if ((f = fopen(path, "wb"))) {
			fwrite(out, 1, n, f);
			fclose(f);
		}
		snprintf(cmd, sizeof(cmd),
			 "cd '%s' && timeout 120 soffice --headless "
			 "-env:UserInstallation=file://%s/profile --convert-to "
			 "'docx:MS Word 2007 XML' --outdir out stamped.docx "
			 ">/dev/null 2>&1", dir, dir);
		CHECK(system(cmd) == 0);
		snprintf(path, sizeof(path), "%s/out/stamped.docx", dir);
		re = tp_read(path, &rn);
		CHECK(re != NULL && rn > 0);
		if (re) {
			CHECK(memcmp(re, out, rn < n ? rn : n) != 0); /* rewritten */
			CHECK(trace_find(NULL, key, (unsigned char *)re, rn, &id,
					 &genuine) == 0 && id == 4242 && genuine);
			free(re);
		}
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "    could not remove %s\n", dir);
	}
	free(out);
}

TEST(comment_rewards_capped_per_day_and_taken_back_on_delete)
{
	char dir[64], err[256];
	struct store *s;
	struct arena *a = arena_new(0);
	struct ledger_result r;
	bool given;
	int64_t u, taken, now = 1795795199 - 3600;	/* 22:59 China */
	int i;

	CHECK(sodium_init() >= 0);
	if (!(s = open_tmp(dir)))
		return;
	u = add_user(s, "commenter");
	/* 3 a day at 2 points: comments 1-3 rewarded, 4 not. */
	for (i = 1; i <= 4; i++) {
		CHECK(ledger_reward_comment(s, a, u, i, now, 2, 3, &given) == 0);
		CHECK(given == (i <= 3));
	}
	CHECK(balance_of(s, u) == 6);
	/* The same comment again: no second reward. */
	CHECK(ledger_reward_comment(s, a, u, 1, now, 2, 3, &given) == 0 &&
	      !given);
	/* A new China day (after 00:00 UTC+8): rewarded again. */
	CHECK(ledger_reward_comment(s, a, u, 5, now + 3601, 2, 3, &given) ==
	      0 && given);
	CHECK(balance_of(s, u) == 8);
	/* Deleting takes back what was given, once; an unrewarded
	 * comment takes nothing. */
	CHECK(ledger_revoke_comment(s, a, u, 1, &taken) == 0 && taken == 2);
	CHECK(ledger_revoke_comment(s, a, u, 1, &taken) == 0 && taken == 0);
	CHECK(ledger_revoke_comment(s, a, u, 4, &taken) == 0 && taken == 0);
	CHECK(balance_of(s, u) == 6);
	/* Points already spent: as much as is left, never below zero. */
	CHECK(ledger_spend(s, a, u, 5, 0, 70, "spend:1", NULL, &r) == 0);
	CHECK(balance_of(s, u) == 1);
	CHECK(ledger_revoke_comment(s, a, u, 2, &taken) == 0 && taken == 1);
	CHECK(balance_of(s, u) == 0);
	CHECK(ledger_revoke_comment(s, a, u, 3, &taken) == 0 && taken == 0);
	CHECK(store_ledger_check(s, err, sizeof(err)) == 0);
	store_close(s);
	rm_tmp(dir);
	arena_free(a);
}
