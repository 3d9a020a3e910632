/*
 * tags.h - document tags: those a provider types at upload, and those
 * taken from the document's own text (its most frequent terms: the
 * parsers expose no keyword metadata, so the text speaks for itself).
 */
#ifndef WK_TAGS_H
#define WK_TAGS_H

#include <stddef.h>
#include <stdint.h>

struct arena;
struct store;

#define TAGS_MAX 5		/* tags of each source per document */
#define TAG_MAX_CHARS 20

/* Split what a provider typed (commas, 、, ，, ; or spaces between tags)
 * into at most TAGS_MAX distinct tags of 1..TAG_MAX_CHARS characters:
 * letters, digits, CJK and - _ + . # only. WK_EINVAL when a tag breaks
 * those rules or there are too many; 0 and *n = 0 for empty input. */
int tags_parse(struct arena *a, const char *in, const char ***out,
	       size_t *n);
/* The same with at most max tags. */
int tags_parse_max(struct arena *a, const char *in, size_t max,
		   const char ***out, size_t *n);

/* Up to TAGS_MAX terms of text (len bytes; only the first 256 KiB are
 * read): CJK character pairs and Latin words that occur at least three
 * times, most frequent first, pairs of common function characters and
 * English stop words left out. */
int tags_from_text(struct arena *a, const char *text, size_t len,
		   const char ***out, size_t *n);

/* Tag document doc_id: provider_tags (as tags_parse takes them; invalid
 * input is dropped, it was checked at upload) and the terms of text.
 * Joins a surrounding write transaction. */
int tags_commit(struct store *s, int64_t doc_id, const char *provider_tags,
		const char *text, size_t len);

#endif
