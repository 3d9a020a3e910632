/*
 * fuzz_search.c - fuzz harness for search: the tokenizer, the query
 * builder and snippets, and the built expression run through FTS5.
 *
 * Input: the reader's query, a NUL byte, a document's text. Checks
 * that every token's range is inside the input, ordered and on
 * character boundaries; that the MATCH expression built from any query
 * is accepted by FTS5 (a syntax error would mean reader text reached
 * the query language); that snippet segments stay inside the text.
 */
#include "../src/base/arena.h"
#include "../src/base/buf.h"
#include "../src/base/utf8.h"
#include "../src/search/search.h"
#include "../src/store/store_internal.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int fuzz_search(const uint8_t *data, size_t size);

struct check {
	const char *s;
	size_t n, last_start;
};

static int check_tok(void *ctx, const struct search_token *t)
{
	struct check *c = ctx;

	if (t->start >= t->end || t->end > c->n || t->start < c->last_start ||
	    t->mid < t->start || t->mid > t->end || t->len == 0 ||
	    t->len > SEARCH_TOKEN_MAX || !utf8_valid(t->text, t->len))
		abort();
	if (((unsigned char)c->s[t->start] & 0xC0) == 0x80)
		abort();
	c->last_start = t->start;
	return 0;
}

static sqlite3 *db;

static sqlite3 *fts_db(void)
{
	if (db)
		return db;
	if (sqlite3_open(":memory:", &db) != SQLITE_OK || fts_register(db) ||
	    sqlite3_exec(db,
			 "CREATE VIRTUAL TABLE t USING fts5(title, body, "
			 "content='', tokenize='wenku', prefix='1')",
			 NULL, NULL, NULL) != SQLITE_OK)
		abort();
	return db;
}

int fuzz_search(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	const char *nul = memchr(s, '\0', size);
	size_t qlen = nul ? (size_t)(nul - s) : size;
	const char *text = nul ? nul + 1 : "";
	size_t tlen = nul ? size - qlen - 1 : 0;
	struct arena *a = arena_new(0);
	struct check c = { text, tlen, 0 };
	struct search_query q;
	struct search_snippet sn;
	sqlite3_stmt *st;
	struct buf b;
	size_t i;

	search_tokenize(text, tlen, SEARCH_DOCUMENT, check_tok, &c);
	c.last_start = 0;
	search_tokenize(text, tlen, SEARCH_QUERY, check_tok, &c);
	if (search_query_parse(a, s, qlen, &q))
		abort();
	if (!utf8_valid(q.text, strlen(q.text)))
		abort();
	buf_init(&b, 0);
	search_query_fts(&q, &b);
	if (q.n) {
		sqlite3 *d = fts_db();
		sqlite3_exec(d, "INSERT INTO t (t) VALUES ('delete-all')", NULL,
			     NULL, NULL);
		if (sqlite3_prepare_v2(d, "INSERT INTO t (rowid, title, body) "
					  "VALUES (1, '', ?)",
				       -1, &st, NULL) != SQLITE_OK)
			abort();
		sqlite3_bind_text(st, 1, text, (int)tlen, SQLITE_STATIC);
		sqlite3_step(st);
		sqlite3_finalize(st);
		if (sqlite3_prepare_v2(d, "SELECT rowid FROM t WHERE t MATCH ?",
				       -1, &st, NULL) != SQLITE_OK)
			abort();
		sqlite3_bind_text(st, 1, buf_str(&b), (int)b.len,
				  SQLITE_STATIC);
		while (sqlite3_step(st) == SQLITE_ROW)
			;
		if (sqlite3_errcode(d) != SQLITE_DONE &&
		    sqlite3_errcode(d) != SQLITE_OK)
			abort();	/* the expression did not parse */
		sqlite3_finalize(st);
	}
	buf_release(&b);
	if (utf8_valid(text, tlen) &&
	    search_snippet(a, text, tlen, &q, 40, &sn) == 0) {
		for (i = 0; i < sn.n; i++)
			if (sn.seg[i].off + sn.seg[i].len > tlen)
				abort();
	}
	arena_free(a);
	return 0;
}

#ifdef FUZZ_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	fuzz_search(d, n);
	return 0;
}
#endif
