/*
 * ledger.c - the double-entry points ledger (tables ledger_*, see
 * 0009_ledger.sql and docs/ledger.md): accounts, posting a transaction
 * under its idempotency key, and the invariant checker.
 *
 * A posting moves a cached balance with one guarded UPDATE
 * ("... AND (kind = 'issuance' OR balance + ? >= 0)") and checks that one
 * row changed, so the balance check and the spend are the same statement
 * inside the same BEGIN IMMEDIATE transaction: two concurrent spends can
 * not both see the old balance.
 */
#include "store_internal.h"

#include "../base/arena.h"
#include "../base/err.h"
#include "../base/log.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define MAX_BALANCE "1000000000000000000"	/* |balance| cap, 10^18 */

/* ---- accounts ------------------------------------------------------------*/

static int account_find(struct store *s, const char *kind, int64_t user_id,
			int64_t *id)
{
	sqlite3_stmt *st;
	int rc;

	if (user_id)
		st = stmt_get(s, "SELECT id FROM ledger_accounts "
				 "WHERE kind = ? AND user_id = ?");
	else
		st = stmt_get(s, "SELECT id FROM ledger_accounts "
				 "WHERE kind = ? AND user_id IS NULL");
	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	if (user_id)
		sqlite3_bind_int64(st, 2, user_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		return 0;
	}
	if (rc != SQLITE_DONE)
		return step_error(st, rc, "find ledger account");
	sqlite3_reset(st);
	return WK_ENOTFOUND;
}

int store_ledger_account(struct store *s, const char *kind, int64_t user_id,
			 bool create, int64_t *id)
{
	sqlite3_stmt *st;
	bool own;
	int rc;

	if (!strcmp(kind, "user")) {
		if (user_id <= 0)
			return WK_EINVAL;
	} else if (user_id != 0 ||
		   (strcmp(kind, "revenue") && strcmp(kind, "issuance"))) {
		return WK_EINVAL;
	}
	rc = account_find(s, kind, user_id, id);
	if (rc != WK_ENOTFOUND || !create)
		return rc;
	if ((rc = tx_begin(s, &own)))
		return rc;
	st = stmt_get(s, "INSERT INTO ledger_accounts (kind, user_id) "
			 "VALUES (?, ?) ON CONFLICT DO NOTHING");
	if (!st)
		return tx_end(s, own, WK_EIO);
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	bind_id(st, 2, user_id);
	rc = stmt_exec(st, "create ledger account");
	if (rc == WK_ECONFLICT)	/* the user does not exist */
		rc = WK_ENOTFOUND;
	if (!rc)
		rc = account_find(s, kind, user_id, id);
	return tx_end(s, own, rc);
}

int store_ledger_balance(struct store *s, int64_t account_id,
			 int64_t *balance)
{
	sqlite3_stmt *st = stmt_get(
		s, "SELECT balance FROM ledger_accounts WHERE id = ?");
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, account_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*balance = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		return 0;
	}
	if (rc != SQLITE_DONE)
		return step_error(st, rc, "read ledger balance");
	sqlite3_reset(st);
	return WK_ENOTFOUND;
}

/* ---- posting -------------------------------------------------------------*/

/* Shape checks that need no database: 0 or WK_EINVAL. */
static int tx_valid(const struct store_ledger_tx *t)
{
	int64_t sum = 0;
	size_t i, j, klen;

	if (!t->idem_key || !t->kind || !*t->kind || !t->request_hash ||
	    !*t->request_hash || !t->postings)
		return WK_EINVAL;
	klen = strlen(t->idem_key);
	if (klen == 0 || klen > STORE_LEDGER_MAX_KEY)
		return WK_EINVAL;
	if (t->n < 2 || t->n > STORE_LEDGER_MAX_POSTINGS)
		return WK_EINVAL;
	for (i = 0; i < t->n; i++) {
		int64_t v = t->postings[i].amount;
		if (v == 0 || v > STORE_LEDGER_MAX_AMOUNT ||
		    v < -STORE_LEDGER_MAX_AMOUNT || t->postings[i].account_id <= 0)
			return WK_EINVAL;
		/* One posting per account: each is checked on its own. */
		for (j = 0; j < i; j++)
			if (t->postings[j].account_id ==
			    t->postings[i].account_id)
				return WK_EINVAL;
		sum += v;	/* |sum| <= 16 * 10^15: no overflow */
	}
	return sum == 0 ? 0 : WK_EINVAL;
}

/* The key's earlier transaction: 0 and its reply when the hash matches,
 * WK_ECONFLICT when not, WK_ENOTFOUND when the key is new. */
static int key_lookup(struct store *s, struct arena *a,
		      const struct store_ledger_tx *t, const char **reply,
		      int64_t *tx_id)
{
	sqlite3_stmt *st = stmt_get(
		s, "SELECT id, request_hash, reply FROM ledger_transactions "
		   "WHERE idem_key = ?");
	const unsigned char *hash;
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, t->idem_key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return WK_ENOTFOUND;
	}
	if (rc != SQLITE_ROW)
		return step_error(st, rc, "look up idempotency key");
	hash = sqlite3_column_text(st, 1);
	if (!hash || strcmp((const char *)hash, t->request_hash)) {
		sqlite3_reset(st);
		return WK_ECONFLICT;
	}
	*tx_id = sqlite3_column_int64(st, 0);
	*reply = col_text(st, 2, a);
	sqlite3_reset(st);
	return *reply ? 0 : WK_ENOMEM;
}

/* Move one account's cached balance, refusing to take it below zero
 * (issuance excepted) or past the cap. */
static int move_balance(struct store *s, const struct store_posting *p)
{
	sqlite3_stmt *st = stmt_get(
		s, "UPDATE ledger_accounts SET balance = balance + ? "
		   "WHERE id = ? AND (kind = 'issuance' OR balance + ? >= 0) "
		   "AND balance + ? BETWEEN -" MAX_BALANCE " AND " MAX_BALANCE);
	int64_t balance;
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, p->amount);
	sqlite3_bind_int64(st, 2, p->account_id);
	sqlite3_bind_int64(st, 3, p->amount);
	sqlite3_bind_int64(st, 4, p->amount);
	if ((rc = stmt_exec(st, "move ledger balance")))
		return rc;
	if (sqlite3_changes(sqlite3_db_handle(st)) == 1)
		return 0;
	rc = store_ledger_balance(s, p->account_id, &balance);
	return rc == WK_ENOTFOUND ? rc : WK_EFORBIDDEN;	/* insufficient */
}

static int next_tx_id(struct store *s, int64_t *id)
{
	/* Safe under the write lock this transaction holds. */
	sqlite3_stmt *st = stmt_get(
		s, "SELECT COALESCE(MAX(id), 0) + 1 FROM ledger_transactions");
	int rc;

	if (!st)
		return WK_EIO;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW)
		return step_error(st, rc, "next ledger transaction id");
	*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

static int insert_tx(struct store *s, const struct store_ledger_tx *t,
		     int64_t id, const char *reply)
{
	sqlite3_stmt *st = stmt_get(
		s, "INSERT INTO ledger_transactions (id, idem_key, kind, "
		   "request_hash, reply, memo, created_at) "
		   "VALUES (?, ?, ?, ?, ?, ?, ?)");
	size_t i;
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, t->idem_key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, t->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, t->request_hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, reply, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, t->memo ? t->memo : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, t->created_at);
	if ((rc = stmt_exec(st, "insert ledger transaction")))
		return rc;
	for (i = 0; i < t->n; i++) {
		st = stmt_get(s, "INSERT INTO ledger_postings "
				 "(tx_id, account_id, amount) VALUES (?, ?, ?)");
		if (!st)
			return WK_EIO;
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, t->postings[i].account_id);
		sqlite3_bind_int64(st, 3, t->postings[i].amount);
		if ((rc = stmt_exec(st, "insert ledger posting")))
			return rc;
	}
	return 0;
}

/* The work of store_ledger_post inside its transaction or savepoint. */
static int post_locked(struct store *s, struct arena *a,
		       const struct store_ledger_tx *t, const char **reply,
		       bool *replayed, int64_t *tx_id)
{
	size_t i;
	int rc;

	rc = key_lookup(s, a, t, reply, tx_id);
	if (rc != WK_ENOTFOUND) {
		*replayed = rc == 0;
		return rc;
	}
	if ((rc = next_tx_id(s, tx_id)))
		return rc;
	for (i = 0; i < t->n; i++)
		if ((rc = move_balance(s, &t->postings[i])))
			return rc;
	if (t->reply)
		rc = t->reply(s, t->arg, *tx_id, a, reply);
	else if (!(*reply = arena_sprintf(a, "{\"tx\":%" PRId64 "}", *tx_id)))
		rc = WK_ENOMEM;
	if (rc)
		return rc;
	return insert_tx(s, t, *tx_id, *reply);
}

int store_ledger_post(struct store *s, struct arena *a,
		      const struct store_ledger_tx *t, const char **reply,
		      bool *replayed, int64_t *tx_id)
{
	int64_t id = 0;
	bool own;
	int rc;

	*replayed = false;
	*reply = NULL;
	if ((rc = tx_valid(t)))
		return rc;
	if ((rc = tx_begin_ledger(s, &own)))
		return rc;
	if (own) {
		rc = post_locked(s, a, t, reply, replayed, &id);
		rc = tx_end(s, true, rc);
	} else {
		/* Undo a half-done posting without ending the caller's
		 * transaction. */
		if ((rc = db_exec(s, "SAVEPOINT ledger_post")))
			return rc;
		rc = post_locked(s, a, t, reply, replayed, &id);
		if (rc)
			db_exec(s, "ROLLBACK TO SAVEPOINT ledger_post");
		if (db_exec(s, "RELEASE SAVEPOINT ledger_post") && !rc)
			rc = WK_EIO;
	}
	if (rc) {
		*replayed = false;
		*reply = NULL;
		return rc;
	}
	if (tx_id)
		*tx_id = id;
	return 0;
}

/* ---- the checker ---------------------------------------------------------*/

/* One invariant: a query that returns a row (two integers) for its
 * first violation. */
struct rule {
	const char *sql;
	const char *fmt;	/* two PRId64 arguments */
};

static const struct rule rules[] = {
	{ "SELECT tx_id, SUM(amount) FROM ledger_postings GROUP BY tx_id "
	  "HAVING SUM(amount) <> 0 ORDER BY tx_id LIMIT 1",
	  "transaction %" PRId64 ": postings sum to %" PRId64 ", not 0" },
	{ "SELECT t.id, COUNT(p.id) FROM ledger_transactions t "
	  "LEFT JOIN ledger_postings p ON p.tx_id = t.id GROUP BY t.id "
	  "HAVING COUNT(p.id) < 2 ORDER BY t.id LIMIT 1",
	  "transaction %" PRId64 ": %" PRId64 " postings, fewer than 2" },
	{ "SELECT n, total FROM (SELECT COUNT(*) AS n, "
	  "COALESCE(SUM(amount), 0) AS total FROM ledger_postings) t "
	  "WHERE total <> 0",
	  "all %" PRId64 " postings sum to %" PRId64 ", not 0" },
	{ "SELECT a.id, a.balance - COALESCE(SUM(p.amount), 0) "
	  "FROM ledger_accounts a "
	  "LEFT JOIN ledger_postings p ON p.account_id = a.id "
	  "GROUP BY a.id, a.balance "
	  "HAVING a.balance <> COALESCE(SUM(p.amount), 0) "
	  "ORDER BY a.id LIMIT 1",
	  "account %" PRId64 ": cached balance is off by %" PRId64
	  " from its postings" },
	{ "SELECT id, balance FROM ledger_accounts "
	  "WHERE kind <> 'issuance' AND balance < 0 ORDER BY id LIMIT 1",
	  "account %" PRId64 ": negative balance %" PRId64 },
	{ "SELECT MIN(id), COUNT(*) FROM ledger_transactions "
	  "GROUP BY idem_key HAVING COUNT(*) > 1 LIMIT 1",
	  "transaction %" PRId64 ": its key has %" PRId64 " transactions" },
	{ "SELECT e.id, e.tx_id FROM entitlements e "
	  "LEFT JOIN ledger_transactions t ON t.id = e.tx_id "
	  "WHERE t.id IS NULL OR t.kind <> 'purchase' ORDER BY e.id LIMIT 1",
	  "entitlement %" PRId64 ": transaction %" PRId64
	  " is missing or not a purchase" },
	{ "SELECT e.id, COALESCE(SUM(p.amount), 0) FROM entitlements e "
	  "LEFT JOIN ledger_accounts a ON a.kind = 'user' "
	  "AND a.user_id = e.user_id "
	  "LEFT JOIN ledger_postings p ON p.tx_id = e.tx_id "
	  "AND p.account_id = a.id GROUP BY e.id, e.price "
	  "HAVING COALESCE(SUM(p.amount), 0) <> -e.price ORDER BY e.id LIMIT 1",
	  "entitlement %" PRId64 ": the buyer's posting is %" PRId64
	  ", not minus its price" },
	{ "SELECT v.id, v.tx_id FROM vip_periods v "
	  "LEFT JOIN ledger_transactions t ON t.id = v.tx_id "
	  "WHERE v.source = 'buy' AND (t.id IS NULL OR t.kind <> 'vip') "
	  "ORDER BY v.id LIMIT 1",
	  "VIP period %" PRId64 ": transaction %" PRId64
	  " is missing or not a VIP purchase" },
	{ "SELECT t.id, COUNT(v.id) FROM ledger_transactions t "
	  "LEFT JOIN vip_periods v ON v.tx_id = t.id WHERE t.kind = 'vip' "
	  "GROUP BY t.id HAVING COUNT(v.id) <> 1 ORDER BY t.id LIMIT 1",
	  "VIP purchase %" PRId64 ": %" PRId64 " membership periods, not 1" },
};

int store_ledger_check(struct store *s, char *err, size_t errlen)
{
	size_t i;
	int rc;

	if (errlen)
		err[0] = '\0';
	if ((rc = store_read_begin(s)))
		return rc;
	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		sqlite3_stmt *st = stmt_get(s, rules[i].sql);
		if (!st) {
			rc = WK_EIO;
			break;
		}
		rc = sqlite3_step(st);
		if (rc == SQLITE_DONE) {
			sqlite3_reset(st);
			rc = 0;
			continue;
		}
		if (rc != SQLITE_ROW) {
			rc = step_error(st, rc, "ledger check");
			break;
		}
		snprintf(err, errlen, rules[i].fmt,
			 (int64_t)sqlite3_column_int64(st, 0),
			 (int64_t)sqlite3_column_int64(st, 1));
		sqlite3_reset(st);
		rc = WK_ECONFLICT;
		break;
	}
	store_read_end(s);
	return rc;
}

/* ---- history -------------------------------------------------------------*/

int store_ledger_history(struct store *s, struct arena *a, int64_t user_id,
			 int limit, struct store_ledger_entry **out,
			 size_t *n)
{
	sqlite3_stmt *st = stmt_get(
		s, "SELECT t.id, t.created_at, p.amount, t.kind, t.memo "
		   "FROM ledger_accounts acc "
		   "JOIN ledger_postings p ON p.account_id = acc.id "
		   "JOIN ledger_transactions t ON t.id = p.tx_id "
		   "WHERE acc.kind = 'user' AND acc.user_id = ? "
		   "ORDER BY p.id DESC LIMIT ?");
	struct store_ledger_entry *v = NULL;
	size_t k = 0, cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int(st, 2, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = rows_grow(a, v, k, &cap, sizeof(*v));
		if (!v) {
			sqlite3_reset(st);
			return WK_ENOMEM;
		}
		v[k].tx = sqlite3_column_int64(st, 0);
		v[k].created_at = sqlite3_column_int64(st, 1);
		v[k].amount = sqlite3_column_int64(st, 2);
		v[k].kind = col_text(st, 3, a);
		v[k].memo = col_text(st, 4, a);
		k++;
	}
	if (rc != SQLITE_DONE)
		return step_error(st, rc, "ledger history");
	sqlite3_reset(st);
	*out = v;
	*n = k;
	return 0;
}

/* ---- redemption codes ----------------------------------------------------*/

int store_codes_add(struct store *s, const char *batch, int64_t points,
		    int64_t vip_plan_id, int64_t expires_at, int64_t now,
		    const char *const *hashes, size_t count)
{
	sqlite3_stmt *st;
	size_t i;
	bool own;
	int rc;

	if ((rc = tx_begin(s, &own)))
		return rc;
	st = stmt_get(s, "INSERT INTO redeem_codes (hash, batch, points, "
			 "vip_plan_id, expires_at, created_at) "
			 "VALUES (?, ?, ?, ?, ?, ?)");
	if (!st)
		return tx_end(s, own, WK_EIO);
	for (i = 0; i < count; i++) {
		sqlite3_bind_text(st, 1, hashes[i], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, batch, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, points);
		bind_id(st, 4, vip_plan_id);
		sqlite3_bind_int64(st, 5, expires_at);
		sqlite3_bind_int64(st, 6, now);
		rc = sqlite3_step(st);
		if (rc != SQLITE_DONE)
			return tx_end(s, own, step_error(st, rc, "add code"));
		sqlite3_reset(st);
	}
	return tx_end(s, own, 0);
}

int store_code_get(struct store *s, const char *hash, int64_t *points,
		   int64_t *vip_plan_id, int64_t *expires_at,
		   int64_t *voided_at)
{
	sqlite3_stmt *st = stmt_get(
		s, "SELECT points, COALESCE(vip_plan_id, 0), expires_at, "
		   "COALESCE(voided_at, 0) FROM redeem_codes WHERE hash = ?");
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*points = sqlite3_column_int64(st, 0);
		*vip_plan_id = sqlite3_column_int64(st, 1);
		*expires_at = sqlite3_column_int64(st, 2);
		*voided_at = sqlite3_column_int64(st, 3);
		sqlite3_reset(st);
		return 0;
	}
	if (rc != SQLITE_DONE)
		return step_error(st, rc, "read code");
	sqlite3_reset(st);
	return WK_ENOTFOUND;
}

/* The columns of a batch, grouped by its name; its id is its first
 * code's. A code is redeemed when its key "code:<hash>" names a ledger
 * transaction (points) or a VIP period. */
#define BATCH_SELECT \
	"SELECT MIN(c.id), c.batch, MAX(c.points), " \
	"MAX(COALESCE(c.vip_plan_id, 0)), COALESCE(MAX(p.name), ''), " \
	"COUNT(*), SUM(EXISTS (SELECT 1 FROM ledger_transactions t " \
	"WHERE t.idem_key = 'code:' || c.hash) OR EXISTS (SELECT 1 FROM " \
	"vip_periods v WHERE v.idem_key = 'code:' || c.hash)), " \
	"MAX(c.expires_at), MIN(c.created_at), " \
	"COALESCE(MAX(c.voided_at), 0) FROM redeem_codes c " \
	"LEFT JOIN vip_plans p ON p.id = c.vip_plan_id "

static void batch_row(sqlite3_stmt *st, struct arena *a, void *row)
{
	struct store_code_batch *b = row;

	b->id = sqlite3_column_int64(st, 0);
	b->name = col_text(st, 1, a);
	b->points = sqlite3_column_int64(st, 2);
	b->vip_plan_id = sqlite3_column_int64(st, 3);
	b->plan_name = col_text(st, 4, a);
	b->count = sqlite3_column_int64(st, 5);
	b->redeemed = sqlite3_column_int64(st, 6);
	b->expires_at = sqlite3_column_int64(st, 7);
	b->created_at = sqlite3_column_int64(st, 8);
	b->voided_at = sqlite3_column_int64(st, 9);
}

int store_code_batches(struct store *s, struct arena *a, int offset,
		       int limit, struct store_code_batch **out, size_t *n,
		       bool *more)
{
	sqlite3_stmt *st = stmt_get(s, BATCH_SELECT "GROUP BY c.batch "
					  "ORDER BY MIN(c.id) DESC "
					  "LIMIT ? OFFSET ?");
	void *rows;
	int rc;

	*n = 0;
	*more = false;
	if (limit < 1 || limit > 200 || offset < 0)
		return WK_EINVAL;
	if (!st)
		return WK_EIO;
	sqlite3_bind_int(st, 1, limit + 1);
	sqlite3_bind_int(st, 2, offset);
	if (!(rc = collect_page(st, a, limit, sizeof(**out), batch_row,
				"list code batches", &rows, n, more)))
		*out = rows;
	return rc;
}

int store_code_batch_get(struct store *s, struct arena *a, int64_t id,
			 struct store_code_batch *out)
{
	sqlite3_stmt *st = stmt_get(
		s, BATCH_SELECT "WHERE c.batch = (SELECT batch FROM "
				"redeem_codes WHERE id = ?) GROUP BY c.batch");
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		batch_row(st, a, out);
		sqlite3_reset(st);
		return out->id == id ? 0 : WK_ENOTFOUND;
	}
	if (rc != SQLITE_DONE)
		return step_error(st, rc, "read code batch");
	sqlite3_reset(st);
	return WK_ENOTFOUND;
}

int store_code_batch_exists(struct store *s, const char *name)
{
	sqlite3_stmt *st = stmt_get(
		s, "SELECT 1 FROM redeem_codes WHERE batch = ? LIMIT 1");
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return WK_ECONFLICT;
	return rc == SQLITE_DONE ? 0 : WK_EIO;
}

int store_code_batch_id(struct store *s, const char *name, int64_t *id)
{
	sqlite3_stmt *st = stmt_get(
		s, "SELECT MIN(id) FROM redeem_codes WHERE batch = ?");
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	*id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return WK_EIO;
	return *id ? 0 : WK_ENOTFOUND;
}

int store_code_batch_void(struct store *s, const char *name, int64_t now)
{
	sqlite3_stmt *st = stmt_get(
		s, "UPDATE redeem_codes SET voided_at = ? WHERE batch = ? "
		   "AND voided_at IS NULL");
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	if ((rc = stmt_exec(st, "void code batch")))
		return rc;
	return sqlite3_changes(conn_db(s)) > 0 ? 0 : WK_ECONFLICT;
}

int store_code_redemptions(struct store *s, struct arena *a,
			   const char *batch, int limit,
			   struct store_code_redemption **out, size_t *n)
{
	sqlite3_stmt *st = stmt_get(
		s, "SELECT u.id, u.name, t.created_at, po.amount, 0 "
		   "FROM redeem_codes c JOIN ledger_transactions t "
		   "ON t.idem_key = 'code:' || c.hash "
		   "JOIN ledger_postings po ON po.tx_id = t.id "
		   "JOIN ledger_accounts la ON la.id = po.account_id "
		   "AND la.kind = 'user' JOIN users u ON u.id = la.user_id "
		   "WHERE c.batch = ?1 UNION ALL "
		   "SELECT u.id, u.name, v.created_at, 0, v.plan_id "
		   "FROM redeem_codes c JOIN vip_periods v "
		   "ON v.idem_key = 'code:' || c.hash "
		   "JOIN users u ON u.id = v.user_id WHERE c.batch = ?1 "
		   "ORDER BY 3 DESC, 1 LIMIT ?2");
	struct store_code_redemption *v;
	size_t k = 0;
	int rc;

	*n = 0;
	if (limit < 1 || limit > 10000)
		return WK_EINVAL;
	if (!st)
		return WK_EIO;
	if (!(v = arena_alloc(a, sizeof(*v) * (size_t)limit)))
		return WK_ENOMEM;
	sqlite3_bind_text(st, 1, batch, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v[k].user_id = sqlite3_column_int64(st, 0);
		v[k].user_name = col_text(st, 1, a);
		v[k].at = sqlite3_column_int64(st, 2);
		v[k].points = sqlite3_column_int64(st, 3);
		v[k].vip_plan_id = sqlite3_column_int64(st, 4);
		k++;
	}
	if (rc != SQLITE_DONE)
		return step_error(st, rc, "list redemptions");
	sqlite3_reset(st);
	*out = v;
	*n = k;
	return 0;
}

/* ---- password resets (0020) -----------------------------------------------*/

int store_reset_add(struct store *s, const char *token_hash,
		    int64_t user_id, int64_t created_by, int64_t expires_at,
		    int64_t now)
{
	sqlite3_stmt *st = stmt_get(
		s, "INSERT INTO password_resets (token_hash, user_id, "
		   "created_by, expires_at, created_at) VALUES (?, ?, ?, ?, ?)");

	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, token_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, user_id);
	bind_id(st, 3, created_by);
	sqlite3_bind_int64(st, 4, expires_at);
	sqlite3_bind_int64(st, 5, now);
	return stmt_exec(st, "add password reset");
}

int store_reset_get(struct store *s, const char *token_hash,
		    int64_t *user_id, int64_t *expires_at, int64_t *used_at)
{
	sqlite3_stmt *st = stmt_get(
		s, "SELECT user_id, expires_at, COALESCE(used_at, 0) "
		   "FROM password_resets WHERE token_hash = ?");
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, token_hash, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*user_id = sqlite3_column_int64(st, 0);
		*expires_at = sqlite3_column_int64(st, 1);
		*used_at = sqlite3_column_int64(st, 2);
		sqlite3_reset(st);
		return 0;
	}
	if (rc != SQLITE_DONE)
		return step_error(st, rc, "read password reset");
	sqlite3_reset(st);
	return WK_ENOTFOUND;
}

int store_reset_use(struct store *s, const char *token_hash, int64_t now)
{
	sqlite3_stmt *st = stmt_get(
		s, "UPDATE password_resets SET used_at = ? WHERE "
		   "token_hash = ? AND used_at IS NULL AND expires_at > ?");
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_text(st, 2, token_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	if ((rc = stmt_exec(st, "use password reset")))
		return rc;
	return sqlite3_changes(conn_db(s)) == 1 ? 0 : WK_ECONFLICT;
}

/* ---- entitlements and downloads ------------------------------------------*/

int store_entitlement_add(struct store *s, int64_t user_id, int64_t doc_id,
			  int64_t tx_id, int64_t price,
			  const char *license_text, int64_t now)
{
	sqlite3_stmt *st = stmt_get(
		s, "INSERT INTO entitlements (user_id, doc_id, tx_id, price, "
		   "license_text, created_at) VALUES (?, ?, ?, ?, ?, ?)");
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, doc_id);
	sqlite3_bind_int64(st, 3, tx_id);
	sqlite3_bind_int64(st, 4, price);
	sqlite3_bind_text(st, 5, license_text ? license_text : "", -1,
			  SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, now);
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE)
		return step_error(st, rc, "add entitlement");
	sqlite3_reset(st);
	return 0;
}

int store_entitlement_get(struct store *s, int64_t user_id, int64_t doc_id,
			  int64_t *tx_id)
{
	sqlite3_stmt *st = stmt_get(
		s, "SELECT tx_id FROM entitlements WHERE user_id = ? AND "
		   "doc_id = ?");
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, doc_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if (tx_id)
			*tx_id = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		return 0;
	}
	if (rc != SQLITE_DONE)
		return step_error(st, rc, "read entitlement");
	sqlite3_reset(st);
	return WK_ENOTFOUND;
}

int store_download_add(struct store *s, int64_t user_id, int64_t doc_id,
		       const char *ip, int64_t now, int64_t *download_id)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = store_write_begin(s)))
		return rc;
	st = stmt_get(s, "INSERT INTO downloads (user_id, doc_id, ip, "
			 "created_at) VALUES (?, ?, ?, ?)");
	if (!st) {
		rc = WK_EIO;
		goto fail;
	}
	if (user_id)
		sqlite3_bind_int64(st, 1, user_id);
	else
		sqlite3_bind_null(st, 1);
	sqlite3_bind_int64(st, 2, doc_id);
	sqlite3_bind_text(st, 3, ip ? ip : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, now);
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE) {
		rc = step_error(st, rc, "log download");
		goto fail;
	}
	sqlite3_reset(st);
	if (download_id)
		*download_id = sqlite3_last_insert_rowid(conn_db(s));
	st = stmt_get(s, "UPDATE documents SET downloads = downloads + 1 "
			 "WHERE id = ?");
	if (!st) {
		rc = WK_EIO;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, doc_id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE) {
		rc = step_error(st, rc, "count download");
		goto fail;
	}
	sqlite3_reset(st);
	return store_write_commit(s);
fail:
	store_write_rollback(s);
	return rc;
}

int store_download_get(struct store *s, struct arena *a, int64_t id,
		       struct store_download *out)
{
	sqlite3_stmt *st = stmt_get(
		s, "SELECT dl.id, COALESCE(dl.user_id, 0), dl.doc_id, "
		   "dl.created_at, COALESCE(u.name, ''), d.title, dl.ip "
		   "FROM downloads dl JOIN documents d ON d.id = dl.doc_id "
		   "LEFT JOIN users u ON u.id = dl.user_id WHERE dl.id = ?");
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(st, 0);
		out->user_id = sqlite3_column_int64(st, 1);
		out->doc_id = sqlite3_column_int64(st, 2);
		out->created_at = sqlite3_column_int64(st, 3);
		out->user_name = col_text(st, 4, a);
		out->doc_title = col_text(st, 5, a);
		out->ip = col_text(st, 6, a);
		sqlite3_reset(st);
		return 0;
	}
	if (rc != SQLITE_DONE)
		return step_error(st, rc, "read download");
	sqlite3_reset(st);
	return WK_ENOTFOUND;
}

int store_ledger_user_amount(struct store *s, const char *idem_key,
			     int64_t user_id, int64_t *amount)
{
	sqlite3_stmt *st = stmt_get(
		s, "SELECT COALESCE(SUM(p.amount), 0) FROM ledger_transactions t "
		   "JOIN ledger_postings p ON p.tx_id = t.id "
		   "JOIN ledger_accounts a ON a.id = p.account_id "
		   "WHERE t.idem_key = ? AND a.kind = 'user' AND a.user_id = ?");
	int rc;

	*amount = 0;
	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, idem_key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, user_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*amount = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_DONE)
		return step_error(st, rc, "read posting");
	sqlite3_reset(st);
	return 0;
}

int store_ledger_count_memo(struct store *s, int64_t user_id,
			    const char *memo, int64_t since, int64_t *n)
{
	sqlite3_stmt *st = stmt_get(
		s, "SELECT COUNT(DISTINCT t.id) FROM ledger_transactions t "
		   "JOIN ledger_postings p ON p.tx_id = t.id "
		   "JOIN ledger_accounts a ON a.id = p.account_id "
		   "WHERE t.memo = ? AND t.created_at >= ?2 AND t.created_at < "
		   "?2 + 86400 AND a.kind = 'user' AND a.user_id = ?3");
	int rc;

	*n = 0;
	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, memo, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, since);
	sqlite3_bind_int64(st, 3, user_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_DONE)
		return step_error(st, rc, "count rewards");
	sqlite3_reset(st);
	return 0;
}
