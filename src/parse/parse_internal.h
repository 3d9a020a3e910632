/*
 * parse_internal.h - what the format parsers share inside parse/: the
 * block builder that turns raw block texts into a parse_result, error
 * message helpers, and each format's entry point. Not for other modules.
 *
 * The builder owns everything it has been given until pb_finish() hands
 * it to the result; pb_release() frees whatever is left, so a parser can
 * bail out at any point with one call.
 */
#ifndef WK_PARSE_INTERNAL_H
#define WK_PARSE_INTERNAL_H

#include "parse.h"
#include "../base/buf.h"

#include <stdarg.h>
#include <stddef.h>

/* Characters per estimated page when a format has no page count. */
#define PARSE_CHARS_PER_PAGE 1800

struct pbuild {
	const struct parse_limits *lim;
	struct parse_block *blocks;
	size_t nblocks, cap;
	size_t ntext;		/* blocks that are not page breaks */
	size_t text_len;	/* length the joined text would have now */
	struct buf scratch;
	int err;		/* sticky: 0, WK_ENOMEM or WK_ETOOBIG */
};

void pb_init(struct pbuild *b, const struct parse_limits *lim);
/* Free every block; the builder is empty and usable again. */
void pb_release(struct pbuild *b);

/* Add a block from raw text s (n bytes): invalid UTF-8 becomes U+FFFD,
 * line breaks become spaces, other control characters except tab are
 * dropped, and leading/trailing white space is trimmed (for table rows
 * only spaces, so empty leading cells keep their tab). A block that ends
 * up empty is not added. Returns 0 or the builder's sticky error. */
int pb_add(struct pbuild *b, enum parse_block_kind kind, int level,
	   const char *s, size_t n);
/* Add a page break. Page breaks before the first text block and right
 * after another page break are dropped: they would say nothing. */
int pb_page_break(struct pbuild *b);

/* Move the blocks into out (which must be zeroed), build the joined text
 * and set the page count: pages if it is > 0, else an estimate from the
 * text's length. On failure out is untouched and the builder still owns
 * the blocks. Returns 0, WK_ENOMEM or WK_ETOOBIG (with a message in
 * err). */
int pb_finish(struct pbuild *b, int pages, struct parse_result *out,
	      char *err, size_t errlen);

/* Append the cleaned form of s (see pb_add) to out, without trimming. */
void pb_clean_into(struct buf *out, const char *s, size_t n);
/* Length of s after trimming white space at both ends; *start receives
 * the offset of the first kept byte. Only ASCII white space, U+00A0 and
 * U+3000 count (tabs too when tabs is nonzero). */
size_t pb_trim(const char *s, size_t n, size_t *start, int tabs);

/* Cleaned (as pb_add) and trimmed malloc'd copy of s, for titles and
 * authors; NULL when nothing is left or memory ran out. */
char *parse_clean_str(const char *s, size_t n);

/* snprintf into err (if err and errlen) and return code; lets a failure
 * path be one line: return parse_fail(err, errlen, WK_EMALFORMED, ...). */
int parse_fail(char *err, size_t errlen, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* "32 MiB", "512 KiB" or "100 bytes" for a limit in a message. */
const char *parse_size_str(size_t n, char *out, size_t outlen);
/* Copy of an untrusted name safe to put in a message: printable ASCII
 * only (others become '?'), cut to 64 bytes. */
const char *parse_safe_name(const char *name, char *out, size_t outlen);

/* Format parsers: same contract as parse_document() for one format. */
int docx_parse(const void *data, size_t len, const struct parse_limits *lim,
	       struct parse_result *out, char *err, size_t errlen);
int pptx_parse(const void *data, size_t len, const struct parse_limits *lim,
	       struct parse_result *out, char *err, size_t errlen);
int xlsx_parse(const void *data, size_t len, const struct parse_limits *lim,
	       struct parse_result *out, char *err, size_t errlen);
int txt_parse(const void *data, size_t len, const struct parse_limits *lim,
	      struct parse_result *out, char *err, size_t errlen);
int pdf_parse(const void *data, size_t len, const struct parse_limits *lim,
	      struct parse_result *out, char *err, size_t errlen);

/* Whether data looks like text wenku can decode (BOM, UTF-8, UTF-16
 * without BOM, GB18030 or Big5, few control characters). */
int txt_sniff(const void *data, size_t len);

/* Whether an opened zip is a Word document (has word/document.xml or a
 * wordprocessingml main part in [Content_Types].xml), a presentation
 * (ppt/presentation.xml or a presentationml main part) or a workbook
 * (xl/workbook.xml or a spreadsheetml main part). Each returns 1 or 0. */
struct zipsafe;
int docx_sniff(struct zipsafe *z);
int pptx_sniff(struct zipsafe *z);
int xlsx_sniff(struct zipsafe *z);

#endif
