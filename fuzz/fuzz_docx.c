/*
 * fuzz_docx.c - fuzz harness for the docx parser (zip + XML).
 *
 * Inputs that start with "PK" go to parse_document() as they are, so the
 * zip layer (zipsafe, libzip) sees raw mutations. Anything else is split
 * at NUL bytes into package parts (document, styles, core and app
 * properties, package and document relationships, content types), which
 * are packed into a stored zip here; this way mutations reach the XML
 * handlers instead of dying on a CRC check. parse_document() must never
 * crash or leak, whatever it returns.
 */
#include "../src/base/utf8.h"
#include "../src/parse/parse.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int fuzz_docx(const uint8_t *data, size_t size);

static const char *const part_names[] = {
	"word/document.xml",
	"word/styles.xml",
	"docProps/core.xml",
	"docProps/app.xml",
	"_rels/.rels",
	"[Content_Types].xml",
	"word/_rels/document.xml.rels",
};
#define NPARTS (sizeof(part_names) / sizeof(part_names[0]))

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

/* A stored (uncompressed) zip of the parts; free() it. */
static uint8_t *pack(const uint8_t *const *part, const size_t *plen,
		     size_t nparts, size_t *outlen)
{
	size_t i, total = 22, off[NPARTS], cdoff;
	uint32_t crc[NPARTS];
	uint8_t *out, *p;

	for (i = 0; i < nparts; i++)
		total += 30 + 46 + 2 * strlen(part_names[i]) + plen[i];
	out = malloc(total);
	if (!out)
		return NULL;
	p = out;
	for (i = 0; i < nparts; i++) {
		size_t nl = strlen(part_names[i]);
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
		memcpy(p, part_names[i], nl);
		p += nl;
		if (plen[i])
			memcpy(p, part[i], plen[i]);
		p += plen[i];
	}
	cdoff = (size_t)(p - out);
	for (i = 0; i < nparts; i++) {
		size_t nl = strlen(part_names[i]);
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
		memcpy(p, part_names[i], nl);
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

/* Abort unless the result keeps parse.h's promises: valid UTF-8 text
 * that is exactly the non-page-break blocks joined by '\n'. */
static void check(const struct parse_result *r)
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

static void run(const void *data, size_t size)
{
	struct parse_result r;
	char err[256];

	if (parse_document(data, size, NULL, &r, err, sizeof(err)) == 0)
		check(&r);
	else if (r.text || r.blocks || r.title || r.author)
		abort();	/* a failure must leave the result empty */
	parse_result_release(&r);
}

int fuzz_docx(const uint8_t *data, size_t size)
{
	const uint8_t *part[NPARTS];
	size_t plen[NPARTS], n = 0, zlen;
	const uint8_t *s = data, *end = data + size;
	uint8_t *z;

	if (size >= 2 && data[0] == 'P' && data[1] == 'K') {
		run(data, size);
		return 0;
	}
	while (n < NPARTS) {
		const uint8_t *e = memchr(s, 0, (size_t)(end - s));
		if (!e)
			e = end;
		part[n] = s;
		plen[n] = (size_t)(e - s);
		n++;
		if (e == end)
			break;
		s = e + 1;
	}
	z = pack(part, plen, n, &zlen);
	if (z)
		run(z, zlen);
	free(z);
	return 0;
}

#ifdef FUZZ_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { fuzz_docx(d, n); return 0; }
#endif
