/*
 * simhash.c - normalisation with utf8proc and the 64-bit simhash.
 */
#include "simhash.h"

#include "../base/utf8.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* A well-mixed 64-bit hash of three code points (splitmix64 rounds). */
static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static int keep(utf8proc_int32_t cp)
{
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
		return 1;
	default:
		return 0;
	}
}

uint64_t simhash_text(const char *text, size_t len)
{
	int32_t votes[64] = { 0 };
	utf8proc_uint8_t *norm = NULL;
	utf8proc_ssize_t n;
	uint32_t win[3] = { 0, 0, 0 };
	uint64_t h = 0;
	size_t i = 0, seen = 0;
	int b;

	n = utf8proc_map((const utf8proc_uint8_t *)text, (utf8proc_ssize_t)len,
			 &norm, UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
				UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);
	if (n < 0)
		return 0;
	while ((utf8proc_ssize_t)i < n) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t l = utf8proc_iterate(norm + i, n - (utf8proc_ssize_t)i,
						      &cp);
		if (l <= 0)
			break;
		i += (size_t)l;
		if (!keep(cp))
			continue;
		win[0] = win[1];
		win[1] = win[2];
		win[2] = (uint32_t)cp;
		if (++seen < 3)
			continue;
		h = mix(((uint64_t)win[0] << 42) ^ ((uint64_t)win[1] << 21) ^
			win[2]);
		for (b = 0; b < 64; b++)
			votes[b] += (h >> b) & 1 ? 1 : -1;
	}
	free(norm);
	if (seen < 3)
		return 0;
	h = 0;
	for (b = 0; b < 64; b++)
		if (votes[b] > 0)
			h |= (uint64_t)1 << b;
	return h;
}

int simhash_distance(uint64_t a, uint64_t b)
{
	return __builtin_popcountll(a ^ b);
}
