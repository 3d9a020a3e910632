/*
 * search_corpus.h - generated Chinese text for the search tests and the
 * search benchmark: words drawn with the frequencies of a real
 * dictionary (jieba's dict.txt, from Debian's python3-jieba), put into
 * sentences and paragraphs with Chinese punctuation. Deterministic for
 * a seed.
 */
#ifndef WK_SEARCH_CORPUS_H
#define WK_SEARCH_CORPUS_H

#include <stddef.h>
#include <stdint.h>

struct buf;

#define CORPUS_DICT "/usr/lib/python3/dist-packages/jieba/dict.txt"

struct corpus {
	char **words;		/* CJK-only words of the dictionary */
	double *cum;		/* cumulative frequency */
	size_t n;
	uint64_t rng;
};

/* Load the dictionary's words made only of CJK ideographs. 0, or -1
 * when the file is missing or unreadable. */
int corpus_load(struct corpus *c, const char *path, uint64_t seed);
void corpus_free(struct corpus *c);
uint64_t corpus_rand(struct corpus *c);
/* A word drawn by frequency (borrowed). */
const char *corpus_word(struct corpus *c);
/* A word of exactly len characters (1..4), drawn by frequency among
 * tries; NULL when none turned up. */
const char *corpus_word_len(struct corpus *c, size_t len);
/* Append about chars characters of sentences to b. */
void corpus_text(struct corpus *c, struct buf *b, size_t chars);

#endif
