/*
 * test_idem.c - Idempotency-Key claims (domain/idem.c, store/idem.c):
 * key syntax, fingerprints, first claim runs, retries replay, reuse
 * refused, a dead owner's claim taken over, expiry, and many threads
 * racing for one key.
 */
#include "../harness.h"
#include "../../src/base/arena.h"
#include "../../src/base/err.h"
#include "../../src/domain/idem.h"
#include "../../src/store/store.h"

#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static struct store *open_tmp(char *dir)
{
	char err[256];
	struct store *s;

	strcpy(dir, "/tmp/wenku-idem.XXXXXX");
	if (!mkdtemp(dir))
		return NULL;
	s = store_open(dir, err, sizeof(err));
	if (!s)
		fprintf(stderr, "    store_open: %s\n", err);
	return s;
}

static void rm_tmp(const char *dir)
{
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "    could not remove %s\n", dir);
}

static int64_t add_user(struct store *s, const char *name)
{
	int64_t id = 0;
	CHECK(store_account_create(s, name, name, NULL, "reader", NULL, &id) ==
	      0);
	return id;
}

/* Run one SQL statement on a raw connection to dir's database. */
static int raw(const char *dir, const char *sql)
{
	char path[512];
	sqlite3 *db = NULL;
	int rc;

	snprintf(path, sizeof(path), "%s/wenku.db", dir);
	if (sqlite3_open(path, &db) != SQLITE_OK) {
		sqlite3_close(db);
		return -1;
	}
	sqlite3_busy_timeout(db, 10000);
	rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc;
}

TEST(idem_key_syntax)
{
	static const struct {
		const char *key;
		bool ok;
	} cases[] = {
		{ "a", true },
		{ "order-2024-07-01/42", true },
		{ "with space", true },
		{ "~!@#$%^&*()", true },
		{ "", false },
		{ "tab\there", false },
		{ "new\nline", false },
		{ "\x7f", false },
		{ "\xe4\xb8\xad", false },	/* UTF-8 is not ASCII */
	};
	char big[300];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK(idem_key_ok(cases[i].key) == cases[i].ok);
	CHECK(!idem_key_ok(NULL));
	memset(big, 'k', sizeof(big));
	big[IDEM_KEY_MAX] = '\0';
	CHECK(idem_key_ok(big));
	big[IDEM_KEY_MAX] = 'k';
	big[IDEM_KEY_MAX + 1] = '\0';
	CHECK(!idem_key_ok(big));
}

TEST(idem_fingerprint_covers_method_path_body)
{
	char a[65], b[65];

	idem_fingerprint("POST", "/api/v1/documents/1/purchase", "", 0, a);
	CHECK(strlen(a) == 64);
	idem_fingerprint("POST", "/api/v1/documents/1/purchase", "", 0, b);
	CHECK_STR(a, b);
	idem_fingerprint("POST", "/api/v1/documents/2/purchase", "", 0, b);
	CHECK(strcmp(a, b) != 0);
	idem_fingerprint("GET", "/api/v1/documents/1/purchase", "", 0, b);
	CHECK(strcmp(a, b) != 0);
	idem_fingerprint("POST", "/api/v1/documents/1/purchase", "{}", 2, b);
	CHECK(strcmp(a, b) != 0);
	/* The parts cannot slide into each other. */
	idem_fingerprint("POST", "/x", "y", 1, a);
	idem_fingerprint("POST", "/xy", "", 0, b);
	CHECK(strcmp(a, b) != 0);
}

TEST(idem_claim_run_replay_reuse_release)
{
	char dir[64], fp[65], fp2[65];
	struct store *s = open_tmp(dir);
	struct arena *a = arena_new(0);
	enum idem_outcome oc;
	struct idem_claim c, c2;
	int64_t u, v, now = (int64_t)time(NULL);

	CHECK(s && a);
	if (!s || !a)
		goto out;
	u = add_user(s, "ida");
	v = add_user(s, "vic");
	idem_fingerprint("POST", "/p", "", 0, fp);
	idem_fingerprint("POST", "/q", "", 0, fp2);
	CHECK(idem_claim(s, a, u, "k1", fp, now, 0, &oc, &c) == 0 &&
	      oc == IDEM_RUN && c.row > 0);
	/* Another account's key of the same name is its own. */
	CHECK(idem_claim(s, a, v, "k1", fp2, now, 0, &oc, &c2) == 0 &&
	      oc == IDEM_RUN);
	CHECK(idem_finish(s, &c, 200, "{\"tx\":1}\n", 9, 0) == 0);
	/* A second finish of the same claim is refused (not pending). */
	CHECK(idem_finish(s, &c, 500, "x", 1, 0) == WK_ECONFLICT);
	CHECK(idem_claim(s, a, u, "k1", fp, now, 0, &oc, &c) == 0 &&
	      oc == IDEM_REPLAY && c.status == 200 && c.body_len == 9 &&
	      !memcmp(c.body, "{\"tx\":1}\n", 9) && c.download_id == 0);
	CHECK(idem_claim(s, a, u, "k1", fp2, now, 0, &oc, &c) == 0 &&
	      oc == IDEM_REUSED);
	/* Released: the key is free again for any request. */
	CHECK(idem_release(s, &c2) == 0);
	CHECK(idem_claim(s, a, v, "k1", fp, now, 0, &oc, &c2) == 0 &&
	      oc == IDEM_RUN);
out:
	arena_free(a);
	store_close(s);
	rm_tmp(dir);
}

TEST(idem_dead_owner_taken_over_live_one_waited_for)
{
	char dir[64], fp[65], sql[300];
	struct store *s = open_tmp(dir);
	struct arena *a = arena_new(0);
	enum idem_outcome oc;
	struct idem_claim c;
	int64_t u, now = (int64_t)time(NULL);
	time_t t0;

	CHECK(s && a);
	if (!s || !a)
		goto out;
	u = add_user(s, "olga");
	idem_fingerprint("POST", "/p", "", 0, fp);
	/* A claim left by a process that is gone (2^22 + 1 is above the
	 * largest pid_max Linux allows). */
	snprintf(sql, sizeof(sql),
		 "INSERT INTO idempotent_replies (user_id, idem_key, "
		 "fingerprint, state, owner, created_at) VALUES (%lld, 'dead', "
		 "'%s', 'pending', '4194305:00', %lld)",
		 (long long)u, fp, (long long)now);
	CHECK(raw(dir, sql) == SQLITE_OK);
	CHECK(idem_claim(s, a, u, "dead", fp, now, 0, &oc, &c) == 0 &&
	      oc == IDEM_RUN);
	/* A claim of a live process (pid 1), fresh: waited for, then busy. */
	snprintf(sql, sizeof(sql),
		 "INSERT INTO idempotent_replies (user_id, idem_key, "
		 "fingerprint, state, owner, created_at) VALUES (%lld, 'live', "
		 "'%s', 'pending', '1:00', %lld)",
		 (long long)u, fp, (long long)now);
	CHECK(raw(dir, sql) == SQLITE_OK);
	t0 = time(NULL);
	CHECK(idem_claim(s, a, u, "live", fp, now, 1000, &oc, &c) == 0 &&
	      oc == IDEM_BUSY);
	CHECK(time(NULL) - t0 >= 1);
	/* The same claim, IDEM_STALE_S old: taken over. */
	CHECK(idem_claim(s, a, u, "live", fp, now + IDEM_STALE_S, 0, &oc, &c) ==
	      0 && oc == IDEM_RUN);
	/* A done reply older than a day is forgotten: the key runs again. */
	CHECK(idem_finish(s, &c, 200, "{}", 2, 0) == 0);
	CHECK(idem_claim(s, a, u, "live", fp, now + IDEM_STALE_S + IDEM_TTL_S,
			 0, &oc, &c) == 0 && oc == IDEM_RUN);
out:
	arena_free(a);
	store_close(s);
	rm_tmp(dir);
}

struct race {
	struct store *s;
	int64_t user;
	const char *fp;
	atomic_int runs, replays, other;
};

static void *racer(void *p)
{
	struct race *r = p;
	struct arena *a = arena_new(0);
	enum idem_outcome oc;
	struct idem_claim c;
	int i;

	for (i = 0; i < 20 && a; i++) {
		char key[32];
		snprintf(key, sizeof(key), "race-%d", i);
		if (idem_claim(r->s, a, r->user, key, r->fp,
			       (int64_t)time(NULL), IDEM_WAIT_MS, &oc,
			       &c)) {
			atomic_fetch_add(&r->other, 1);
			continue;
		}
		if (oc == IDEM_RUN) {
			atomic_fetch_add(&r->runs, 1);
			if (idem_finish(r->s, &c, 200, key, strlen(key), 0))
				atomic_fetch_add(&r->other, 1);
		} else if (oc == IDEM_REPLAY && c.body_len == strlen(key) &&
			   !memcmp(c.body, key, c.body_len)) {
			atomic_fetch_add(&r->replays, 1);
		} else {
			atomic_fetch_add(&r->other, 1);
		}
	}
	arena_free(a);
	return NULL;
}

TEST(idem_eight_threads_one_run_per_key)
{
	char dir[64], fp[65];
	struct store *s = open_tmp(dir);
	struct race r;
	pthread_t t[8];
	int i;

	CHECK(s != NULL);
	if (!s)
		goto out;
	memset(&r, 0, sizeof(r));
	r.s = s;
	r.user = add_user(s, "race");
	idem_fingerprint("POST", "/p", "", 0, fp);
	r.fp = fp;
	for (i = 0; i < 8; i++)
		pthread_create(&t[i], NULL, racer, &r);
	for (i = 0; i < 8; i++)
		pthread_join(t[i], NULL);
	CHECK(atomic_load(&r.runs) == 20);
	CHECK(atomic_load(&r.replays) == 8 * 20 - 20);
	CHECK(atomic_load(&r.other) == 0);
out:
	store_close(s);
	rm_tmp(dir);
}
