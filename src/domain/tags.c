/*
 * tags.c - parsing a provider's tags and finding a document's frequent
 * terms (see tags.h).
 */
#include "tags.h"

#include "../base/arena.h"
#include "../base/err.h"
#include "../base/utf8.h"
#include "../store/store.h"

#include <stdbool.h>
#include <string.h>

static bool is_cjk(uint32_t c)
{
	return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF);
}

static bool tag_char(uint32_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '+' ||
	       c == '.' || c == '#' || is_cjk(c) ||
	       (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7);
}

/* A separator at s (n bytes left): its length, or 0. */
static size_t separator(const char *s, size_t n)
{
	static const char *seps[] = { ",", ";", " ", "\t", "\r", "\n", "，",
				      "、", "；", "\xe3\x80\x80" };
	size_t i;

	for (i = 0; i < sizeof(seps) / sizeof(seps[0]); i++) {
		size_t k = strlen(seps[i]);
		if (k <= n && !memcmp(s, seps[i], k))
			return k;
	}
	return 0;
}

int tags_parse(struct arena *a, const char *in, const char ***out,
	       size_t *n)
{
	return tags_parse_max(a, in, TAGS_MAX, out, n);
}

int tags_parse_max(struct arena *a, const char *in, size_t max,
		   const char ***out, size_t *n)
{
	const char **v = arena_alloc(a, sizeof(*v) * (max ? max : 1));
	size_t len = in ? strlen(in) : 0, i = 0, k = 0;

	if (!v)
		return WK_ENOMEM;
	if (!utf8_valid(in ? in : "", len))
		return WK_EINVAL;
	while (i < len) {
		size_t start, sep, chars = 0, j;
		char *tag;

		if ((sep = separator(in + i, len - i))) {
			i += sep;
			continue;
		}
		start = i;
		while (i < len && !separator(in + i, len - i)) {
			uint32_t c;
			size_t step = utf8_decode(in + i, len - i, &c);
			if (!step || !tag_char(c))
				return WK_EINVAL;
			i += step;
			chars++;
		}
		if (chars > TAG_MAX_CHARS)
			return WK_EINVAL;
		tag = arena_strndup(a, in + start, i - start);
		if (!tag)
			return WK_ENOMEM;
		for (j = 0; j < k && strcmp(v[j], tag); j++)
			;
		if (j < k)
			continue;
		if (k == max)
			return WK_EINVAL;
		v[k++] = tag;
	}
	*out = v;
	*n = k;
	return 0;
}

/* ---- frequent terms ------------------------------------------------------*/

#define TERM_SLOTS 8192	/* open addressing; full table stops counting */
#define TEXT_MAX ((size_t)256 << 10)

struct term {
	uint64_t key;	/* two code points, or a word's hash; 0 = empty */
	const char *s;	/* the term's bytes (in the text) */
	unsigned len;
	unsigned count;
	unsigned first;	/* order of first sight, for stable ties */
	uint32_t c1, c2;
};

/* Characters that make a pair a phrase fragment rather than a term. */
static bool stop_char(uint32_t c)
{
	static const char stops[] =
		"的了是在和与及或对为以把被这那有也就都而并等我你他她它们之中"
		"上下不一个要将到从其于年月日第各此该所已又再更很最能会可着过"
		"来去说给让使由向如";
	const char *p = stops;
	uint32_t s;

	while (*p) {
		p += utf8_decode(p, strlen(p), &s);
		if (s == c)
			return true;
	}
	return false;
}

static bool stop_word(const char *w, size_t n)
{
	static const char *words[] = {
		"the", "and", "for", "that", "this", "with", "from", "are",
		"was", "were", "have", "has", "not", "but", "you", "your",
		"they", "their", "which", "will", "can", "all", "its", "into",
		"also", "than", "then", "there", "these", "those", "been",
		"our", "his", "her", "she", "him", "who", "what", "when",
		"where", "how", "any", "each", "may", "one", "two", "use",
	};
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strlen(words[i]) == n && !strncmp(words[i], w, n))
			return true;
	return false;
}

static void count_term(struct term *t, uint64_t key, const char *s,
		       unsigned len, uint32_t c1, uint32_t c2, unsigned *seen)
{
	size_t slot = (size_t)(key * 0x9E3779B97F4A7C15ULL >> 51) %
		      TERM_SLOTS, probes;

	for (probes = 0; probes < 64; probes++) {
		struct term *e = &t[(slot + probes) % TERM_SLOTS];
		if (e->key == key) {
			e->count++;
			return;
		}
		if (!e->key) {
			e->key = key;
			e->s = s;
			e->len = len;
			e->count = 1;
			e->first = (*seen)++;
			e->c1 = c1;
			e->c2 = c2;
			return;
		}
	}
}

static uint64_t word_key(const char *w, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)(w[i] | 0x20)) * 1099511628211ULL;
	return h | (1ULL << 63);	/* never a pair key, never 0 */
}

int tags_from_text(struct arena *a, const char *text, size_t len,
		   const char ***out, size_t *n)
{
	struct term *t = arena_alloc(a, sizeof(*t) * TERM_SLOTS);
	const char **v = arena_alloc(a, sizeof(*v) * TAGS_MAX);
	uint32_t prev = 0, pc1[TAGS_MAX], pc2[TAGS_MAX];
	const char *prev_at = NULL;
	unsigned seen = 0;
	size_t i = 0, k = 0;

	if (!t || !v)
		return WK_ENOMEM;
	memset(t, 0, sizeof(*t) * TERM_SLOTS);
	if (len > TEXT_MAX)
		len = utf8_floor(text, len, TEXT_MAX);
	while (i < len) {
		uint32_t c;
		size_t step = utf8_decode(text + i, len - i, &c);

		if (!step)
			step = 1, c = 0;
		if (is_cjk(c)) {
			if (prev && !stop_char(prev) && !stop_char(c))
				count_term(t, ((uint64_t)prev << 32) | c,
					   prev_at,
					   (unsigned)(text + i + step - prev_at),
					   prev, c, &seen);
			prev = c;
			prev_at = text + i;
			i += step;
			continue;
		}
		prev = 0;
		if (c < 128 && ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) {
			size_t j = i;
			while (j < len && (((text[j] | 0x20) >= 'a' &&
					    (text[j] | 0x20) <= 'z') ||
					   (text[j] >= '0' && text[j] <= '9')))
				j++;
			if (j - i >= 3 && j - i <= TAG_MAX_CHARS &&
			    !stop_word(text + i, j - i))
				count_term(t, word_key(text + i, j - i),
					   text + i, (unsigned)(j - i), 0, 0,
					   &seen);
			i = j;
			continue;
		}
		i += step;
	}
	/* Pick the most frequent, skipping a pair that straddles two picked
	 * ones ("员干" between "党员" and "干部"). */
	while (k < TAGS_MAX) {
		struct term *best = NULL;
		size_t j, m;
		for (j = 0; j < TERM_SLOTS; j++) {
			struct term *e = &t[j];
			bool straddles = false;
			if (!e->key || e->count < 3)
				continue;
			for (m = 0; e->c1 && m < k; m++)
				straddles |= pc1[m] &&
					     (pc2[m] == e->c1 || pc1[m] == e->c2);
			if (straddles)
				continue;
			if (!best || e->count > best->count ||
			    (e->count == best->count && e->first < best->first))
				best = e;
		}
		if (!best)
			break;
		v[k] = arena_strndup(a, best->s, best->len);
		if (!v[k])
			return WK_ENOMEM;
		if (!best->c1) {	/* words: lower-case */
			char *w = (char *)v[k];
			for (; *w; w++)
				if (*w >= 'A' && *w <= 'Z')
					*w = (char)(*w + 32);
		}
		pc1[k] = best->c1;
		pc2[k] = best->c2;
		best->count = 0;	/* picked */
		k++;
	}
	*out = v;
	*n = k;
	return 0;
}

int tags_commit(struct store *s, int64_t doc_id, const char *provider_tags,
		const char *text, size_t len)
{
	struct arena *a = arena_new(0);
	const char **v;
	size_t n;
	int rc = 0;

	if (!a)
		return WK_ENOMEM;
	if (provider_tags && *provider_tags &&
	    tags_parse(a, provider_tags, &v, &n) == 0 && n)
		rc = store_tags_attach(s, doc_id, v, n, "provider");
	if (rc == 0 && text && (rc = tags_from_text(a, text, len, &v, &n)) == 0
	    && n)
		rc = store_tags_attach(s, doc_id, v, n, "keyword");
	arena_free(a);
	return rc;
}
