/*
 * parse.h - bytes in, text + structure + metadata out. No I/O.
 *
 * The one interface every format parser sits behind. The server calls it
 * in-process for trusted files (the demo library); everything else goes
 * through the sandboxed worker (domain/sandbox.h), which calls the same
 * functions. Page images of PDFs come from render.h.
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
	PF_PPTX,
	PF_XLSX,
	PF_PDF,
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

/* A page image (PNG) of a paged document, rendered by the worker. */
struct parse_image {
	int page;		/* from 1; 0 for the cover thumbnail */
	int width, height;
	unsigned char *png;
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
	struct parse_image *images;	/* none from parse_document() */
	size_t nimages;
};

/* Caps on what a parse may consume; parse_default_limits() fills sane
 * defaults (64 MiB inflated in total, 32 MiB per zip entry, 10000 zip
 * entries, ratio 100:1 above 1 MiB, 16 MiB of output text; for PDF
 * 256 MiB of memory, 10 seconds and the text of the first 2000 pages).
 * The PDF caps hold for one call (a parse, or one page rendered by
 * render.h). */
struct parse_limits {
	size_t max_inflated_total;
	size_t max_inflated_entry;
	size_t max_entries;
	unsigned max_ratio;
	size_t max_text;
	size_t max_memory;	/* bytes MuPDF may hold at once */
	double max_seconds;	/* wall clock per call; 0 = no limit */
	int max_pages;		/* pages whose text is read */
};

void parse_default_limits(struct parse_limits *lim);

/* Format from the bytes themselves (magic numbers and, for zip, the
 * package's content), never from a file name. */
enum parse_format parse_detect(const void *data, size_t len);

/* Short lower-case name ("docx", "pptx", "xlsx", "odt", "epub", "txt",
 * "md", "pdf"); "unknown" for PF_UNKNOWN. */
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

/* Legacy office formats wenku converts with LibreOffice before parsing:
 * for a Word 97-2003 or WPS document, or RTF, "docx"; for an Excel
 * 97-2003 workbook "xlsx"; for a PowerPoint 97-2003 deck "pptx"; NULL
 * for anything else (encrypted legacy files included). From the bytes,
 * never the name. parse_legacy_name() gives the format's own short
 * name ("doc", "rtf", "xls", "ppt") or NULL. */
const char *parse_legacy_target(const void *data, size_t len);
const char *parse_legacy_name(const void *data, size_t len);

/* Load now whatever parsing would later load from the file system
 * (character-set converters), so a parse can run where opening files
 * is forbidden. Idempotent; the loaded converters stay for the life of
 * the process. */
void parse_preload(void);

#endif
