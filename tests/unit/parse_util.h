/*
 * parse_util.h - helpers the parser tests share (test_odt.c, test_epub.c,
 * test_md.c): reading test files, parsing with the message kept, checking
 * a result's promises, and building zips in memory with libzip.
 */
#ifndef WK_TEST_PARSE_UTIL_H
#define WK_TEST_PARSE_UTIL_H

#include "../../src/parse/parse.h"

#include <stdbool.h>
#include <stddef.h>

/* Real documents, relative to the repository root (where tests run). */
#define TP_DATA "tests/data/parse/"

/* The message of the last tp_parse_*() call. */
extern char tp_err[256];

/* The bytes of path, NUL-terminated, in *len; free() them. NULL (with a
 * note on stderr) if the file cannot be read. */
char *tp_slurp(const char *path, size_t *len);

/* parse_document() with tp_err as the message buffer. */
int tp_parse_mem(const void *d, size_t n, const struct parse_limits *lim,
		 struct parse_result *r);
/* tp_parse_mem() on a file's bytes; -1000 if it cannot be read. */
int tp_parse_file(const char *path, struct parse_result *r);

/* Whether r is all zero, as a failed parse leaves it. */
bool tp_is_zeroed(const struct parse_result *r);
/* Whether r keeps parse.h's promises: valid UTF-8, no '\n' in a block,
 * text exactly the non-page-break blocks joined by '\n'. */
bool tp_consistent(const struct parse_result *r);
/* Whether needle occurs in hay once white space is removed from both
 * (how testdocs/README.md compares text). */
bool tp_contains_nows(const char *hay, const char *needle);
/* Whether block i exists and is of kind k (and level level, unless it
 * is -1). */
bool tp_block_is(const struct parse_result *r, size_t i,
		 enum parse_block_kind k, int level);
/* Index of the first block whose text is s, or -1. */
long tp_find_block(const struct parse_result *r, const char *s);

/* One zip entry; a list ends with name NULL. */
struct tp_zent {
	const char *name;
	const char *data;
	size_t len;		/* 0: strlen(data) */
};

/* The bytes of a zip holding the entries (the first stored, as
 * "mimetype" must be; the rest deflated); free() them. */
char *tp_make_zip(const struct tp_zent *e, size_t *outlen);

#endif
