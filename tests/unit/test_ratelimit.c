/* test_ratelimit.c - the sliding-window limiter on a settable clock:
 * limits, retry times, sliding, reset, eviction and threads. */
#include "../harness.h"
#include "../../src/base/err.h"
#include "../../src/domain/ratelimit.h"

#include <pthread.h>
#include <stdio.h>

TEST(ratelimit_limit_and_retry_after)
{
	struct ratelimit *rl = ratelimit_new(100);
	unsigned retry = 0;

	CHECK(rl != NULL);
	if (!rl)
		return;
	CHECK(ratelimit_hit(rl, "k", 3, 60, 100, &retry) == 0);
	CHECK(ratelimit_hit(rl, "k", 3, 60, 110, &retry) == 0);
	CHECK(ratelimit_hit(rl, "k", 3, 60, 120, &retry) == 0);
	CHECK(ratelimit_hit(rl, "k", 3, 60, 130, &retry) == WK_EFORBIDDEN);
	CHECK(retry == 30);		/* the hit at 100 leaves at 160 */
	CHECK(ratelimit_hit(rl, "k", 3, 60, 159, &retry) == WK_EFORBIDDEN);
	CHECK(retry == 1);
	/* Refused hits are not counted: at 160 the first one has left. */
	CHECK(ratelimit_hit(rl, "k", 3, 60, 160, &retry) == 0);
	CHECK(ratelimit_hit(rl, "k", 3, 60, 161, &retry) == WK_EFORBIDDEN);
	CHECK(retry == 9);		/* 110 + 60 - 161 */
	CHECK(ratelimit_hit(rl, "k", 3, 60, 161, NULL) == WK_EFORBIDDEN);
	ratelimit_free(rl);
}

TEST(ratelimit_window_slides)
{
	struct ratelimit *rl = ratelimit_new(10);
	unsigned retry, allowed = 0;
	int64_t t;

	if (!rl)
		return;
	/* One attempt a second for 10 minutes against 5 a minute: a
	 * sliding window lets through exactly 5 in any 60 seconds. */
	for (t = 1000; t < 1600; t++)
		if (ratelimit_hit(rl, "k", 5, 60, t, &retry) == 0)
			allowed++;
	CHECK(allowed == 50);
	/* A quiet window later everything has left. */
	CHECK(ratelimit_check(rl, "k", 5, 60, 1600 + 60, &retry) == 0);
	ratelimit_free(rl);
}

TEST(ratelimit_check_does_not_count)
{
	struct ratelimit *rl = ratelimit_new(10);
	unsigned retry = 0;
	int i;

	if (!rl)
		return;
	for (i = 0; i < 20; i++)
		CHECK(ratelimit_check(rl, "signin-user:alice", 2, 60, 10, &retry)
		      == 0);
	CHECK(ratelimit_count(rl) == 0);	/* checks leave nothing */
	/* Check first, hit on failure: two failures shut the door. */
	CHECK(ratelimit_hit(rl, "signin-user:alice", 2, 60, 10, NULL) == 0);
	CHECK(ratelimit_check(rl, "signin-user:alice", 2, 60, 11, &retry) == 0);
	CHECK(ratelimit_hit(rl, "signin-user:alice", 2, 60, 11, NULL) == 0);
	CHECK(ratelimit_check(rl, "signin-user:alice", 2, 60, 12, &retry) ==
	      WK_EFORBIDDEN);
	CHECK(retry == 58);
	/* Once every hit has left, a check forgets the key. */
	CHECK(ratelimit_check(rl, "signin-user:alice", 2, 60, 71, &retry) == 0);
	CHECK(ratelimit_count(rl) == 0);
	ratelimit_free(rl);
}

TEST(ratelimit_reset_and_separate_keys)
{
	struct ratelimit *rl = ratelimit_new(10);
	unsigned retry;

	if (!rl)
		return;
	CHECK(ratelimit_hit(rl, "a", 1, 60, 0, &retry) == 0);
	CHECK(ratelimit_hit(rl, "a", 1, 60, 1, &retry) == WK_EFORBIDDEN);
	CHECK(ratelimit_hit(rl, "b", 1, 60, 1, &retry) == 0);
	CHECK(ratelimit_hit(rl, "ab", 1, 60, 1, &retry) == 0);
	CHECK(ratelimit_hit(rl, "", 1, 60, 1, &retry) == 0);
	CHECK(ratelimit_hit(rl, "", 1, 60, 1, &retry) == WK_EFORBIDDEN);
	CHECK(ratelimit_count(rl) == 4);
	ratelimit_reset(rl, "a");
	ratelimit_reset(rl, "never seen");
	CHECK(ratelimit_count(rl) == 3);
	CHECK(ratelimit_hit(rl, "a", 1, 60, 2, &retry) == 0);
	CHECK(ratelimit_hit(rl, "b", 1, 60, 2, &retry) == WK_EFORBIDDEN);
	ratelimit_free(rl);
}

TEST(ratelimit_limits_and_arguments)
{
	struct ratelimit *rl = ratelimit_new(10);
	char longkey[RATELIMIT_MAX_KEY + 2];
	unsigned retry, allowed = 0;
	int i;

	if (!rl)
		return;
	CHECK(ratelimit_new(0) == NULL);
	CHECK(ratelimit_hit(rl, "k", 0, 60, 0, &retry) == WK_EINVAL);
	CHECK(ratelimit_hit(rl, "k", 1, 0, 0, &retry) == WK_EINVAL);
	memset(longkey, 'k', sizeof(longkey) - 1);
	longkey[sizeof(longkey) - 1] = '\0';
	CHECK(ratelimit_hit(rl, longkey, 1, 60, 0, &retry) == WK_EINVAL);
	longkey[RATELIMIT_MAX_KEY] = '\0';
	CHECK(ratelimit_hit(rl, longkey, 1, 60, 0, &retry) == 0);
	/* A limit past RATELIMIT_MAX_LIMIT is that limit. */
	for (i = 0; i < 1000; i++)
		if (ratelimit_hit(rl, "big", 1000, 60, 0, &retry) == 0)
			allowed++;
	CHECK(allowed == RATELIMIT_MAX_LIMIT);
	/* A key first seen with a small limit grows with a larger one. */
	CHECK(ratelimit_hit(rl, "grow", 2, 60, 0, NULL) == 0);
	CHECK(ratelimit_hit(rl, "grow", 2, 60, 1, NULL) == 0);
	CHECK(ratelimit_hit(rl, "grow", 2, 60, 2, NULL) == WK_EFORBIDDEN);
	CHECK(ratelimit_hit(rl, "grow", 4, 60, 3, NULL) == 0);
	CHECK(ratelimit_hit(rl, "grow", 4, 60, 4, NULL) == 0);
	CHECK(ratelimit_hit(rl, "grow", 4, 60, 5, &retry) == WK_EFORBIDDEN);
	CHECK(retry == 55);
	/* ... and a smaller limit waits for enough hits to leave: with 4
	 * hits at 0, 1, 3, 4 and a limit of 2, until the one at 3 goes. */
	CHECK(ratelimit_hit(rl, "grow", 2, 60, 5, &retry) == WK_EFORBIDDEN);
	CHECK(retry == 58);
	ratelimit_free(rl);
}

TEST(ratelimit_eviction_bounds_memory)
{
	struct ratelimit *rl = ratelimit_new(100);
	char key[32];
	unsigned retry;
	int i;

	if (!rl)
		return;
	for (i = 0; i < 1000; i++) {
		snprintf(key, sizeof(key), "ip:%d", i);
		CHECK(ratelimit_hit(rl, key, 1, 3600, i, &retry) == 0);
		CHECK(ratelimit_count(rl) <= 100);
	}
	CHECK(ratelimit_count(rl) == 100);
	/* The newest keys are still limited... */
	CHECK(ratelimit_hit(rl, "ip:999", 1, 3600, 1000, &retry) ==
	      WK_EFORBIDDEN);
	CHECK(ratelimit_hit(rl, "ip:901", 1, 3600, 1000, &retry) ==
	      WK_EFORBIDDEN);
	/* ... the oldest were forgotten. */
	CHECK(ratelimit_hit(rl, "ip:0", 1, 3600, 1000, &retry) == 0);
	CHECK(ratelimit_count(rl) == 100);
	/* A key kept in use stays while newer ones push others out: ip:901
	 * was just used, so the next eviction takes ip:902. */
	CHECK(ratelimit_hit(rl, "fresh", 1, 3600, 1000, &retry) == 0);
	CHECK(ratelimit_hit(rl, "ip:901", 1, 3600, 1000, &retry) ==
	      WK_EFORBIDDEN);
	CHECK(ratelimit_hit(rl, "ip:902", 1, 3600, 1000, &retry) == 0);
	ratelimit_free(rl);
}

struct hit_job {
	struct ratelimit *rl;
	int id;
	unsigned shared_ok, own_ok, churn_err;
};

static void *hit_thread(void *arg)
{
	struct hit_job *j = arg;
	char key[32];
	int i;

	for (i = 0; i < 500; i++) {
		if (ratelimit_hit(j->rl, "shared", 50, 60, 1000, NULL) == 0)
			j->shared_ok++;
		snprintf(key, sizeof(key), "own:%d", j->id);
		if (ratelimit_hit(j->rl, key, 20, 60, 1000, NULL) == 0)
			j->own_ok++;
		snprintf(key, sizeof(key), "churn:%d:%d", j->id, i);
		if (ratelimit_hit(j->rl, key, 1, 60, 1000, NULL))
			j->churn_err++;
		ratelimit_check(j->rl, key, 1, 60, 1000, NULL);
		if (i % 7 == 0)
			ratelimit_reset(j->rl, key);
	}
	return NULL;
}

/* Eight threads at once: with room for every key, each allowed hit is
 * counted exactly once; with room for few, eviction runs all the time
 * and the table stays within its bound. */
static void run_threads(unsigned max_keys, unsigned *shared,
			unsigned own[8], unsigned *errs)
{
	struct ratelimit *rl = ratelimit_new(max_keys);
	struct hit_job jobs[8];
	pthread_t th[8];
	int i;

	*shared = *errs = 0;
	if (!rl)
		return;
	for (i = 0; i < 8; i++) {
		jobs[i] = (struct hit_job){ rl, i, 0, 0, 0 };
		CHECK(pthread_create(&th[i], NULL, hit_thread, &jobs[i]) == 0);
	}
	for (i = 0; i < 8; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < 8; i++) {
		*shared += jobs[i].shared_ok;
		own[i] = jobs[i].own_ok;
		*errs += jobs[i].churn_err;
	}
	CHECK(ratelimit_count(rl) <= max_keys);
	ratelimit_free(rl);
}

TEST(ratelimit_concurrent_hits_count_exactly)
{
	unsigned shared, own[8], errs;
	int i;

	run_threads(8 * 500 + 16, &shared, own, &errs);
	CHECK(shared == 50);
	for (i = 0; i < 8; i++)
		CHECK(own[i] == 20);
	CHECK(errs == 0);
}

TEST(ratelimit_concurrent_eviction_stays_bounded)
{
	unsigned shared, own[8], errs;

	run_threads(16, &shared, own, &errs);
	CHECK(errs == 0);
	CHECK(shared >= 50);	/* evicted keys start again */
}
