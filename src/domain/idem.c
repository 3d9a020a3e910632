/*
 * idem.c - Idempotency-Key claims and replies (idem.h).
 *
 * A claim is a row inserted as 'pending' under UNIQUE (user, key): the
 * database decides which of several concurrent requests runs. The
 * others read the row: another fingerprint is a reuse, 'done' a replay,
 * 'pending' a wait. A pending row is never trusted forever: its owner
 * names a process ("pid:random"); WAL needs shared memory, so every
 * process using the database runs on this machine and a vanished pid
 * means the owner is dead.
 */
#include "idem.h"

#include "../base/err.h"
#include "../base/log.h"
#include "../store/store.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define POLL_MS 20
#define PURGE_EVERY_S 60

bool idem_key_ok(const char *key)
{
	size_t n = 0;

	if (!key)
		return false;
	for (; key[n]; n++)
		if ((unsigned char)key[n] < 0x20 ||
		    (unsigned char)key[n] > 0x7e || n == IDEM_KEY_MAX)
			return false;
	return n > 0;
}

void idem_fingerprint(const char *method, const char *path,
		      const void *body, size_t len, char out[65])
{
	crypto_hash_sha256_state st;
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)method,
				  strlen(method) + 1);	/* with its NUL */
	crypto_hash_sha256_update(&st, (const unsigned char *)path,
				  strlen(path) + 1);
	if (len)
		crypto_hash_sha256_update(&st, body, len);
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(out, 65, h, sizeof(h));
}

static char owner_name[48];
static pthread_once_t owner_once = PTHREAD_ONCE_INIT;

static void owner_init(void)
{
	uint64_t r;

	if (sodium_init() < 0)
		abort();	/* cannot happen after main's sodium_init */
	randombytes_buf(&r, sizeof(r));
	snprintf(owner_name, sizeof(owner_name), "%ld:%016" PRIx64,
		 (long)getpid(), r);
}

const char *idem_owner(void)
{
	pthread_once(&owner_once, owner_init);
	return owner_name;
}

/* Whether the process named by owner is certainly gone: it is not us,
 * and either had our pid (we are a later process) or its pid is free. */
static bool owner_dead(const char *owner)
{
	const char *me = idem_owner();
	char *end;
	long pid;

	if (!strcmp(owner, me))
		return false;
	pid = strtol(owner, &end, 10);
	if (end == owner || *end != ':' || pid <= 0)
		return false;	/* not ours to judge: wait for staleness */
	if (pid == (long)getpid())
		return true;
	return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Drop expired keys, at most once a minute per process. */
static void purge_now_and_then(struct store *s, int64_t now)
{
	static _Atomic int64_t last;
	int64_t prev = atomic_load(&last), n = 0;

	if (now - prev < PURGE_EVERY_S ||
	    !atomic_compare_exchange_strong(&last, &prev, now))
		return;
	if (store_idem_purge(s, now - IDEM_TTL_S, &n) == 0 && n)
		log_info("purged %" PRId64 " expired idempotency keys", n);
}

int idem_claim(struct store *s, struct arena *a, int64_t user_id,
	       const char *key, const char *fp, int64_t now, unsigned wait_ms,
	       enum idem_outcome *out, struct idem_claim *c)
{
	const char *me = idem_owner();
	int64_t deadline = mono_ms() + wait_ms;
	struct store_idem row;
	int rc;

	memset(c, 0, sizeof(*c));
	purge_now_and_then(s, now);
	for (;;) {
		rc = store_idem_insert(s, user_id, key, fp, me, now, &c->row);
		if (rc == 0) {
			*out = IDEM_RUN;
			return 0;
		}
		if (rc != WK_ECONFLICT)
			return rc;
		rc = store_idem_get(s, a, user_id, key, &row);
		if (rc == WK_ENOTFOUND)
			continue;	/* released meanwhile: claim again */
		if (rc)
			return rc;
		if (row.created_at <= now - IDEM_TTL_S) {
			/* Expired but not purged yet: as if it were gone. */
			if ((rc = store_idem_delete(s, row.id, NULL,
						    row.created_at)))
				return rc;
			continue;
		}
		if (strcmp(row.fingerprint, fp)) {
			*out = IDEM_REUSED;
			return 0;
		}
		if (row.done) {
			*out = IDEM_REPLAY;
			c->status = row.status;
			c->body = row.body;
			c->body_len = row.body_len;
			c->download_id = row.download_id;
			return 0;
		}
		if (owner_dead(row.owner) ||
		    row.created_at <= now - IDEM_STALE_S) {
			rc = store_idem_takeover(s, row.id, row.owner, me, now);
			if (rc == 0) {
				log_warn("idempotency key of user %" PRId64
					 " taken over from %s", user_id,
					 row.owner);
				c->row = row.id;
				*out = IDEM_RUN;
				return 0;
			}
			if (rc != WK_ECONFLICT)
				return rc;
			continue;	/* someone else moved it: look again */
		}
		if (mono_ms() >= deadline) {
			*out = IDEM_BUSY;
			return 0;
		}
		{
			struct timespec ts = { 0, POLL_MS * 1000000L };
			nanosleep(&ts, NULL);
		}
		now = (int64_t)time(NULL);
	}
}

int idem_finish(struct store *s, const struct idem_claim *c, int status,
		const char *body, size_t len, int64_t download_id)
{
	return store_idem_finish(s, c->row, idem_owner(), status, body, len,
				 download_id);
}

int idem_release(struct store *s, const struct idem_claim *c)
{
	return store_idem_delete(s, c->row, idem_owner(), 0);
}
