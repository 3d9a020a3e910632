/*
 * fts.c - full-text search on SQLite: the "wenku" FTS5 tokenizer (a
 * wrapper around search/'s), the ranking functions, indexing a
 * document and the search query itself.
 *
 * sqlite3.h declares the FTS5 extension interface (fts5_api).
 *
 * doc_fts (0014_search.sql) is a contentless FTS5 table: title and
 * body are indexed, not stored (the text lives in doc_blocks once).
 * Every document is indexed when it is inserted, whatever its status;
 * searches join documents and keep only published ones, so a takedown
 * or a publication shows in results at once without touching the
 * index.
 */
#include "store_internal.h"

#include "../base/arena.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../search/search.h"

#include <math.h>
#include <string.h>

/* ---- the tokenizer ------------------------------------------------------*/

static char tokenizer_instance;	/* stateless: one shared handle */

static int tok_create(void *ud, const char **argv, int argc,
		      Fts5Tokenizer **out)
{
	(void)ud;
	(void)argv;
	(void)argc;
	*out = (Fts5Tokenizer *)&tokenizer_instance;
	return SQLITE_OK;
}

static void tok_delete(Fts5Tokenizer *t)
{
	(void)t;
}

struct tok_call {
	void *ctx;
	int (*x)(void *, int, const char *, int, int, int);
};

static int tok_emit(void *ctx, const struct search_token *t)
{
	struct tok_call *c = ctx;

	return c->x(c->ctx, t->colocated ? FTS5_TOKEN_COLOCATED : 0, t->text,
		    (int)t->len, (int)t->start, (int)t->end);
}

static int tok_tokenize(Fts5Tokenizer *t, void *ctx, int flags,
			const char *text, int n,
			int (*x)(void *, int, const char *, int, int, int))
{
	struct tok_call c = { ctx, x };
	enum search_mode mode =
		flags & (FTS5_TOKENIZE_DOCUMENT | FTS5_TOKENIZE_AUX)
			? SEARCH_DOCUMENT
			: SEARCH_QUERY;

	(void)t;
	if (n < 0)
		return SQLITE_MISUSE;
	return search_tokenize(text, (size_t)n, mode, tok_emit, &c);
}

/* ---- ranking ------------------------------------------------------------*/

/* wk_title(doc_fts): how many of the query's phrases occur in the title
 * (column 0); results are ordered by it first, so title matches rank
 * above body matches. */
static void fn_title(const Fts5ExtensionApi *api, Fts5Context *fc,
		     sqlite3_context *cx, int nval, sqlite3_value **val)
{
	int i, n = api->xPhraseCount(fc), hits = 0;

	(void)nval;
	(void)val;
	for (i = 0; i < n; i++) {
		Fts5PhraseIter it;
		int col = -1;

		if (api->xPhraseFirstColumn(fc, i, &it, &col) != SQLITE_OK) {
			sqlite3_result_error(cx, "wk_title failed", -1);
			return;
		}
		for (; col >= 0; api->xPhraseNextColumn(fc, &it, &col)) {
			if (col == 0) {
				hits++;
				break;
			}
		}
	}
	sqlite3_result_int(cx, hits);
}

/* wk_boost(views, downloads): the factor popularity multiplies bm25 by
 * (bm25 is negative, better is lower): 1 + ln(1 + views + 3 downloads)
 * / 10, so ten times the readers is worth about a quarter more. */
static void fn_boost(sqlite3_context *cx, int nval, sqlite3_value **val)
{
	double v = sqlite3_value_double(val[0]);
	double d = nval > 1 ? sqlite3_value_double(val[1]) : 0;
	double p = 1.0 + (v > 0 ? v : 0) + 3.0 * (d > 0 ? d : 0);

	sqlite3_result_double(cx, 1.0 + log(p) / 10.0);
}

int fts_register(sqlite3 *db)
{
	static fts5_tokenizer tok = { tok_create, tok_delete, tok_tokenize };
	fts5_api *api = NULL;
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) !=
	    SQLITE_OK) {
		log_error("fts5 is not available: %s", sqlite3_errmsg(db));
		return WK_EIO;
	}
	sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	if (!api || api->iVersion < 2) {
		log_error("fts5 is not available");
		return WK_EIO;
	}
	rc = api->xCreateTokenizer(api, "wenku", NULL, &tok, NULL);
	if (rc == SQLITE_OK)
		rc = api->xCreateFunction(api, "wk_title", NULL, fn_title,
					  NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_create_function(db, "wk_boost", 2,
					     SQLITE_UTF8 | SQLITE_DETERMINISTIC,
					     NULL, fn_boost, NULL, NULL);
	if (rc != SQLITE_OK) {
		log_error("register the search tokenizer: %s",
			  sqlite3_errmsg(db));
		return WK_EIO;
	}
	return 0;
}

/* ---- indexing -----------------------------------------------------------*/

int store_search_index(struct store *s, int64_t doc_id)
{
	sqlite3_stmt *st = stmt_get(
		s, "INSERT INTO doc_fts (rowid, title, body) "
		   "SELECT d.id, d.title, COALESCE((SELECT group_concat(text, "
		   "char(10)) FROM (SELECT text FROM doc_blocks WHERE doc_id = "
		   "d.id ORDER BY seq)), '') FROM documents d WHERE d.id = ?");

	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, doc_id);
	return stmt_exec(st, "index document");
}

int store_search_reindex(struct store *s, int64_t *n)
{
	sqlite3_stmt *st;
	bool own;
	int rc;

	if ((rc = tx_begin(s, &own)))
		return rc;
	st = stmt_get(s, "INSERT INTO doc_fts (doc_fts) VALUES ('delete-all')");
	rc = st ? stmt_exec(st, "empty the search index") : WK_EIO;
	if (rc == 0) {
		st = stmt_get(
			s, "INSERT INTO doc_fts (rowid, title, body) "
			   "SELECT d.id, d.title, COALESCE((SELECT "
			   "group_concat(text, char(10)) FROM (SELECT text "
			   "FROM doc_blocks WHERE doc_id = d.id ORDER BY "
			   "seq)), '') FROM documents d");
		rc = st ? stmt_exec(st, "rebuild the search index") : WK_EIO;
	}
	if (rc == 0 && n)
		*n = sqlite3_changes(conn_db(s));
	return tx_end(s, own, rc);
}

/* ---- searching ----------------------------------------------------------*/

/* The aux functions must run in the query that holds the MATCH, and
 * SQLite refuses them beside a window function: the matches are
 * materialized first, then joined, filtered, counted and sorted. */
#define SEARCH_SQL(order)                                                   \
	"WITH f AS MATERIALIZED (SELECT rowid AS id, wk_title(doc_fts) AS t, " \
	"bm25(doc_fts, 10.0, 1.0) AS b FROM doc_fts WHERE doc_fts MATCH ?1) " \
	"SELECT d.id, d.title, d.format, d.pages, d.chars, d.price, "      \
	"d.vip_free, COALESCE(d.category_id, 0), c.name, c.slug, d.views, " \
	"d.downloads, d.created_at, COALESCE(d.published_at, 0), f.t, "     \
	"f.b * wk_boost(d.views, d.downloads) AS r, COUNT(*) OVER () "      \
	"FROM f JOIN documents d ON d.id = f.id "                           \
	"LEFT JOIN categories c ON c.id = d.category_id "                   \
	"WHERE d.status = 'published' "                                     \
	"AND (?2 = 0 OR d.category_id = ?2) AND (?3 = '' OR d.format = ?3) " \
	"AND (?4 = 0 OR (?4 = 1 AND d.price = 0) OR (?4 = 2 AND d.price > 0) " \
	"OR (?4 = 3 AND d.vip_free = 1)) "                                  \
	"ORDER BY " order " LIMIT ?5 OFFSET ?6"

#define COUNT_SQL                                                           \
	"SELECT COUNT(*) FROM doc_fts JOIN documents d ON d.id = "          \
	"doc_fts.rowid WHERE doc_fts MATCH ?1 AND d.status = 'published' "  \
	"AND (?2 = 0 OR d.category_id = ?2) AND (?3 = '' OR d.format = ?3) " \
	"AND (?4 = 0 OR (?4 = 1 AND d.price = 0) OR (?4 = 2 AND d.price > 0) " \
	"OR (?4 = 3 AND d.vip_free = 1))"

static void bind_filters(sqlite3_stmt *st, const struct store_search *q)
{
	sqlite3_bind_text(st, 1, q->match, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, q->category_id);
	sqlite3_bind_text(st, 3, q->format ? q->format : "", -1,
			  SQLITE_STATIC);
	sqlite3_bind_int(st, 4, q->price);
}

/* Every match joined, filtered, counted and sorted: exact for any query,
 * slow for words most documents contain. */
static int search_full(struct store *s, struct arena *a,
		       const struct store_search *q,
		       struct store_search_hit **out, size_t *n,
		       int64_t *total)
{
	sqlite3_stmt *st;
	struct store_search_hit *h;
	size_t k = 0;
	int rc;

	*out = NULL;
	*n = 0;
	*total = 0;
	if (!q->match || q->limit <= 0 || q->limit > 1000 || q->offset < 0)
		return WK_EINVAL;
	switch (q->sort) {
	case STORE_SORT_NEWEST:
		st = stmt_get(s, SEARCH_SQL("d.published_at DESC, d.id DESC"));
		break;
	case STORE_SORT_VIEWS:
		st = stmt_get(s, SEARCH_SQL("d.views DESC, d.id DESC"));
		break;
	case STORE_SORT_DOWNLOADS:
		st = stmt_get(s, SEARCH_SQL("d.downloads DESC, d.id DESC"));
		break;
	default:
		st = stmt_get(s, SEARCH_SQL("f.t DESC, r, d.id DESC"));
	}
	if (!st)
		return WK_EIO;
	h = arena_alloc(a, (size_t)q->limit * sizeof(*h));
	if (!h) {
		sqlite3_reset(st);
		return WK_ENOMEM;
	}
	bind_filters(st, q);
	sqlite3_bind_int(st, 5, q->limit);
	sqlite3_bind_int(st, 6, q->offset);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && k < (size_t)q->limit) {
		struct store_doc *d = &h[k].doc;

		memset(&h[k], 0, sizeof(h[k]));
		d->id = sqlite3_column_int64(st, 0);
		d->title = col_text(st, 1, a);
		d->format = col_text(st, 2, a);
		d->pages = sqlite3_column_int(st, 3);
		d->chars = sqlite3_column_int64(st, 4);
		d->price = sqlite3_column_int(st, 5);
		d->vip_free = sqlite3_column_int(st, 6) != 0;
		d->category_id = sqlite3_column_int64(st, 7);
		d->category_name = col_text(st, 8, a);
		d->category_slug = col_text(st, 9, a);
		d->views = sqlite3_column_int64(st, 10);
		d->downloads = sqlite3_column_int64(st, 11);
		d->created_at = sqlite3_column_int64(st, 12);
		d->published_at = sqlite3_column_int64(st, 13);
		d->status = "published";
		h[k].title_hits = sqlite3_column_int(st, 14);
		h[k].score = -sqlite3_column_double(st, 15);
		*total = sqlite3_column_int64(st, 16);
		if (!d->title || !d->format) {
			sqlite3_reset(st);
			return WK_ENOMEM;
		}
		k++;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return step_error(st, rc, "search");
	sqlite3_reset(st);
	if (k == 0 && q->offset > 0) {
		/* Past the last page: the count from a query of its own. */
		st = stmt_get(s, COUNT_SQL);
		if (!st)
			return WK_EIO;
		bind_filters(st, q);
		rc = sqlite3_step(st);
		if (rc != SQLITE_ROW)
			return step_error(st, rc, "count search results");
		*total = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	*out = h;
	*n = k;
	return 0;
}


/* Reading one hit row of FAST_COLS into h. */
static int read_hit(sqlite3_stmt *st, struct arena *a,
		    struct store_search_hit *h)
{
	struct store_doc *d = &h->doc;

	memset(h, 0, sizeof(*h));
	d->id = sqlite3_column_int64(st, 0);
	d->title = col_text(st, 1, a);
	d->format = col_text(st, 2, a);
	d->pages = sqlite3_column_int(st, 3);
	d->chars = sqlite3_column_int64(st, 4);
	d->price = sqlite3_column_int(st, 5);
	d->vip_free = sqlite3_column_int(st, 6) != 0;
	d->category_id = sqlite3_column_int64(st, 7);
	d->category_name = col_text(st, 8, a);
	d->category_slug = col_text(st, 9, a);
	d->views = sqlite3_column_int64(st, 10);
	d->downloads = sqlite3_column_int64(st, 11);
	d->created_at = sqlite3_column_int64(st, 12);
	d->published_at = sqlite3_column_int64(st, 13);
	d->status = "published";
	h->title_hits = sqlite3_column_int(st, 14);
	h->score = -sqlite3_column_double(st, 15);
	return d->title && d->format ? 0 : WK_ENOMEM;
}

#define FAST_COLS                                                           \
	"d.id, d.title, d.format, d.pages, d.chars, d.price, d.vip_free, "  \
	"COALESCE(d.category_id, 0), c.name, c.slug, d.views, d.downloads, " \
	"d.created_at, COALESCE(d.published_at, 0) "

/* Relevance without filters: the best TOPK matches by title hits and
 * bm25 alone (FTS5 only, no join), then those joined, checked for the
 * published status and re-ranked with popularity. */
#define FAST_TOPK 400
#define FAST_RELEVANCE_SQL                                                  \
	"WITH f AS MATERIALIZED (SELECT rowid AS id, wk_title(doc_fts) AS t, " \
	"bm25(doc_fts, 10.0, 1.0) AS b FROM doc_fts WHERE doc_fts MATCH ?1 " \
	"ORDER BY t DESC, b LIMIT ?4) "                                     \
	"SELECT " FAST_COLS ", f.t, f.b * wk_boost(d.views, d.downloads) AS r, " \
	"COUNT(*) OVER (), (SELECT COUNT(*) FROM f) "                       \
	"FROM f JOIN documents d ON d.id = f.id "                           \
	"LEFT JOIN categories c ON c.id = d.category_id "                   \
	"WHERE d.status = 'published' "                                     \
	"ORDER BY f.t DESC, r, d.id DESC LIMIT ?2 OFFSET ?3"

/* Newest / most read / most downloaded without filters: published
 * documents walked in that order through an index, each checked against
 * the set of matches (built once), until a page is full. */
#define FAST_ORDER_SQL(order)                                               \
	"SELECT " FAST_COLS ", 0, 0.0 FROM documents d "                     \
	"LEFT JOIN categories c ON c.id = d.category_id "                   \
	"WHERE d.status = 'published' AND d.id IN (SELECT rowid FROM "      \
	"doc_fts WHERE doc_fts MATCH ?1) ORDER BY " order                   \
	" LIMIT ?2 OFFSET ?3"

/* Published matches: all matches less the unpublished ones among them
 * (few, found from the documents side). */
#define FAST_COUNT_SQL                                                      \
	"SELECT (SELECT COUNT(*) FROM doc_fts WHERE doc_fts MATCH ?1) - "   \
	"(SELECT COUNT(*) FROM documents d WHERE (d.status < 'published' "   \
	"OR d.status > 'published') "   /* two index ranges, not a scan */ \
	"AND EXISTS (SELECT 1 FROM doc_fts WHERE doc_fts MATCH ?1 AND "     \
	"doc_fts.rowid = d.id))"

/* Published matches of q->match. */
static int fast_count(struct store *s, const struct store_search *q,
		      int64_t *total)
{
	sqlite3_stmt *st = stmt_get(s, FAST_COUNT_SQL);
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, q->match, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW)
		return step_error(st, rc, "count search results");
	*total = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

int store_search(struct store *s, struct arena *a,
		 const struct store_search *q, struct store_search_hit **out,
		 size_t *n, int64_t *total)
{
	struct store_search_hit *h;
	int64_t published = 0, candidates = 0;
	sqlite3_stmt *st;
	bool relevance;
	size_t k = 0;
	int rc;

	if (!q->match || q->limit <= 0 || q->limit > 1000 || q->offset < 0)
		return WK_EINVAL;
	/* Filters, or a page past what the top matches can fill: exact. */
	if (q->category_id || (q->format && *q->format) || q->price ||
	    (q->sort != STORE_SORT_NEWEST && q->sort != STORE_SORT_VIEWS &&
	     q->sort != STORE_SORT_DOWNLOADS &&
	     q->offset + q->limit > FAST_TOPK / 2))
		return search_full(s, a, q, out, n, total);
	*out = NULL;
	*n = 0;
	*total = -1;
	relevance = q->sort != STORE_SORT_NEWEST && q->sort != STORE_SORT_VIEWS &&
		    q->sort != STORE_SORT_DOWNLOADS;
	/* The other orders need the count first (a page past the end is
	 * not run); relevance learns it from its own rows when the matches
	 * are fewer than the top it ranks. */
	if (!relevance && (rc = fast_count(s, q, total)))
		return rc;
	if (*total == 0 || (*total > 0 && q->offset >= *total))
		return 0;
	switch (q->sort) {
	case STORE_SORT_NEWEST:
		st = stmt_get(s, FAST_ORDER_SQL("d.published_at DESC, d.id DESC"));
		break;
	case STORE_SORT_VIEWS:
		st = stmt_get(s, FAST_ORDER_SQL("d.views DESC, d.id DESC"));
		break;
	case STORE_SORT_DOWNLOADS:
		st = stmt_get(s, FAST_ORDER_SQL("d.downloads DESC, d.id DESC"));
		break;
	default:
		st = stmt_get(s, FAST_RELEVANCE_SQL);
	}
	if (!st)
		return WK_EIO;
	if (!(h = arena_alloc(a, (size_t)q->limit * sizeof(*h)))) {
		sqlite3_reset(st);
		return WK_ENOMEM;
	}
	sqlite3_bind_text(st, 1, q->match, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, q->limit);
	sqlite3_bind_int(st, 3, q->offset);
	if (relevance)
		sqlite3_bind_int(st, 4, FAST_TOPK);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && k < (size_t)q->limit) {
		if (read_hit(st, a, &h[k])) {
			sqlite3_reset(st);
			return WK_ENOMEM;
		}
		if (relevance && k == 0) {
			published = sqlite3_column_int64(st, 16);
			candidates = sqlite3_column_int64(st, 17);
		}
		k++;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return step_error(st, rc, "search");
	sqlite3_reset(st);
	if (relevance) {
		if (k && candidates < FAST_TOPK)
			*total = published;	/* every match was ranked */
		else if ((rc = fast_count(s, q, total)))
			return rc;
	}
	/* More unpublished documents among the top matches than the page
	 * could spare: the exact way. */
	if (k < (size_t)q->limit && q->offset + (int64_t)k < *total)
		return search_full(s, a, q, out, n, total);
	*out = h;
	*n = k;
	return 0;
}

int store_search_raw(struct store *s, const char *match, int limit,
		     int64_t *ids, size_t *n)
{
	sqlite3_stmt *st = stmt_get(s, "SELECT rowid FROM doc_fts WHERE "
				       "doc_fts MATCH ? ORDER BY rank LIMIT ?");
	size_t k = 0;
	int rc;

	*n = 0;
	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && k < (size_t)limit)
		ids[k++] = sqlite3_column_int64(st, 0);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return step_error(st, rc, "raw search");
	sqlite3_reset(st);
	*n = k;
	return 0;
}
