/*
 * fuzz_util.h - what the odt, epub and md harnesses share: checking a
 * result against parse.h's promises, and packing parts into a stored
 * zip so that mutations reach the XML handlers instead of dying on a
 * CRC check. Everything is static inline, so a harness that uses only
 * part of it compiles cleanly.
 */
#ifndef WK_FUZZ_UTIL_H
#define WK_FUZZ_UTIL_H

#include "../src/base/utf8.h"
#include "../src/parse/parse.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Abort unless the result keeps parse.h's promises: valid UTF-8 text
 * that is exactly the non-page-break blocks joined by '\n', page
 * breaks empty, a page count, valid title and author. */
static inline void fz_check(const struct parse_result *r)
{
	size_t i, off = 0, ntext = 0;

	if (!r->text || strlen(r->text) != r->text_len ||
	    !utf8_valid(r->text, r->text_len))
		abort();
	for (i = 0; i < r->nblocks; i++) {
		const struct parse_block *b = &r->blocks[i];
		if (b->kind == PB_PAGE_BREAK) {
			if (b->len || !b->text || b->text[0])
				abort();
			continue;
		}
		if (ntext++ && r->text[off++] != '\n')
			abort();
		if (b->len == 0 || memchr(b->text, '\n', b->len) ||
		    off + b->len > r->text_len ||
		    memcmp(r->text + off, b->text, b->len) != 0)
			abort();
		off += b->len;
	}
	if (off != r->text_len || r->pages < 1)
		abort();
	if (r->title && !utf8_valid(r->title, strlen(r->title)))
		abort();
	if (r->author && !utf8_valid(r->author, strlen(r->author)))
		abort();
}

/* parse_document() on data; a failure must leave the result empty. */
static inline void fz_run(const void *data, size_t size)
{
	struct parse_result r;
	char err[256];

	if (parse_document(data, size, NULL, &r, err, sizeof(err)) == 0)
		fz_check(&r);
	else if (r.text || r.blocks || r.title || r.author)
		abort();
	parse_result_release(&r);
}

static inline uint32_t fz_crc32(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffffu;
	size_t i;
	int k;

	for (i = 0; i < n; i++) {
		c ^= p[i];
		for (k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
	}
	return ~c;
}

static inline uint8_t *fz_put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	return p + 2;
}

static inline uint8_t *fz_put32(uint8_t *p, uint32_t v)
{
	p = fz_put16(p, v & 0xffff);
	return fz_put16(p, v >> 16);
}

/* A stored (uncompressed) zip of n parts called name[i] holding
 * part[i] (plen[i] bytes); free() it. At most 16 parts. */
static inline uint8_t *fz_pack(const char *const *name,
			       const uint8_t *const *part, const size_t *plen,
			       size_t n, size_t *outlen)
{
	size_t i, total = 22, off[16], cdoff;
	uint32_t crc[16];
	uint8_t *out, *p;

	if (n > 16)
		return NULL;
	for (i = 0; i < n; i++)
		total += 30 + 46 + 2 * strlen(name[i]) + plen[i];
	out = malloc(total);
	if (!out)
		return NULL;
	p = out;
	for (i = 0; i < n; i++) {
		size_t nl = strlen(name[i]);
		off[i] = (size_t)(p - out);
		crc[i] = fz_crc32(part[i], plen[i]);
		p = fz_put32(p, 0x04034b50);
		p = fz_put16(p, 10);
		p = fz_put16(p, 0);	/* flags */
		p = fz_put16(p, 0);	/* stored */
		p = fz_put32(p, 0);	/* time, date */
		p = fz_put32(p, crc[i]);
		p = fz_put32(p, (uint32_t)plen[i]);
		p = fz_put32(p, (uint32_t)plen[i]);
		p = fz_put16(p, (uint32_t)nl);
		p = fz_put16(p, 0);
		memcpy(p, name[i], nl);
		p += nl;
		if (plen[i])
			memcpy(p, part[i], plen[i]);
		p += plen[i];
	}
	cdoff = (size_t)(p - out);
	for (i = 0; i < n; i++) {
		size_t nl = strlen(name[i]);
		p = fz_put32(p, 0x02014b50);
		p = fz_put16(p, 20);
		p = fz_put16(p, 10);
		p = fz_put16(p, 0);
		p = fz_put16(p, 0);
		p = fz_put32(p, 0);
		p = fz_put32(p, crc[i]);
		p = fz_put32(p, (uint32_t)plen[i]);
		p = fz_put32(p, (uint32_t)plen[i]);
		p = fz_put16(p, (uint32_t)nl);
		p = fz_put16(p, 0);	/* extra */
		p = fz_put16(p, 0);	/* comment */
		p = fz_put16(p, 0);	/* disk */
		p = fz_put16(p, 0);	/* internal attributes */
		p = fz_put32(p, 0);	/* external attributes */
		p = fz_put32(p, (uint32_t)off[i]);
		memcpy(p, name[i], nl);
		p += nl;
	}
	p = fz_put32(p, 0x06054b50);
	p = fz_put32(p, 0);
	p = fz_put16(p, (uint32_t)n);
	p = fz_put16(p, (uint32_t)n);
	p = fz_put32(p, (uint32_t)((size_t)(p - out) - 12 - cdoff));
	p = fz_put32(p, (uint32_t)cdoff);
	p = fz_put16(p, 0);
	*outlen = (size_t)(p - out);
	return out;
}

/* Split data at NUL bytes into at most max parts (the last one takes
 * the rest). Returns the number of parts. */
static inline size_t fz_split(const uint8_t *data, size_t size,
			      const uint8_t **part, size_t *plen, size_t max)
{
	const uint8_t *s = data, *end = data + size, *e;
	size_t n = 0;

	while (n < max) {
		e = n + 1 < max ? memchr(s, 0, (size_t)(end - s)) : NULL;
		if (!e)
			e = end;
		part[n] = s;
		plen[n] = (size_t)(e - s);
		n++;
		if (e == end)
			break;
		s = e + 1;
	}
	return n;
}

#endif
