/*
 * store.c - opening the data folder, per-thread SQLite connections, the
 * statement cache and migrations.
 *
 * SQLite connections are not shared between threads: each thread opens
 * its own on first use (SQLITE_OPEN_NOMUTEX), keeps its prepared
 * statements, and all are closed by store_close(). WAL lets readers run
 * beside the one writer; busy_timeout makes writers queue rather than
 * fail.
 */
#include "store_internal.h"

#include "../base/arena.h"
#include "../base/asset.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../base/log.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define STMT_CACHE 128

struct conn {
	struct conn *next;
	sqlite3 *db;
	const char *sql[STMT_CACHE];
	sqlite3_stmt *st[STMT_CACHE];
	int nst;
	bool sync_full;	/* in a ledger transaction: synchronous=FULL */
};

static void conn_close(struct conn *c)
{
	int i;
	for (i = 0; i < c->nst; i++)
		sqlite3_finalize(c->st[i]);
	sqlite3_close(c->db);
	free(c);
}

static int open_db(const char *path, sqlite3 **out)
{
	static const char *pragmas =
		"PRAGMA journal_mode=WAL;"
		"PRAGMA synchronous=NORMAL;"
		"PRAGMA foreign_keys=ON;"
		"PRAGMA temp_store=MEMORY;";
	sqlite3 *db;
	int rc = sqlite3_open_v2(path, &db,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
					 SQLITE_OPEN_NOMUTEX,
				 NULL);
	if (rc != SQLITE_OK) {
		log_error("open database %s: %s", path,
			  db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		sqlite3_close(db);
		return WK_EIO;
	}
	sqlite3_busy_timeout(db, 10000);
	sqlite3_extended_result_codes(db, 1);
	if (fts_register(db)) {
		sqlite3_close(db);
		return WK_EIO;
	}
	if (sqlite3_exec(db, pragmas, NULL, NULL, NULL) != SQLITE_OK) {
		log_error("configure database %s: %s", path,
			  sqlite3_errmsg(db));
		sqlite3_close(db);
		return WK_EIO;
	}
	*out = db;
	return 0;
}

sqlite3 *conn_db(struct store *s)
{
	struct conn *c = pthread_getspecific(s->key);

	if (c)
		return c->db;
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	if (open_db(s->db_path, &c->db)) {
		free(c);
		return NULL;
	}
	pthread_setspecific(s->key, c);
	pthread_mutex_lock(&s->lock);
	c->next = s->conns;
	s->conns = c;
	pthread_mutex_unlock(&s->lock);
	return c->db;
}

sqlite3_stmt *stmt_get(struct store *s, const char *sql)
{
	struct conn *c;
	sqlite3_stmt *st;
	int i;

	if (!conn_db(s))
		return NULL;
	c = pthread_getspecific(s->key);
	for (i = 0; i < c->nst; i++) {
		if (c->sql[i] == sql) {
			sqlite3_reset(c->st[i]);
			sqlite3_clear_bindings(c->st[i]);
			return c->st[i];
		}
	}
	if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
			       NULL) != SQLITE_OK) {
		log_error("prepare failed: %s: %s", sqlite3_errmsg(c->db), sql);
		return NULL;
	}
	if (c->nst < STMT_CACHE) {
		c->sql[c->nst] = sql;
		c->st[c->nst] = st;
		c->nst++;
	} else {
		/* Cache full: should not happen with our query count. */
		log_error("statement cache full");
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

int step_error(sqlite3_stmt *st, int rc, const char *what)
{
	sqlite3 *db = sqlite3_db_handle(st);
	int prim = rc & 0xff;

	sqlite3_reset(st);
	if (prim == SQLITE_CONSTRAINT)
		return WK_ECONFLICT;
	log_error("%s failed: %s (%d)", what, sqlite3_errmsg(db), rc);
	return WK_EIO;
}

int stmt_exec(sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return step_error(st, rc, what);
	sqlite3_reset(st);
	return 0;
}

int db_exec(struct store *s, const char *sql)
{
	sqlite3 *db = conn_db(s);
	if (!db)
		return WK_EIO;
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) {
		log_error("%s failed: %s", sql, sqlite3_errmsg(db));
		return WK_EIO;
	}
	return 0;
}

void bind_id(sqlite3_stmt *st, int i, int64_t v)
{
	if (v)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

const char *col_text(sqlite3_stmt *st, int i, struct arena *a)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	if (!t)
		return NULL;
	return arena_strndup(a, (const char *)t,
			     (size_t)sqlite3_column_bytes(st, i));
}

/* ---- migrations --------------------------------------------------------*/

struct mig_list {
	const char *names[256];
	int n;
};

static int collect(const char *name, void *arg)
{
	struct mig_list *l = arg;
	size_t len = strlen(name);
	if (len < 4 || strcmp(name + len - 4, ".sql"))
		return 0;
	if (l->n == 256)
		return WK_ETOOBIG;
	l->names[l->n++] = name;
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "migrations/0007_x.sql" -> 7; -1 if the name has no number. */
static int mig_number(const char *name)
{
	const char *base = strrchr(name, '/');
	char *end;
	long v;

	base = base ? base + 1 : name;
	v = strtol(base, &end, 10);
	if (end == base || *end != '_' || v <= 0 || v > 100000)
		return -1;
	return (int)v;
}

/*
 * The schema text for SQLite: ID_PK becomes the rowid alias, and
 * sections only another dialect understands are left out. A section is
 * a line "-- postgres-only begin" ... "-- postgres-only end" (skipped
 * here) or "-- sqlite-only begin" ... "-- sqlite-only end" (kept here;
 * a PostgreSQL backend skips it). Sections do not nest. NULL with err
 * set on an unbalanced marker or when out of memory.
 */
char *sqlite_dialect(const unsigned char *src, size_t len, char *err,
		     size_t errlen)
{
	static const struct {
		const char *line;
		int opens;	/* 0 closes */
		int skip;	/* text inside is not for SQLite */
	} marks[] = {
		{ "-- sqlite-only begin", 1, 0 },
		{ "-- sqlite-only end", 0, 0 },
		{ "-- postgres-only begin", 1, 1 },
		{ "-- postgres-only end", 0, 1 },
	};
	struct buf b;
	size_t i = 0;
	int open = -1;	/* index of the open section's begin mark */

	buf_init(&b, 0);
	while (i < len) {
		const unsigned char *nl = memchr(src + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - src) + 1 : len;
		size_t ll = end - i, k, m;
		int marked = 0;

		while (ll && (src[i + ll - 1] == '\n' ||
			      src[i + ll - 1] == '\r' ||
			      src[i + ll - 1] == ' '))
			ll--;
		for (m = 0; m < sizeof(marks) / sizeof(marks[0]); m++) {
			if (strlen(marks[m].line) != ll ||
			    memcmp(src + i, marks[m].line, ll))
				continue;
			marked = 1;
			if (marks[m].opens && open < 0) {
				open = (int)m;
			} else if (!marks[m].opens && open == (int)m - 1) {
				open = -1;
			} else {
				snprintf(err, errlen, "unbalanced \"%s\"",
					 marks[m].line);
				buf_release(&b);
				return NULL;
			}
		}
		if (!marked && !(open >= 0 && marks[open].skip)) {
			for (k = i; k < end;) {
				if (end - k >= 5 && !memcmp(src + k, "ID_PK", 5)) {
					buf_adds(&b, "INTEGER PRIMARY KEY");
					k += 5;
				} else {
					buf_addc(&b, (char)src[k++]);
				}
			}
		}
		i = end;
	}
	if (open >= 0) {
		snprintf(err, errlen, "\"%s\" is never closed",
			 marks[open].line);
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

static int migrate(sqlite3 *db, int *version, char *err, size_t errlen)
{
	struct mig_list l = { .n = 0 };
	sqlite3_stmt *st;
	int i, cur = 0;

	if (sqlite3_exec(db,
			 "CREATE TABLE IF NOT EXISTS schema_migrations ("
			 "version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
			 "applied_at BIGINT NOT NULL)",
			 NULL, NULL, NULL) != SQLITE_OK)
		goto dberr;
	if (sqlite3_prepare_v2(db,
			       "SELECT COALESCE(MAX(version), 0) "
			       "FROM schema_migrations",
			       -1, &st, NULL) != SQLITE_OK)
		goto dberr;
	if (sqlite3_step(st) == SQLITE_ROW)
		cur = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);

	if (asset_each("migrations/", collect, &l)) {
		snprintf(err, errlen, "too many migrations");
		return WK_ETOOBIG;
	}
	qsort(l.names, (size_t)l.n, sizeof(l.names[0]), cmp_names);
	for (i = 0; i < l.n; i++) {
		const unsigned char *data;
		size_t len;
		int owned, num = mig_number(l.names[i]);
		char *sql;

		if (num < 0) {
			snprintf(err, errlen,
				 "migration %s: name must start with a number "
				 "and '_'",
				 l.names[i]);
			return WK_EINVAL;
		}
		if (num <= cur)
			continue;
		if (asset_get(l.names[i], &data, &len, &owned)) {
			snprintf(err, errlen, "cannot read %s", l.names[i]);
			return WK_EIO;
		}
		snprintf(err, errlen, "out of memory");
		sql = sqlite_dialect(data, len, err, errlen);
		if (owned)
			free((void *)data);
		if (!sql) {
			char why[128];
			snprintf(why, sizeof(why), "%s", err);
			snprintf(err, errlen, "migration %s: %s", l.names[i],
				 why);
			return WK_EINVAL;
		}
		if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
		    SQLITE_OK) {
			free(sql);
			goto dberr;
		}
		if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) {
			snprintf(err, errlen, "migration %s failed: %s",
				 l.names[i], sqlite3_errmsg(db));
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			free(sql);
			return WK_EIO;
		}
		free(sql);
		if (sqlite3_prepare_v2(db,
				       "INSERT INTO schema_migrations "
				       "(version, name, applied_at) "
				       "VALUES (?, ?, ?)",
				       -1, &st, NULL) != SQLITE_OK) {
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			goto dberr;
		}
		sqlite3_bind_int(st, 1, num);
		sqlite3_bind_text(st, 2, l.names[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL));
		if (sqlite3_step(st) != SQLITE_DONE ||
		    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
			sqlite3_finalize(st);
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			goto dberr;
		}
		sqlite3_finalize(st);
		log_info("applied %s", l.names[i]);
		cur = num;
	}
	*version = cur;
	return 0;
dberr:
	snprintf(err, errlen, "database: %s", sqlite3_errmsg(db));
	return WK_EIO;
}

/* ---- lifecycle ---------------------------------------------------------*/

static void conn_destructor(void *p)
{
	(void)p; /* connections are closed by store_close, not at exit */
}

static int make_dir(const char *path, char *err, size_t errlen)
{
	if (mkdir(path, 0750) && errno != EEXIST) {
		snprintf(err, errlen, "cannot create folder %s: %s", path,
			 strerror(errno));
		return WK_EIO;
	}
	return 0;
}

struct store *store_open(const char *dir, char *err, size_t errlen)
{
	struct store *s = calloc(1, sizeof(*s));
	char blobs[4096];
	sqlite3 *db;
	int version;

	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (make_dir(dir, err, errlen))
		goto fail;
	snprintf(blobs, sizeof(blobs), "%s/blobs", dir);
	if (make_dir(blobs, err, errlen))
		goto fail;
	s->dir = strdup(dir);
	if (!s->dir || asprintf(&s->db_path, "%s/wenku.db", dir) < 0) {
		s->db_path = NULL;
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	pthread_mutex_init(&s->lock, NULL);
	pthread_mutex_init(&s->cat_lock, NULL);
	{
		static atomic_uint_fast64_t next = 1;
		s->serial = atomic_fetch_add(&next, 1);
	}
	if (pthread_key_create(&s->key, conn_destructor)) {
		snprintf(err, errlen, "out of thread keys");
		goto fail_lock;
	}
	db = conn_db(s);
	if (!db) {
		snprintf(err, errlen, "cannot open database %s", s->db_path);
		goto fail_key;
	}
	if (migrate(db, &version, err, errlen))
		goto fail_conns;
	return s;
fail_conns:
	store_close(s);
	return NULL;
fail_key:
	pthread_key_delete(s->key);
fail_lock:
	pthread_mutex_destroy(&s->lock);
	pthread_mutex_destroy(&s->cat_lock);
fail:
	free(s->db_path);
	free(s->dir);
	free(s);
	return NULL;
}

void store_close(struct store *s)
{
	struct conn *c, *next;

	if (!s)
		return;
	for (c = s->conns; c; c = next) {
		next = c->next;
		conn_close(c);
	}
	pthread_setspecific(s->key, NULL);
	pthread_key_delete(s->key);
	pthread_mutex_destroy(&s->lock);
	pthread_mutex_destroy(&s->cat_lock);
	arena_free(s->cat_arena);
	free(s->db_path);
	free(s->dir);
	free(s);
}

int store_schema_version(struct store *s)
{
	sqlite3_stmt *st = stmt_get(
		s, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
	int v = -1;
	if (st && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	if (st)
		sqlite3_reset(st);
	return v;
}

uint64_t store_serial(const struct store *s)
{
	return s->serial;
}

int store_ping(struct store *s)
{
	sqlite3_stmt *st = stmt_get(
		s, "SELECT COUNT(*) FROM schema_migrations WHERE version = 1");
	int ok = 0;

	if (!st)
		return WK_EIO;
	if (sqlite3_step(st) == SQLITE_ROW)
		ok = sqlite3_column_int(st, 0) == 1;
	sqlite3_reset(st);
	return ok ? 0 : WK_EIO;
}

int store_check(struct store *s)
{
	sqlite3_stmt *st = stmt_get(s, "PRAGMA quick_check");
	int ok = 0;
	if (!st)
		return WK_EIO;
	if (sqlite3_step(st) == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(st, 0);
		ok = t && !strcmp((const char *)t, "ok");
	}
	sqlite3_reset(st);
	return ok ? 0 : WK_EIO;
}

int store_read_begin(struct store *s)
{
	sqlite3_stmt *st = stmt_get(s, "BEGIN");
	return st ? stmt_exec(st, "begin read") : WK_EIO;
}

void store_read_end(struct store *s)
{
	sqlite3_stmt *st = stmt_get(s, "COMMIT");
	if (st)
		stmt_exec(st, "end read");
}

void *rows_grow(struct arena *a, void *old, size_t n, size_t *cap,
		size_t size)
{
	void *p;

	if (n < *cap)
		return old;
	*cap = *cap ? *cap * 2 : 16;
	p = arena_alloc(a, *cap * size);
	if (p && n)
		memcpy(p, old, n * size);
	return p;
}

/* After a transaction ends: a connection that ran a ledger transaction
 * under synchronous=FULL goes back to NORMAL (the pragma cannot change
 * inside a transaction, so this waits for the end). */
static void sync_restore(struct store *s)
{
	struct conn *c = pthread_getspecific(s->key);

	if (!c || !c->sync_full || !sqlite3_get_autocommit(c->db))
		return;
	if (sqlite3_exec(c->db, "PRAGMA synchronous=NORMAL", NULL, NULL,
			 NULL) != SQLITE_OK)
		log_error("restore synchronous=NORMAL: %s",
			  sqlite3_errmsg(c->db));
	c->sync_full = false;
}

int store_write_begin(struct store *s)
{
	return db_exec(s, "BEGIN IMMEDIATE");
}

int store_ledger_begin(struct store *s)
{
	struct conn *c;
	int rc;

	if (!conn_db(s))
		return WK_EIO;
	c = pthread_getspecific(s->key);
	if (!sqlite3_get_autocommit(c->db)) {
		log_error("ledger transaction inside another transaction");
		return WK_EINVAL;
	}
	if ((rc = db_exec(s, "PRAGMA synchronous=FULL")))
		return rc;
	c->sync_full = true;
	if ((rc = db_exec(s, "BEGIN IMMEDIATE")))
		sync_restore(s);
	return rc;
}

int store_write_commit(struct store *s)
{
	int rc = db_exec(s, "COMMIT");
	sync_restore(s);
	return rc;
}

void store_write_rollback(struct store *s)
{
	sqlite3 *db = conn_db(s);
	if (db && !sqlite3_get_autocommit(db))
		db_exec(s, "ROLLBACK");
	sync_restore(s);
}

int tx_begin(struct store *s, bool *own)
{
	sqlite3 *db = conn_db(s);
	if (!db)
		return WK_EIO;
	*own = sqlite3_get_autocommit(db) != 0;
	return *own ? db_exec(s, "BEGIN IMMEDIATE") : 0;
}

int tx_begin_ledger(struct store *s, bool *own)
{
	struct conn *c;

	if (!conn_db(s))
		return WK_EIO;
	c = pthread_getspecific(s->key);
	*own = sqlite3_get_autocommit(c->db) != 0;
	if (*own)
		return store_ledger_begin(s);
	if (!c->sync_full) {
		log_error("ledger write in a transaction not opened by "
			  "store_ledger_begin");
		return WK_EINVAL;
	}
	return 0;
}

int tx_end(struct store *s, bool own, int rc)
{
	if (!own)
		return rc;
	if (rc) {
		db_exec(s, "ROLLBACK");
		sync_restore(s);
		return rc;
	}
	rc = db_exec(s, "COMMIT");
	sync_restore(s);
	return rc;
}

int store_sync_level(struct store *s)
{
	sqlite3_stmt *st = stmt_get(s, "PRAGMA synchronous");
	int v = -1;

	if (st && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	if (st)
		sqlite3_reset(st);
	return v;
}
