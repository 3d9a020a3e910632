/*
 * images.c - queries on doc_images: a document's preview page images
 * and cover (the PNGs themselves are blobs).
 */
#include "store_internal.h"

#include "../base/arena.h"
#include "../base/err.h"

static void read_image(sqlite3_stmt *st, struct arena *a,
		       struct store_image *img)
{
	img->kind = col_text(st, 0, a);
	img->page = sqlite3_column_int(st, 1);
	img->sha256 = col_text(st, 2, a);
	img->width = sqlite3_column_int(st, 3);
	img->height = sqlite3_column_int(st, 4);
}

int store_image_add(struct store *s, int64_t doc_id,
		    const struct store_image *img)
{
	sqlite3_stmt *st = stmt_get(
		s, "INSERT INTO doc_images (doc_id, kind, page, sha256, width, "
		   "height) VALUES (?, ?, ?, ?, ?, ?)");
	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, doc_id);
	sqlite3_bind_text(st, 2, img->kind, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, img->page);
	sqlite3_bind_text(st, 4, img->sha256, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, img->width);
	sqlite3_bind_int(st, 6, img->height);
	return stmt_exec(st, "record page image");
}

int store_image_pages(struct store *s, struct arena *a, int64_t doc_id,
		      int max_page, struct store_image **out, size_t *n)
{
	sqlite3_stmt *st = stmt_get(
		s, "SELECT kind, page, sha256, width, height FROM doc_images "
		   "WHERE doc_id = ? AND kind = 'page' AND page <= ? "
		   "ORDER BY page");
	struct store_image *v = NULL;
	size_t k = 0, cap = 0;
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, doc_id);
	sqlite3_bind_int(st, 2, max_page);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = rows_grow(a, v, k, &cap, sizeof(*v));
		if (!v) {
			sqlite3_reset(st);
			return WK_ENOMEM;
		}
		read_image(st, a, &v[k++]);
	}
	if (rc != SQLITE_DONE)
		return step_error(st, rc, "list page images");
	sqlite3_reset(st);
	*out = v;
	*n = k;
	return 0;
}

int store_image_get(struct store *s, struct arena *a, int64_t doc_id,
		    const char *kind, int page, struct store_image *out)
{
	sqlite3_stmt *st = stmt_get(
		s, "SELECT kind, page, sha256, width, height FROM doc_images "
		   "WHERE doc_id = ? AND kind = ? AND page = ?");
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, doc_id);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, page);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return WK_ENOTFOUND;
	}
	if (rc != SQLITE_ROW)
		return step_error(st, rc, "load page image");
	read_image(st, a, out);
	sqlite3_reset(st);
	return 0;
}
