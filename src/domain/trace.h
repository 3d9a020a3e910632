/*
 * trace.h - traceable downloads: every download's id stamped into the
 * file served, and read back from a leaked copy (`wenku trace`).
 *
 * The mark is "D<download id>-<10 hex>", the hex being the start of an
 * HMAC-SHA256 of the id under the site's "trace" secret, so a leaker can
 * not change the number to blame someone else without it showing. Plain
 * text gets a first line "下载编号 D123-0a1b2c3d4e" (UTF-8; an ASCII
 * "Download ID ..." line in UTF-16 or legacy encodings). The original
 * blob is never modified: the stamp is made on the copy being served.
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

/* A copy of the file with the mark stamped in, in a malloc'd *out:
 * txt/md a first line; docx a grey centred paragraph "下载编号 ..." at
 * the end of the body. WK_EUNSUPPORTED for other formats (pdf, epub,
 * pptx... are served as they are for now) or a docx whose body can't be
 * found; WK_ENOMEM, WK_EIO. */
int trace_stamp(const char *format, const unsigned char *in, size_t len,
		const char *mark, unsigned char **out, size_t *outlen);

/* Look for a mark in a file (text, or the main part of a docx/odt,
 * including one re-saved by Word or LibreOffice as long as the line's
 * text stayed in one run). 0 with *id and *genuine (the HMAC matched)
 * for the first mark found; WK_ENOTFOUND when there is none. */
int trace_find(const unsigned char key[TRACE_KEY_BYTES],
	       const unsigned char *data, size_t len, int64_t *id,
	       bool *genuine);

#endif
