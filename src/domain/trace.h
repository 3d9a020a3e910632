/*
 * trace.h - traceable downloads: every download's id stamped into the
 * file served, and read back from a leaked copy (`wenku trace`).
 *
 * The mark is "D<download id>-<10 hex>", the hex being the start of an
 * HMAC-SHA256 of the id under the site's "trace" secret, so a leaker can
 * not change the number to blame someone else without it showing. Each
 * format gets a line a reader sees and, where the format has them, a
 * property a reader can look up:
 *
 *   txt, md      a first line "下载编号 D123-0a1b2c3d4e" (UTF-8, after a
 *                BOM), or an ASCII "Download ID ..." line in UTF-16 or
 *                legacy encodings;
 *   docx         a grey centred paragraph at the end of the body;
 *   pptx         a grey text box along the bottom of every slide;
 *   xlsx         a cell two rows under the data of every sheet;
 *                (all three also a custom document property
 *                "wenku-download" in docProps/custom.xml)
 *   odt          a paragraph at the end of the text, and a
 *                meta:user-defined "wenku-download" in meta.xml;
 *   epub         a line at the top of the title page (the first spine
 *                item), and <meta name="wenku-download"> in the OPF;
 *   pdf          "下载编号 D..." in grey STSong-Light (not embedded)
 *                at the foot of every page, and /WenkuDownload in the
 *                info dictionary, made by the sandboxed worker
 *                (parse/stamp.h); copies stamped before the footer was
 *                Chinese read "Download ID D...".
 *
 * The original blob is never modified: the stamp is made on the copy
 * being served.
 */
#ifndef WK_TRACE_H
#define WK_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

#define TRACE_KEY_BYTES 32
#define TRACE_MARK_MAX 40

/* The site's trace key (made on first use, kept in the secrets table). */
int trace_key(struct store *s, unsigned char key[TRACE_KEY_BYTES]);

/* The mark of download id. */
void trace_mark(const unsigned char key[TRACE_KEY_BYTES], int64_t id,
		char out[TRACE_MARK_MAX]);

/* A copy of the file (format as stored: "docx", "pdf"...) with the mark
 * stamped in (see the top of this file), in a malloc'd *out; in is not
 * modified. exe is the wenku binary that runs the sandboxed worker
 * (sandbox_self_exe()); only PDFs need it.
 *
 * WK_EUNSUPPORTED when the stamp cannot apply and the file may be served
 * as it is: formats without one (doc, xls, ppt, rtf), UTF-32 text, a
 * package whose body, slides, sheets or title page cannot be found or
 * read. Any other error means no copy may be served: for a PDF every
 * failure of the worker (damaged, encrypted, out of time; logged),
 * WK_ENOMEM, WK_EIO. */
int trace_stamp(const char *exe, const char *format, const unsigned char *in,
		size_t len, const char *mark, unsigned char **out,
		size_t *outlen);

/* Look for a mark in a file: in text; in the text parts of a zip
 * (docx/odt body, slides, sheets and shared strings, epub pages; tags
 * stripped, so a line an editor split into runs, as LibreOffice does on
 * re-saving, still reads), then in its properties; in a PDF, in the
 * text the sandboxed converter (run from exe; NULL: skipped) reads,
 * then in the raw bytes (the info entry when it is not compressed or
 * encrypted). Nothing of a leaked file is parsed in this process but
 * through the capped zip reader. 0 with *id and *genuine (the HMAC
 * matched) for the first mark found, visible marks before properties;
 * WK_ENOTFOUND when there is none. */
int trace_find(const char *exe, const unsigned char key[TRACE_KEY_BYTES],
	       const unsigned char *data, size_t len, int64_t *id,
	       bool *genuine);

#endif
