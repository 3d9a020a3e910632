/*
 * parse.h - bytes in, text + structure + metadata out. No I/O.
 *
 * The one interface every format parser sits behind. The server calls it
 * in-process today (docx, odt, epub, txt, md); the sandboxed worker
 * pipeline will call the same functions inside a worker process.
 *
 * A result holds:
 *   - text: the plain text, one paragraph (block) per line, '\n'
 *     separated, valid UTF-8, no NUL bytes;
 *   - blocks: the structure (headings, paragraphs, list items, table
 *     rows, page breaks), each with its own text (no '\n' inside);
 *     text is exactly the blocks' texts joined by '\n' (page breaks add
 *     no line);
 *   - metadata: title and author (NULL when the file has none), the
 *     page count (0 when unknown) and whether that count was estimated.
 * All of a result's memory is owned by the result; parse_result_release()
 * frees it.
 */
#ifndef WK_PARSE_H
#define WK_PARSE_H

#include <stdbool.h>
#include <stddef.h>

enum parse_format {
	PF_UNKNOWN = 0,
	PF_DOCX,
	PF_TXT,
	PF_ODT,		/* OpenDocument text (zip) */
	PF_EPUB,	/* EPUB 2 and 3 */
	PF_MD,		/* Markdown: text with clear Markdown structure */
};

enum parse_block_kind {
	PB_PARAGRAPH,
	PB_HEADING,	/* level 1..6; a document title is level 1 */
	PB_LIST_ITEM,	/* level 1..9 (nesting depth) */
	PB_TABLE_ROW,	/* cells' texts joined by '\t' */
	PB_PAGE_BREAK,	/* text is "" */
};

struct parse_block {
	enum parse_block_kind kind;
	int level;
	char *text;
	size_t len;
};

struct parse_result {
	enum parse_format format;
	char *text;
	size_t text_len;
	struct parse_block *blocks;
	size_t nblocks;
	char *title;
	char *author;
	int pages;
	bool pages_estimated;
};

/* Caps on what a parse may consume; parse_default_limits() fills sane
 * defaults (64 MiB inflated in total, 32 MiB per zip entry, 10000 zip
 * entries, ratio 100:1 above 1 MiB, 16 MiB of output text). */
struct parse_limits {
	size_t max_inflated_total;
	size_t max_inflated_entry;
	size_t max_entries;
	unsigned max_ratio;
	size_t max_text;
};

void parse_default_limits(struct parse_limits *lim);

/* Format from the bytes themselves (magic numbers and, for zip, the
 * package's content), never from a file name. */
enum parse_format parse_detect(const void *data, size_t len);

/* Short lower-case name ("docx", "txt", "odt", "epub", "md"); "unknown"
 * for PF_UNKNOWN. */
const char *parse_format_name(enum parse_format f);

/* Parse data (len bytes) of any supported format, detected with
 * parse_detect(). lim may be NULL for the defaults. On success returns 0
 * and fills *out. On failure returns WK_EUNSUPPORTED, WK_EMALFORMED,
 * WK_ETOOBIG or WK_ENOMEM, leaves *out empty, and writes a message a
 * user can read (English, lower case, saying what failed: "zip entry
 * word/document.xml inflates past the 32 MiB limit") into err. */
int parse_document(const void *data, size_t len,
		   const struct parse_limits *lim, struct parse_result *out,
		   char *err, size_t errlen);

void parse_result_release(struct parse_result *r);

#endif
