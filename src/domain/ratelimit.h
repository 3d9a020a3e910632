/*
 * ratelimit.h - in-memory sliding-window limits against abuse (sign-in
 * attempts, sign-ups, comments, code redemption).
 *
 * A key ("signin-ip:203.0.113.9", "signin-user:alice") may have at most
 * `limit` counted hits in any `window_s` seconds. Each key keeps the
 * times of its counted hits in a small ring, so the window slides
 * exactly instead of resetting on the minute. The caller passes the time
 * (seconds, e.g. time(NULL)), which keeps tests off the real clock.
 *
 * Memory is bounded: at most max_keys keys, each with at most
 * RATELIMIT_MAX_LIMIT timestamps; when the table is full the least
 * recently used key is forgotten. Key hashing is keyed (SipHash with a
 * random key) so chosen keys can't pile into one bucket. One mutex
 * guards the table; every operation is O(1) apart from the key compare.
 */
#ifndef WK_RATELIMIT_H
#define WK_RATELIMIT_H

#include <stdint.h>

/* Larger limits are treated as this one. */
#define RATELIMIT_MAX_LIMIT 64
/* Keys longer than this (bytes) are refused with WK_EINVAL. */
#define RATELIMIT_MAX_KEY 256

struct ratelimit;

/* A limiter for at most max_keys keys (> 0). NULL when out of memory or
 * max_keys is 0. */
struct ratelimit *ratelimit_new(unsigned max_keys);
/* Free the limiter and every key. NULL is fine. */
void ratelimit_free(struct ratelimit *rl);

/* Count a hit on key at time now, if allowed. Returns 0 (allowed and
 * counted), WK_EFORBIDDEN when key already has `limit` hits in the last
 * window_s seconds (not counted; *retry_after, if not NULL, is the
 * seconds until enough of them leave the window, at least 1), WK_EINVAL
 * for a limit or window of 0 or an over-long key, WK_ENOMEM. Callers
 * should treat every non-zero return as "refuse". */
int ratelimit_hit(struct ratelimit *rl, const char *key, unsigned limit,
		  unsigned window_s, int64_t now, unsigned *retry_after);

/* The same answer without counting anything: for limits on failures
 * only, check before the attempt and hit when it fails. */
int ratelimit_check(struct ratelimit *rl, const char *key, unsigned limit,
		    unsigned window_s, int64_t now, unsigned *retry_after);

/* Forget key's hits (e.g. after a successful sign-in). */
void ratelimit_reset(struct ratelimit *rl, const char *key);

/* Number of keys held now. */
unsigned ratelimit_count(struct ratelimit *rl);

#endif
