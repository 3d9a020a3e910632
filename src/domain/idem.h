/*
 * idem.h - the Idempotency-Key header: the first reply to a request is
 * kept and replayed for its retries (docs/ledger.md).
 *
 * A key belongs to one account and lives 24 hours. The request that
 * claims it first runs the operation and records the reply; a retry
 * with the same key and the same request (method, path and body, as a
 * SHA-256 fingerprint) gets that reply again, with nothing run; the
 * same key with another request is refused. A retry that arrives while
 * the first is still running waits for it (up to IDEM_WAIT_MS). A claim
 * whose owner died (kill -9, power loss) is taken over at once when the
 * owner was a process on this machine that is gone, else after
 * IDEM_STALE_S.
 */
#ifndef WK_IDEM_H
#define WK_IDEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct store;

#define IDEM_KEY_MAX 255		/* bytes of a key */
#define IDEM_TTL_S 86400		/* a key's life */
#define IDEM_STALE_S 60			/* a pending claim older is dead */
#define IDEM_WAIT_MS 10000		/* how long a retry should wait */

/* Whether key is 1..IDEM_KEY_MAX printable ASCII characters (space
 * to '~'). */
bool idem_key_ok(const char *key);

/* The request's fingerprint: hex SHA-256 of method, path and body. */
void idem_fingerprint(const char *method, const char *path,
		      const void *body, size_t len, char out[65]);

enum idem_outcome {
	IDEM_RUN,	/* claimed: run the operation, then idem_finish or
			 * idem_release */
	IDEM_REPLAY,	/* done before: *reply holds the reply */
	IDEM_REUSED,	/* the key was used for another request */
	IDEM_BUSY,	/* the first request is still running */
};

struct idem_claim {
	int64_t row;		/* IDEM_RUN: the claimed row */
	int status;		/* IDEM_REPLAY: the reply */
	const char *body;
	size_t body_len;
	int64_t download_id;	/* 0: none */
};

/* Claim key for user_id and a request of fingerprint fp at now, waiting
 * up to wait_ms for a running first request (IDEM_BUSY after that).
 * 0 with *out and *c (strings in a), or WK_EIO. Rows older than
 * IDEM_TTL_S are purged now and then. */
int idem_claim(struct store *s, struct arena *a, int64_t user_id,
	       const char *key, const char *fp, int64_t now, unsigned wait_ms,
	       enum idem_outcome *out, struct idem_claim *c);

/* Record the reply of a claimed request (download_id 0 when none). */
int idem_finish(struct store *s, const struct idem_claim *c, int status,
		const char *body, size_t len, int64_t download_id);

/* Give a claim up without a reply (the operation failed in a way worth
 * retrying): the key is free again. */
int idem_release(struct store *s, const struct idem_claim *c);

/* This process's name as an owner of claims ("pid:random"). */
const char *idem_owner(void);

#endif
