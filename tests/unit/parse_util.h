/*
 * parse_util.h - helpers the parser tests share (test_parse.c,
 * test_pptx.c, test_xlsx.c, test_odt.c, test_epub.c, test_md.c,
 * test_pdf.c): reading test files, parsing with the message kept,
 * checking a result's promises, and building zips in memory (with
 * libzip, or by hand when the bytes must be exactly so).
 */
#ifndef WK_TEST_PARSE_UTIL_H
#define WK_TEST_PARSE_UTIL_H

#include "../../src/parse/parse.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Real documents, relative to the repository root (where tests run). */
#define TP_DATA "tests/data/parse/"

/* The message of the last tp_parse_*() call. */
extern char tp_err[256];

/* The bytes of path, NUL-terminated, in *len; free() them. NULL if the
 * file cannot be read: tp_read() says nothing, tp_slurp() leaves a note
 * on stderr (for files that must be there). */
char *tp_read(const char *path, size_t *len);
char *tp_slurp(const char *path, size_t *len);

/* parse_document() with the default limits (lim NULL) or lim, and
 * tp_err as the message buffer. */
int tp_parse_mem(const void *d, size_t n, const struct parse_limits *lim,
		 struct parse_result *r);
/* tp_parse_mem() on a file's bytes; -1000 if it cannot be read. */
int tp_parse_file(const char *path, struct parse_result *r);

/* Whether r is all zero, as a failed parse leaves it. */
bool tp_is_zeroed(const struct parse_result *r);
/* Whether r keeps parse.h's promises: valid UTF-8, no '\n' in a block,
 * text exactly the non-page-break blocks joined by '\n'. */
bool tp_consistent(const struct parse_result *r);
/* Whether needle occurs in hay once ASCII white space is removed from
 * both (how testdocs/README.md compares text). */
bool tp_contains_nows(const char *hay, const char *needle);
/* Whether block i exists and is of kind k (and level level, unless it
 * is -1). */
bool tp_block_is(const struct parse_result *r, size_t i,
		 enum parse_block_kind k, int level);
/* Index of the first block whose text is s, or -1. */
long tp_find_block(const struct parse_result *r, const char *s);
/* Number of blocks of kind k. */
size_t tp_count(const struct parse_result *r, enum parse_block_kind k);

/* One zip entry; a list ends with name NULL. */
struct tp_zent {
	const char *name;
	const char *data;	/* NULL: len zero bytes, made while tp_zip()
				 * compresses (a bomb without a buffer its
				 * size) */
	size_t len;		/* 0: strlen(data) */
};

/* How tp_zip() compresses the entries. */
enum tp_zip_mode {
	TP_ZIP_FAST,		/* all deflated at level 1 */
	TP_ZIP_BEST,		/* all deflated at level 9 */
	TP_ZIP_MIMETYPE,	/* the first stored, as an ODF or EPUB
				 * "mimetype" must be; the rest deflated at
				 * level 1 */
};

/* The bytes of a zip holding the entries, made by libzip; free() them.
 * NULL on failure. */
char *tp_zip(const struct tp_zent *e, enum tp_zip_mode mode,
	     size_t *outlen);
/* The bytes of a zip holding the entries stored (no compression; data
 * must not be NULL), built by hand: much faster than libzip for
 * thousands of entries, and it takes duplicate names. free() them. */
char *tp_stored_zip(const struct tp_zent *e, size_t *outlen);
/* A zip in the style of David Fifield's overlapping bomb, of nent
 * (at most 8) entries, the first word/document.xml; see parse_util.c.
 * free() it. */
char *tp_overlap_zip(size_t nent, size_t *outlen);

/* The zip CRC-32 of n bytes at p. */
uint32_t tp_crc32(const void *p, size_t n);
/* v little-endian at p, as zip headers want it. */
void tp_put16(char *p, uint16_t v);
void tp_put32(char *p, uint32_t v);

#endif
