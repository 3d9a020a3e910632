/*
 * ratelimit.c - a bounded table of keys, each with a ring of the times
 * of its counted hits, kept in least-recently-used order for eviction.
 */
#include "ratelimit.h"

#include "../base/err.h"

#include <pthread.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct entry {
	struct entry *chain;		/* next in the bucket */
	struct entry *newer, *older;	/* the LRU list */
	uint64_t hash;
	int64_t *ts;			/* ring of hit times, oldest at head */
	unsigned cap, head, n;
	size_t keylen;
	char key[];
};

struct ratelimit {
	pthread_mutex_t lock;
	struct entry **buckets;
	size_t mask;			/* bucket count - 1, a power of two */
	unsigned count, max;
	struct entry *newest, *oldest;
	unsigned char hkey[crypto_shorthash_KEYBYTES];
};

struct ratelimit *ratelimit_new(unsigned max_keys)
{
	struct ratelimit *rl;
	size_t nb = 16;

	if (!max_keys || sodium_init() < 0)
		return NULL;
	while (nb < max_keys)
		nb *= 2;
	rl = calloc(1, sizeof(*rl));
	if (!rl)
		return NULL;
	rl->buckets = calloc(nb, sizeof(*rl->buckets));
	if (!rl->buckets) {
		free(rl);
		return NULL;
	}
	rl->mask = nb - 1;
	rl->max = max_keys;
	randombytes_buf(rl->hkey, sizeof(rl->hkey));
	pthread_mutex_init(&rl->lock, NULL);
	return rl;
}

void ratelimit_free(struct ratelimit *rl)
{
	struct entry *e, *next;

	if (!rl)
		return;
	for (e = rl->newest; e; e = next) {
		next = e->older;
		free(e->ts);
		free(e);
	}
	pthread_mutex_destroy(&rl->lock);
	free(rl->buckets);
	free(rl);
}

/* ---- the table ---------------------------------------------------------- */

static uint64_t key_hash(const struct ratelimit *rl, const char *key,
			 size_t len)
{
	unsigned char h[crypto_shorthash_BYTES];
	uint64_t v;

	crypto_shorthash(h, (const unsigned char *)key, len, rl->hkey);
	memcpy(&v, h, sizeof(v));
	return v;
}

static struct entry *find(struct ratelimit *rl, const char *key, size_t len,
			  uint64_t hash)
{
	struct entry *e;

	for (e = rl->buckets[hash & rl->mask]; e; e = e->chain)
		if (e->hash == hash && e->keylen == len &&
		    !memcmp(e->key, key, len))
			return e;
	return NULL;
}

static void lru_unlink(struct ratelimit *rl, struct entry *e)
{
	if (e->newer)
		e->newer->older = e->older;
	else
		rl->newest = e->older;
	if (e->older)
		e->older->newer = e->newer;
	else
		rl->oldest = e->newer;
	e->newer = e->older = NULL;
}

static void lru_push(struct ratelimit *rl, struct entry *e)
{
	e->newer = NULL;
	e->older = rl->newest;
	if (rl->newest)
		rl->newest->newer = e;
	rl->newest = e;
	if (!rl->oldest)
		rl->oldest = e;
}

static void remove_entry(struct ratelimit *rl, struct entry *e)
{
	struct entry **pp = &rl->buckets[e->hash & rl->mask];

	while (*pp != e)
		pp = &(*pp)->chain;
	*pp = e->chain;
	lru_unlink(rl, e);
	rl->count--;
	free(e->ts);
	free(e);
}

/* A new, empty entry for key with room for cap hits, made newest; the
 * least recently used key goes first if the table is full. */
static struct entry *add(struct ratelimit *rl, const char *key, size_t len,
			 uint64_t hash, unsigned cap)
{
	struct entry *e = calloc(1, sizeof(*e) + len);

	if (!e)
		return NULL;
	e->ts = malloc(cap * sizeof(*e->ts));
	if (!e->ts) {
		free(e);
		return NULL;
	}
	if (rl->count == rl->max)
		remove_entry(rl, rl->oldest);
	e->cap = cap;
	e->hash = hash;
	e->keylen = len;
	memcpy(e->key, key, len);
	e->chain = rl->buckets[hash & rl->mask];
	rl->buckets[hash & rl->mask] = e;
	lru_push(rl, e);
	rl->count++;
	return e;
}

/* ---- the window ---------------------------------------------------------- */

/* Drop the hits that have left the window: a hit at t counts while
 * now - t < window. */
static void prune(struct entry *e, unsigned window, int64_t now)
{
	while (e->n && e->ts[e->head] <= now - (int64_t)window) {
		e->head = (e->head + 1) % e->cap;
		e->n--;
	}
}

/* WK_EFORBIDDEN with *retry_after set when e already has limit hits in
 * the window, else 0. With n >= limit hits, the attempt is allowed once
 * all but limit - 1 have left: when hit number n - limit (from the
 * oldest) does. */
static int decide(const struct entry *e, unsigned limit, unsigned window,
		  int64_t now, unsigned *retry_after)
{
	int64_t wait;

	if (e->n < limit)
		return 0;
	wait = e->ts[(e->head + e->n - limit) % e->cap] + window - now;
	if (retry_after)
		*retry_after = wait < 1 ? 1 :
			       wait > window ? window : (unsigned)wait;
	return WK_EFORBIDDEN;
}

/* Make room for cap hits, keeping their order (oldest at 0). */
static int grow(struct entry *e, unsigned cap)
{
	int64_t *ts = malloc(cap * sizeof(*ts));
	unsigned i;

	if (!ts)
		return WK_ENOMEM;
	for (i = 0; i < e->n; i++)
		ts[i] = e->ts[(e->head + i) % e->cap];
	free(e->ts);
	e->ts = ts;
	e->cap = cap;
	e->head = 0;
	return 0;
}

static int limit_args(const char *key, unsigned *limit, unsigned window,
		      size_t *len)
{
	*len = strlen(key);
	if (!*limit || !window || *len > RATELIMIT_MAX_KEY)
		return WK_EINVAL;
	if (*limit > RATELIMIT_MAX_LIMIT)
		*limit = RATELIMIT_MAX_LIMIT;
	return 0;
}

int ratelimit_hit(struct ratelimit *rl, const char *key, unsigned limit,
		  unsigned window_s, int64_t now, unsigned *retry_after)
{
	struct entry *e;
	uint64_t hash;
	size_t len;
	int rc;

	if ((rc = limit_args(key, &limit, window_s, &len)))
		return rc;
	hash = key_hash(rl, key, len);
	pthread_mutex_lock(&rl->lock);
	e = find(rl, key, len, hash);
	if (!e && !(e = add(rl, key, len, hash, limit))) {
		rc = WK_ENOMEM;
		goto out;
	}
	lru_unlink(rl, e);
	lru_push(rl, e);
	prune(e, window_s, now);
	if ((rc = decide(e, limit, window_s, now, retry_after)))
		goto out;
	if (e->n == e->cap && (rc = grow(e, limit)))
		goto out;
	e->ts[(e->head + e->n) % e->cap] = now;
	e->n++;
out:
	pthread_mutex_unlock(&rl->lock);
	return rc;
}

int ratelimit_check(struct ratelimit *rl, const char *key, unsigned limit,
		    unsigned window_s, int64_t now, unsigned *retry_after)
{
	struct entry *e;
	uint64_t hash;
	size_t len;
	int rc;

	if ((rc = limit_args(key, &limit, window_s, &len)))
		return rc;
	hash = key_hash(rl, key, len);
	pthread_mutex_lock(&rl->lock);
	e = find(rl, key, len, hash);
	if (e) {
		prune(e, window_s, now);
		if (!e->n)
			remove_entry(rl, e);	/* nothing left to remember */
		else
			rc = decide(e, limit, window_s, now, retry_after);
	}
	pthread_mutex_unlock(&rl->lock);
	return rc;
}

void ratelimit_reset(struct ratelimit *rl, const char *key)
{
	size_t len = strlen(key);
	uint64_t hash = key_hash(rl, key, len);
	struct entry *e;

	pthread_mutex_lock(&rl->lock);
	if ((e = find(rl, key, len, hash)))
		remove_entry(rl, e);
	pthread_mutex_unlock(&rl->lock);
}

unsigned ratelimit_count(struct ratelimit *rl)
{
	unsigned n;

	pthread_mutex_lock(&rl->lock);
	n = rl->count;
	pthread_mutex_unlock(&rl->lock);
	return n;
}
