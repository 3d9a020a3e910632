/*
 * ledger.c - grants, spends and balances on the points ledger (see
 * ledger.h). The rules (who is debited, how a sale is split, what the
 * reply says, which parameters a key is bound to) live here; posting,
 * idempotency and the balance guard are the store's.
 */
#include "ledger.h"

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../store/store.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Hex BLAKE2b-256 of the operation's canonical parameters: fixed field
 * order, text length-prefixed so no two parameter sets share a form. */
static int request_hash(struct arena *a, const char *op, int64_t user,
			int64_t amount, int64_t payee, int share,
			const char *text, const char **out)
{
	unsigned char h[crypto_generichash_BYTES];
	char *hex;
	struct buf b;
	int rc = 0;

	if (!text)
		text = "";
	if (strlen(text) > LEDGER_MAX_TEXT)
		return WK_EINVAL;
	buf_init(&b, 4096);
	buf_addf(&b, "wenku-ledger-1|%s|user=%" PRId64 "|amount=%" PRId64
		     "|payee=%" PRId64 "|share=%d|text=%zu:%s",
		 op, user, amount, payee, share, strlen(text), text);
	hex = arena_alloc(a, sizeof(h) * 2 + 1);
	if (buf_error(&b) || !hex) {
		rc = WK_ENOMEM;
	} else {
		crypto_generichash(h, sizeof(h),
				   (const unsigned char *)buf_str(&b), b.len,
				   NULL, 0);
		sodium_bin2hex(hex, sizeof(h) * 2 + 1, h, sizeof(h));
		*out = hex;
	}
	buf_release(&b);
	return rc;
}

/* The reply stored with a transaction: its id and the user's balance
 * right after it (read inside the posting transaction). */
static int make_reply(struct store *s, void *arg, int64_t tx_id,
		      struct arena *a, const char **out)
{
	int64_t balance;
	int rc = store_ledger_balance(s, *(int64_t *)arg, &balance);

	if (rc)
		return rc;
	*out = arena_sprintf(a, "{\"tx\":%" PRId64 ",\"balance\":%" PRId64
				"}", tx_id, balance);
	return *out ? 0 : WK_ENOMEM;
}

/* Fill *out from a stored reply (a replay returns only the JSON). */
static int parse_reply(const char *reply, struct ledger_result *out)
{
	long long tx, bal;

	if (sscanf(reply, "{\"tx\":%lld,\"balance\":%lld}", &tx, &bal) != 2)
		return WK_EIO;
	out->tx = tx;
	out->balance = bal;
	out->reply = reply;
	return 0;
}

static int post(struct store *s, struct arena *a, struct store_ledger_tx *t,
		int64_t user_acct, struct ledger_result *out)
{
	int64_t tx;
	int rc;

	if (!t->created_at)
		t->created_at = (int64_t)time(NULL);
	t->reply = make_reply;
	t->arg = &user_acct;
	memset(out, 0, sizeof(*out));
	rc = store_ledger_post(s, a, t, &out->reply, &out->replayed, &tx);
	if (rc)
		return rc;
	return parse_reply(out->reply, out);
}

/* ledger_grant dated at (0: now). */
static int grant_at(struct store *s, struct arena *a, int64_t user_id,
		    int64_t amount, const char *idem_key, const char *reason,
		    int64_t at, struct ledger_result *out)
{
	struct store_posting p[2];
	struct store_ledger_tx t = { 0 };
	int64_t issuance, user;
	int rc;

	if (user_id <= 0 || amount <= 0 || amount > LEDGER_MAX_AMOUNT ||
	    !idem_key)
		return WK_EINVAL;
	if ((rc = request_hash(a, "grant", user_id, amount, 0, 0, reason,
			       &t.request_hash)) ||
	    (rc = store_ledger_account(s, "issuance", 0, true, &issuance)) ||
	    (rc = store_ledger_account(s, "user", user_id, true, &user)))
		return rc;
	p[0] = (struct store_posting){ issuance, -amount };
	p[1] = (struct store_posting){ user, amount };
	t.idem_key = idem_key;
	t.kind = "grant";
	t.memo = reason;
	t.postings = p;
	t.n = 2;
	t.created_at = at;
	return post(s, a, &t, user, out);
}

int ledger_grant(struct store *s, struct arena *a, int64_t user_id,
		 int64_t amount, const char *idem_key, const char *reason,
		 struct ledger_result *out)
{
	return grant_at(s, a, user_id, amount, idem_key, reason, 0, out);
}

static int spend(struct store *s, struct arena *a, const char *kind,
		 int64_t user_id, int64_t amount, int64_t payee_user_id,
		 int provider_share_percent, const char *idem_key,
		 const char *memo, struct ledger_result *out)
{
	struct store_posting p[3];
	struct store_ledger_tx t = { 0 };
	int64_t user, payee = 0, revenue, share;
	size_t n = 0;
	int rc;

	if (user_id <= 0 || amount <= 0 || amount > LEDGER_MAX_AMOUNT ||
	    payee_user_id < 0 || payee_user_id == user_id ||
	    provider_share_percent < 0 || provider_share_percent > 100 ||
	    !idem_key)
		return WK_EINVAL;
	if (!payee_user_id)
		provider_share_percent = 0;
	/* amount <= 10^12, so amount * 100 can't overflow. */
	share = amount * provider_share_percent / 100;
	/* "spend" for purchases: the hash stored with keys posted before
	 * VIP existed. */
	if ((rc = request_hash(a, strcmp(kind, "purchase") ? kind : "spend",
			       user_id, amount, payee_user_id,
			       provider_share_percent, memo,
			       &t.request_hash)) ||
	    (rc = store_ledger_account(s, "revenue", 0, true, &revenue)))
		return rc;
	/* No account yet: no points to spend, and nothing to write. */
	rc = store_ledger_account(s, "user", user_id, false, &user);
	if (rc)
		return rc == WK_ENOTFOUND ? WK_EFORBIDDEN : rc;
	if (share &&
	    (rc = store_ledger_account(s, "user", payee_user_id, true, &payee)))
		return rc;
	p[n++] = (struct store_posting){ user, -amount };
	if (share)
		p[n++] = (struct store_posting){ payee, share };
	if (amount - share)
		p[n++] = (struct store_posting){ revenue, amount - share };
	t.idem_key = idem_key;
	t.kind = kind;
	t.memo = memo;
	t.postings = p;
	t.n = n;
	return post(s, a, &t, user, out);
}

int ledger_spend(struct store *s, struct arena *a, int64_t user_id,
		 int64_t amount, int64_t payee_user_id,
		 int provider_share_percent, const char *idem_key,
		 const char *memo, struct ledger_result *out)
{
	return spend(s, a, "purchase", user_id, amount, payee_user_id,
		     provider_share_percent, idem_key, memo, out);
}

int ledger_spend_vip(struct store *s, struct arena *a, int64_t user_id,
		     int64_t amount, const char *idem_key, const char *memo,
		     struct ledger_result *out)
{
	return spend(s, a, "vip", user_id, amount, 0, 0, idem_key, memo,
		     out);
}

int ledger_balance(struct store *s, int64_t user_id, int64_t *out)
{
	int64_t acct;
	int rc = store_ledger_account(s, "user", user_id, false, &acct);

	*out = 0;
	if (rc == WK_ENOTFOUND)
		return 0;
	return rc ? rc : store_ledger_balance(s, acct, out);
}

int ledger_revenue(struct store *s, int64_t *out)
{
	int64_t acct;
	int rc = store_ledger_account(s, "revenue", 0, false, &acct);

	*out = 0;
	if (rc == WK_ENOTFOUND)
		return 0;
	return rc ? rc : store_ledger_balance(s, acct, out);
}

/* ---- rewards -------------------------------------------------------------*/

int ledger_reward_register(struct store *s, struct arena *a, int64_t user_id,
			   int64_t amount, struct ledger_result *out)
{
	const char *key;

	memset(out, 0, sizeof(*out));
	if (amount <= 0)
		return 0;
	key = arena_sprintf(a, "reward:register:u%" PRId64, user_id);
	if (!key)
		return WK_ENOMEM;
	return ledger_grant(s, a, user_id, amount, key, LEDGER_MEMO_REGISTER,
			    out);
}

int ledger_signin(struct store *s, struct arena *a, int64_t user_id,
		  int64_t now, int64_t amount, struct ledger_result *out,
		  bool *already)
{
	int64_t day = (now + 8 * 3600) / 86400;	/* China has no DST */
	const char *key;
	int rc;

	*already = false;
	memset(out, 0, sizeof(*out));
	if (amount <= 0 || user_id <= 0)
		return WK_EINVAL;
	key = arena_sprintf(a, "reward:signin:u%" PRId64 ":d%" PRId64,
			    user_id, day);
	if (!key)
		return WK_ENOMEM;
	rc = ledger_grant(s, a, user_id, amount, key, LEDGER_MEMO_SIGNIN, out);
	/* A replay, or the amount setting changed since today's reward:
	 * either way today's reward was given. */
	if (rc == WK_ECONFLICT || (rc == 0 && out->replayed)) {
		*already = true;
		out->replayed = true;
		return ledger_balance(s, user_id, &out->balance);
	}
	return rc;
}

/* A reward for an object (what: "comment" or "upload", the key's
 * letter c or d) under "reward:<what>:<letter><id>", unless the user had
 * daily_cap rewards of that memo this China day. */
static int reward_capped(struct store *s, struct arena *a, int64_t user_id,
			 const char *what, char letter, const char *memo,
			 int64_t object_id, int64_t now, int64_t amount,
			 int64_t daily_cap, bool *given)
{
	int64_t day_start = (now + 8 * 3600) / 86400 * 86400 - 8 * 3600, n;
	struct ledger_result r;
	const char *key;
	int rc;

	*given = false;
	if (amount <= 0 || daily_cap <= 0)
		return 0;
	if ((rc = store_ledger_count_memo(s, user_id, memo, day_start, &n)))
		return rc;
	if (n >= daily_cap)
		return 0;
	key = arena_sprintf(a, "reward:%s:%c%" PRId64, what, letter,
			    object_id);
	if (!key)
		return WK_ENOMEM;
	/* Dated by the same clock as the day it counts against. */
	rc = grant_at(s, a, user_id, amount, key, memo, now, &r);
	*given = rc == 0 && !r.replayed;
	return rc;
}

/* Take back reward_capped()'s reward for the object: what was given,
 * or as much of it as the balance holds, under "revoke:<what>:...". */
static int revoke(struct store *s, struct arena *a, int64_t user_id,
		  const char *what, char letter, const char *memo,
		  int64_t object_id, int64_t *taken)
{
	struct store_posting p[2];
	struct store_ledger_tx t = { 0 };
	struct ledger_result out;
	const char *gkey, *rkey;
	int64_t given, balance, take, issuance, user;
	int rc, tries;

	*taken = 0;
	gkey = arena_sprintf(a, "reward:%s:%c%" PRId64, what, letter,
			     object_id);
	rkey = arena_sprintf(a, "revoke:%s:%c%" PRId64, what, letter,
			     object_id);
	if (!gkey || !rkey)
		return WK_ENOMEM;
	if ((rc = store_ledger_user_amount(s, gkey, user_id, &given)))
		return rc;
	if (given <= 0)
		return 0;
	for (tries = 0; tries < 3; tries++) {
		if ((rc = ledger_balance(s, user_id, &balance)))
			return rc;
		take = balance < given ? balance : given;
		if (take <= 0)
			return 0;
		if ((rc = request_hash(a, "revoke", user_id, 0, object_id, 0,
				       gkey, &t.request_hash)) ||
		    (rc = store_ledger_account(s, "issuance", 0, true,
					       &issuance)) ||
		    (rc = store_ledger_account(s, "user", user_id, true,
					       &user)))
			return rc;
		p[0] = (struct store_posting){ user, -take };
		p[1] = (struct store_posting){ issuance, take };
		t.idem_key = rkey;
		t.kind = "revoke";
		t.memo = memo;
		t.postings = p;
		t.n = 2;
		rc = post(s, a, &t, user, &out);
		if (rc == WK_EFORBIDDEN)
			continue;	/* the balance moved: read it again */
		if (rc == 0 && !out.replayed)
			*taken = take;
		return rc;
	}
	return 0;
}

int ledger_reward_comment(struct store *s, struct arena *a, int64_t user_id,
			  int64_t comment_id, int64_t now, int64_t amount,
			  int64_t daily_cap, bool *given)
{
	return reward_capped(s, a, user_id, "comment", 'c',
			     LEDGER_MEMO_COMMENT, comment_id, now, amount,
			     daily_cap, given);
}

int ledger_revoke_comment(struct store *s, struct arena *a, int64_t user_id,
			  int64_t comment_id, int64_t *taken)
{
	return revoke(s, a, user_id, "comment", 'c',
		      LEDGER_MEMO_REVOKE_COMMENT, comment_id, taken);
}

int ledger_reward_upload(struct store *s, struct arena *a, int64_t user_id,
			 int64_t doc_id, int64_t now, int64_t amount,
			 int64_t daily_cap, bool *given)
{
	return reward_capped(s, a, user_id, "upload", 'd',
			     LEDGER_MEMO_UPLOAD, doc_id, now, amount,
			     daily_cap, given);
}

int ledger_revoke_upload(struct store *s, struct arena *a, int64_t user_id,
			 int64_t doc_id, int64_t *taken)
{
	return revoke(s, a, user_id, "upload", 'd', LEDGER_MEMO_REVOKE_UPLOAD,
		      doc_id, taken);
}
