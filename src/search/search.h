/*
 * search.h - the text side of full-text search: the tokenizer, the
 * query builder and highlighted snippets. No SQL here: store/ wraps the
 * tokenizer for SQLite's FTS5 and runs the queries this module builds.
 *
 * Tokens. Text is folded per character (NFKC, then case-folded, with
 * utf8proc), then cut into
 *   - CJK runs (Han, kana, Hangul): every pair of neighbours is a
 *     bigram token; the run's last character is also emitted as a
 *     token of its own at the last bigram's position ("colocated"), so
 *     a one-character prefix query finds every character of a run. A
 *     run of one character is that character alone.
 *   - words: letters, digits and combining marks of other scripts,
 *     lower-cased, at most SEARCH_TOKEN_MAX bytes (the rest of a longer
 *     word is dropped, on the query side too).
 * Everything else separates tokens. Each token carries the byte range
 * of the original characters it came from, so highlights land on the
 * real characters even where folding changed them (全角 ＡＢＣ -> abc).
 *
 * Queries. A query is at most SEARCH_QUERY_MAX_CHARS characters. Text
 * in double quotes is one phrase; elsewhere each stretch between
 * separators (spaces, punctuation) is one phrase; all phrases must
 * match (AND). A phrase whose last token is a single character is a
 * prefix phrase, so 1-character queries match every document holding
 * that character. The FTS5 expression is built here from tokens this
 * tokenizer produced, each quoted: the user's text never reaches FTS5's
 * query syntax.
 */
#ifndef WK_SEARCH_H
#define WK_SEARCH_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct buf;

#define SEARCH_TOKEN_MAX 64		/* bytes of one token's text */
#define SEARCH_QUERY_MAX_CHARS 100	/* longer queries are cut */
#define SEARCH_MAX_PHRASES 16		/* later phrases are ignored */
#define SEARCH_MAX_TOKENS 256		/* over all phrases */

enum search_mode {
	SEARCH_DOCUMENT,	/* indexing: bigrams and run-final characters */
	SEARCH_QUERY,		/* query text: no colocated run-final tokens */
};

struct search_token {
	const char *text;	/* folded; not NUL-terminated; borrowed */
	size_t len;
	size_t start, end;	/* byte range in the input */
	size_t mid;		/* a bigram: end of its first character;
				 * otherwise end */
	bool colocated;		/* same position as the token before */
	bool cjk;		/* a bigram or a single CJK character */
};

/* Called for each token; a non-zero return stops the tokenizer and is
 * returned by search_tokenize. */
typedef int (*search_token_fn)(void *ctx, const struct search_token *t);

/* Tokenize n bytes at s (any bytes: invalid UTF-8 separates tokens).
 * 0, or the first non-zero value fn returned. */
int search_tokenize(const char *s, size_t n, enum search_mode mode,
		    search_token_fn fn, void *ctx);

struct search_phrase {
	const char **tok;	/* folded tokens, NUL-terminated */
	size_t *toklen;
	bool *tokcjk;
	size_t ntok;
	bool prefix;		/* the last token is a prefix */
};

struct search_query {
	struct search_phrase *p;
	size_t n;
	const char *text;	/* the query as used: cut, valid UTF-8 */
};

/* Parse the user's query (len bytes) into phrases allocated in a.
 * Invalid UTF-8 is dropped; the text is cut at SEARCH_QUERY_MAX_CHARS.
 * A query without tokens gives q->n == 0. 0 or WK_ENOMEM. */
int search_query_parse(struct arena *a, const char *s, size_t len,
		       struct search_query *q);

/* The FTS5 MATCH expression for q (n > 0): each phrase quoted, "*" on
 * prefix phrases, joined by AND. Appended to out. */
void search_query_fts(const struct search_query *q, struct buf *out);

/* A piece of a snippet: len bytes of the text from off, highlighted or
 * not. */
struct search_seg {
	size_t off, len;
	bool hl;
};

struct search_snippet {
	struct search_seg *seg;	/* in the arena */
	size_t n;
	bool lead, trail;	/* text was left out before / after */
	int matched;		/* phrases of the query found in the text */
};

/* A snippet of about max_chars characters of text (len bytes, valid
 * UTF-8) around the place where most of q's phrases occur, with every
 * occurrence inside it highlighted; the text's start when none occurs.
 * Only text[0..len) is ever referred to. 0 or WK_ENOMEM. */
int search_snippet(struct arena *a, const char *text, size_t len,
		   const struct search_query *q, size_t max_chars,
		   struct search_snippet *out);

/* All of text (a title) with q's occurrences highlighted. */
int search_highlight(struct arena *a, const char *text, size_t len,
		     const struct search_query *q, struct search_snippet *out);

#endif
