/*
 * parse_util.c - helpers for the parser tests; see parse_util.h.
 */
#include "parse_util.h"
#include "../../src/base/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

char tp_err[256];

/* ---- files and parsing --------------------------------------------------- */

/* The bytes of path, NUL-terminated; a note on stderr when note is set
 * and the file cannot be opened. */
static char *read_file(const char *path, size_t *len, bool note)
{
	FILE *f = fopen(path, "rb");
	char *p = NULL;
	long n;

	*len = 0;
	if (!f) {
		if (note)
			fprintf(stderr, "    cannot open %s (run from the repo "
				"root)\n", path);
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (p = malloc((size_t)n + 1))) {
		if (fread(p, 1, (size_t)n, f) == (size_t)n) {
			p[n] = '\0';
			*len = (size_t)n;
		} else {
			free(p);
			p = NULL;
		}
	}
	fclose(f);
	return p;
}

char *tp_read(const char *path, size_t *len)
{
	return read_file(path, len, false);
}

char *tp_slurp(const char *path, size_t *len)
{
	return read_file(path, len, true);
}

int tp_parse_mem(const void *d, size_t n, const struct parse_limits *lim,
		 struct parse_result *r)
{
	tp_err[0] = '\0';
	return parse_document(d, n, lim, r, tp_err, sizeof(tp_err));
}

int tp_parse_file(const char *path, struct parse_result *r)
{
	size_t n;
	char *d = tp_slurp(path, &n);
	int rc;

	if (!d) {
		memset(r, 0, sizeof(*r));
		return -1000;
	}
	rc = tp_parse_mem(d, n, NULL, r);
	free(d);
	return rc;
}

/* ---- checking results ---------------------------------------------------- */

bool tp_is_zeroed(const struct parse_result *r)
{
	return r->format == PF_UNKNOWN && !r->text && !r->text_len &&
	       !r->blocks && !r->nblocks && !r->title && !r->author &&
	       !r->pages && !r->pages_estimated;
}

bool tp_consistent(const struct parse_result *r)
{
	size_t i, off = 0, ntext = 0;

	if (!r->text || strlen(r->text) != r->text_len ||
	    !utf8_valid(r->text, r->text_len))
		return false;
	for (i = 0; i < r->nblocks; i++) {
		const struct parse_block *b = &r->blocks[i];
		if (!b->text || strlen(b->text) != b->len ||
		    memchr(b->text, '\n', b->len))
			return false;
		if (b->kind == PB_PAGE_BREAK) {
			if (b->len)
				return false;
			continue;
		}
		if (ntext++) {
			if (r->text[off] != '\n')
				return false;
			off++;
		}
		if (off + b->len > r->text_len ||
		    memcmp(r->text + off, b->text, b->len) != 0)
			return false;
		off += b->len;
	}
	return off == r->text_len;
}

/* s without ASCII white space; free() it. */
static char *nows(const char *s)
{
	char *o = malloc(strlen(s) + 1);
	size_t i, n = 0;

	if (!o)
		abort();
	for (i = 0; s[i]; i++)
		if (!strchr(" \t\r\n", s[i]))
			o[n++] = s[i];
	o[n] = '\0';
	return o;
}

bool tp_contains_nows(const char *hay, const char *needle)
{
	char *a, *b;
	bool found;

	if (!hay)
		return false;
	a = nows(hay);
	b = nows(needle);
	found = strstr(a, b) != NULL;
	free(a);
	free(b);
	return found;
}

bool tp_block_is(const struct parse_result *r, size_t i,
		 enum parse_block_kind k, int level)
{
	return i < r->nblocks && r->blocks[i].kind == k &&
	       (level < 0 || r->blocks[i].level == level);
}

long tp_find_block(const struct parse_result *r, const char *s)
{
	size_t i;

	for (i = 0; i < r->nblocks; i++)
		if (strcmp(r->blocks[i].text, s) == 0)
			return (long)i;
	return -1;
}

size_t tp_count(const struct parse_result *r, enum parse_block_kind k)
{
	size_t i, n = 0;

	for (i = 0; i < r->nblocks; i++)
		n += r->blocks[i].kind == k;
	return n;
}

/* ---- zips through libzip ------------------------------------------------- */

/* A libzip source of zeros, so a 200 MiB entry needs no 200 MiB buffer. */
struct zeros {
	uint64_t size, off;
};

static zip_int64_t zeros_cb(void *ud, void *data, zip_uint64_t len,
			    zip_source_cmd_t cmd)
{
	struct zeros *z = ud;

	switch (cmd) {
	case ZIP_SOURCE_OPEN:
		z->off = 0;
		return 0;
	case ZIP_SOURCE_READ:
		if (len > z->size - z->off)
			len = z->size - z->off;
		memset(data, 0, len);
		z->off += len;
		return (zip_int64_t)len;
	case ZIP_SOURCE_CLOSE:
		return 0;
	case ZIP_SOURCE_FREE:
		free(z);
		return 0;
	case ZIP_SOURCE_STAT: {
		zip_stat_t *st = data;
		zip_stat_init(st);
		st->size = z->size;
		st->valid |= ZIP_STAT_SIZE;
		return sizeof(*st);
	}
	case ZIP_SOURCE_ERROR:
		return 2 * sizeof(int);
	case ZIP_SOURCE_SUPPORTS:
		return zip_source_make_command_bitmap(
			ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
			ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE,
			-1);
	default:
		return -1;
	}
}

char *tp_zip(const struct tp_zent *e, enum tp_zip_mode mode,
	     size_t *outlen)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za;
	zip_stat_t st;
	char *out = NULL;
	bool first = true;

	*outlen = 0;
	zip_error_init(&ze);
	src = zip_source_buffer_create(NULL, 0, 0, &ze);
	zip_source_keep(src);
	za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	for (; za && e->name; e++) {
		zip_source_t *s;
		zip_int64_t idx;

		if (!e->data) {
			struct zeros *zs = calloc(1, sizeof(*zs));
			zs->size = e->len;
			s = zip_source_function(za, zeros_cb, zs);
		} else {
			s = zip_source_buffer(za, e->data, e->len ? e->len
							   : strlen(e->data),
					      0);
		}
		idx = zip_file_add(za, e->name, s, ZIP_FL_ENC_UTF_8);
		if (idx < 0)
			zip_source_free(s);
		else
			zip_set_file_compression(
				za, (zip_uint64_t)idx,
				mode == TP_ZIP_MIMETYPE && first
					? ZIP_CM_STORE
					: ZIP_CM_DEFLATE,
				mode == TP_ZIP_BEST ? 9 : 1);
		first = false;
	}
	if (za && zip_close(za) == 0 && zip_source_stat(src, &st) == 0 &&
	    zip_source_open(src) == 0) {
		out = malloc(st.size ? st.size : 1);
		if (out && zip_source_read(src, out, st.size) ==
			   (zip_int64_t)st.size)
			*outlen = st.size;
		zip_source_close(src);
	}
	zip_source_free(src);
	zip_error_fini(&ze);
	return out;
}

/* ---- zips by hand -------------------------------------------------------- */

uint32_t tp_crc32(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint32_t c = 0xffffffffu;
	size_t i;
	int k;

	for (i = 0; i < n; i++) {
		c ^= s[i];
		for (k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
	}
	return ~c;
}

void tp_put16(char *p, uint16_t v)
{
	p[0] = (char)(v & 0xff);
	p[1] = (char)(v >> 8);
}

void tp_put32(char *p, uint32_t v)
{
	p[0] = (char)(v & 0xff);
	p[1] = (char)((v >> 8) & 0xff);
	p[2] = (char)((v >> 16) & 0xff);
	p[3] = (char)((v >> 24) & 0xff);
}

char *tp_stored_zip(const struct tp_zent *e, size_t *outlen)
{
	size_t n, i, total = 22, cdoff;
	char *out, *p;
	size_t *off;

	for (n = 0; e[n].name; n++)
		total += 76 + 2 * strlen(e[n].name) +
			 (e[n].len ? e[n].len : strlen(e[n].data));
	out = malloc(total);
	off = calloc(n ? n : 1, sizeof(*off));
	p = out;
	for (i = 0; i < n; i++) {
		size_t nl = strlen(e[i].name);
		size_t dl = e[i].len ? e[i].len : strlen(e[i].data);
		off[i] = (size_t)(p - out);
		memset(p, 0, 30);
		tp_put32(p, 0x04034b50);
		tp_put16(p + 4, 10);
		tp_put32(p + 14, tp_crc32(e[i].data, dl));
		tp_put32(p + 18, (uint32_t)dl);
		tp_put32(p + 22, (uint32_t)dl);
		tp_put16(p + 26, (uint16_t)nl);
		memcpy(p + 30, e[i].name, nl);
		memcpy(p + 30 + nl, e[i].data, dl);
		p += 30 + nl + dl;
	}
	cdoff = (size_t)(p - out);
	for (i = 0; i < n; i++) {
		size_t nl = strlen(e[i].name);
		size_t dl = e[i].len ? e[i].len : strlen(e[i].data);
		memset(p, 0, 46);
		tp_put32(p, 0x02014b50);
		tp_put16(p + 4, 20);
		tp_put16(p + 6, 10);
		tp_put32(p + 16, tp_crc32(e[i].data, dl));
		tp_put32(p + 20, (uint32_t)dl);
		tp_put32(p + 24, (uint32_t)dl);
		tp_put16(p + 28, (uint16_t)nl);
		tp_put32(p + 42, (uint32_t)off[i]);
		memcpy(p + 46, e[i].name, nl);
		p += 46 + nl;
	}
	memset(p, 0, 22);
	tp_put32(p, 0x06054b50);
	tp_put16(p + 8, (uint16_t)n);
	tp_put16(p + 10, (uint16_t)n);
	tp_put32(p + 12, (uint32_t)((size_t)(p - out) - cdoff));
	tp_put32(p + 16, (uint32_t)cdoff);
	p += 22;
	*outlen = (size_t)(p - out);
	free(off);
	return out;
}

/* Entry i's deflate stream quotes (as stored blocks) the local headers
 * of the entries after it, then all of them share one kernel. Each entry
 * is consistent with its own local header, so libzip's ZIP_CHECKCONS
 * passes it; only noticing that the entries overlap stops it. */
char *tp_overlap_zip(size_t nent, size_t *outlen)
{
	enum { KERNEL = 2000, MAXN = 8 };
	char names[MAXN][32], hdr[MAXN][64], *out, *p, *plain;
	size_t hlen[MAXN], dlen[MAXN], plen[MAXN], off[MAXN], i, total;
	uint32_t crc[MAXN];
	char kernel[KERNEL + 5], kplain[KERNEL];
	size_t cdoff, cdlen;

	/* kernel: one final stored block of XML */
	memset(kplain, ' ', KERNEL);
	memcpy(kplain, "<a>", 3);
	memcpy(kplain + KERNEL - 4, "</a>", 4);
	kernel[0] = 1;
	tp_put16(kernel + 1, KERNEL);
	tp_put16(kernel + 3, (uint16_t)~KERNEL);
	memcpy(kernel + 5, kplain, KERNEL);

	for (i = 0; i < nent; i++)
		snprintf(names[i], sizeof(names[i]), i ? "word/p%zu.xml"
						       : "word/document.xml",
			 i);
	/* sizes, from the last entry back */
	plain = malloc((nent + 1) * 64 + KERNEL);
	for (i = nent; i-- > 0;) {
		size_t nl = strlen(names[i]);
		if (i == nent - 1) {
			dlen[i] = KERNEL + 5;
			plen[i] = KERNEL;
		} else {
			dlen[i] = 5 + hlen[i + 1] + dlen[i + 1];
			plen[i] = hlen[i + 1] + plen[i + 1];
		}
		/* plain text of entry i: headers i+1.. then the kernel */
		total = 0;
		{
			size_t j;
			for (j = i + 1; j < nent; j++) {
				memcpy(plain + total, hdr[j], hlen[j]);
				total += hlen[j];
			}
			memcpy(plain + total, kplain, KERNEL);
			total += KERNEL;
		}
		crc[i] = tp_crc32(plain, total);
		memset(hdr[i], 0, sizeof(hdr[i]));
		tp_put32(hdr[i], 0x04034b50);
		tp_put16(hdr[i] + 4, 20);
		tp_put16(hdr[i] + 8, 8);
		tp_put32(hdr[i] + 14, crc[i]);
		tp_put32(hdr[i] + 18, (uint32_t)dlen[i]);
		tp_put32(hdr[i] + 22, (uint32_t)plen[i]);
		tp_put16(hdr[i] + 26, (uint16_t)nl);
		memcpy(hdr[i] + 30, names[i], nl);
		hlen[i] = 30 + nl;
	}
	free(plain);
	out = calloc(1, 8192);
	p = out;
	for (i = 0; i < nent; i++) {
		off[i] = (size_t)(p - out);
		memcpy(p, hdr[i], hlen[i]);
		p += hlen[i];
		if (i + 1 < nent) {
			p[0] = 0;	/* stored, not final */
			tp_put16(p + 1, (uint16_t)hlen[i + 1]);
			tp_put16(p + 3, (uint16_t)~hlen[i + 1]);
			p += 5;
		}
	}
	memcpy(p, kernel, sizeof(kernel));
	p += sizeof(kernel);
	cdoff = (size_t)(p - out);
	for (i = 0; i < nent; i++) {
		size_t nl = strlen(names[i]);
		memset(p, 0, 46);
		tp_put32(p, 0x02014b50);
		tp_put16(p + 4, 20);
		tp_put16(p + 6, 20);
		tp_put16(p + 10, 8);
		tp_put32(p + 16, crc[i]);
		tp_put32(p + 20, (uint32_t)dlen[i]);
		tp_put32(p + 24, (uint32_t)plen[i]);
		tp_put16(p + 28, (uint16_t)nl);
		tp_put32(p + 42, (uint32_t)off[i]);
		memcpy(p + 46, names[i], nl);
		p += 46 + nl;
	}
	cdlen = (size_t)(p - out) - cdoff;
	memset(p, 0, 22);
	tp_put32(p, 0x06054b50);
	tp_put16(p + 8, (uint16_t)nent);
	tp_put16(p + 10, (uint16_t)nent);
	tp_put32(p + 12, (uint32_t)cdlen);
	tp_put32(p + 16, (uint32_t)cdoff);
	p += 22;
	*outlen = (size_t)(p - out);
	return out;
}
