/*
 * payments.h - top-ups from a payment gateway.
 *
 * An operator connects WeChat Pay, Alipay or Stripe through a small
 * adapter that, once the gateway confirms a payment, sends
 *
 *   POST /api/v1/payments/notify
 *   X-Wenku-Signature: <hex HMAC-SHA256 of the body with payment_secret>
 *   {"payment_id":"wx-4200001","user":"alice","points":100}
 *
 * The body is checked against the signature (constant time) before it is
 * read; a good notification credits the points once per payment id (a
 * ledger grant under the key "pay:<payment_id>"), so the gateway's
 * retries are harmless; the same id with other parameters is refused.
 */
#ifndef WK_PAYMENTS_H
#define WK_PAYMENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct store;
struct ledger_result;

#define PAYMENTS_MIN_SECRET 16	/* bytes; shorter: top-ups are off */
#define PAYMENTS_MAX_BODY 4096
#define PAYMENTS_MAX_POINTS 100000000
#define LEDGER_MEMO_TOPUP "topup"

/* True when sig_hex is the hex HMAC-SHA256 of body under secret. */
bool payments_signature_ok(const char *secret, const void *body,
			   size_t len, const char *sig_hex);

/* Credit a verified notification body. 0 with *out; WK_EINVAL (not the
 * expected object: payment_id 1-128 printable ASCII, user, points
 * 1..PAYMENTS_MAX_POINTS), WK_ENOTFOUND (no such user), WK_ECONFLICT
 * (payment id reused with other parameters), WK_EIO. */
int payments_credit(struct store *s, struct arena *a, const char *body,
		    size_t len, struct ledger_result *out);

#endif
