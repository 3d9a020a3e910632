/*
 * purchase.h - buying a document with points, and who may download it.
 *
 * A purchase is one ledger transaction (BEGIN IMMEDIATE, synchronous
 * FULL) holding the payment - the buyer's points split between the
 * provider (provider_share percent, rounded down) and the platform - and
 * the entitlement, which records the licence text shown at the time. Its
 * idempotency key is "buy:u<user>:d<doc>": an account buys a document
 * once, however many clicks or retries arrive; later downloads are free.
 * A VIP member pays the price less the discount of the plan running at
 * the time (vip.h); the entitlement records what was paid.
 */
#ifndef WK_PURCHASE_H
#define WK_PURCHASE_H

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct store;
struct store_doc;
struct ledger_result;

enum buy_outcome {
	BUY_OK,		/* paid now */
	BUY_ALREADY,	/* bought before: nothing charged */
	BUY_FREE,	/* the document is free: nothing to buy */
	BUY_OWN,	/* the buyer provided it */
	BUY_SHORT,	/* not enough points: nothing charged */
};

/* user_id buys d (published). 0 with *oc (and *out for BUY_OK and
 * BUY_ALREADY: out->balance is the balance after), or WK_EIO... */
int purchase_buy(struct store *s, struct arena *a, int64_t user_id,
		 const struct store_doc *d, int provider_share,
		 const char *license_text, int64_t now,
		 enum buy_outcome *oc, struct ledger_result *out);

/* May user_id (0: a guest) download d? Free documents: signed-in
 * accounts, and guests when guests_free; paid ones: the provider and
 * holders of an entitlement. 0 (yes), WK_EFORBIDDEN (no), WK_EIO. */
int purchase_may_download(struct store *s, int64_t user_id,
			  const struct store_doc *d, bool guests_free);

#endif
