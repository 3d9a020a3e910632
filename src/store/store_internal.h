/*
 * store_internal.h - what the query files of src/store share: the
 * per-thread connection, the prepared-statement cache and column helpers.
 */
#ifndef WK_STORE_INTERNAL_H
#define WK_STORE_INTERNAL_H

#include "store.h"

#include <pthread.h>
#include <stdbool.h>
#include <sqlite3.h>

struct arena;

struct store {
	char *dir;
	char *db_path;
	pthread_key_t key;	/* this thread's struct conn */
	pthread_mutex_t lock;	/* guards conns */
	struct conn *conns;	/* every connection, for store_close */
	bool defer_sync;	/* blob bulk mode, see store_blob_sync */
	uint64_t serial;	/* unique among the process's stores */
	/* The category list with its counts, read by every page: kept for
	 * CAT_CACHE_MS, dropped when documents or categories change here
	 * (store_categories_changed); other processes' changes show within
	 * CAT_CACHE_MS. */
	pthread_mutex_t cat_lock;
	struct arena *cat_arena;
	struct store_category *cat_rows;
	size_t cat_n;
	int64_t cat_until_ms;	/* monotonic; 0: nothing cached */
};

/* Forget the cached category list (documents or categories changed). */
void store_categories_changed(struct store *s);

/* Prepared statement for sql on this thread's connection; cached, so sql
 * must be a string literal. Reset and unbound. NULL on failure (logged). */
sqlite3_stmt *stmt_get(struct store *s, const char *sql);
/* This thread's connection; NULL on failure (logged). */
sqlite3 *conn_db(struct store *s);

/* Register the search tokenizer and ranking functions on a new
 * connection (fts.c). 0 or WK_EIO. */
int fts_register(sqlite3 *db);

/* Step a statement that returns no rows; 0 or WK_EIO / WK_ECONFLICT. */
int stmt_exec(sqlite3_stmt *st, const char *what);
/* Run a statement text directly (BEGIN, COMMIT...). 0 or WK_EIO. */
int db_exec(struct store *s, const char *sql);
/* Log a failed step and turn it into an error code. */
int step_error(sqlite3_stmt *st, int rc, const char *what);

/* Bind an id, or NULL for 0 (no such reference). */
void bind_id(sqlite3_stmt *st, int i, int64_t v);

/* Text column copied into the arena ("" for NULL when empty_ok). */
const char *col_text(sqlite3_stmt *st, int i, struct arena *a);

/* Open a write transaction unless one is open already (*own tells which,
 * for tx_end). tx_end commits an own transaction when rc is 0, rolls it
 * back otherwise, and returns rc (or the commit's failure). */
int tx_begin(struct store *s, bool *own);
int tx_end(struct store *s, bool own, int rc);
/* tx_begin for ledger writes: an own transaction is opened by
 * store_ledger_begin() (synchronous=FULL); a surrounding one must have
 * been opened that way too, else WK_EINVAL. Ended by tx_end. */
int tx_begin_ledger(struct store *s, bool *own);

/* A migration's text for SQLite (ID_PK, dialect sections; see
 * store.c), malloc'd; NULL with err set when a section marker is
 * unbalanced or memory ran out. */
char *sqlite_dialect(const unsigned char *src, size_t len, char *err,
		     size_t errlen);

/* Room for one more row in an arena array of n rows of size bytes with
 * capacity *cap: old itself, or a copy twice as large. NULL when out of
 * memory. */
void *rows_grow(struct arena *a, void *old, size_t n, size_t *cap,
		size_t size);

/* The columns of a struct store_doc row, for "SELECT " DOC_COLS
 * "WHERE ..." (documents d, categories c); read_doc() reads one row,
 * collect_docs() up to limit rows into an arena array. */
#define DOC_COLS                                                            \
	"d.id, d.title, d.format, d.sha256, d.size, d.pages, d.chars, "    \
	"d.price, d.vip_free, COALESCE(d.category_id, 0), c.name, c.slug, " \
	"COALESCE(d.provider_id, 0), d.status, d.description, d.views, "   \
	"d.downloads, d.created_at, COALESCE(d.published_at, 0) "          \
	"FROM documents d LEFT JOIN categories c ON c.id = d.category_id "
void read_doc(sqlite3_stmt *st, struct arena *a, struct store_doc *d);
int collect_docs(sqlite3_stmt *st, struct arena *a, int limit,
		 struct store_doc **out, size_t *n);
/* A row reader for collect_page: one row of st into row. */
typedef void store_row_fn(sqlite3_stmt *st, struct arena *a, void *row);
/* Step st, bound by the caller with LIMIT limit + 1, into up to limit
 * rows of size bytes each (an arena array in *out, *n of them) read by
 * read_row; *more when the extra row came. what names the query in a
 * failure's log line. 0, WK_ENOMEM or a step error. */
int collect_page(sqlite3_stmt *st, struct arena *a, int limit, size_t size,
		 store_row_fn *read_row, const char *what, void **out,
		 size_t *n, bool *more);
/* A page of documents from st, whose ?1 is id, ?2 the limit (1..1000)
 * and ?3 the offset; WK_EINVAL for bad bounds, WK_EIO when st is NULL. */
int docs_page(sqlite3_stmt *st, struct arena *a, int64_t id, int limit,
	      int offset, struct store_doc **out, size_t *n);

#endif
