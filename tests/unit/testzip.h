/*
 * testzip.h - helpers the parser tests share (test_pptx.c, test_xlsx.c):
 * zips built in memory with libzip, a zip entry of zeros made on the fly
 * (a bomb without a buffer of its size), reading a test file, and checks
 * of a parse result's promises.
 */
#ifndef WK_TESTZIP_H
#define WK_TESTZIP_H

#include "../../src/parse/parse.h"

#include <stddef.h>
#include <stdint.h>

/* One zip entry: data (len bytes, 0 = strlen), or, when zeros is not 0,
 * that many zero bytes generated while compressing. A NULL name ends a
 * list. */
struct tz_entry {
	const char *name;
	const char *data;
	size_t len;
	uint64_t zeros;
};

/* Bytes of a zip holding the entries, deflated; free() them. NULL on
 * failure. */
char *tz_zip(const struct tz_entry *e, size_t *outlen);

/* The file at path (relative to the repository root) in a malloc'd,
 * NUL-terminated buffer, or NULL with a note on stderr. */
char *tz_slurp(const char *path, size_t *len);

/* parse_document() with the default limits (lim NULL) or lim; the
 * message goes into tz_err. */
extern char tz_err[256];
int tz_parse(const void *d, size_t n, const struct parse_limits *lim,
	     struct parse_result *r);
/* tz_parse() of a file; -1000 when it cannot be read. */
int tz_parse_file(const char *path, struct parse_result *r);

/* Whether every field of r is empty, as after a failure. */
int tz_is_zeroed(const struct parse_result *r);
/* Whether r keeps parse.h's promises: valid UTF-8, no '\n' in a block,
 * text is exactly the non-page-break blocks joined by '\n'. */
int tz_consistent(const struct parse_result *r);
/* Whether needle occurs in hay once ASCII white space is removed from
 * both (testdocs/README.md compares text that way). */
int tz_contains_nows(const char *hay, const char *needle);
/* Number of blocks of kind k. */
size_t tz_count(const struct parse_result *r, enum parse_block_kind k);

#endif
