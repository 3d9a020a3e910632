/*
 * purchase.c - buying documents with points (purchase.h).
 */
#include "purchase.h"

#include "ledger.h"
#include "notify.h"
#include "vip.h"

#include "../base/arena.h"
#include "../base/err.h"
#include "../store/store.h"

#include <inttypes.h>
#include <string.h>

int purchase_buy(struct store *s, struct arena *a, int64_t user_id,
		 const struct store_doc *d, int provider_share,
		 const char *license_text, int64_t now,
		 enum buy_outcome *oc, struct ledger_result *out)
{
	const char *key, *memo;
	int64_t tx, price;
	int rc, discount;

	memset(out, 0, sizeof(*out));
	*oc = BUY_FREE;
	if (user_id <= 0 || provider_share < 0 || provider_share > 100)
		return WK_EINVAL;
	if (d->price <= 0)
		return 0;
	*oc = BUY_OWN;
	if (d->provider_id == user_id)
		return 0;
	key = arena_sprintf(a, "buy:u%" PRId64 ":d%" PRId64, user_id, d->id);
	memo = arena_sprintf(a, "doc %" PRId64, d->id);
	if (!key || !memo)
		return WK_ENOMEM;
	if ((rc = store_ledger_begin(s)))
		return rc;
	rc = store_entitlement_get(s, user_id, d->id, &tx);
	if (rc == 0) {
		store_write_rollback(s);
		*oc = BUY_ALREADY;
		out->tx = tx;
		out->replayed = true;
		return ledger_balance(s, user_id, &out->balance);
	}
	if (rc != WK_ENOTFOUND)
		goto fail;
	/* A member pays the discounted price of the plan running now. */
	if ((rc = vip_discount(s, user_id, now, &discount)))
		goto fail;
	price = vip_price(d->price, discount);
	rc = ledger_spend(s, a, user_id, price, d->provider_id,
			  provider_share, key, memo, out);
	if (rc == WK_EFORBIDDEN) {
		store_write_rollback(s);
		*oc = BUY_SHORT;
		return ledger_balance(s, user_id, &out->balance);
	}
	if (rc)
		goto fail;
	/* A replayed key without an entitlement cannot happen (both are
	 * written in this one transaction); refuse rather than grant. */
	if (out->replayed) {
		rc = WK_EIO;
		goto fail;
	}
	if ((rc = store_entitlement_add(s, user_id, d->id, out->tx, price,
					license_text, now)))
		goto fail;
	/* The provider hears of their share (as ledger_spend splits it:
	 * rounded down) with the sale; price <= 10^12, so no overflow. */
	if (d->provider_id && price * provider_share / 100 > 0) {
		struct notify_event e = { .kind = NK_DOC_SOLD,
					  .object_type = "document",
					  .object_id = d->id, .doc_id = d->id,
					  .subject = d->title,
					  .amount = price * provider_share /
						    100 };
		if ((rc = notify_post(s, d->provider_id, &e, now)))
			goto fail;
	}
	if ((rc = store_write_commit(s)))
		return rc;
	*oc = BUY_OK;
	return 0;
fail:
	store_write_rollback(s);
	return rc;
}

int purchase_may_download(struct store *s, int64_t user_id,
			  const struct store_doc *d, bool guests_free)
{
	int rc;

	if (d->price <= 0)
		return user_id > 0 || guests_free ? 0 : WK_EFORBIDDEN;
	if (user_id <= 0)
		return WK_EFORBIDDEN;
	if (d->provider_id == user_id)
		return 0;
	rc = store_entitlement_get(s, user_id, d->id, NULL);
	return rc == WK_ENOTFOUND ? WK_EFORBIDDEN : rc;
}
