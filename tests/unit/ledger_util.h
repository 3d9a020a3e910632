/* ledger_util.h - helpers of the ledger, purchase and VIP unit tests: a
 * temporary data folder, accounts, documents and raw SQL access. */
#ifndef WK_TEST_LEDGER_UTIL_H
#define WK_TEST_LEDGER_UTIL_H

#include "../../src/store/store.h"

#include <sqlite3.h>
#include <stdint.h>

/* A store on a new temporary folder (its name in dir, 64 bytes). */
struct store *open_tmp(char *dir);
void rm_tmp(const char *dir);
/* A reader account named name; its id (0 and a failed check if not). */
int64_t add_user(struct store *s, const char *name);
/* A raw connection to the data folder's database, as an attacker with
 * SQL access (or a buggy query) would have. */
sqlite3 *raw_open(const char *dir);
int raw_exec(sqlite3 *db, const char *sql);
/* The first column of the first row of sql, -1 on failure. */
int64_t raw_int(sqlite3 *db, const char *sql);
int64_t balance_of(struct store *s, int64_t user);
int64_t tx_count(const char *dir);
/* A published txt document of price points provided by provider. */
int64_t add_paid_doc(struct store *s, const char *title, int price,
		     int64_t provider);

#endif
