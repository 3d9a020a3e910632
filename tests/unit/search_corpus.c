/*
 * search_corpus.c - see search_corpus.h.
 */
#include "search_corpus.h"

#include "../../src/base/buf.h"
#include "../../src/base/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int all_han(const char *s)
{
	size_t n = strlen(s), i = 0;

	if (!n)
		return 0;
	while (i < n) {
		uint32_t cp;
		size_t l = utf8_decode(s + i, n - i, &cp);
		if (!l || cp < 0x4E00 || cp > 0x9FFF)
			return 0;
		i += l;
	}
	return 1;
}

int corpus_load(struct corpus *c, const char *path, uint64_t seed)
{
	FILE *f = fopen(path, "r");
	char line[512];
	size_t cap = 0;
	double total = 0;

	memset(c, 0, sizeof(*c));
	c->rng = seed ? seed : 88172645463325252ull;
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *sp = strchr(line, ' ');
		double freq;
		if (!sp)
			continue;
		*sp = '\0';
		freq = atof(sp + 1);
		if (freq <= 0 || !all_han(line))
			continue;
		if (c->n == cap) {
			cap = cap ? cap * 2 : 4096;
			c->words = realloc(c->words, cap * sizeof(*c->words));
			c->cum = realloc(c->cum, cap * sizeof(*c->cum));
		}
		total += freq;
		c->words[c->n] = strdup(line);
		c->cum[c->n] = total;
		c->n++;
	}
	fclose(f);
	return c->n > 1000 ? 0 : -1;
}

void corpus_free(struct corpus *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->words[i]);
	free(c->words);
	free(c->cum);
	memset(c, 0, sizeof(*c));
}

uint64_t corpus_rand(struct corpus *c)
{
	/* xorshift64* */
	c->rng ^= c->rng >> 12;
	c->rng ^= c->rng << 25;
	c->rng ^= c->rng >> 27;
	return c->rng * 2685821657736338717ull;
}

const char *corpus_word(struct corpus *c)
{
	double r = (double)(corpus_rand(c) >> 11) / 9007199254740992.0 *
		   c->cum[c->n - 1];
	size_t lo = 0, hi = c->n - 1;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (c->cum[mid] < r)
			lo = mid + 1;
		else
			hi = mid;
	}
	return c->words[lo];
}

const char *corpus_word_len(struct corpus *c, size_t len)
{
	int i;

	for (i = 0; i < 10000; i++) {
		const char *w = corpus_word(c);
		if (utf8_count(w, strlen(w)) == len)
			return w;
	}
	return NULL;
}

void corpus_text(struct corpus *c, struct buf *b, size_t chars)
{
	size_t n = 0, in_sentence = 0, want = 8 + corpus_rand(c) % 20;

	while (n < chars) {
		const char *w = corpus_word(c);
		buf_adds(b, w);
		n += utf8_count(w, strlen(w));
		in_sentence++;
		if (in_sentence >= want) {
			buf_adds(b, corpus_rand(c) % 3 ? "，" : "。");
			n++;
			in_sentence = 0;
			want = 4 + corpus_rand(c) % 12;
		}
	}
	buf_adds(b, "。");
}
