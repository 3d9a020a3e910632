/* ledger_util.c - what the ledger, purchase and VIP unit tests share
 * (ledger_util.h). */
#include "ledger_util.h"

#include "../harness.h"
#include "../../src/domain/ledger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct store *open_tmp(char *dir)
{
	char err[256];
	struct store *s;

	strcpy(dir, "/tmp/wenku-ledger.XXXXXX");
	if (!mkdtemp(dir))
		return NULL;
	s = store_open(dir, err, sizeof(err));
	if (!s)
		fprintf(stderr, "    store_open: %s\n", err);
	return s;
}

void rm_tmp(const char *dir)
{
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "    could not remove %s\n", dir);
}

int64_t add_user(struct store *s, const char *name)
{
	int64_t id = 0;
	CHECK(store_account_create(s, name, name, NULL, "reader", NULL, &id) ==
	      0);
	return id;
}

/* A raw connection to the data folder's database, as an attacker with
 * SQL access (or a buggy query) would have. */
sqlite3 *raw_open(const char *dir)
{
	char path[512];
	sqlite3 *db = NULL;

	snprintf(path, sizeof(path), "%s/wenku.db", dir);
	if (sqlite3_open(path, &db) != SQLITE_OK) {
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 10000);
	return db;
}

int raw_exec(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

int64_t raw_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

int64_t balance_of(struct store *s, int64_t user)
{
	int64_t b = -1;
	CHECK(ledger_balance(s, user, &b) == 0);
	return b;
}

int64_t tx_count(const char *dir)
{
	sqlite3 *db = raw_open(dir);
	int64_t n = db ? raw_int(db, "SELECT COUNT(*) FROM ledger_transactions")
		       : -1;
	sqlite3_close(db);
	return n;
}

int64_t add_paid_doc(struct store *s, const char *title, int price,
			    int64_t provider)
{
	struct store_block b = { 0, 0, 0, "正文。" };
	struct store_doc d = { 0 };
	char hex[65];

	if (store_blob_put(s, title, strlen(title), hex))
		return 0;
	d.title = title;
	d.format = "txt";
	d.sha256 = hex;
	d.size = (int64_t)strlen(title);
	d.chars = 3;
	d.price = price;
	d.provider_id = provider;
	d.status = "published";
	d.published_at = 1700000000;
	return store_doc_insert(s, &d, &b, 1) == 0 ? d.id : 0;
}

