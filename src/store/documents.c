/*
 * documents.c - queries on documents and their blocks.
 */
#include "store_internal.h"

#include "../base/arena.h"
#include "../base/err.h"
#include "../base/log.h"

#include <string.h>
#include <time.h>

void read_doc(sqlite3_stmt *st, struct arena *a, struct store_doc *d)
{
	d->id = sqlite3_column_int64(st, 0);
	d->title = col_text(st, 1, a);
	d->format = col_text(st, 2, a);
	d->sha256 = col_text(st, 3, a);
	d->size = sqlite3_column_int64(st, 4);
	d->pages = sqlite3_column_int(st, 5);
	d->chars = sqlite3_column_int64(st, 6);
	d->price = sqlite3_column_int(st, 7);
	d->vip_free = sqlite3_column_int(st, 8) != 0;
	d->category_id = sqlite3_column_int64(st, 9);
	d->category_name = col_text(st, 10, a);
	d->category_slug = col_text(st, 11, a);
	d->provider_id = sqlite3_column_int64(st, 12);
	d->status = col_text(st, 13, a);
	d->description = col_text(st, 14, a);
	d->views = sqlite3_column_int64(st, 15);
	d->downloads = sqlite3_column_int64(st, 16);
	d->created_at = sqlite3_column_int64(st, 17);
	d->published_at = sqlite3_column_int64(st, 18);
}

int store_doc_get(struct store *s, struct arena *a, int64_t id,
		  struct store_doc *out)
{
	sqlite3_stmt *st = stmt_get(s, "SELECT " DOC_COLS "WHERE d.id = ?");
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
		return step_error(st, rc, "load document");
	memset(out, 0, sizeof(*out));
	read_doc(st, a, out);
	sqlite3_reset(st);
	return out->title ? 0 : WK_ENOMEM;
}

int collect_docs(sqlite3_stmt *st, struct arena *a, int limit,
			struct store_doc **out, size_t *n)
{
	struct store_doc *docs;
	size_t k = 0;
	int rc;

	docs = arena_alloc(a, sizeof(*docs) * (size_t)(limit > 0 ? limit : 1));
	if (!docs) {
		sqlite3_reset(st);
		return WK_ENOMEM;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && k < (size_t)limit)
		read_doc(st, a, &docs[k++]);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return step_error(st, rc, "list documents");
	sqlite3_reset(st);
	*out = docs;
	*n = k;
	return 0;
}

int collect_page(sqlite3_stmt *st, struct arena *a, int limit, size_t size,
		 store_row_fn *read_row, const char *what, void **out,
		 size_t *n, bool *more)
{
	char *v = arena_alloc(a, size * (size_t)limit);
	size_t k = 0;
	int rc;

	*n = 0;
	*more = false;
	if (!v) {
		sqlite3_reset(st);
		return WK_ENOMEM;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (k == (size_t)limit)
			*more = true;
		else
			read_row(st, a, v + size * k++);
	}
	if (rc != SQLITE_DONE)
		return step_error(st, rc, what);
	sqlite3_reset(st);
	*out = v;
	*n = k;
	return 0;
}

int docs_page(sqlite3_stmt *st, struct arena *a, int64_t id, int limit,
	      int offset, struct store_doc **out, size_t *n)
{
	if (limit <= 0 || limit > 1000 || offset < 0)
		return WK_EINVAL;
	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, limit);
	sqlite3_bind_int(st, 3, offset);
	return collect_docs(st, a, limit, out, n);
}

int store_doc_list(struct store *s, struct arena *a, int64_t category_id,
		   int limit, int offset, struct store_doc **out, size_t *n)
{
	if (category_id)
		return docs_page(stmt_get(s, "SELECT " DOC_COLS
					  "WHERE d.status = 'published' AND "
					  "d.category_id = ?1 "
					  "ORDER BY d.published_at DESC, d.id "
					  "DESC LIMIT ?2 OFFSET ?3"),
				 a, category_id, limit, offset, out, n);
	/* ?1 = 0 always holds: every published document */
	return docs_page(stmt_get(s, "SELECT " DOC_COLS
				  "WHERE d.status = 'published' AND ?1 = 0 "
				  "ORDER BY d.published_at DESC, d.id DESC "
				  "LIMIT ?2 OFFSET ?3"),
			 a, 0, limit, offset, out, n);
}

int64_t store_doc_count(struct store *s, int64_t category_id)
{
	sqlite3_stmt *st = stmt_get(
		s, "SELECT COUNT(*) FROM documents WHERE status = 'published' "
		   "AND (? = 0 OR category_id = ?)");
	int64_t v = -1;

	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, category_id);
	sqlite3_bind_int64(st, 2, category_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return v;
}

int store_doc_insert(struct store *s, struct store_doc *d,
		     const struct store_block *blocks, size_t nblocks)
{
	sqlite3_stmt *st;
	size_t i;
	bool own;
	int rc;
	store_categories_changed(s);	/* the counts move */

	if ((rc = tx_begin(s, &own)))
		return rc;
	st = stmt_get(s, "INSERT INTO documents (title, format, sha256, size, "
			 "pages, chars, price, vip_free, category_id, "
			 "provider_id, status, description, created_at, "
			 "published_at, simhash, near_dup_of) "
			 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
			 "?) RETURNING id");
	if (!st)
		return tx_end(s, own, WK_EIO);
	sqlite3_bind_text(st, 1, d->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, d->format, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, d->sha256, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, d->size);
	sqlite3_bind_int(st, 5, d->pages);
	sqlite3_bind_int64(st, 6, d->chars);
	sqlite3_bind_int(st, 7, d->price);
	sqlite3_bind_int(st, 8, d->vip_free);
	bind_id(st, 9, d->category_id);
	bind_id(st, 10, d->provider_id);
	sqlite3_bind_text(st, 11, d->status ? d->status : "pending", -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(st, 12, d->description ? d->description : "", -1,
			  SQLITE_STATIC);
	sqlite3_bind_int64(st, 13, d->created_at ? d->created_at : time(NULL));
	bind_id(st, 14, d->published_at);
	if (d->has_simhash)
		sqlite3_bind_int64(st, 15, (sqlite3_int64)d->simhash);
	bind_id(st, 16, d->near_dup_of);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW)
		return tx_end(s, own, step_error(st, rc, "insert document"));
	d->id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);

	st = stmt_get(s, "INSERT INTO doc_blocks (doc_id, seq, kind, level, "
			 "char_start, text) VALUES (?, ?, ?, ?, ?, ?)");
	if (!st)
		return tx_end(s, own, WK_EIO);
	for (i = 0; i < nblocks; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, d->id);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
		sqlite3_bind_int(st, 3, blocks[i].kind);
		sqlite3_bind_int(st, 4, blocks[i].level);
		sqlite3_bind_int64(st, 5, blocks[i].char_start);
		sqlite3_bind_text(st, 6, blocks[i].text, -1, SQLITE_STATIC);
		if ((rc = stmt_exec(st, "insert document block")))
			return tx_end(s, own, rc);
	}
	return tx_end(s, own, store_search_index(s, d->id));
}

int store_doc_removed_by_sha256(struct store *s, const char *sha256,
				int64_t *id)
{
	sqlite3_stmt *st = stmt_get(s, "SELECT id FROM documents WHERE "
				       "sha256 = ? AND status = 'removed' "
				       "ORDER BY id LIMIT 1");
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		return 0;
	}
	if (rc != SQLITE_DONE)
		return step_error(st, rc, "find removed document by hash");
	sqlite3_reset(st);
	return WK_ENOTFOUND;
}

int store_doc_by_sha256(struct store *s, const char *sha256, int64_t *id)
{
	sqlite3_stmt *st = stmt_get(s, "SELECT id FROM documents WHERE "
				       "sha256 = ? AND status <> 'removed' "
				       "ORDER BY id LIMIT 1");
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		return 0;
	}
	if (rc != SQLITE_DONE)
		return step_error(st, rc, "find document by hash");
	sqlite3_reset(st);
	return WK_ENOTFOUND;
}

int store_doc_simhashes(struct store *s, struct arena *a, int64_t **ids,
			uint64_t **hashes, size_t *n)
{
	sqlite3_stmt *st = stmt_get(s, "SELECT id, simhash FROM documents "
				       "WHERE simhash IS NOT NULL AND "
				       "status <> 'removed'");
	size_t k = 0, cap = 0, hcap = 0;
	int64_t *iv = NULL;
	uint64_t *hv = NULL;
	int rc;

	if (!st)
		return WK_EIO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		iv = rows_grow(a, iv, k, &cap, sizeof(*iv));
		hv = rows_grow(a, hv, k, &hcap, sizeof(*hv));
		if (!iv || !hv) {
			sqlite3_reset(st);
			return WK_ENOMEM;
		}
		iv[k] = sqlite3_column_int64(st, 0);
		hv[k] = (uint64_t)sqlite3_column_int64(st, 1);
		k++;
	}
	if (rc != SQLITE_DONE)
		return step_error(st, rc, "list simhashes");
	sqlite3_reset(st);
	*ids = iv;
	*hashes = hv;
	*n = k;
	return 0;
}

int store_doc_blocks(struct store *s, struct arena *a, int64_t doc_id,
		     int64_t max_chars, struct store_block **out, size_t *n)
{
	sqlite3_stmt *st = stmt_get(
		s, "SELECT kind, level, char_start, text FROM doc_blocks "
		   "WHERE doc_id = ? AND char_start < ? ORDER BY seq");
	struct store_block *b = NULL;
	size_t k = 0, cap = 0;
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, doc_id);
	sqlite3_bind_int64(st, 2, max_chars);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		b = rows_grow(a, b, k, &cap, sizeof(*b));
		if (!b) {
			sqlite3_reset(st);
			return WK_ENOMEM;
		}
		b[k].kind = sqlite3_column_int(st, 0);
		b[k].level = sqlite3_column_int(st, 1);
		b[k].char_start = sqlite3_column_int64(st, 2);
		b[k].text = col_text(st, 3, a);
		if (!b[k].text)
			b[k].text = "";
		k++;
	}
	if (rc != SQLITE_DONE)
		return step_error(st, rc, "load document blocks");
	sqlite3_reset(st);
	*out = b;
	*n = k;
	return 0;
}

int store_doc_set_pages(struct store *s, int64_t id, int pages)
{
	sqlite3_stmt *st = stmt_get(s, "UPDATE documents SET pages = ? "
				       "WHERE id = ?");
	if (!st)
		return WK_EIO;
	sqlite3_bind_int(st, 1, pages);
	sqlite3_bind_int64(st, 2, id);
	return stmt_exec(st, "set page count");
}
