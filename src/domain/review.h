/*
 * review.h - the console's review queue: what a moderator does with a
 * pending upload (approve, reject, edit before approving) and the home
 * page's recommended documents; taking a published document down and
 * restoring one from the recycle bin.
 *
 * Each action writes its audit_log() entry (object "document") in the
 * transaction that makes the change, with the state before and after.
 * Who may call these is the caller's to decide (PERM_MODERATE).
 */
#ifndef WK_REVIEW_H
#define WK_REVIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "../store/store.h"

struct arena;

#define REVIEW_REASON_MAX 500	/* bytes of a rejection reason */
#define REVIEW_TITLE_MAX 120	/* characters of an edited title */
#define REVIEW_RECOMMENDED 8	/* documents in the home page's 推荐 */

/* pending -> published (published_at now), then, once that has
 * committed, the provider's upload reward (ledger_reward_upload with
 * amount and daily_cap; *given tells whether one was posted; a failed
 * reward is logged, the approval stands). WK_ENOTFOUND, WK_ECONFLICT
 * when the document is not pending. */
int review_approve(struct store *s, struct arena *a, int64_t mod_id,
		   int64_t id, int64_t now, int64_t amount, int64_t daily_cap,
		   bool *given);

/* pending -> rejected with reason (required, at most REVIEW_REASON_MAX
 * bytes, shown to the provider); an upload reward already given is
 * taken back (ledger_revoke_upload, *revoked points) in the same
 * transaction. WK_EINVAL, WK_ENOTFOUND, WK_ECONFLICT. */
int review_reject(struct store *s, struct arena *a, int64_t mod_id,
		  int64_t id, const char *reason, int64_t *revoked);

/* A pending document's title (1..REVIEW_TITLE_MAX characters, no
 * control characters), category (0: none; else an existing one), price
 * (0..price_max) and VIP-free. An edit that changes nothing writes
 * nothing. WK_EINVAL, WK_ENOTFOUND, WK_ECONFLICT (not pending). */
int review_edit(struct store *s, struct arena *a, int64_t mod_id,
		int64_t id, const char *title, int64_t category_id,
		int price, int price_max, bool vip_free);

/* Take a published or hidden document down: -> removed, with reason
 * (required, at most REVIEW_REASON_MAX bytes) shown to its provider, the
 * upload reward taken back (*revoked points), in one transaction. No
 * strike: strikes come only from upheld copyright reports.
 * WK_EINVAL, WK_ENOTFOUND, WK_ECONFLICT (in another state). */
int review_takedown(struct store *s, struct arena *a, int64_t mod_id,
		    int64_t id, const char *reason, int64_t now,
		    int64_t *revoked);

/* Restore from the recycle bin: removed or hidden -> published,
 * rejected -> pending (back in the queue; *to says which). The note
 * (optional, at most REVIEW_REASON_MAX bytes) goes to the audit log;
 * the provider's note is cleared; a live strike for the document is
 * lifted (*strike_lifted). The upload reward taken back is not given
 * again. WK_EINVAL, WK_ENOTFOUND, WK_ECONFLICT (not in the bin). */
int review_restore(struct store *s, struct arena *a, int64_t mod_id,
		   int64_t id, const char *note, int64_t now,
		   const char **to, bool *strike_lifted);

/* Replace a document's tags (any status) with what the moderator typed
 * (as tags_parse takes them, at most STORE_DOC_TAGS_MAX; "" removes
 * them all): tags kept keep their source. Audited as document.tags with
 * the lists before and after; no change writes nothing. WK_EINVAL,
 * WK_ENOTFOUND. */
int review_tags(struct store *s, struct arena *a, int64_t mod_id,
		int64_t id, const char *typed);

/* "a, b, c": a document's tags as the tags form shows them (provider's
 * first), in a; NULL when they cannot be read. */
const char *review_tag_list(struct store *s, struct arena *a, int64_t id);

/* Pin a published document to the home page (on) or unpin it.
 * WK_ENOTFOUND, WK_ECONFLICT (not published, or already so). */
int review_recommend(struct store *s, struct arena *a, int64_t mod_id,
		     int64_t id, bool on, int64_t now);

#endif
