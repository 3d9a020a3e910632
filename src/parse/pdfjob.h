/*
 * pdfjob.h - one MuPDF job with hard caps, shared by pdf.c (text) and
 * render.c (page images). Internal to parse/.
 *
 * A job owns a fresh fz_context whose allocator counts every byte MuPDF
 * holds and refuses any allocation past parse_limits.max_memory, and a
 * watchdog thread that, once parse_limits.max_seconds have passed, sets
 * the cookie's abort flag (MuPDF's interpreter checks it between
 * operators) and from then on makes the allocator refuse everything, so
 * code that never looks at the cookie (repairing the cross-reference
 * table, loading fonts and images) unwinds as well.
 *
 * Lifecycle: pdfjob_start(), pdfjob_open(), use j->ctx and j->cookie,
 * pdfjob_end(). The job must stay at one address in between (the
 * allocator and the watchdog point at it). Nothing of MuPDF's outlives
 * pdfjob_end(): dropping the context frees it all.
 */
#ifndef WK_PDFJOB_H
#define WK_PDFJOB_H

#include "parse.h"

#include <mupdf/fitz.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

struct pdfjob {
	fz_context *ctx;
	fz_cookie cookie;	/* pass to fz_run_page() */
	const struct parse_limits *lim;
	size_t used, peak;	/* bytes MuPDF holds now / at most */
	bool pending;		/* the last request was refused */
	bool oom;		/* MuPDF failed for want of memory */
	atomic_bool timed_out;	/* set by the watchdog */
	/* the watchdog */
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool done, watching;
};

/* Create the context with the capped allocator and start the watchdog
 * (none when lim->max_seconds <= 0). Returns 0, or WK_ETOOBIG when
 * max_memory is too small for a bare context, or WK_ENOMEM, with a
 * message; on failure nothing needs ending. */
int pdfjob_start(struct pdfjob *j, const struct parse_limits *lim,
		 char *err, size_t errlen);

/* Open len bytes of data as a PDF, repairing what MuPDF can. An
 * encrypted file that opens with the empty password is fine; any other
 * is refused with WK_EUNSUPPORTED ("pdf is encrypted..."). A file
 * MuPDF cannot open at all is WK_EMALFORMED. On success *doc is the
 * document, dropped by the caller with fz_drop_document(). */
int pdfjob_open(struct pdfjob *j, const void *data, size_t len,
		fz_document **doc, char *err, size_t errlen);

/* Whether the time budget is spent; the caller stops at the next safe
 * point and reports pdfjob_fail(). */
bool pdfjob_expired(struct pdfjob *j);

/* Whether the job must fail even though MuPDF returned normally: out
 * of time, or an allocation MuPDF could not do without (MuPDF often
 * carries on without a font or an image, which would make a wrong
 * result). */
bool pdfjob_failed(struct pdfjob *j);

/* Turn a MuPDF failure (code from fz_caught(), message from
 * fz_caught_message(); both may be 0/NULL) into our error and message:
 * past the time budget or the memory cap WK_ETOOBIG, a real allocation
 * failure WK_ENOMEM, anything else WK_EMALFORMED "damaged pdf: ...". */
int pdfjob_fail(struct pdfjob *j, int code, const char *msg, char *err,
		size_t errlen);

/* Stop the watchdog and drop the context (and with it everything MuPDF
 * still holds). Returns the peak number of bytes MuPDF held. */
size_t pdfjob_end(struct pdfjob *j);

#endif
