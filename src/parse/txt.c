/*
 * txt.c - plain text: find the encoding, convert to UTF-8, one paragraph
 * per non-blank line.
 *
 * Encodings, in the order they are tried: a byte order mark (UTF-8,
 * UTF-16 LE/BE, UTF-32 LE/BE); UTF-16 without a mark when every other
 * byte is zero (what Windows tools write for ASCII text); valid UTF-8;
 * GB18030 (a superset of GBK and GB2312); Big5. When GB18030 and Big5
 * both convert cleanly, the one whose result has fewer characters that
 * Chinese prose rarely contains (kana, Greek, Cyrillic, box drawing,
 * private use) wins, GB18030 on a tie: Big5 text read as GBK is full of
 * those, GBK text read as Big5 is not. As a last resort GB18030 with
 * U+FFFD for bad bytes, if there are few. Data with NUL bytes (outside
 * UTF-16/32) or many control characters is not text.
 *
 * The decoder is shared: md.c reads Markdown through txt_decode(), and
 * txt_sniff() tells Markdown from plain text with md_sniff().
 */
#include "parse_internal.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../base/utf8.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* parse_detect() looks at no more than this much of a text file. */
#define SNIFF_MAX ((size_t)64 << 10)
/* A title is the first line if it has at most this many characters. */
#define TITLE_MAX_CHARS 60

/* Convert n bytes in encoding enc to UTF-8, appended to out. Strict:
 * fail (WK_EMALFORMED) on the first bad sequence, except an incomplete
 * one at the very end when truncated is set (the caller cut the data).
 * Not strict: each bad unit of step bytes becomes U+FFFD, counted in
 * *bad. */
static int conv(const char *enc, const char *s, size_t n, int strict,
		int truncated, size_t step, struct buf *out, size_t *bad)
{
	char tmp[16384];
	char *in = (char *)s, *op;
	size_t inleft = n, outleft;
	iconv_t cd;
	int rc = 0;

	*bad = 0;
	cd = iconv_open("UTF-8", enc);
	if (cd == (iconv_t)-1)
		return WK_EUNSUPPORTED;
	while (inleft > 0 && !buf_error(out)) {
		size_t r;
		op = tmp;
		outleft = sizeof(tmp);
		r = iconv(cd, &in, &inleft, &op, &outleft);
		buf_add(out, tmp, (size_t)(op - tmp));
		if (r != (size_t)-1)
			continue;
		if (errno == E2BIG)
			continue;
		if (errno == EINVAL && truncated)
			break;
		if (strict) {
			rc = WK_EMALFORMED;
			break;
		}
		buf_add(out, "\xef\xbf\xbd", 3);
		(*bad)++;
		if (errno == EINVAL || inleft <= step) {
			inleft = 0;
			break;
		}
		in += step;
		inleft -= step;
	}
	op = tmp;
	outleft = sizeof(tmp);
	iconv(cd, NULL, NULL, &op, &outleft);
	buf_add(out, tmp, (size_t)(op - tmp));
	iconv_close(cd);
	if (rc == 0 && buf_error(out))
		rc = buf_error(out);
	return rc;
}

/* Whether s is valid UTF-8; with truncated, an incomplete sequence
 * cut off at the very end is allowed. */
static int utf8_ok(const char *s, size_t n, int truncated)
{
	size_t i = 0, k, need;
	uint32_t cp;
	unsigned char c;

	while (i < n) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		k = utf8_decode(s + i, n - i, &cp);
		if (k) {
			i += k;
			continue;
		}
		if (!truncated || n - i >= 4)
			return 0;
		c = (unsigned char)s[i];
		need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
		if (need <= n - i)
			return 0;
		for (k = i + 1; k < n; k++)
			if (((unsigned char)s[k] & 0xc0) != 0x80)
				return 0;
		return 1;
	}
	return 1;
}

/* UTF-16 without a byte order mark, as "LE", "BE" or NULL: ASCII-heavy
 * text has a zero in every other byte. */
static const char *utf16_guess(const unsigned char *d, size_t n)
{
	size_t i, pairs, z_even = 0, z_odd = 0;

	if (n > SNIFF_MAX)
		n = SNIFF_MAX;
	pairs = n / 2;
	if (pairs < 2)
		return NULL;
	for (i = 0; i + 1 < n; i += 2) {
		z_even += d[i] == 0;
		z_odd += d[i + 1] == 0;
	}
	if (z_odd * 2 >= pairs && z_even * 16 <= pairs)
		return "UTF-16LE";
	if (z_even * 2 >= pairs && z_odd * 16 <= pairs)
		return "UTF-16BE";
	return NULL;
}

/* Characters that are rare in Chinese prose but common in Big5 text
 * misread as GBK (and vice versa much less so). */
static size_t odd_chars(const char *s, size_t n)
{
	size_t i = 0, k, odd = 0;
	uint32_t cp;

	while (i < n) {
		k = utf8_decode(s + i, n - i, &cp);
		if (!k) {
			i++;
			odd++;
			continue;
		}
		i += k;
		if ((cp >= 0x0370 && cp <= 0x052f) ||	/* Greek, Cyrillic */
		    (cp >= 0x2500 && cp <= 0x257f) ||	/* box drawing */
		    (cp >= 0x3040 && cp <= 0x30ff) ||	/* kana */
		    (cp >= 0xe000 && cp <= 0xf8ff) ||	/* private use */
		    cp == 0xfffd)
			odd++;
	}
	return odd;
}

/* Decode d (n bytes) to UTF-8 in out. truncated says d is a prefix of
 * the file (for sniffing). Returns 0, WK_EUNSUPPORTED (not text),
 * WK_ETOOBIG or WK_ENOMEM. */
static int decode(const unsigned char *d, size_t n, int truncated,
		  struct buf *out)
{
	static const struct {
		const char *bom;
		size_t n;
		const char *enc;
		size_t step;
	} boms[] = {
		/* UTF-32LE first: its mark starts like UTF-16LE's. */
		{ "\xff\xfe\0\0", 4, "UTF-32LE", 4 },
		{ "\0\0\xfe\xff", 4, "UTF-32BE", 4 },
		{ "\xef\xbb\xbf", 3, "UTF-8", 1 },
		{ "\xff\xfe", 2, "UTF-16LE", 2 },
		{ "\xfe\xff", 2, "UTF-16BE", 2 },
	};
	struct buf alt;
	const char *enc;
	size_t i, bad, bad2;
	int rc;

	for (i = 0; i < sizeof(boms) / sizeof(boms[0]); i++) {
		if (n < boms[i].n || memcmp(d, boms[i].bom, boms[i].n) != 0)
			continue;
		d += boms[i].n;
		n -= boms[i].n;
		if (strcmp(boms[i].enc, "UTF-8") == 0) {
			/* Declared UTF-8: keep it, bad bytes become
			 * U+FFFD when the blocks are built. */
			buf_add(out, d, n);
			return buf_error(out);
		}
		rc = conv(boms[i].enc, (const char *)d, n, 0, truncated,
			  boms[i].step, out, &bad);
		return rc == WK_EMALFORMED ? WK_EUNSUPPORTED : rc;
	}
	if (memchr(d, 0, n)) {
		enc = utf16_guess(d, n);
		if (!enc)
			return WK_EUNSUPPORTED;
		rc = conv(enc, (const char *)d, n, 0, truncated, 2, out,
			  &bad);
		if (rc == 0 && bad * 50 > n / 2)
			rc = WK_EUNSUPPORTED;
		return rc == WK_EMALFORMED ? WK_EUNSUPPORTED : rc;
	}
	if (utf8_ok((const char *)d, n, truncated)) {
		buf_add(out, d, n);
		return buf_error(out);
	}
	rc = conv("GB18030", (const char *)d, n, 1, truncated, 1, out, &bad);
	if (rc != 0 && rc != WK_EMALFORMED)
		return rc;
	buf_init(&alt, out->max);
	if (conv("BIG5", (const char *)d, n, 1, truncated, 1, &alt,
		 &bad2) == 0 &&
	    (rc != 0 || odd_chars(alt.data, alt.len) <
			odd_chars(buf_str(out), out->len))) {
		buf_release(out);
		*out = alt;
		return 0;
	}
	buf_release(&alt);
	if (rc == 0)
		return 0;
	/* Neither converts cleanly: GB18030 with replacements, if the
	 * damage is small. */
	buf_reset(out);
	rc = conv("GB18030", (const char *)d, n, 0, truncated, 1, out, &bad);
	if (rc == 0 && bad * 50 > n)
		rc = WK_EUNSUPPORTED;
	return rc == WK_EMALFORMED ? WK_EUNSUPPORTED : rc;
}

/* Whether decoded text has too many control characters to be text:
 * more than four and more than one in a hundred characters. Tab, line
 * breaks, form feed, escape (coloured logs) and SUB (old DOS end of
 * file) are fine. */
static int too_many_controls(const char *s, size_t n)
{
	size_t i, ctl = 0, chars = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c & 0xc0) != 0x80)
			chars++;
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' &&
		    c != '\f' && c != 0x1b && c != 0x1a)
			ctl++;
	}
	return ctl > 4 && ctl * 100 > chars;
}

enum parse_format txt_sniff(const void *data, size_t len)
{
	struct buf out;
	size_t n = len > SNIFF_MAX ? SNIFF_MAX : len;
	enum parse_format f = PF_UNKNOWN;

	if (len == 0)
		return PF_TXT;
	buf_init(&out, SNIFF_MAX * 4);
	if (decode(data, n, n < len, &out) == 0 &&
	    !too_many_controls(buf_str(&out), out.len))
		f = md_sniff(buf_str(&out), out.len) ? PF_MD : PF_TXT;
	buf_release(&out);
	return f;
}

int txt_decode(const void *data, size_t len, const struct parse_limits *lim,
	       struct buf *u, char *err, size_t errlen)
{
	size_t max;
	char sz[32];
	int rc;

	/* Decoded text shrinks a lot once blank lines and white space are
	 * gone, so allow generous room here; the builder holds the real
	 * limit. */
	max = lim->max_text > SIZE_MAX / 4 - 4096 ? SIZE_MAX / 2
						  : lim->max_text * 4 + 4096;
	buf_init(u, max);
	rc = decode(data, len, 0, u);
	if (rc == 0 && too_many_controls(buf_str(u), u->len))
		rc = WK_EUNSUPPORTED;
	if (rc == 0)
		return 0;
	buf_release(u);
	if (rc == WK_EUNSUPPORTED)
		return parse_fail(err, errlen, rc, "file is binary data, not "
				  "text in an encoding wenku knows");
	if (rc == WK_ETOOBIG)
		return parse_fail(err, errlen, rc, "extracted text is longer "
				  "than the %s limit",
				  parse_size_str(lim->max_text, sz,
						 sizeof(sz)));
	return parse_fail(err, errlen, rc, "out of memory");
}

int txt_parse(const void *data, size_t len, const struct parse_limits *lim,
	      struct parse_result *out, char *err, size_t errlen)
{
	struct pbuild pb;
	struct buf u;
	const char *s, *end;
	size_t chars;
	int rc;

	rc = txt_decode(data, len, lim, &u, err, errlen);
	if (rc)
		return rc;
	pb_init(&pb, lim);
	s = buf_str(&u);
	end = s + u.len;
	while (s < end) {
		const char *e = s;
		while (e < end && *e != '\n' && *e != '\r')
			e++;
		if (pb_add(&pb, PB_PARAGRAPH, 0, s, (size_t)(e - s)))
			break;
		if (e < end && *e == '\r' && e + 1 < end && e[1] == '\n')
			e++;
		s = e + 1;
	}
	buf_release(&u);
	if (pb.nblocks && !pb.err) {
		const struct parse_block *b = &pb.blocks[0];
		chars = utf8_count(b->text, b->len);
		if (chars <= TITLE_MAX_CHARS) {
			out->title = strndup(b->text, b->len);
			if (!out->title)
				pb.err = WK_ENOMEM;
		}
	}
	rc = pb_finish(&pb, 0, out, err, errlen);
	pb_release(&pb);
	if (rc) {
		free(out->title);
		out->title = NULL;
	}
	return rc;
}
