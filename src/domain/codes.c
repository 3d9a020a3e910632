/*
 * codes.c - redemption codes (codes.h).
 */
#include "codes.h"

#include "audit.h"
#include "ledger.h"
#include "vip.h"

#include "../base/arena.h"
#include "../base/err.h"
#include "../store/store.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

bool codes_normalise(const char *typed, char out[CODE_CHARS + 1])
{
	size_t n = 0;
	const char *p;

	if (!typed)
		return false;
	for (p = typed; *p; p++) {
		int c = (unsigned char)*p;

		if (c == '-' || c == ' ' || c == '\t')
			continue;
		if (c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		if (c == 'O')
			c = '0';
		else if (c == 'I' || c == 'L')
			c = '1';
		if (!strchr(alphabet, c) || n == CODE_CHARS)
			return false;
		out[n++] = (char)c;
	}
	out[n] = '\0';
	return n == CODE_CHARS;
}

static void hash_hex(const char *code, char hex[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)code, strlen(code));
	sodium_bin2hex(hex, 65, h, sizeof(h));
}

/* Record the hashes: as they are (command line), or for an admin as a
 * new batch with its audit entry in the same transaction. */
static int record(struct store *s, int64_t admin_id, const char *batch,
		  int64_t points, int64_t vip_plan_id, size_t count,
		  int64_t expires_at, int64_t now, const char *const *hp,
		  int64_t *batch_id)
{
	char what[128];
	int rc;

	if (!admin_id)
		return store_codes_add(s, batch, points, vip_plan_id,
				       expires_at, now, hp, count);
	if ((rc = store_write_begin(s)))
		return rc;
	if (points)
		snprintf(what, sizeof(what),
			 "points=%lld count=%zu expires=%lld",
			 (long long)points, count, (long long)expires_at);
	else
		snprintf(what, sizeof(what),
			 "vip_plan=%lld count=%zu expires=%lld",
			 (long long)vip_plan_id, count, (long long)expires_at);
	if ((rc = store_code_batch_exists(s, batch)) ||
	    (rc = store_codes_add(s, batch, points, vip_plan_id, expires_at,
				  now, hp, count)) ||
	    (rc = store_code_batch_id(s, batch, batch_id)) ||
	    (rc = audit_log(s, admin_id, "codes.create", AUDIT_CODE_BATCH,
			    *batch_id, NULL, what, batch))) {
		store_write_rollback(s);
		return rc;
	}
	return store_write_commit(s);
}

static int generate(struct store *s, int64_t admin_id, const char *batch,
		    int64_t points, int64_t vip_plan_id, size_t count,
		    int64_t expires_at, int64_t now, char (*codes)[CODE_TEXT],
		    int64_t *batch_id)
{
	char (*hex)[65];
	const char **hp;
	size_t i, j;
	int rc;

	if (!batch || !*batch || strlen(batch) > 64 || points < 0 ||
	    points > CODES_MAX_POINTS || (points > 0) == (vip_plan_id > 0) ||
	    vip_plan_id < 0 || count == 0 ||
	    count > CODES_MAX_BATCH || expires_at <= now)
		return WK_EINVAL;
	hex = calloc(count, sizeof(*hex));
	hp = calloc(count, sizeof(*hp));
	if (!hex || !hp) {
		free(hex);
		free(hp);
		return WK_ENOMEM;
	}
	for (i = 0; i < count; i++) {
		char plain[CODE_CHARS + 1];
		unsigned char r[CODE_CHARS];
		size_t k = 0;

		randombytes_buf(r, sizeof(r));
		for (j = 0; j < CODE_CHARS; j++) {
			plain[j] = alphabet[r[j] & 31];	/* 5 bits each */
			if (j && j % 5 == 0)
				codes[i][k++] = '-';
			codes[i][k++] = plain[j];
		}
		plain[CODE_CHARS] = '\0';
		codes[i][k] = '\0';
		hash_hex(plain, hex[i]);
		hp[i] = hex[i];
		sodium_memzero(plain, sizeof(plain));
	}
	rc = record(s, admin_id, batch, points, vip_plan_id, count,
		    expires_at, now, hp, batch_id);
	free(hex);
	free(hp);
	return rc;
}

int codes_generate(struct store *s, const char *batch, int64_t points,
		   size_t count, int64_t expires_at, int64_t now,
		   char (*codes)[CODE_TEXT])
{
	int64_t id;

	if (points <= 0)
		return WK_EINVAL;
	return generate(s, 0, batch, points, 0, count, expires_at, now, codes,
			&id);
}

static int plan_exists(struct store *s, int64_t vip_plan_id)
{
	struct store_vip_plan plan;
	struct arena *a = arena_new(0);
	int rc;

	if (!a)
		return WK_ENOMEM;
	rc = vip_plan_id > 0 ? store_vip_plan_get(s, a, vip_plan_id, &plan)
			     : WK_EINVAL;
	arena_free(a);
	return rc;
}

int codes_generate_vip(struct store *s, const char *batch,
		       int64_t vip_plan_id, size_t count, int64_t expires_at,
		       int64_t now, char (*codes)[CODE_TEXT])
{
	int64_t id;
	int rc;

	if ((rc = plan_exists(s, vip_plan_id)))
		return rc;
	return generate(s, 0, batch, 0, vip_plan_id, count, expires_at, now,
			codes, &id);
}

int codes_create_batch(struct store *s, int64_t admin_id, const char *batch,
		       int64_t points, int64_t vip_plan_id, size_t count,
		       int64_t expires_at, int64_t now,
		       char (*codes)[CODE_TEXT], int64_t *batch_id)
{
	int rc;

	*batch_id = 0;
	if (admin_id <= 0 || count > CODES_CONSOLE_MAX)
		return WK_EINVAL;
	if (vip_plan_id && (rc = plan_exists(s, vip_plan_id)))
		return rc;
	return generate(s, admin_id, batch, points, vip_plan_id, count,
			expires_at, now, codes, batch_id);
}

int codes_void_batch(struct store *s, int64_t admin_id, int64_t batch_id,
		     int64_t now)
{
	struct store_code_batch b;
	struct arena *a = arena_new(0);
	int rc;

	if (!a)
		return WK_ENOMEM;
	if ((rc = store_write_begin(s)))
		goto out;
	if ((rc = store_code_batch_get(s, a, batch_id, &b)) ||
	    (rc = store_code_batch_void(s, b.name, now)) ||
	    (rc = audit_log(s, admin_id, "codes.void", AUDIT_CODE_BATCH,
			    batch_id,
			    arena_sprintf(a, "redeemed=%lld of %lld",
					  (long long)b.redeemed,
					  (long long)b.count),
			    arena_sprintf(a, "voided_at=%lld",
					  (long long)now), b.name))) {
		store_write_rollback(s);
		goto out;
	}
	rc = store_write_commit(s);
out:
	arena_free(a);
	return rc;
}

int codes_redeem(struct store *s, struct arena *a, int64_t user_id,
		 const char *typed, int64_t now, enum code_outcome *outcome,
		 struct ledger_result *out)
{
	char plain[CODE_CHARS + 1], hex[65];
	int64_t points, plan, expires, voided;
	const char *key;
	int rc;

	memset(out, 0, sizeof(*out));
	*outcome = CODE_INVALID;
	if (!codes_normalise(typed, plain))
		return 0;
	hash_hex(plain, hex);
	sodium_memzero(plain, sizeof(plain));
	rc = store_code_get(s, hex, &points, &plan, &expires, &voided);
	if (rc == WK_ENOTFOUND)
		return 0;
	if (rc)
		return rc;
	if (now >= expires || voided) {	/* a voided batch: as expired */
		*outcome = CODE_EXPIRED;
		return 0;
	}
	key = arena_sprintf(a, "code:%s", hex);
	if (!key)
		return WK_ENOMEM;
	if (plan) {
		bool replayed;

		rc = vip_add_period(s, user_id, plan, 0, "code", 0, key, now,
				    &out->vip_until, &replayed);
		if (rc == WK_ECONFLICT) {
			*outcome = CODE_USED;
			return 0;
		}
		if (rc)
			return rc;
		out->replayed = replayed;
		*outcome = CODE_VIP;
		return ledger_balance(s, user_id, &out->balance);
	}
	/* The grant's request hash holds user_id: another account using
	 * the same key is a conflict, the same account a replay. */
	rc = ledger_grant(s, a, user_id, points, key, "redeem:code", out);
	if (rc == WK_ECONFLICT) {
		*outcome = CODE_USED;
		return 0;
	}
	if (rc)
		return rc;
	*outcome = CODE_OK;
	return 0;
}
