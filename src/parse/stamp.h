/*
 * stamp.h - a download mark stamped into a PDF. No I/O.
 *
 * The one place wenku writes a PDF: a copy of the file with a visible
 * footer line on every page and an entry in the info dictionary, made by
 * MuPDF under the same caps as parsing (parse_limits). PDFs are hostile
 * input, so this runs only in the sandboxed worker (`wenku worker
 * --stamp-pdf`, domain/sandbox.h); domain/trace.h says what the mark is.
 */
#ifndef WK_STAMP_H
#define WK_STAMP_H

#include "parse.h"

#include <stddef.h>

/* The info dictionary key the mark is kept under. */
#define STAMP_PDF_INFO_KEY "WenkuDownload"
/* Marks are at most this long, of ASCII letters, digits and '-'. */
#define STAMP_MARK_MAX 39

/* Write a copy of the PDF in data (len bytes, not modified) with
 * "下载编号 <mark>" in small grey STSong-Light (a standard Adobe-GB1 CID
 * font, not embedded: readers substitute a CJK font of their own, MuPDF
 * its built-in one) centred at the foot of every page (rotated pages
 * included, the line upright as the page is shown), drawn over the
 * page's own content in a saved graphics state, and /WenkuDownload
 * (<mark>) in the info dictionary. The whole file is written anew (not as an
 * incremental update a reader could cut off). An encrypted file that
 * opens without a password keeps its encryption.
 *
 * 0 and a malloc'd *out (*outlen bytes; the caller frees it), or:
 * WK_EINVAL (a bad mark), WK_EUNSUPPORTED (not a PDF, or locked with a
 * password), WK_EMALFORMED (MuPDF cannot open or write it), WK_ETOOBIG
 * (past max_memory or max_seconds), WK_ENOMEM, with a message in err.
 * lim may be NULL for the defaults. */
int parse_stamp_pdf(const void *data, size_t len, const char *mark,
		    const struct parse_limits *lim, unsigned char **out,
		    size_t *outlen, char *err, size_t errlen);

#endif
