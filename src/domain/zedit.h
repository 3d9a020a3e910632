/*
 * zedit.h - editing zip-based documents as text (tracezip.c's tools):
 * markup found by name and spliced into, and an archive rewritten in
 * memory with some parts replaced or added. Inputs are hostile: parts
 * are read through zipsafe's caps; nothing is re-serialised.
 */
#ifndef WK_ZEDIT_H
#define WK_ZEDIT_H

#include "../parse/parse.h"
#include "../parse/zipsafe.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct zx_tag {
	const char *start;	/* its '<' */
	const char *end;	/* past its '>' */
	const char *name;	/* qualified name, nlen bytes */
	size_t nlen;
	bool empty;		/* <x/> */
};

struct zpart {
	char *name;
	int64_t idx;	/* the entry it replaces, or -1: a new one */
	char *data;
	size_t len;
};

struct zedit {
	struct parse_limits lim;
	struct zipsafe z;
	struct zpart *parts;
	size_t n, cap;
};

/* The first start tag called want in x[0, n): its qualified name when
 * want has a ':', else its local part. */
bool zx_open_tag(const char *x, size_t n, const char *want,
		 struct zx_tag *t);

/* The prefix of a qualified name ("w:" of "w:body"), "" for none. */
void zx_prefix_of(const struct zx_tag *t, char out[32]);

/* The value of attribute name in tag t, copied into out (cut to outsz);
 * false when absent. Values are taken as written (no entities). */
bool zx_attr(const struct zx_tag *t, const char *name, char *out,
	     size_t outsz);

/* The decimal number at p, saturated into [0, max]; 0 for none. */
long long zx_num(const char *p, long long max);

/* A malloc'd copy of x[0, n) with x[at, at + del) replaced by ins; NULL
 * when out of memory. */
char *zx_splice(const char *x, size_t n, size_t at, size_t del,
		const char *ins, size_t *outlen);

/* A malloc'd copy of x with ins put as the last (at_end) or first
 * content of the first element called want (as zx_open_tag); an empty
 * <want/> is opened up. NULL when there is no such element (*rc 0) or
 * memory ran out (*rc WK_ENOMEM). */
char *zx_put_in(const char *x, size_t n, const char *want,
		const char *ins, bool at_end, size_t *outlen, int *rc);

/* Entry i's name when it is dir + stem + digits + ".xml" (slides,
 * worksheets), else NULL. */
const char *ze_numbered_part(struct zedit *e, int64_t i,
			     const char *prefix);

/* Open the archive in (len bytes, not copied: it must outlive e) under
 * the upload caps. 0, or WK_EUNSUPPORTED when it is no zip we read. */
int ze_open(struct zedit *e, const unsigned char *in, size_t len);
/* Free e and its edited parts. */
void ze_close(struct zedit *e);

/* Read a part: 0, WK_ENOTFOUND or another error from zipsafe_read. */
int ze_read(struct zedit *e, const char *name, char **x, size_t *n);

/* Whether the archive has an entry called name. */
bool ze_has(struct zedit *e, const char *name);

/* The new content of a part (data is taken over, even on failure). */
int ze_put(struct zedit *e, const char *name, char *data, size_t len);

/* Splice ins into part name (see zx_put_in) and keep the result. 0 when
 * done, WK_ENOTFOUND when the part or the element is not there. */
int ze_put_in(struct zedit *e, const char *name, const char *want,
	      const char *ins, bool at_end);

/* The archive in with the edited parts replaced or added, in a malloc'd
 * *out. */
int ze_write(struct zedit *e, const unsigned char *in, size_t len,
	     unsigned char **out, size_t *outlen);

#endif
