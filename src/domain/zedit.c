/*
 * zedit.c - editing zip-based documents as text (see zedit.h).
 */
#include "zedit.h"

#include "../base/err.h"

#include <zip.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* ---- markup found by name ------------------------------------------------*/

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' ||
	       c == ':' || (unsigned char)c >= 0x80;
}

/* Whether the element name at p (len n) is want: the qualified name
 * when want has a ':', else the local part. */
static bool name_is(const char *p, size_t n, const char *want)
{
	const char *colon;

	if (!strchr(want, ':') && (colon = memrchr(p, ':', n))) {
		n -= (size_t)(colon + 1 - p);
		p = colon + 1;
	}
	return n == strlen(want) && !memcmp(p, want, n);
}

/* The end of the tag whose name ends at p: just past its '>', skipping
 * quoted attribute values. NULL when the tag does not end. */
static const char *tag_end(const char *p, const char *end)
{
	char q = 0;

	for (; p < end; p++) {
		if (q) {
			if (*p == q)
				q = 0;
		} else if (*p == '"' || *p == '\'') {
			q = *p;
		} else if (*p == '>') {
			return p + 1;
		}
	}
	return NULL;
}

/* The first start tag called want in x[0, n) (see name_is). */
bool zx_open_tag(const char *x, size_t n, const char *want,
		 struct zx_tag *t)
{
	const char *p = x, *end = x + n, *q;

	while ((p = memchr(p, '<', (size_t)(end - p)))) {
		q = ++p;
		while (q < end && name_char(*q))
			q++;
		if (q == p || q == end || !name_is(p, (size_t)(q - p), want) ||
		    !(*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n' ||
		      *q == '>' || *q == '/'))
			continue;
		t->start = p - 1;
		t->name = p;
		t->nlen = (size_t)(q - p);
		if (!(t->end = tag_end(q, end)))
			return false;
		t->empty = t->end[-2] == '/';
		return true;
	}
	return false;
}

/* The last end tag called want in x[0, n): its '<', or NULL. */
static const char *last_close(const char *x, size_t n, const char *want)
{
	const char *p = x, *end = x + n, *q, *found = NULL;

	while ((p = memmem(p, (size_t)(end - p), "</", 2))) {
		p += 2;
		q = p;
		while (q < end && name_char(*q))
			q++;
		if (q > p && name_is(p, (size_t)(q - p), want))
			found = p - 2;
	}
	return found;
}

/* The prefix of a qualified name ("w:" of "w:body"), "" for none. */
void zx_prefix_of(const struct zx_tag *t, char out[32])
{
	const char *colon = memchr(t->name, ':', t->nlen);
	size_t k = colon ? (size_t)(colon + 1 - t->name) : 0;

	if (k >= 32)
		k = 0;
	memcpy(out, t->name, k);
	out[k] = '\0';
}

/* The value of attribute name in tag t, copied into out (cut to outsz);
 * false when absent. Values are taken as written (no entities). */
bool zx_attr(const struct zx_tag *t, const char *name, char *out,
	     size_t outsz)
{
	size_t k = strlen(name);
	const char *p = t->name + t->nlen, *v, *e;

	while ((p = memmem(p, (size_t)(t->end - p), name, k))) {
		if ((p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\n' ||
		     p[-1] == '\r') && p + k + 1 < t->end &&
		    p[k] == '=' && (p[k + 1] == '"' || p[k + 1] == '\'')) {
			v = p + k + 2;
			if (!(e = memchr(v, p[k + 1], (size_t)(t->end - v))))
				return false;
			snprintf(out, outsz, "%.*s", (int)(e - v), v);
			return true;
		}
		p += k;
	}
	return false;
}

/* The decimal number at p, saturated into [0, max]; 0 for none. */
long long zx_num(const char *p, long long max)
{
	long long v = strtoll(p, NULL, 10);

	return v < 0 ? 0 : v > max ? max : v;
}

/* A malloc'd copy of x[0, n) with x[at, at + del) replaced by ins; NULL
 * when out of memory. */
char *zx_splice(const char *x, size_t n, size_t at, size_t del,
		const char *ins, size_t *outlen)
{
	size_t k = strlen(ins), m = n - del + k;
	char *o = malloc(m + 1);

	if (!o)
		return NULL;
	memcpy(o, x, at);
	memcpy(o + at, ins, k);
	memcpy(o + at + k, x + at + del, n - at - del);
	o[m] = '\0';
	*outlen = m;
	return o;
}

/* A malloc'd copy of x with ins put as the last (at_end) or first
 * content of the first element called want (see name_is); an empty
 * <want/> is opened up. NULL when there is no such element (*rc 0) or
 * memory ran out (*rc WK_ENOMEM). */
char *zx_put_in(const char *x, size_t n, const char *want,
		const char *ins, bool at_end, size_t *outlen, int *rc)
{
	struct zx_tag t;
	const char *c;
	char *o, *wrapped;
	size_t k;

	*rc = 0;
	if (!zx_open_tag(x, n, want, &t))
		return NULL;
	if (t.empty) {
		/* <want .../> becomes <want ...>ins</want>. */
		k = strlen(ins) + t.nlen + 5;
		if (!(wrapped = malloc(k))) {
			*rc = WK_ENOMEM;
			return NULL;
		}
		snprintf(wrapped, k, ">%s</%.*s>", ins, (int)t.nlen, t.name);
		o = zx_splice(x, n, (size_t)(t.end - 2 - x), 2, wrapped,
			      outlen);
		free(wrapped);
	} else if (!at_end) {
		o = zx_splice(x, n, (size_t)(t.end - x), 0, ins, outlen);
	} else {
		if (!(c = last_close(x, n, want)) || c < t.end)
			return NULL;
		o = zx_splice(x, n, (size_t)(c - x), 0, ins, outlen);
	}
	if (!o)
		*rc = WK_ENOMEM;
	return o;
}

/* ---- editing an archive --------------------------------------------------*/

int ze_open(struct zedit *e, const unsigned char *in, size_t len)
{
	char err[128];

	memset(e, 0, sizeof(*e));
	parse_default_limits(&e->lim);
	return zipsafe_open(&e->z, in, len, &e->lim, err, sizeof(err))
		       ? WK_EUNSUPPORTED
		       : 0;
}

void ze_close(struct zedit *e)
{
	size_t i;

	zipsafe_close(&e->z);
	for (i = 0; i < e->n; i++) {
		free(e->parts[i].name);
		free(e->parts[i].data);
	}
	free(e->parts);
}

/* Read a part: 0, WK_ENOTFOUND or another error from zipsafe_read. */
int ze_read(struct zedit *e, const char *name, char **x, size_t *n)
{
	char err[128];

	return zipsafe_read(&e->z, name, 0, x, n, err, sizeof(err));
}

bool ze_has(struct zedit *e, const char *name)
{
	return zipsafe_find(&e->z, name) != -1;
}

/* The new content of a part (data is taken over, even on failure). */
int ze_put(struct zedit *e, const char *name, char *data, size_t len)
{
	struct zpart *p;

	if (!data)
		return WK_ENOMEM;
	if (e->n == e->cap) {
		size_t cap = e->cap ? 2 * e->cap : 8;
		if (!(p = realloc(e->parts, cap * sizeof(*p)))) {
			free(data);
			return WK_ENOMEM;
		}
		e->parts = p;
		e->cap = cap;
	}
	p = &e->parts[e->n];
	/* The entry as the reader found it (case, a leading '/'): libzip
	 * opens the same bytes, so the index is the same there. */
	p->idx = zipsafe_find(&e->z, name);
	if (!(p->name = strdup(name))) {
		free(data);
		return WK_ENOMEM;
	}
	p->data = data;
	p->len = len;
	e->n++;
	return 0;
}

/* Splice ins into part name (see zx_put_in) and keep the result. 0 when
 * done, WK_ENOTFOUND when the part or the element is not there. */
int ze_put_in(struct zedit *e, const char *name, const char *want,
	      const char *ins, bool at_end)
{
	char *x, *o;
	size_t n, on;
	int rc;

	if ((rc = ze_read(e, name, &x, &n)))
		return rc;
	o = zx_put_in(x, n, want, ins, at_end, &on, &rc);
	free(x);
	if (!o)
		return rc ? rc : WK_ENOTFOUND;
	return ze_put(e, name, o, on);
}

/* 1980-01-01 00:00 UTC, the first time a zip entry can hold. */
#define ZIP_FIXED_TIME ((time_t)315532800)

/* The archive in with the edited parts replaced or added, in a malloc'd
 * *out. */
int ze_write(struct zedit *e, const unsigned char *in, size_t len,
	     unsigned char **out, size_t *outlen)
{
	zip_source_t *src = NULL, *rep;
	zip_error_t ze;
	zip_t *za = NULL;
	zip_stat_t st;
	unsigned char *copy;
	size_t i;
	int rc = WK_EIO;

	*out = NULL;
	zip_error_init(&ze);
	/* libzip gets a copy of its own to rewrite: libzip 1.7.3 was
	 * seen to free the buffer it was given (with freep 0) when it
	 * rewrote an archive with entries both replaced and added. */
	if (!(copy = malloc(len ? len : 1))) {
		zip_error_fini(&ze);
		return WK_ENOMEM;
	}
	memcpy(copy, in, len);
	if (!(src = zip_source_buffer_create(copy, len, 1, &ze))) {
		free(copy);
		goto done;
	}
	if (!(za = zip_open_from_source(src, 0, &ze)))
		goto done;
	zip_source_keep(src);	/* read back after zip_close() */
	for (i = 0; i < e->n; i++) {
		struct zpart *p = &e->parts[i];
		zip_stat_t zst;
		zip_int64_t at;
		time_t when = ZIP_FIXED_TIME;

		/* Entries keep their time (added ones get a fixed one), so
		 * one download id always gives the same bytes: a replayed
		 * download serves the same copy. */
		if (p->idx >= 0 &&
		    !zip_stat_index(za, (zip_uint64_t)p->idx, 0, &zst) &&
		    (zst.valid & ZIP_STAT_MTIME))
			when = zst.mtime;
		if (!(rep = zip_source_buffer(za, p->data, p->len, 0)))
			goto discard;
		at = p->idx >= 0 ? (zip_file_replace(za, (zip_uint64_t)p->idx,
						     rep, ZIP_FL_ENC_UTF_8)
					    ? -1
					    : p->idx)
				 : zip_file_add(za, p->name, rep,
						ZIP_FL_ENC_UTF_8);
		if (at < 0) {
			zip_source_free(rep);
			goto discard;
		}
		if (zip_file_set_mtime(za, (zip_uint64_t)at, when, 0))
			goto discard;
	}
	if (zip_close(za))
		goto discard;
	za = NULL;
	if (zip_source_stat(src, &st) || !(st.valid & ZIP_STAT_SIZE) ||
	    zip_source_open(src))
		goto done;
	if (!(*out = malloc(st.size ? st.size : 1))) {
		rc = WK_ENOMEM;
	} else if ((zip_uint64_t)zip_source_read(src, *out, st.size) !=
		   st.size) {
		free(*out);
		*out = NULL;
	} else {
		*outlen = st.size;
		rc = 0;
	}
	zip_source_close(src);
	goto done;
discard:
	zip_discard(za);
done:
	if (src)
		zip_source_free(src);
	zip_error_fini(&ze);
	return rc;
}

/* Entry i's name when it is dir + stem + digits + ".xml" (slides,
 * worksheets), else NULL. */
const char *ze_numbered_part(struct zedit *e, int64_t i,
			     const char *prefix)
{
	const char *name = zip_get_name(e->z.za, (zip_uint64_t)i,
					ZIP_FL_ENC_RAW);
	size_t k = strlen(prefix), j;

	if (!name || strncasecmp(name, prefix, k))
		return NULL;
	for (j = k; name[j] >= '0' && name[j] <= '9'; j++)
		;
	return j > k && !strcasecmp(name + j, ".xml") ? name : NULL;
}

