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
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

/* A table row being collected, for formats whose cells hold paragraphs:
 * paragraphs in a cell are joined by spaces, cells by tabs (a tab inside
 * a cell becomes a space, so it cannot read as a cell boundary). The
 * buffers hold at most max bytes each; past that the row fails with
 * WK_ETOOBIG when it is added. */
struct pb_row {
	struct buf row, cell;
	size_t ncells;
};

void pb_row_init(struct pb_row *r, size_t max);
void pb_row_release(struct pb_row *r);
/* Start a new row (also: forget a half-collected one). */
void pb_row_start(struct pb_row *r);
/* Start a new cell. */
void pb_cell_start(struct pb_row *r);
/* Add a paragraph's text (trimmed; nothing if empty) to the cell. */
void pb_cell_add(struct pb_row *r, const char *s, size_t n);
/* End the cell: it becomes the row's next column. */
void pb_cell_end(struct pb_row *r);
/* Add the row as a PB_TABLE_ROW block to b and start a new one. Returns
 * 0 or the error (WK_ETOOBIG, WK_ENOMEM). */
int pb_row_end(struct pbuild *b, struct pb_row *r);

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
int odt_parse(const void *data, size_t len, const struct parse_limits *lim,
	      struct parse_result *out, char *err, size_t errlen);
int epub_parse(const void *data, size_t len, const struct parse_limits *lim,
	       struct parse_result *out, char *err, size_t errlen);
int md_parse(const void *data, size_t len, const struct parse_limits *lim,
	     struct parse_result *out, char *err, size_t errlen);

/* What text data is: PF_TXT or PF_MD when it decodes as text wenku
 * knows (BOM, UTF-8, UTF-16 without BOM, GB18030 or Big5, few control
 * characters), PF_MD when md_sniff() also sees Markdown in its first
 * 64 KiB; else PF_UNKNOWN. */
enum parse_format txt_sniff(const void *data, size_t len);

/* Decode a text file to UTF-8, as txt_parse() does, into u (initialised
 * here, with room for four times lim->max_text; the caller releases it).
 * Returns 0, WK_EUNSUPPORTED (binary data), WK_ETOOBIG or WK_ENOMEM,
 * with a message in err; on failure u is released. */
int txt_decode(const void *data, size_t len, const struct parse_limits *lim,
	       struct buf *u, char *err, size_t errlen);

/* Whether UTF-8 text s (n bytes, possibly cut anywhere) clearly is
 * Markdown: at least one structural mark (ATX or setext heading, fenced
 * code, pipe table) and two kinds of Markdown syntax in all. */
bool md_sniff(const char *s, size_t n);

/* Whether an opened zip is a Word document (has word/document.xml or a
 * wordprocessingml main part in [Content_Types].xml), a presentation
 * (ppt/presentation.xml or a presentationml main part) or a workbook
 * (xl/workbook.xml or a spreadsheetml main part). Each returns 1 or 0. */
struct zipsafe;
int docx_sniff(struct zipsafe *z);
int pptx_sniff(struct zipsafe *z);
int xlsx_sniff(struct zipsafe *z);
/* Whether an opened zip is OpenDocument text: its "mimetype" entry, or
 * failing that the media type of "/" in META-INF/manifest.xml, is
 * application/vnd.oasis.opendocument.text (or its -template). 1 or 0. */
int odt_sniff(struct zipsafe *z);
/* Whether an opened zip is an EPUB: its "mimetype" entry is
 * application/epub+zip, or it has none and has META-INF/container.xml.
 * 1 or 0. */
int epub_sniff(struct zipsafe *z);

/* Markdown inline markup (mdinline.c): append the text of s (n bytes)
 * to out with emphasis, code, link and image syntax, escapes and HTML
 * removed (script, style and textarea with their content), link text
 * and image alt text kept, character references decoded. */
void md_strip_inline(const char *s, size_t n, struct buf *out);
/* Whether a line (from its first non-blank byte) starts an HTML block,
 * and how the block ends: 0 not one; 1 at a blank line; 2 at a line
 * containing "-->"; 3 at a line containing "</" and *close_tag. */
int md_html_block(const char *s, size_t n, const char **close_tag);

/* One XHTML content document (an EPUB chapter) into blocks added to pb:
 * h1-h6 are headings, li list items, tr table rows, other block elements
 * (p, div, blockquote, pre...) paragraphs; head, script, style and the
 * like stay out. HTML named entities (&nbsp;) are understood without a
 * DTD; a DOCTYPE is accepted only without an internal subset. part names
 * the document in messages. Returns 0 or an error with a message:
 * WK_EMALFORMED, WK_ETOOBIG (text limit) or WK_ENOMEM. */
int xhtml_parse(const char *data, size_t len, const char *part,
		struct pbuild *pb, char *err, size_t errlen);

/* The code point of the HTML named character reference name (n bytes,
 * without '&' and ';'), e.g. "nbsp" -> U+00A0: the XML five, Latin-1,
 * Greek and the common punctuation, symbol and arrow names. Returns 1
 * and sets *cp, or 0 when the name is not known. */
int html_entity(const char *name, size_t n, uint32_t *cp);

#endif
