/*
 * docsearch.h - searching the library: the reader's query and filters
 * in, one page of published documents out, each with its title and a
 * short snippet highlighted. Snippets are cut from the free preview
 * only (as docs_view() would show it now), never from text past it.
 */
#ifndef WK_DOCSEARCH_H
#define WK_DOCSEARCH_H

#include "../store/store.h"
#include "settings.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;

#define DOCSEARCH_PAGE_SIZE 20
#define DOCSEARCH_MAX_PAGE 50		/* deeper pages are refused */
#define DOCSEARCH_SNIPPET_CHARS 100

struct docsearch_req {
	const char *q;		/* the reader's text (any bytes) */
	const char *category;	/* slug; NULL or "": any */
	const char *format;	/* NULL or "": any */
	int price;		/* enum store_price */
	int sort;		/* enum store_sort */
	int page;		/* from 1 */
};

/* A piece of a title or snippet: plain text, highlighted or not. */
struct docsearch_seg {
	const char *text;
	bool hl;
};

struct docsearch_hit {
	struct store_doc doc;
	double score;
	bool in_title;			/* every phrase is in the title */
	struct docsearch_seg *title;
	size_t ntitle;
	struct docsearch_seg *snippet;	/* from the free preview only */
	size_t nsnippet;
	bool lead, trail;		/* the snippet leaves text out */
};

struct docsearch_result {
	const char *q;		/* the query as used (cut, valid UTF-8) */
	bool empty;		/* the query had nothing to search for */
	int64_t total;
	int pages;
	struct docsearch_hit *hits;
	size_t n;
};

/* Run a search. WK_EINVAL for a page out of range or an unknown
 * category; 0 with out->empty for a query with no words. */
int docsearch_run(struct store *s, struct arena *a,
		  const struct site_settings *cfg,
		  const struct docsearch_req *rq,
		  struct docsearch_result *out);

/* "relevance", "newest", "views", "downloads" -> enum store_sort;
 * "", "free", "paid", "vip" -> enum store_price. -1 when unknown
 * (NULL or "" gives the default). */
int docsearch_sort(const char *s);
int docsearch_price(const char *s);

#endif
