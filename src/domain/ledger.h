/*
 * ledger.h - points: grants, spends and balances on the double-entry
 * ledger (store_ledger_*, docs/ledger.md).
 *
 * Every operation carries an idempotency key. The first call posts and
 * stores its reply; a retry with the same key and the same parameters
 * posts nothing and gets the identical reply back; the same key with
 * other parameters is refused with WK_ECONFLICT. Keys are global: a
 * caller passing a key chosen by a client must scope it first (e.g.
 * "u<user id>:<client key>") so one account's keys can't collide with
 * another's.
 *
 * Amounts are whole points, 1..LEDGER_MAX_AMOUNT; a reason or memo is at
 * most LEDGER_MAX_TEXT bytes.
 */
#ifndef WK_LEDGER_H
#define WK_LEDGER_H

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct store;

#define LEDGER_MAX_AMOUNT 1000000000000LL	/* 10^12 points */
#define LEDGER_MAX_TEXT 1000	/* bytes of a reason or memo */

struct ledger_result {
	int64_t tx;		/* the transaction's id */
	int64_t balance;	/* the user's balance right after it */
	const char *reply;	/* {"tx":N,"balance":M}, in the arena */
	bool replayed;		/* a retry: nothing was posted now */
	int64_t vip_until;	/* a VIP code's new membership end */
};

/* Give user_id amount points from issuance (rewards, top-ups, admin
 * grants); reason is kept with the transaction. 0 and *out, or
 * WK_EINVAL (amount, key), WK_ENOTFOUND (no such user), WK_ECONFLICT
 * (key reused with other parameters), WK_EIO. */
int ledger_grant(struct store *s, struct arena *a, int64_t user_id,
		 int64_t amount, const char *idem_key, const char *reason,
		 struct ledger_result *out);

/* user_id pays amount points: provider_share_percent (0..100) of it,
 * rounded down, to payee_user_id and the rest to the platform's revenue
 * (payee_user_id 0: all of it to revenue), so the parts sum exactly to
 * amount. memo (may be NULL) is kept with the transaction, e.g.
 * "doc 42". 0 and *out; WK_EFORBIDDEN when the balance is short
 * (nothing posted); WK_EINVAL, WK_ENOTFOUND, WK_ECONFLICT, WK_EIO as
 * for ledger_grant. */
int ledger_spend(struct store *s, struct arena *a, int64_t user_id,
		 int64_t amount, int64_t payee_user_id,
		 int provider_share_percent, const char *idem_key,
		 const char *memo, struct ledger_result *out);

/* user_id pays amount points for VIP membership, all to the platform's
 * revenue, in a transaction of kind "vip" (so `wenku check` can match
 * each to its membership period). Errors as for ledger_spend. */
int ledger_spend_vip(struct store *s, struct arena *a, int64_t user_id,
		     int64_t amount, const char *idem_key, const char *memo,
		     struct ledger_result *out);

/* A user's balance (0 for a user who never had points). */
int ledger_balance(struct store *s, int64_t user_id, int64_t *out);

/* The platform's revenue balance. */
int ledger_revenue(struct store *s, int64_t *out);

/* ---- rewards --------------------------------------------------------------
 * Each reward's idempotency key says what it is for, so it can be given
 * only once: "reward:register:u<id>" once per account,
 * "reward:signin:u<id>:d<day>" once per day (days counted in China
 * time, UTC+8). The memo is the reward's name ("reward:register",
 * "reward:signin"), translated when shown. */

#define LEDGER_MEMO_REGISTER "reward:register"
#define LEDGER_MEMO_SIGNIN "reward:signin"
#define LEDGER_MEMO_COMMENT "reward:comment"
#define LEDGER_MEMO_REVOKE_COMMENT "revoke:comment"
#define LEDGER_MEMO_UPLOAD "reward:upload"
#define LEDGER_MEMO_REVOKE_UPLOAD "revoke:upload"

/* Give a new account its registration bonus (amount 0: nothing). */
int ledger_reward_register(struct store *s, struct arena *a, int64_t user_id,
			   int64_t amount, struct ledger_result *out);

/* The daily sign-in at time now: amount points once per China day.
 * *already is true when this day's reward was given before (nothing
 * posted; out->balance is the current balance). WK_EINVAL when amount
 * is 0 (sign-in off). */
int ledger_signin(struct store *s, struct arena *a, int64_t user_id,
		  int64_t now, int64_t amount, struct ledger_result *out,
		  bool *already);

/* A comment's reward: amount points for comment_id, under the key
 * "reward:comment:c<id>", unless the author already had daily_cap of
 * them this China day. *given says whether it was. (Two comments posted
 * in the same instant may both pass the cap; comments are rate-limited
 * separately.) */
int ledger_reward_comment(struct store *s, struct arena *a, int64_t user_id,
			  int64_t comment_id, int64_t now, int64_t amount,
			  int64_t daily_cap, bool *given);

/* Take back a comment's reward when the comment is deleted, so posting
 * and deleting earns nothing: what was given, or as much of it as the
 * balance still holds (*taken), back to issuance under
 * "revoke:comment:c<id>". Nothing when no reward was given; once only. */
int ledger_revoke_comment(struct store *s, struct arena *a, int64_t user_id,
			  int64_t comment_id, int64_t *taken);

/* An upload's reward when its document is published: amount points
 * under "reward:upload:d<id>" (once per document), unless the provider
 * already had daily_cap of them this China day. */
int ledger_reward_upload(struct store *s, struct arena *a, int64_t user_id,
			 int64_t doc_id, int64_t now, int64_t amount,
			 int64_t daily_cap, bool *given);

/* Take an upload's reward back when its document is rejected or
 * removed (as ledger_revoke_comment: once, as much as the balance
 * holds), so upload-and-delete earns nothing. */
int ledger_revoke_upload(struct store *s, struct arena *a, int64_t user_id,
			 int64_t doc_id, int64_t *taken);

#endif
