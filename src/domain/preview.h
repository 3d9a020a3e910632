/*
 * preview.h - the free preview: the first part of a document, cut at the
 * preview limit, with the site's watermark line woven in.
 *
 * The preview is a hard limit: text past it is never read into the
 * output. The limit is a share of the document's characters, at least a
 * minimum count, and never the whole document (a document shorter than
 * the minimum shows half of itself). The cut prefers a sentence end a
 * little before the limit, never falls inside a UTF-8 sequence, and the
 * HTML is built after the cut, so it can never fall inside a tag or an
 * entity. A preview that stops before the document's end ends in "...".
 *
 * The watermark opens the preview and recurs about every `every`
 * characters: at the first block boundary past that count, or, inside a
 * block that would run far past it, at a sentence end near the count.
 */
#ifndef WK_PREVIEW_H
#define WK_PREVIEW_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct store_block;

struct preview_opts {
	int share;		/* percent of the text */
	int min_chars;
	int every;		/* characters between watermarks */
	const char *watermark;	/* "" = none */
};

struct preview_stats {
	int64_t chars;		/* characters of document text shown */
	int watermarks;		/* watermark lines woven in */
	int truncated;		/* the preview stops before the end */
};

/* Whole pages of a paged document (pages in all) shown free as images:
 * the share of the pages, rounded down, never the last page, at most
 * PREVIEW_MAX_PAGES. 0 for a one-page document: its text preview is
 * cut, and an image of the whole page would give it all away. */
#define PREVIEW_MAX_PAGES 10
int preview_pages(int pages, const struct preview_opts *o);

/* Characters of a document of total characters that the preview shows. */
int64_t preview_limit(int64_t total, const struct preview_opts *o);

/* Build the preview of the document whose first blocks are given (at
 * least every block starting before the limit; more are ignored), as
 * HTML of wenku's own markup (html, may be NULL) and as plain text with
 * the watermark on lines of their own (text, may be NULL). total is the
 * document's length in characters. */
void preview_build(const struct store_block *blocks, size_t n, int64_t total,
		   const struct preview_opts *o, struct buf *html,
		   struct buf *text, struct preview_stats *st);

#endif
