/*
 * catalog.c - queries on categories, users, comments, fragments and
 * settings: the small tables around the documents.
 */
#include "store_internal.h"

#include "../base/arena.h"
#include "../base/err.h"

#include <string.h>
#include <time.h>

/* Run a one-row lookup; returns SQLITE_ROW on a row, or an error code. */
static int one_row(sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		return SQLITE_ROW;
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return WK_ENOTFOUND;
	}
	return step_error(st, rc, what);
}

/* ---- categories --------------------------------------------------------*/

static void read_category(sqlite3_stmt *st, struct arena *a,
			  struct store_category *c)
{
	c->id = sqlite3_column_int64(st, 0);
	c->parent_id = sqlite3_column_int64(st, 1);
	c->slug = col_text(st, 2, a);
	c->name = col_text(st, 3, a);
	c->sort = sqlite3_column_int(st, 4);
	c->doc_count = sqlite3_column_int64(st, 5);
}

#define CAT_COLS                                                           \
	"c.id, COALESCE(c.parent_id, 0), c.slug, c.name, c.sort, "        \
	"(SELECT COUNT(*) FROM documents d WHERE d.category_id = c.id "   \
	"AND d.status = 'published') "

#define CAT_CACHE_MS 1000

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void store_categories_changed(struct store *s)
{
	pthread_mutex_lock(&s->cat_lock);
	s->cat_until_ms = 0;
	pthread_mutex_unlock(&s->cat_lock);
}

/* Copy n rows into a (strings too). */
static struct store_category *cats_copy(struct arena *a,
					const struct store_category *v,
					size_t n)
{
	struct store_category *c = arena_alloc(a, (n ? n : 1) * sizeof(*c));
	size_t i;

	for (i = 0; c && i < n; i++) {
		c[i] = v[i];
		c[i].slug = arena_strdup(a, v[i].slug);
		c[i].name = arena_strdup(a, v[i].name);
		if (!c[i].slug || !c[i].name)
			return NULL;
	}
	return c;
}

static int category_query(struct store *s, struct arena *a,
			  struct store_category **out, size_t *n)
{
	sqlite3_stmt *st = stmt_get(s, "SELECT " CAT_COLS "FROM categories c "
				       "ORDER BY c.sort, c.id");
	struct store_category *v = NULL;
	size_t k = 0, cap = 0;
	int rc;

	if (!st)
		return WK_EIO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = rows_grow(a, v, k, &cap, sizeof(*v));
		if (!v) {
			sqlite3_reset(st);
			return WK_ENOMEM;
		}
		read_category(st, a, &v[k++]);
	}
	if (rc != SQLITE_DONE)
		return step_error(st, rc, "list categories");
	sqlite3_reset(st);
	*out = v;
	*n = k;
	return 0;
}

/* Every page shows the categories with their counts, which cost a scan
 * of the documents: they are read at most once a second. */
int store_category_list(struct store *s, struct arena *a,
			struct store_category **out, size_t *n)
{
	struct store_category *v = NULL;
	struct arena *ca;
	int64_t now = mono_ms();
	size_t k = 0;
	int rc;

	pthread_mutex_lock(&s->cat_lock);
	if (s->cat_until_ms > now) {
		*out = cats_copy(a, s->cat_rows, s->cat_n);
		*n = s->cat_n;
		pthread_mutex_unlock(&s->cat_lock);
		return *out ? 0 : WK_ENOMEM;
	}
	pthread_mutex_unlock(&s->cat_lock);
	if ((rc = category_query(s, a, &v, &k)))
		return rc;
	*out = v;
	*n = k;
	if (!(ca = arena_new(0)))
		return 0;
	pthread_mutex_lock(&s->cat_lock);
	if ((s->cat_rows = cats_copy(ca, v, k))) {
		arena_free(s->cat_arena);
		s->cat_arena = ca;
		s->cat_n = k;
		s->cat_until_ms = now + CAT_CACHE_MS;
	} else {
		arena_free(ca);
		s->cat_until_ms = 0;
	}
	pthread_mutex_unlock(&s->cat_lock);
	return 0;
}

int store_category_by_slug(struct store *s, struct arena *a,
			   const char *slug, struct store_category *out)
{
	sqlite3_stmt *st = stmt_get(s, "SELECT " CAT_COLS "FROM categories c "
				       "WHERE c.slug = ?");
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
	if ((rc = one_row(st, "load category")) != SQLITE_ROW)
		return rc;
	read_category(st, a, out);
	sqlite3_reset(st);
	return 0;
}

int store_category_insert(struct store *s, struct store_category *c)
{
	sqlite3_stmt *st = stmt_get(s, "INSERT INTO categories (parent_id, "
				       "slug, name, sort) VALUES (?, ?, ?, ?) "
				       "RETURNING id");
	int rc;


	store_categories_changed(s);
	if (!st)
		return WK_EIO;
	if (c->parent_id)
		sqlite3_bind_int64(st, 1, c->parent_id);
	sqlite3_bind_text(st, 2, c->slug, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, c->name, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, c->sort);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW)
		return step_error(st, rc, "insert category");
	c->id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

/* ---- users -------------------------------------------------------------*/

int store_user_get(struct store *s, struct arena *a, int64_t id,
		   struct store_user *out)
{
	sqlite3_stmt *st = stmt_get(s, "SELECT id, name, display_name, role, "
				       "bio, verified, created_at, "
				       "avatar_sha256 FROM users WHERE id = ?");
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = one_row(st, "load user")) != SQLITE_ROW)
		return rc;
	out->id = sqlite3_column_int64(st, 0);
	out->name = col_text(st, 1, a);
	out->display_name = col_text(st, 2, a);
	out->role = col_text(st, 3, a);
	out->bio = col_text(st, 4, a);
	out->verified = sqlite3_column_int(st, 5) != 0;
	out->created_at = sqlite3_column_int64(st, 6);
	out->avatar = col_text(st, 7, a);
	sqlite3_reset(st);
	return 0;
}

int store_user_insert(struct store *s, struct store_user *u)
{
	sqlite3_stmt *st = stmt_get(s, "INSERT INTO users (name, display_name, "
				       "role, bio, verified, created_at) "
				       "VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, u->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, u->display_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, u->role ? u->role : "reader", -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(st, 4, u->bio ? u->bio : "", -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, u->verified);
	sqlite3_bind_int64(st, 6, u->created_at ? u->created_at : time(NULL));
	if ((rc = sqlite3_step(st)) != SQLITE_ROW)
		return step_error(st, rc, "insert user");
	u->id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

int store_user_id(struct store *s, const char *name, int64_t *id)
{
	sqlite3_stmt *st = stmt_get(s, "SELECT id FROM users WHERE name = ?");
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if ((rc = one_row(st, "find user")) != SQLITE_ROW)
		return rc;
	*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

/* ---- comments ----------------------------------------------------------*/

int store_comment_list(struct store *s, struct arena *a, int64_t doc_id,
		       struct store_comment **out, size_t *n)
{
	sqlite3_stmt *st = stmt_get(
		s, "SELECT c.id, COALESCE(c.parent_id, 0), c.user_id, "
		   "u.display_name, c.body, c.created_at FROM comments c "
		   "JOIN users u ON u.id = c.user_id WHERE c.doc_id = ? "
		   "AND c.status = 'visible' ORDER BY c.created_at, c.id "
		   "LIMIT 500");
	struct store_comment *v = NULL;
	size_t k = 0, cap = 0;
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, doc_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = rows_grow(a, v, k, &cap, sizeof(*v));
		if (!v) {
			sqlite3_reset(st);
			return WK_ENOMEM;
		}
		v[k].id = sqlite3_column_int64(st, 0);
		v[k].parent_id = sqlite3_column_int64(st, 1);
		v[k].user_id = sqlite3_column_int64(st, 2);
		v[k].user_name = col_text(st, 3, a);
		v[k].body = col_text(st, 4, a);
		v[k].created_at = sqlite3_column_int64(st, 5);
		k++;
	}
	if (rc != SQLITE_DONE)
		return step_error(st, rc, "list comments");
	sqlite3_reset(st);
	*out = v;
	*n = k;
	return 0;
}

int store_comment_insert(struct store *s, int64_t doc_id, int64_t user_id,
			 int64_t parent_id, const char *body, int64_t *id)
{
	sqlite3_stmt *st = stmt_get(s, "INSERT INTO comments (doc_id, user_id, "
				       "parent_id, body, created_at) "
				       "VALUES (?, ?, ?, ?, ?) RETURNING id");
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, doc_id);
	sqlite3_bind_int64(st, 2, user_id);
	if (parent_id)
		sqlite3_bind_int64(st, 3, parent_id);
	sqlite3_bind_text(st, 4, body, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)time(NULL));
	if ((rc = sqlite3_step(st)) != SQLITE_ROW)
		return step_error(st, rc, "insert comment");
	*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

/* ---- fragments and settings ---------------------------------------------*/

static int get_text(struct store *s, struct arena *a, const char *sql,
		    const char *key, const char **value)
{
	sqlite3_stmt *st = stmt_get(s, sql);
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if ((rc = one_row(st, "load value")) != SQLITE_ROW)
		return rc;
	*value = col_text(st, 0, a);
	sqlite3_reset(st);
	return *value ? 0 : WK_ENOMEM;
}

static int set_text(struct store *s, const char *sql, const char *key,
		    const char *value)
{
	sqlite3_stmt *st = stmt_get(s, sql);
	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL));
	return stmt_exec(st, "store value");
}


int store_fragment_get(struct store *s, struct arena *a, const char *slot,
		       const char **content)
{
	return get_text(s, a, "SELECT content FROM fragments WHERE slot = ?",
			slot, content);
}

int store_fragment_set(struct store *s, const char *slot,
		       const char *content)
{
	return set_text(s, "INSERT INTO fragments (slot, content, updated_at) "
			   "VALUES (?, ?, ?) ON CONFLICT (slot) DO UPDATE "
			   "SET content = excluded.content, "
			   "updated_at = excluded.updated_at",
			slot, content);
}

int store_fragment_read(struct store *s, struct arena *a, const char *slot,
			const char **format, const char **content)
{
	sqlite3_stmt *st = stmt_get(
		s, "SELECT format, content FROM fragments WHERE slot = ?");
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, slot, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*format = col_text(st, 0, a);
		*content = col_text(st, 1, a);
		sqlite3_reset(st);
		return *format && *content ? 0 : WK_ENOMEM;
	}
	if (rc != SQLITE_DONE)
		return step_error(st, rc, "read fragment");
	sqlite3_reset(st);
	return WK_ENOTFOUND;
}

int store_fragments_all(struct store *s, struct arena *a,
			struct store_fragment **out, size_t *n)
{
	sqlite3_stmt *st = stmt_get(s, "SELECT slot, format, content FROM "
				       "fragments WHERE content <> '' "
				       "ORDER BY slot LIMIT 64");
	struct store_fragment *v = NULL;
	size_t k = 0, cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (!st)
		return WK_EIO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!(v = rows_grow(a, v, k, &cap, sizeof(*v)))) {
			sqlite3_reset(st);
			return WK_ENOMEM;
		}
		v[k].slot = col_text(st, 0, a);
		v[k].format = col_text(st, 1, a);
		v[k].content = col_text(st, 2, a);
		k++;
	}
	if (rc != SQLITE_DONE)
		return step_error(st, rc, "list fragments");
	sqlite3_reset(st);
	*out = v;
	*n = k;
	return 0;
}

int store_fragment_write(struct store *s, const char *slot,
			 const char *format, const char *content,
			 int64_t by, int64_t now)
{
	sqlite3_stmt *st;
	bool own;
	int rc;

	if ((rc = tx_begin(s, &own)))
		return rc;
	st = stmt_get(s, "INSERT INTO fragments (slot, format, content, "
			 "updated_at, updated_by) VALUES (?, ?, ?, ?, ?) "
			 "ON CONFLICT (slot) DO UPDATE SET "
			 "format = excluded.format, content = excluded.content, "
			 "updated_at = excluded.updated_at, "
			 "updated_by = excluded.updated_by");
	if (!st)
		return tx_end(s, own, WK_EIO);
	sqlite3_bind_text(st, 1, slot, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, format, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, content, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, now);
	bind_id(st, 5, by);
	return tx_end(s, own, stmt_exec(st, "write fragment"));
}

int store_setting_get(struct store *s, struct arena *a, const char *name,
		      const char **value)
{
	return get_text(s, a, "SELECT value FROM settings WHERE name = ?",
			name, value);
}

int store_settings_fingerprint(struct store *s, uint64_t *out)
{
	sqlite3_stmt *st = stmt_get(s, "SELECT name, value FROM settings "
				       "ORDER BY name");
	uint64_t h = 14695981039346656037ull;	/* FNV-1a */
	int rc;

	if (!st)
		return WK_EIO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int c = 0; c < 2; c++) {
			const unsigned char *t = sqlite3_column_text(st, c);
			int n = sqlite3_column_bytes(st, c);
			for (int i = 0; i < n; i++)
				h = (h ^ t[i]) * 1099511628211ull;
			h = (h ^ 0xff) * 1099511628211ull; /* separator */
		}
	}
	if (rc != SQLITE_DONE)
		return step_error(st, rc, "read settings");
	sqlite3_reset(st);
	*out = h;
	return 0;
}

int store_setting_set(struct store *s, const char *name, const char *value)
{
	return set_text(s, "INSERT INTO settings (name, value, updated_at) "
			   "VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE "
			   "SET value = excluded.value, "
			   "updated_at = excluded.updated_at",
			name, value);
}
