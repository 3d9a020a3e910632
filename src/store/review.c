/*
 * review.c - the console's review queue (migration 0019): pending
 * documents with their provider and near-duplicate, rejection notes,
 * edits before approval and the home page's recommended documents.
 */
#include "store_internal.h"

#include "../base/arena.h"
#include "../base/err.h"

#include <string.h>

/* DOC_COLS' columns, then the provider's display name, near_dup_of and
 * its title, review_note, recommended_at (19..23). */
#define REVIEW_SELECT                                                      \
	"SELECT d.id, d.title, d.format, d.sha256, d.size, d.pages, "      \
	"d.chars, d.price, d.vip_free, COALESCE(d.category_id, 0), c.name, " \
	"c.slug, COALESCE(d.provider_id, 0), d.status, d.description, "    \
	"d.views, d.downloads, d.created_at, COALESCE(d.published_at, 0), " \
	"COALESCE(u.display_name, ''), COALESCE(d.near_dup_of, 0), "       \
	"COALESCE(n.title, ''), d.review_note, "                           \
	"COALESCE(d.recommended_at, 0) FROM documents d "                 \
	"LEFT JOIN categories c ON c.id = d.category_id "                  \
	"LEFT JOIN users u ON u.id = d.provider_id "                       \
	"LEFT JOIN documents n ON n.id = d.near_dup_of "

static void read_review(sqlite3_stmt *st, struct arena *a, void *row)
{
	struct store_review_doc *r = row;

	memset(r, 0, sizeof(*r));
	read_doc(st, a, &r->doc);
	r->doc.near_dup_of = sqlite3_column_int64(st, 20);
	r->provider_name = col_text(st, 19, a);
	r->near_dup_title = col_text(st, 21, a);
	r->review_note = col_text(st, 22, a);
	r->recommended_at = sqlite3_column_int64(st, 23);
}

static int review_list(struct store *s, struct arena *a, sqlite3_stmt *st,
		       int offset, int limit, struct store_review_doc **out,
		       size_t *n, bool *more)
{
	void *rows;
	int rc;

	*n = 0;
	*more = false;
	if (limit <= 0 || limit > 1000 || offset < 0)
		return WK_EINVAL;
	if (!st)
		return WK_EIO;
	sqlite3_bind_int(st, 1, limit + 1);
	sqlite3_bind_int(st, 2, offset);
	if (!(rc = collect_page(st, a, limit, sizeof(**out), read_review,
				"list documents for review", &rows, n,
				more)))
		*out = rows;
	return rc;
}

int store_review_list(struct store *s, struct arena *a,
		      enum store_review_which which, const char *q, int offset,
		      int limit, struct store_review_doc **out, size_t *n,
		      bool *more)
{
	/* ?3: words the title must contain ('' for any), case-folded for
	 * Latin letters; the bin and the published list newest first. */
#define TITLE_HAS "(?3 = '' OR instr(lower(d.title), lower(?3)) > 0) "
	sqlite3_stmt *st;
	int rc;

	switch (which) {
	case REVIEW_PENDING:
		st = stmt_get(s, REVIEW_SELECT "WHERE d.status = 'pending' "
				 "AND " TITLE_HAS "ORDER BY d.created_at, d.id "
				 "LIMIT ?1 OFFSET ?2");
		break;
	case REVIEW_PUBLISHED:
		st = stmt_get(s, REVIEW_SELECT "WHERE d.status = 'published' "
				 "AND " TITLE_HAS "ORDER BY d.id DESC "
				 "LIMIT ?1 OFFSET ?2");
		break;
	default:
		st = stmt_get(s, REVIEW_SELECT "WHERE d.status IN ('removed', "
				 "'hidden', 'rejected') AND " TITLE_HAS
				 "ORDER BY d.id DESC LIMIT ?1 OFFSET ?2");
		break;
	}
#undef TITLE_HAS
	if (st)
		sqlite3_bind_text(st, 3, q ? q : "", -1, SQLITE_STATIC);
	rc = review_list(s, a, st, offset, limit, out, n, more);
	return rc;
}

int store_review_get(struct store *s, struct arena *a, int64_t id,
		     struct store_review_doc *out)
{
	sqlite3_stmt *st = stmt_get(s, REVIEW_SELECT "WHERE d.id = ?");
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return WK_ENOTFOUND;
	}
	if (rc != SQLITE_ROW)
		return step_error(st, rc, "load document for review");
	read_review(st, a, out);
	sqlite3_reset(st);
	return out->doc.title ? 0 : WK_ENOMEM;
}

/* Run st and require one changed row: WK_ECONFLICT when none did. */
static int exec_one(struct store *s, sqlite3_stmt *st, const char *what)
{
	int rc = stmt_exec(st, what);

	if (rc)
		return rc;
	return sqlite3_changes(conn_db(s)) == 1 ? 0 : WK_ECONFLICT;
}

int store_doc_note(struct store *s, int64_t id, const char *note)
{
	sqlite3_stmt *st = stmt_get(s, "UPDATE documents SET review_note = ? "
				       "WHERE id = ?");

	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, note ? note : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	return exec_one(s, st, "set document note");
}

/* The search index (a contentless FTS5 table, 0014_search.sql) forgets
 * a document given the very text it was indexed with: store_search_index's
 * title and body. */
static int unindex(struct store *s, int64_t id)
{
	sqlite3_stmt *st = stmt_get(
		s, "INSERT INTO doc_fts (doc_fts, rowid, title, body) "
		   "SELECT 'delete', d.id, d.title, COALESCE((SELECT "
		   "group_concat(text, char(10)) FROM (SELECT text FROM "
		   "doc_blocks WHERE doc_id = d.id ORDER BY seq)), '') "
		   "FROM documents d WHERE d.id = ?");

	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, id);
	return stmt_exec(st, "unindex document");
}

int store_doc_edit(struct store *s, int64_t id, const char *title,
		   int64_t category_id, int price, bool vip_free)
{
	sqlite3_stmt *st;
	bool own;
	int rc;

	if ((rc = tx_begin(s, &own)))
		return rc;
	if ((rc = unindex(s, id)))
		return tx_end(s, own, rc);
	st = stmt_get(s, "UPDATE documents SET title = ?, category_id = ?, "
			 "price = ?, vip_free = ? WHERE id = ? AND status = "
			 "'pending'");
	if (!st)
		return tx_end(s, own, WK_EIO);
	sqlite3_bind_text(st, 1, title, -1, SQLITE_STATIC);
	bind_id(st, 2, category_id);
	sqlite3_bind_int(st, 3, price);
	sqlite3_bind_int(st, 4, vip_free ? 1 : 0);
	sqlite3_bind_int64(st, 5, id);
	rc = exec_one(s, st, "edit document");
	if (!rc)	/* indexed again under the new title */
		rc = store_search_index(s, id);
	return tx_end(s, own, rc);
}

int store_doc_recommend(struct store *s, int64_t id, int64_t at)
{
	sqlite3_stmt *st;

	if (at)
		st = stmt_get(s, "UPDATE documents SET recommended_at = ? "
				 "WHERE id = ? AND status = 'published' AND "
				 "recommended_at IS NULL");
	else
		st = stmt_get(s, "UPDATE documents SET recommended_at = NULL "
				 "WHERE ? = 0 AND id = ? AND "
				 "recommended_at IS NOT NULL");
	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, at);
	sqlite3_bind_int64(st, 2, id);
	return exec_one(s, st, "recommend document");
}

int store_doc_recommended(struct store *s, struct arena *a, int limit,
			  struct store_doc **out, size_t *n)
{
	sqlite3_stmt *st = stmt_get(s, "SELECT " DOC_COLS
				       "WHERE d.recommended_at IS NOT NULL "
				       "AND d.status = 'published' "
				       "ORDER BY d.recommended_at DESC, d.id "
				       "DESC LIMIT ?");

	if (!st)
		return WK_EIO;
	sqlite3_bind_int(st, 1, limit);
	return collect_docs(st, a, limit, out, n);
}
