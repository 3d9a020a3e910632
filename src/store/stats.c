/*
 * stats.c - counts for monitoring (/metrics): documents by status,
 * accounts by role, ledger transactions and the system balances.
 */
#include "store_internal.h"

#include "../base/err.h"

#include <string.h>

static const char *const doc_statuses[] = { STORE_DOC_STATUSES };
static const char *const roles[] = { STORE_ROLES };

/* Add each (name, count) row of st to the slot of counts whose name
 * matches; rows with other names are dropped. */
static int count_rows(sqlite3_stmt *st, const char *const *names,
		      size_t n, int64_t *counts, const char *what)
{
	int rc;
	size_t i;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		for (i = 0; name && i < n; i++)
			if (!strcmp(name, names[i]))
				counts[i] += sqlite3_column_int64(st, 1);
	}
	if (rc != SQLITE_DONE)
		return step_error(st, rc, what);
	sqlite3_reset(st);
	return 0;
}

int store_stats(struct store *s, struct store_stats *out)
{
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	st = stmt_get(s, "SELECT status, COUNT(*) FROM documents "
			 "GROUP BY status");
	if (!st)
		return WK_EIO;
	if ((rc = count_rows(st, doc_statuses, STORE_NDOC_STATUSES,
			     out->docs, "count documents")))
		return rc;
	st = stmt_get(s, "SELECT role, COUNT(*) FROM users GROUP BY role");
	if (!st)
		return WK_EIO;
	if ((rc = count_rows(st, roles, STORE_NROLES, out->users,
			     "count users")))
		return rc;
	st = stmt_get(s, "SELECT COUNT(*) FROM ledger_transactions");
	if (!st)
		return WK_EIO;
	if ((rc = sqlite3_step(st)) != SQLITE_ROW)
		return step_error(st, rc, "count ledger transactions");
	out->ledger_tx = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	st = stmt_get(s, "SELECT kind, balance FROM ledger_accounts "
			 "WHERE user_id IS NULL");
	if (!st)
		return WK_EIO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(st, 0);
		if (kind && !strcmp(kind, "issuance"))
			out->issuance = sqlite3_column_int64(st, 1);
		else if (kind && !strcmp(kind, "revenue"))
			out->revenue = sqlite3_column_int64(st, 1);
	}
	if (rc != SQLITE_DONE)
		return step_error(st, rc, "read system balances");
	sqlite3_reset(st);
	return 0;
}
