/*
 * codes.c - redemption codes (codes.h).
 */
#include "codes.h"

#include "ledger.h"
#include "vip.h"

#include "../base/arena.h"
#include "../base/err.h"
#include "../store/store.h"

#include <inttypes.h>
#include <sodium.h>
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

static int generate(struct store *s, const char *batch, int64_t points,
		    int64_t vip_plan_id, size_t count, int64_t expires_at,
		    int64_t now, char (*codes)[CODE_TEXT])
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
	rc = store_codes_add(s, batch, points, vip_plan_id, expires_at, now,
			     hp, count);
	free(hex);
	free(hp);
	return rc;
}

int codes_generate(struct store *s, const char *batch, int64_t points,
		   size_t count, int64_t expires_at, int64_t now,
		   char (*codes)[CODE_TEXT])
{
	if (points <= 0)
		return WK_EINVAL;
	return generate(s, batch, points, 0, count, expires_at, now, codes);
}

int codes_generate_vip(struct store *s, const char *batch,
		       int64_t vip_plan_id, size_t count, int64_t expires_at,
		       int64_t now, char (*codes)[CODE_TEXT])
{
	struct store_vip_plan plan;
	struct arena *a = arena_new(0);
	int rc;

	if (!a)
		return WK_ENOMEM;
	rc = vip_plan_id > 0 ? store_vip_plan_get(s, a, vip_plan_id, &plan)
			     : WK_EINVAL;
	arena_free(a);
	if (rc)
		return rc;
	return generate(s, batch, 0, vip_plan_id, count, expires_at, now,
			codes);
}

int codes_redeem(struct store *s, struct arena *a, int64_t user_id,
		 const char *typed, int64_t now, enum code_outcome *outcome,
		 struct ledger_result *out)
{
	char plain[CODE_CHARS + 1], hex[65];
	int64_t points, plan, expires;
	const char *key;
	int rc;

	memset(out, 0, sizeof(*out));
	*outcome = CODE_INVALID;
	if (!codes_normalise(typed, plain))
		return 0;
	hash_hex(plain, hex);
	sodium_memzero(plain, sizeof(plain));
	rc = store_code_get(s, hex, &points, &plan, &expires);
	if (rc == WK_ENOTFOUND)
		return 0;
	if (rc)
		return rc;
	if (now >= expires) {
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
