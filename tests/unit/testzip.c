/*
 * testzip.c - zips in memory and result checks for the parser tests.
 * See testzip.h.
 */
#include "testzip.h"
#include "../../src/base/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

char tz_err[256];

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

char *tz_zip(const struct tz_entry *e, size_t *outlen)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za;
	zip_stat_t st;
	char *out = NULL;

	*outlen = 0;
	zip_error_init(&ze);
	src = zip_source_buffer_create(NULL, 0, 0, &ze);
	zip_source_keep(src);
	za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	for (; za && e->name; e++) {
		zip_source_t *s;
		zip_int64_t idx;

		if (e->zeros) {
			struct zeros *zs = calloc(1, sizeof(*zs));
			zs->size = e->zeros;
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
			zip_set_file_compression(za, (zip_uint64_t)idx,
						 ZIP_CM_DEFLATE, 9);
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

char *tz_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p = NULL;
	long n;

	*len = 0;
	if (!f) {
		fprintf(stderr, "    cannot open %s (run from the repo root)\n",
			path);
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

int tz_parse(const void *d, size_t n, const struct parse_limits *lim,
	     struct parse_result *r)
{
	tz_err[0] = '\0';
	return parse_document(d, n, lim, r, tz_err, sizeof(tz_err));
}

int tz_parse_file(const char *path, struct parse_result *r)
{
	size_t n;
	char *d = tz_slurp(path, &n);
	int rc;

	if (!d) {
		memset(r, 0, sizeof(*r));
		return -1000;
	}
	rc = tz_parse(d, n, NULL, r);
	free(d);
	return rc;
}

int tz_is_zeroed(const struct parse_result *r)
{
	return r->format == PF_UNKNOWN && !r->text && !r->text_len &&
	       !r->blocks && !r->nblocks && !r->title && !r->author &&
	       !r->pages && !r->pages_estimated;
}

int tz_consistent(const struct parse_result *r)
{
	size_t i, off = 0, ntext = 0;

	if (!r->text || strlen(r->text) != r->text_len ||
	    !utf8_valid(r->text, r->text_len))
		return 0;
	for (i = 0; i < r->nblocks; i++) {
		const struct parse_block *b = &r->blocks[i];
		if (!b->text || strlen(b->text) != b->len ||
		    memchr(b->text, '\n', b->len))
			return 0;
		if (b->kind == PB_PAGE_BREAK) {
			if (b->len)
				return 0;
			continue;
		}
		if (ntext++) {
			if (r->text[off] != '\n')
				return 0;
			off++;
		}
		if (off + b->len > r->text_len ||
		    memcmp(r->text + off, b->text, b->len) != 0)
			return 0;
		off += b->len;
	}
	return off == r->text_len;
}

int tz_contains_nows(const char *hay, const char *needle)
{
	char *a, *b;
	size_t i, n;
	int found;

	if (!hay)
		return 0;
	a = malloc(strlen(hay) + 1);
	b = malloc(strlen(needle) + 1);
	for (i = n = 0; hay[i]; i++)
		if (!strchr(" \t\r\n", hay[i]))
			a[n++] = hay[i];
	a[n] = '\0';
	for (i = n = 0; needle[i]; i++)
		if (!strchr(" \t\r\n", needle[i]))
			b[n++] = needle[i];
	b[n] = '\0';
	found = strstr(a, b) != NULL;
	free(a);
	free(b);
	return found;
}

size_t tz_count(const struct parse_result *r, enum parse_block_kind k)
{
	size_t i, n = 0;

	for (i = 0; i < r->nblocks; i++)
		n += r->blocks[i].kind == k;
	return n;
}
