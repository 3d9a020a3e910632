/* test_rewards.c - the upload reward: once per document, capped per
 * China day, and taken back when the document is rejected or removed
 * (as much as the balance holds, once). */
#include "../harness.h"
#include "../../src/base/arena.h"
#include "../../src/domain/ledger.h"
#include "ledger_util.h"

#include <time.h>

TEST(upload_reward_capped_per_day_and_taken_back)
{
	char dir[64], err[256];
	struct store *s = open_tmp(dir);
	struct arena *a = arena_new(0);
	struct ledger_result r;
	int64_t u, prov, taken, ntx;
	/* The cap counts the day's rewards by when they were posted, so
	 * "now" is the real clock here and "tomorrow" a day later. */
	int64_t T0 = (int64_t)time(NULL), T1 = T0 + 86400;
	bool given;
	int i;

	CHECK(s && a);
	if (!s || !a)
		return;
	prov = add_user(s, "uploader");
	u = add_user(s, "buyer");
	/* Three a day at 10 points; the fourth that day earns nothing. */
	for (i = 1; i <= 3; i++) {
		CHECK(ledger_reward_upload(s, a, prov, i, T0, 10, 3, &given) ==
		      0 && given);
	}
	CHECK(ledger_reward_upload(s, a, prov, 4, T0 + 60, 10, 3, &given) ==
	      0 && !given);
	/* The same document again: once only. */
	ntx = tx_count(dir);
	CHECK(ledger_reward_upload(s, a, prov, 1, T1, 10, 3,
				   &given) == 0 && !given);
	CHECK(tx_count(dir) == ntx);
	/* The next China day. */
	CHECK(ledger_reward_upload(s, a, prov, 5, T1, 10, 3,
				   &given) == 0 && given);
	CHECK(balance_of(s, prov) == 40);
	/* Amount 0 or cap 0: off. */
	CHECK(ledger_reward_upload(s, a, prov, 6, T1, 0, 3,
				   &given) == 0 && !given);
	CHECK(ledger_reward_upload(s, a, prov, 6, T1, 10, 0,
				   &given) == 0 && !given);
	/* Removed: the reward goes back, once. */
	CHECK(ledger_revoke_upload(s, a, prov, 1, &taken) == 0 && taken == 10);
	CHECK(ledger_revoke_upload(s, a, prov, 1, &taken) == 0 && taken == 0);
	CHECK(balance_of(s, prov) == 30);
	/* Never rewarded (over the cap): nothing to take. */
	CHECK(ledger_revoke_upload(s, a, prov, 4, &taken) == 0 && taken == 0);
	/* Spent meanwhile: as much as is left. */
	CHECK(ledger_spend(s, a, prov, 25, u, 0, "spend:1", "doc", &r) == 0);
	CHECK(ledger_revoke_upload(s, a, prov, 2, &taken) == 0 && taken == 5);
	CHECK(balance_of(s, prov) == 0);
	CHECK(ledger_revoke_upload(s, a, prov, 3, &taken) == 0 && taken == 0);
	/* A comment's key space is its own: comment 5 is not document 5. */
	CHECK(ledger_reward_comment(s, a, u, 5, T0, 2, 5, &given) == 0 &&
	      given);
	CHECK(ledger_revoke_upload(s, a, u, 5, &taken) == 0 && taken == 0);
	CHECK(store_ledger_check(s, err, sizeof(err)) == 0);
	arena_free(a);
	store_close(s);
	rm_tmp(dir);
}
