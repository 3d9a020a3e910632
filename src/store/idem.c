/*
 * idem.c - the rows behind the Idempotency-Key header
 * (0013_idempotent_replies.sql; the rules are in domain/idem.c).
 *
 * Every function is one statement in autocommit mode, except the
 * finishing write, which commits with synchronous=FULL like the ledger:
 * a reply the client may have seen must survive a power loss as the
 * transaction it describes does.
 */
#include "store_internal.h"

#include "../base/arena.h"
#include "../base/err.h"

#include <string.h>

int store_idem_insert(struct store *s, int64_t user_id, const char *key,
		      const char *fingerprint, const char *owner,
		      int64_t now, int64_t *id)
{
	sqlite3_stmt *st = stmt_get(
		s, "INSERT INTO idempotent_replies (user_id, idem_key, "
		   "fingerprint, state, owner, created_at) VALUES "
		   "(?, ?, ?, 'pending', ?, ?) "
		   "ON CONFLICT (user_id, idem_key) DO NOTHING");
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, fingerprint, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, owner, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, now);
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE) {
		/* A constraint failing here is not the key's row (that is
		 * DO NOTHING): an error, not a conflict to look up. */
		rc = step_error(st, rc, "claim idempotency key");
		return rc == WK_ECONFLICT ? WK_EIO : rc;
	}
	sqlite3_reset(st);
	if (sqlite3_changes(conn_db(s)) != 1)
		return WK_ECONFLICT;
	*id = sqlite3_last_insert_rowid(conn_db(s));
	return 0;
}

int store_idem_get(struct store *s, struct arena *a, int64_t user_id,
		   const char *key, struct store_idem *out)
{
	sqlite3_stmt *st = stmt_get(
		s, "SELECT id, fingerprint, state, owner, status, body, "
		   "download_id, created_at FROM idempotent_replies "
		   "WHERE user_id = ? AND idem_key = ?");
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return WK_ENOTFOUND;
	}
	if (rc != SQLITE_ROW)
		return step_error(st, rc, "read idempotency key");
	memset(out, 0, sizeof(*out));
	out->id = sqlite3_column_int64(st, 0);
	out->fingerprint = col_text(st, 1, a);
	out->done = !strcmp((const char *)sqlite3_column_text(st, 2), "done");
	out->owner = col_text(st, 3, a);
	out->status = sqlite3_column_int(st, 4);
	out->body = col_text(st, 5, a);
	out->body_len = (size_t)sqlite3_column_bytes(st, 5);
	out->download_id = sqlite3_column_int64(st, 6);
	out->created_at = sqlite3_column_int64(st, 7);
	sqlite3_reset(st);
	return out->fingerprint && out->owner && out->body ? 0 : WK_ENOMEM;
}

int store_idem_takeover(struct store *s, int64_t id, const char *old_owner,
			const char *owner, int64_t now)
{
	sqlite3_stmt *st = stmt_get(
		s, "UPDATE idempotent_replies SET owner = ?, created_at = ? "
		   "WHERE id = ? AND state = 'pending' AND owner = ?");
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, owner, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, id);
	sqlite3_bind_text(st, 4, old_owner, -1, SQLITE_STATIC);
	if ((rc = stmt_exec(st, "take over idempotency key")))
		return rc;
	return sqlite3_changes(conn_db(s)) == 1 ? 0 : WK_ECONFLICT;
}

int store_idem_finish(struct store *s, int64_t id, const char *owner,
		      int status, const char *body, size_t len,
		      int64_t download_id)
{
	sqlite3_stmt *st;
	bool own;
	int rc;

	if ((rc = tx_begin_ledger(s, &own)))
		return rc;
	st = stmt_get(s, "UPDATE idempotent_replies SET state = 'done', "
			 "status = ?, body = ?, download_id = ? "
			 "WHERE id = ? AND state = 'pending' AND owner = ?");
	if (!st)
		return tx_end(s, own, WK_EIO);
	sqlite3_bind_int(st, 1, status);
	sqlite3_bind_text(st, 2, body ? body : "", (int)len, SQLITE_STATIC);
	bind_id(st, 3, download_id);
	sqlite3_bind_int64(st, 4, id);
	sqlite3_bind_text(st, 5, owner, -1, SQLITE_STATIC);
	rc = stmt_exec(st, "store idempotent reply");
	if (!rc && sqlite3_changes(conn_db(s)) != 1)
		rc = WK_ECONFLICT;
	return tx_end(s, own, rc);
}

int store_idem_delete(struct store *s, int64_t id, const char *owner,
		      int64_t created_at)
{
	sqlite3_stmt *st = stmt_get(
		s, "DELETE FROM idempotent_replies WHERE id = ? "
		   "AND (? IS NULL OR owner = ?) AND (? = 0 OR created_at = ?)");

	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, id);
	if (owner) {
		sqlite3_bind_text(st, 2, owner, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, owner, -1, SQLITE_STATIC);
	}
	sqlite3_bind_int64(st, 4, created_at);
	sqlite3_bind_int64(st, 5, created_at);
	return stmt_exec(st, "drop idempotency key");
}

int store_idem_purge(struct store *s, int64_t before, int64_t *n)
{
	sqlite3_stmt *st = stmt_get(
		s, "DELETE FROM idempotent_replies WHERE created_at < ?");
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, before);
	if ((rc = stmt_exec(st, "purge idempotency keys")))
		return rc;
	if (n)
		*n = sqlite3_changes(conn_db(s));
	return 0;
}
