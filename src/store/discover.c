/*
 * discover.c - the queries behind finding documents: tags, favourites,
 * reading history, the download ranking, "new today", related
 * documents and the sitemap. Every list a reader sees is of published
 * documents only.
 */
#include "store_internal.h"

#include "../base/arena.h"
#include "../base/err.h"

#include <string.h>

/* ---- tags ----------------------------------------------------------------*/

static int tag_id(struct store *s, const char *name, int64_t *id)
{
	sqlite3_stmt *st;
	int rc;

	st = stmt_get(s, "INSERT INTO tags (name) VALUES (?) "
			 "ON CONFLICT (name) DO NOTHING");
	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if ((rc = stmt_exec(st, "add tag")))
		return rc;
	st = stmt_get(s, "SELECT id FROM tags WHERE name = ?");
	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW)
		return step_error(st, rc == SQLITE_DONE ? SQLITE_ERROR : rc,
				  "find tag");
	*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

int store_tags_attach(struct store *s, int64_t doc_id,
		      const char *const *names, size_t n, const char *source)
{
	sqlite3_stmt *st;
	size_t i;
	bool own;
	int rc;

	if ((rc = tx_begin(s, &own)))
		return rc;
	for (i = 0; i < n; i++) {
		int64_t tid = 0;
		if ((rc = tag_id(s, names[i], &tid)))
			return tx_end(s, own, rc);
		st = stmt_get(s, "INSERT INTO doc_tags (doc_id, tag_id, source) "
				 "VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
		if (!st)
			return tx_end(s, own, WK_EIO);
		sqlite3_bind_int64(st, 1, doc_id);
		sqlite3_bind_int64(st, 2, tid);
		sqlite3_bind_text(st, 3, source, -1, SQLITE_STATIC);
		if ((rc = stmt_exec(st, "tag document")))
			return tx_end(s, own, rc);
	}
	return tx_end(s, own, 0);
}

int store_doc_tags_replace(struct store *s, int64_t doc_id,
			   const char *const *names, size_t n)
{
	sqlite3_stmt *st;
	size_t i;
	bool own;
	int rc;

	if (n > STORE_DOC_TAGS_MAX)
		return WK_EINVAL;
	if ((rc = tx_begin(s, &own)))
		return rc;
	for (i = 0; i < n; i++) {
		int64_t tid = 0;
		if ((rc = tag_id(s, names[i], &tid)))
			return tx_end(s, own, rc);
		st = stmt_get(s, "INSERT INTO doc_tags (doc_id, tag_id, source) "
				 "VALUES (?, ?, 'provider') ON CONFLICT DO "
				 "NOTHING");
		if (!st)
			return tx_end(s, own, WK_EIO);
		sqlite3_bind_int64(st, 1, doc_id);
		sqlite3_bind_int64(st, 2, tid);
		if ((rc = stmt_exec(st, "tag document")))
			return tx_end(s, own, rc);
	}
	/* The names not bound stay NULL, which no name equals. */
	st = stmt_get(s, "DELETE FROM doc_tags WHERE doc_id = ? AND tag_id "
			 "NOT IN (SELECT id FROM tags WHERE name IN (?, ?, ?, "
			 "?, ?, ?, ?, ?, ?, ?))");
	if (!st)
		return tx_end(s, own, WK_EIO);
	sqlite3_bind_int64(st, 1, doc_id);
	for (i = 0; i < n; i++)
		sqlite3_bind_text(st, (int)i + 2, names[i], -1, SQLITE_STATIC);
	return tx_end(s, own, stmt_exec(st, "untag document"));
}

static int collect_tags(sqlite3_stmt *st, struct arena *a, int limit,
			struct store_tag **out, size_t *n)
{
	struct store_tag *v = arena_alloc(a, sizeof(*v) * (size_t)limit);
	size_t k = 0;
	int rc;

	if (!v) {
		sqlite3_reset(st);
		return WK_ENOMEM;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && k < (size_t)limit) {
		v[k].id = sqlite3_column_int64(st, 0);
		v[k].name = col_text(st, 1, a);
		v[k].count = sqlite3_column_int64(st, 2);
		if (!v[k].name) {
			sqlite3_reset(st);
			return WK_ENOMEM;
		}
		k++;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return step_error(st, rc, "list tags");
	sqlite3_reset(st);
	*out = v;
	*n = k;
	return 0;
}

int store_doc_tags(struct store *s, struct arena *a, int64_t doc_id,
		   struct store_tag **out, size_t *n)
{
	sqlite3_stmt *st = stmt_get(
		s, "SELECT t.id, t.name, 0 FROM doc_tags dt JOIN tags t "
		   "ON t.id = dt.tag_id WHERE dt.doc_id = ? "
		   "ORDER BY CASE dt.source WHEN 'provider' THEN 0 ELSE 1 END, "
		   "t.name LIMIT 20");

	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, doc_id);
	return collect_tags(st, a, 20, out, n);
}

int store_tag_by_name(struct store *s, struct arena *a, const char *name,
		      struct store_tag *out)
{
	sqlite3_stmt *st = stmt_get(
		s, "SELECT t.id, t.name, (SELECT COUNT(*) FROM doc_tags dt "
		   "JOIN documents d ON d.id = dt.doc_id WHERE dt.tag_id = t.id "
		   "AND d.status = 'published') FROM tags t WHERE t.name = ?");
	struct store_tag *v;
	size_t n;
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if ((rc = collect_tags(st, a, 1, &v, &n)))
		return rc;
	if (n == 0)
		return WK_ENOTFOUND;
	*out = v[0];
	return 0;
}

int store_tag_docs(struct store *s, struct arena *a, int64_t tag_id,
		   int limit, int offset, struct store_doc **out, size_t *n)
{
	return docs_page(stmt_get(s, "SELECT " DOC_COLS
				  "JOIN doc_tags dt ON dt.doc_id = d.id "
				  "WHERE dt.tag_id = ? AND d.status = "
				  "'published' ORDER BY d.published_at DESC, "
				  "d.id DESC LIMIT ? OFFSET ?"),
			 a, tag_id, limit, offset, out, n);
}

int store_tags_popular(struct store *s, struct arena *a, int limit,
		       struct store_tag **out, size_t *n)
{
	sqlite3_stmt *st;

	if (limit <= 0 || limit > 200)
		return WK_EINVAL;
	st = stmt_get(s, "SELECT t.id, t.name, COUNT(*) FROM tags t "
			 "JOIN doc_tags dt ON dt.tag_id = t.id "
			 "JOIN documents d ON d.id = dt.doc_id "
			 "WHERE d.status = 'published' GROUP BY t.id, t.name "
			 "ORDER BY 3 DESC, t.name LIMIT ?");
	if (!st)
		return WK_EIO;
	sqlite3_bind_int(st, 1, limit);
	return collect_tags(st, a, limit, out, n);
}

int store_job_tags_set(struct store *s, int64_t job_id, const char *tags)
{
	sqlite3_stmt *st = stmt_get(
		s, "INSERT INTO job_tags (job_id, tags) VALUES (?, ?) "
		   "ON CONFLICT (job_id) DO UPDATE SET tags = excluded.tags");

	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, job_id);
	sqlite3_bind_text(st, 2, tags, -1, SQLITE_STATIC);
	return stmt_exec(st, "keep upload tags");
}

int store_job_tags_get(struct store *s, struct arena *a, int64_t job_id,
		       const char **tags)
{
	sqlite3_stmt *st = stmt_get(s, "SELECT tags FROM job_tags "
				       "WHERE job_id = ?");
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, job_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		*tags = "";
		return 0;
	}
	if (rc != SQLITE_ROW)
		return step_error(st, rc, "load upload tags");
	*tags = col_text(st, 0, a);
	sqlite3_reset(st);
	if (!*tags)
		*tags = "";
	return 0;
}

/* ---- favourites and history -------------------------------------------*/

int store_favorite_has(struct store *s, int64_t user_id, int64_t doc_id,
		       bool *on)
{
	sqlite3_stmt *st = stmt_get(s, "SELECT 1 FROM favorites WHERE "
				       "user_id = ? AND doc_id = ?");
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, doc_id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return step_error(st, rc, "find favourite");
	*on = rc == SQLITE_ROW;
	sqlite3_reset(st);
	return 0;
}

int store_favorite_toggle(struct store *s, int64_t user_id, int64_t doc_id,
			  int64_t now, bool *on)
{
	sqlite3_stmt *st;
	bool own, had;
	int rc;

	if ((rc = tx_begin(s, &own)))
		return rc;
	if ((rc = store_favorite_has(s, user_id, doc_id, &had)))
		return tx_end(s, own, rc);
	if (had) {
		st = stmt_get(s, "DELETE FROM favorites WHERE user_id = ? "
				 "AND doc_id = ?");
		if (!st)
			return tx_end(s, own, WK_EIO);
		sqlite3_bind_int64(st, 1, user_id);
		sqlite3_bind_int64(st, 2, doc_id);
	} else {
		st = stmt_get(s, "INSERT INTO favorites (user_id, doc_id, "
				 "created_at) VALUES (?, ?, ?)");
		if (!st)
			return tx_end(s, own, WK_EIO);
		sqlite3_bind_int64(st, 1, user_id);
		sqlite3_bind_int64(st, 2, doc_id);
		sqlite3_bind_int64(st, 3, now);
	}
	if ((rc = stmt_exec(st, "toggle favourite")))
		return tx_end(s, own, rc);
	*on = !had;
	return tx_end(s, own, 0);
}

int store_favorites(struct store *s, struct arena *a, int64_t user_id,
		    int limit, int offset, struct store_doc **out, size_t *n)
{
	return docs_page(stmt_get(s, "SELECT " DOC_COLS
				  "JOIN favorites f ON f.doc_id = d.id "
				  "WHERE f.user_id = ? AND d.status = "
				  "'published' ORDER BY f.created_at DESC, "
				  "d.id DESC LIMIT ? OFFSET ?"),
			 a, user_id, limit, offset, out, n);
}

int64_t store_favorite_count(struct store *s, int64_t user_id)
{
	sqlite3_stmt *st = stmt_get(
		s, "SELECT COUNT(*) FROM favorites f JOIN documents d ON "
		   "d.id = f.doc_id WHERE f.user_id = ? AND "
		   "d.status = 'published'");
	int64_t v = WK_EIO;

	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, user_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return v;
}

int store_history_add(struct store *s, int64_t user_id, int64_t doc_id,
		      int64_t now, int keep)
{
	sqlite3_stmt *st;
	bool own;
	int rc;

	if ((rc = tx_begin(s, &own)))
		return rc;
	st = stmt_get(s, "INSERT INTO reading_history (user_id, doc_id, "
			 "viewed_at) VALUES (?, ?, ?) ON CONFLICT (user_id, "
			 "doc_id) DO UPDATE SET viewed_at = excluded.viewed_at");
	if (!st)
		return tx_end(s, own, WK_EIO);
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, doc_id);
	sqlite3_bind_int64(st, 3, now);
	if ((rc = stmt_exec(st, "record history")))
		return tx_end(s, own, rc);
	/* Keep the newest entries; ties broken by document for a stable
	 * cut. */
	st = stmt_get(s, "DELETE FROM reading_history WHERE user_id = ? AND "
			 "doc_id NOT IN (SELECT doc_id FROM reading_history "
			 "WHERE user_id = ? ORDER BY viewed_at DESC, "
			 "doc_id DESC LIMIT ?)");
	if (!st)
		return tx_end(s, own, WK_EIO);
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, user_id);
	sqlite3_bind_int(st, 3, keep);
	return tx_end(s, own, stmt_exec(st, "trim history"));
}

int store_history(struct store *s, struct arena *a, int64_t user_id,
		  int limit, struct store_doc **out, int64_t **at, size_t *n)
{
	sqlite3_stmt *st;
	struct store_doc *docs;
	int64_t *when;
	size_t k = 0;
	int rc;

	if (limit <= 0 || limit > 1000)
		return WK_EINVAL;
	/* DOC_COLS ends in its FROM clause, so the visit times are read
	 * with a narrow query per row. */
	st = stmt_get(s, "SELECT " DOC_COLS
			 "JOIN reading_history h ON h.doc_id = d.id "
			 "WHERE h.user_id = ? AND d.status = 'published' "
			 "ORDER BY h.viewed_at DESC, d.id DESC LIMIT ?");
	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int(st, 2, limit);
	if ((rc = collect_docs(st, a, limit, &docs, n)))
		return rc;
	when = arena_alloc(a, sizeof(*when) * (*n + 1));
	if (!when)
		return WK_ENOMEM;
	st = stmt_get(s, "SELECT viewed_at FROM reading_history "
			 "WHERE user_id = ? AND doc_id = ?");
	if (!st)
		return WK_EIO;
	for (k = 0; k < *n; k++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, user_id);
		sqlite3_bind_int64(st, 2, docs[k].id);
		when[k] = sqlite3_step(st) == SQLITE_ROW
				  ? sqlite3_column_int64(st, 0)
				  : 0;
	}
	sqlite3_reset(st);
	*out = docs;
	*at = when;
	return 0;
}

/* ---- rankings and lists --------------------------------------------------*/

int store_rank_downloads(struct store *s, struct arena *a, int64_t since,
			 int limit, struct store_rank **out, size_t *n)
{
	sqlite3_stmt *st;
	struct store_rank *v;
	size_t k = 0;
	int rc;

	if (limit <= 0 || limit > 100)
		return WK_EINVAL;
	/* The window's downloads first (the time index), then their
	 * documents: not every document probed. */
	st = stmt_get(s, "WITH t AS MATERIALIZED (SELECT doc_id, "
			 "COUNT(DISTINCT COALESCE(user_id, -id)) AS n "
			 "FROM downloads WHERE created_at >= ? GROUP BY doc_id) "
			 "SELECT d.id, d.title, d.format, t.n FROM t "
			 "JOIN documents d ON d.id = t.doc_id "
			 "WHERE d.status = 'published' "
			 "ORDER BY t.n DESC, d.id DESC LIMIT ?");
	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, since < 0 ? INT64_MIN : since);
	sqlite3_bind_int(st, 2, limit);
	v = arena_alloc(a, sizeof(*v) * (size_t)limit);
	if (!v) {
		sqlite3_reset(st);
		return WK_ENOMEM;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && k < (size_t)limit) {
		v[k].id = sqlite3_column_int64(st, 0);
		v[k].title = col_text(st, 1, a);
		v[k].format = col_text(st, 2, a);
		v[k].count = sqlite3_column_int64(st, 3);
		k++;
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return step_error(st, rc, "rank downloads");
	sqlite3_reset(st);
	*out = v;
	*n = k;
	return 0;
}

int store_doc_published_since(struct store *s, struct arena *a,
			      int64_t since, int limit,
			      struct store_doc **out, size_t *n)
{
	sqlite3_stmt *st;

	if (limit <= 0 || limit > 1000)
		return WK_EINVAL;
	st = stmt_get(s, "SELECT " DOC_COLS
			 "WHERE d.status = 'published' AND "
			 "d.published_at >= ? "
			 "ORDER BY d.published_at DESC, d.id DESC LIMIT ?");
	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, since);
	sqlite3_bind_int(st, 2, limit);
	return collect_docs(st, a, limit, out, n);
}

int store_doc_by_provider(struct store *s, struct arena *a,
			  int64_t provider_id, int64_t exclude_id, int limit,
			  struct store_doc **out, size_t *n)
{
	sqlite3_stmt *st;

	if (limit <= 0 || limit > 1000)
		return WK_EINVAL;
	st = stmt_get(s, "SELECT " DOC_COLS
			 "WHERE d.provider_id = ? AND d.id <> ? AND "
			 "d.status = 'published' "
			 "ORDER BY d.published_at DESC, d.id DESC LIMIT ?");
	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, provider_id);
	sqlite3_bind_int64(st, 2, exclude_id);
	sqlite3_bind_int(st, 3, limit);
	return collect_docs(st, a, limit, out, n);
}

int store_doc_simhash_peers(struct store *s, struct arena *a,
			    int64_t category_id, int64_t exclude_id, int limit,
			    int64_t **ids, uint64_t **hashes, size_t *n)
{
	sqlite3_stmt *st;
	int64_t *iv;
	uint64_t *hv;
	size_t k = 0;
	int rc;

	if (limit <= 0 || limit > 5000)
		return WK_EINVAL;
	st = stmt_get(s, "SELECT id, simhash FROM documents WHERE "
			 "category_id = ? AND id <> ? AND simhash IS NOT NULL "
			 "AND status = 'published' "
			 "ORDER BY published_at DESC, id DESC LIMIT ?");
	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, category_id);
	sqlite3_bind_int64(st, 2, exclude_id);
	sqlite3_bind_int(st, 3, limit);
	iv = arena_alloc(a, sizeof(*iv) * (size_t)limit);
	hv = arena_alloc(a, sizeof(*hv) * (size_t)limit);
	if (!iv || !hv) {
		sqlite3_reset(st);
		return WK_ENOMEM;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && k < (size_t)limit) {
		iv[k] = sqlite3_column_int64(st, 0);
		hv[k] = (uint64_t)sqlite3_column_int64(st, 1);
		k++;
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return step_error(st, rc, "list simhash peers");
	sqlite3_reset(st);
	*ids = iv;
	*hashes = hv;
	*n = k;
	return 0;
}

/* ---- sitemap -------------------------------------------------------------*/

int store_sitemap_urls(struct store *s, struct arena *a, int64_t offset,
		       int limit, struct store_url **out, size_t *n)
{
	sqlite3_stmt *st;
	struct store_url *v;
	size_t k = 0;
	int rc;

	if (limit <= 0 || limit > 50000 || offset < 0)
		return WK_EINVAL;
	st = stmt_get(s, "SELECT id, COALESCE(published_at, created_at) "
			 "FROM documents WHERE status = 'published' "
			 "ORDER BY id LIMIT ? OFFSET ?");
	if (!st)
		return WK_EIO;
	sqlite3_bind_int(st, 1, limit);
	sqlite3_bind_int64(st, 2, offset);
	v = arena_alloc(a, sizeof(*v) * (size_t)limit);
	if (!v) {
		sqlite3_reset(st);
		return WK_ENOMEM;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && k < (size_t)limit) {
		v[k].id = sqlite3_column_int64(st, 0);
		v[k].lastmod = sqlite3_column_int64(st, 1);
		k++;
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return step_error(st, rc, "list sitemap");
	sqlite3_reset(st);
	*out = v;
	*n = k;
	return 0;
}

int store_sitemap_lastmod(struct store *s, int64_t offset, int limit,
			  int64_t *lastmod)
{
	sqlite3_stmt *st = stmt_get(
		s, "SELECT MAX(m) FROM (SELECT COALESCE(published_at, "
		   "created_at) AS m FROM documents WHERE status = 'published' "
		   "ORDER BY id LIMIT ? OFFSET ?) AS chunk");
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_int(st, 1, limit);
	sqlite3_bind_int64(st, 2, offset);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW)
		return step_error(st, rc, "sitemap lastmod");
	*lastmod = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}
