/*
 * token.c - the search tokenizer: CJK bigrams (plus each run's last
 * character) and folded words, with byte offsets into the original
 * text. See search.h for what a token is.
 *
 * Folding is per character: ASCII and the common CJK blocks take a fast
 * path (they need no NFKC and have no case); everything else goes
 * through utf8proc (compatibility decomposition, case folding, default
 * ignorables and marks dropped, recomposed), and may turn into several
 * characters that all keep the source character's byte range.
 */
#include "search.h"

#include "../base/utf8.h"

#include <string.h>
#include <utf8proc.h>

struct tz {
	enum search_mode mode;
	search_token_fn fn;
	void *ctx;
	int rc;
	/* the CJK run: its length and its last character */
	int run;
	char prev[4];
	size_t prevlen, prev_start, prev_end;
	/* the word being read */
	bool inword;
	char word[SEARCH_TOKEN_MAX];
	size_t wlen, wstart, wend;
};

/* Han (with extensions and compatibility ideographs), kana, Hangul,
 * and the ideographic iteration and zero marks. */
static bool is_cjk(uint32_t cp)
{
	return (cp >= 0x4E00 && cp <= 0x9FFF) ||
	       (cp >= 0x3400 && cp <= 0x4DBF) ||
	       (cp >= 0x20000 && cp <= 0x3134F) ||
	       (cp >= 0xF900 && cp <= 0xFAFF) ||
	       (cp >= 0x3041 && cp <= 0x3096) ||	/* hiragana */
	       (cp >= 0x309D && cp <= 0x309F) ||
	       (cp >= 0x30A1 && cp <= 0x30FA) ||	/* katakana */
	       (cp >= 0x30FC && cp <= 0x30FF) ||
	       (cp >= 0x31F0 && cp <= 0x31FF) ||
	       (cp >= 0xAC00 && cp <= 0xD7A3) ||	/* Hangul */
	       cp == 0x3005 || cp == 0x3007;
}

static bool is_wordish(uint32_t cp)
{
	switch (utf8proc_category((utf8proc_int32_t)cp)) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO:
	case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME:
		return true;
	default:
		return false;
	}
}

static void emit(struct tz *z, const char *text, size_t len, size_t start,
		 size_t end, size_t mid, bool colocated, bool cjk)
{
	struct search_token t = {
		.text = text, .len = len, .start = start, .end = end,
		.mid = mid, .colocated = colocated, .cjk = cjk,
	};

	if (z->rc == 0)
		z->rc = z->fn(z->ctx, &t);
}

static void flush_run(struct tz *z)
{
	if (z->run == 1)
		emit(z, z->prev, z->prevlen, z->prev_start, z->prev_end,
		     z->prev_end, false, true);
	else if (z->run > 1 && z->mode == SEARCH_DOCUMENT)
		emit(z, z->prev, z->prevlen, z->prev_start, z->prev_end,
		     z->prev_end, true, true);
	z->run = 0;
}

static void flush_word(struct tz *z)
{
	if (z->inword && z->wlen)
		emit(z, z->word, z->wlen, z->wstart, z->wend, z->wend, false,
		     false);
	z->inword = false;
	z->wlen = 0;
}

static void cjk_char(struct tz *z, uint32_t cp, size_t start, size_t end)
{
	char enc[4];
	size_t n = utf8_encode(cp, enc);

	flush_word(z);
	if (z->run > 0) {
		char bi[8];
		memcpy(bi, z->prev, z->prevlen);
		memcpy(bi + z->prevlen, enc, n);
		emit(z, bi, z->prevlen + n, z->prev_start, end, z->prev_end,
		     false, true);
	}
	z->run++;
	memcpy(z->prev, enc, n);
	z->prevlen = n;
	z->prev_start = start;
	z->prev_end = end;
}

static void word_char(struct tz *z, uint32_t cp, size_t start, size_t end)
{
	char enc[4];
	size_t n = utf8_encode(cp, enc);

	flush_run(z);
	if (!z->inword) {
		z->inword = true;
		z->wlen = 0;
		z->wstart = start;
	}
	/* A word past the cap keeps its first SEARCH_TOKEN_MAX bytes (whole
	 * characters) but still ends where the word ends. */
	if (n && z->wlen + n <= SEARCH_TOKEN_MAX) {
		memcpy(z->word + z->wlen, enc, n);
		z->wlen += n;
	}
	z->wend = end;
}

static void separator(struct tz *z)
{
	flush_run(z);
	flush_word(z);
}

/* One folded character from the source range [start, end). */
static void folded(struct tz *z, uint32_t cp, size_t start, size_t end)
{
	if (is_cjk(cp))
		cjk_char(z, cp, start, end);
	else if (is_wordish(cp))
		word_char(z, cp, start, end);
	else
		separator(z);
}

int search_tokenize(const char *s, size_t n, enum search_mode mode,
		    search_token_fn fn, void *ctx)
{
	struct tz z;
	size_t i = 0;

	memset(&z, 0, sizeof(z));
	z.mode = mode;
	z.fn = fn;
	z.ctx = ctx;
	while (i < n && z.rc == 0) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp;
		size_t l;

		if (c < 0x80) {
			if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
				word_char(&z, c, i, i + 1);
			else if (c >= 'A' && c <= 'Z')
				word_char(&z, c + 32u, i, i + 1);
			else
				separator(&z);
			i++;
			continue;
		}
		l = utf8_decode(s + i, n - i, &cp);
		if (!l) {
			separator(&z);
			i++;
			continue;
		}
		if ((cp >= 0x4E00 && cp <= 0x9FFF) ||
		    (cp >= 0x3040 && cp <= 0x30FF) ||
		    (cp >= 0xAC00 && cp <= 0xD7A3)) {
			/* no folding to do (kana keep their voicing marks) */
			if (is_cjk(cp))
				cjk_char(&z, cp, i, i + l);
			else
				separator(&z);
		} else {
			utf8proc_int32_t out[32];
			int bound = 0;
			utf8proc_ssize_t k, m;

			m = utf8proc_decompose_char(
				(utf8proc_int32_t)cp, out, 32,
				UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE |
					UTF8PROC_CASEFOLD | UTF8PROC_IGNORE |
					UTF8PROC_STRIPMARK,
				&bound);
			if (m > 0 && m <= 32)
				m = utf8proc_normalize_utf32(
					out, m,
					UTF8PROC_COMPOSE | UTF8PROC_STABLE);
			if (m < 0 || m > 32) {
				separator(&z);
			} else {
				for (k = 0; k < m; k++)
					folded(&z, (uint32_t)out[k], i, i + l);
			}
		}
		i += l;
	}
	separator(&z);
	return z.rc;
}
