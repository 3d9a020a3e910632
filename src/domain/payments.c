/*
 * payments.c - top-ups from a payment gateway (payments.h).
 */
#include "payments.h"

#include "ledger.h"

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../base/json.h"
#include "../store/store.h"

#include <sodium.h>
#include <string.h>

bool payments_signature_ok(const char *secret, const void *body,
			   size_t len, const char *sig_hex)
{
	unsigned char want[crypto_auth_hmacsha256_BYTES];
	unsigned char got[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	size_t n = 0;
	const char *end;

	if (!secret || strlen(secret) < PAYMENTS_MIN_SECRET || !sig_hex ||
	    strlen(sig_hex) != 2 * sizeof(got))
		return false;
	if (sodium_hex2bin(got, sizeof(got), sig_hex, strlen(sig_hex), NULL,
			   &n, &end) || n != sizeof(got) || *end)
		return false;
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret,
				    strlen(secret));
	crypto_auth_hmacsha256_update(&st, body, len);
	crypto_auth_hmacsha256_final(&st, want);
	return sodium_memcmp(want, got, sizeof(want)) == 0;
}

static bool printable_id(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 128)
		return false;
	for (i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] > '~')
			return false;
	return true;
}

int payments_credit(struct store *s, struct arena *a, const char *body,
		    size_t len, struct ledger_result *out)
{
	struct store_account acc;
	struct buf id, user;
	int64_t points;
	const char *key = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	buf_init(&id, 256);
	buf_init(&user, 256);
	if (json_object_string(body, len, "payment_id", &id) ||
	    json_object_string(body, len, "user", &user) ||
	    json_object_int(body, len, "points", &points) || points < 1 ||
	    points > PAYMENTS_MAX_POINTS || !printable_id(buf_str(&id), id.len))
		rc = WK_EINVAL;
	else if ((rc = store_account_by_name(s, a, buf_str(&user), &acc)) == 0 &&
		 !(key = arena_sprintf(a, "pay:%s", buf_str(&id))))
		rc = WK_ENOMEM;
	if (!rc)
		rc = ledger_grant(s, a, acc.id, points, key, LEDGER_MEMO_TOPUP,
				  out);
	buf_release(&id);
	buf_release(&user);
	return rc;
}
