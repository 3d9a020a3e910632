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

char *tp_slurp(const char *path, size_t *len)
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

char *tp_make_zip(const struct tp_zent *e, size_t *outlen)
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
		size_t n = e->len ? e->len : strlen(e->data);
		zip_source_t *s = zip_source_buffer(za, e->data, n, 0);
		zip_int64_t idx = zip_file_add(za, e->name, s,
					       ZIP_FL_ENC_UTF_8);
		if (idx < 0)
			zip_source_free(s);
		else
			zip_set_file_compression(za, (zip_uint64_t)idx,
						 first ? ZIP_CM_STORE
						       : ZIP_CM_DEFLATE, 1);
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
