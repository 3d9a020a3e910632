/*
 * pack.c - stored zips from fuzz inputs, and the result check the
 * document harnesses share. See pack.h.
 */
#include "pack.h"
#include "../src/base/utf8.h"
#include "../src/parse/parse.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define PARTS_MAX 16

static uint32_t crc32_of(const uint8_t *p, size_t n)
{
	static uint32_t table[256];
	uint32_t c;
	size_t i;
	int k;

	if (!table[1]) {
		for (i = 0; i < 256; i++) {
			c = (uint32_t)i;
			for (k = 0; k < 8; k++)
				c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
			table[i] = c;
		}
	}
	c = 0xffffffffu;
	for (i = 0; i < n; i++)
		c = table[(c ^ p[i]) & 0xff] ^ (c >> 8);
	return ~c;
}

static uint8_t *put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	return p + 2;
}

static uint8_t *put32(uint8_t *p, uint32_t v)
{
	p = put16(p, v & 0xffff);
	return put16(p, v >> 16);
}

uint8_t *fuzz_pack(const char *const *names, const uint8_t *const *part,
		   const size_t *plen, size_t nparts, size_t *outlen)
{
	size_t i, total = 22, off[PARTS_MAX], cdoff;
	uint32_t crc[PARTS_MAX];
	uint8_t *out, *p;

	if (nparts > PARTS_MAX)
		nparts = PARTS_MAX;
	for (i = 0; i < nparts; i++)
		total += 30 + 46 + 2 * strlen(names[i]) + plen[i];
	out = malloc(total);
	if (!out)
		return NULL;
	p = out;
	for (i = 0; i < nparts; i++) {
		size_t nl = strlen(names[i]);
		off[i] = (size_t)(p - out);
		crc[i] = crc32_of(part[i], plen[i]);
		p = put32(p, 0x04034b50);
		p = put16(p, 10);
		p = put16(p, 0);	/* flags */
		p = put16(p, 0);	/* stored */
		p = put32(p, 0);	/* time, date */
		p = put32(p, crc[i]);
		p = put32(p, (uint32_t)plen[i]);
		p = put32(p, (uint32_t)plen[i]);
		p = put16(p, (uint32_t)nl);
		p = put16(p, 0);
		memcpy(p, names[i], nl);
		p += nl;
		if (plen[i])
			memcpy(p, part[i], plen[i]);
		p += plen[i];
	}
	cdoff = (size_t)(p - out);
	for (i = 0; i < nparts; i++) {
		size_t nl = strlen(names[i]);
		p = put32(p, 0x02014b50);
		p = put16(p, 20);
		p = put16(p, 10);
		p = put16(p, 0);
		p = put16(p, 0);
		p = put32(p, 0);
		p = put32(p, crc[i]);
		p = put32(p, (uint32_t)plen[i]);
		p = put32(p, (uint32_t)plen[i]);
		p = put16(p, (uint32_t)nl);
		p = put16(p, 0);	/* extra */
		p = put16(p, 0);	/* comment */
		p = put16(p, 0);	/* disk */
		p = put16(p, 0);	/* internal attributes */
		p = put32(p, 0);	/* external attributes */
		p = put32(p, (uint32_t)off[i]);
		memcpy(p, names[i], nl);
		p += nl;
	}
	p = put32(p, 0x06054b50);
	p = put32(p, 0);
	p = put16(p, (uint32_t)nparts);
	p = put16(p, (uint32_t)nparts);
	p = put32(p, (uint32_t)((size_t)(p - out) - 12 - cdoff));
	p = put32(p, (uint32_t)cdoff);
	p = put16(p, 0);
	*outlen = (size_t)(p - out);
	return out;
}

size_t fuzz_split(const uint8_t *data, size_t size, const uint8_t **part,
		  size_t *plen, size_t max)
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

void fuzz_check(const struct parse_result *r)
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

void fuzz_parse_check(const void *data, size_t size)
{
	struct parse_result r;
	char err[256];

	if (parse_document(data, size, NULL, &r, err, sizeof(err)) == 0)
		fuzz_check(&r);
	else if (r.text || r.blocks || r.title || r.author)
		abort();	/* a failure must leave the result empty */
	parse_result_release(&r);
}

/* A "PK" input goes to the parser as it is: returns whether data was
 * one (and has been checked). */
static bool as_is(const uint8_t *data, size_t size)
{
	if (size < 2 || data[0] != 'P' || data[1] != 'K')
		return false;
	fuzz_parse_check(data, size);
	return true;
}

/* fuzz_pack() the n parts and fuzz_parse_check() the zip. */
static void pack_check(const char *const *names, const uint8_t *const *part,
		       const size_t *plen, size_t n)
{
	size_t zlen;
	uint8_t *z = fuzz_pack(names, part, plen, n, &zlen);

	if (z)
		fuzz_parse_check(z, zlen);
	free(z);
}

void fuzz_ooxml(const uint8_t *data, size_t size, const char *const *names,
		const char *const *defaults, size_t nparts)
{
	const char *name[PARTS_MAX];
	const uint8_t *part[PARTS_MAX];
	size_t plen[PARTS_MAX], n = 0, i;
	const uint8_t *s = data, *end = data + size;

	if (as_is(data, size))
		return;
	if (nparts > PARTS_MAX)
		nparts = PARTS_MAX;
	for (i = 0; i < nparts; i++) {
		const uint8_t *e;

		if (s == NULL) {	/* the input has ended */
			if (!defaults || !defaults[i])
				continue;
			part[n] = (const uint8_t *)defaults[i];
			plen[n] = strlen(defaults[i]);
		} else {
			e = memchr(s, 0, (size_t)(end - s));
			if (!e)
				e = end;
			part[n] = s;
			plen[n] = (size_t)(e - s);
			s = e == end ? NULL : e + 1;
		}
		name[n++] = names[i];
	}
	pack_check(name, part, plen, n);
}

void fuzz_ocf(const uint8_t *data, size_t size, const char *mime,
	      const char *const *names, const char *const *defaults,
	      size_t nmin, size_t nparts)
{
	const uint8_t *part[PARTS_MAX];
	size_t plen[PARTS_MAX], n;

	if (as_is(data, size))
		return;
	if (nparts > PARTS_MAX)
		nparts = PARTS_MAX;
	if (nmin > nparts)
		nmin = nparts;
	part[0] = (const uint8_t *)mime;
	plen[0] = strlen(mime);
	n = 1 + fuzz_split(data, size, part + 1, plen + 1, nparts - 1);
	for (; n < nmin; n++) {
		part[n] = (const uint8_t *)defaults[n];
		plen[n] = strlen(defaults[n]);
	}
	pack_check(names, part, plen, n);
}
