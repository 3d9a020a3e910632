/*
 * pdfjob.c - a MuPDF context with a memory cap and a time budget, and
 * opening a PDF in it. See pdfjob.h.
 *
 * Memory: every block MuPDF asks for carries a 16-byte header holding
 * its size, so frees and reallocs can be counted; a request that would
 * take the total past max_memory gets NULL. MuPDF then empties its
 * resource store and retries, and only if that does not help throws
 * FZ_ERROR_MEMORY, so a refusal is not yet a failure. It is when MuPDF
 * throws before any allocation succeeded again: MuPDF reports every
 * throw to the error callback, which then sets oom, and the job fails
 * even if MuPDF caught its own error and went on (without a font, say,
 * which would give wrong text).
 *
 * Time: a watchdog thread sleeps until the deadline (CLOCK_MONOTONIC),
 * then sets the cookie's abort flag and timed_out. The interpreter reads
 * the flag between operators; the allocator refuses every request once
 * timed_out is set, so everything else unwinds at its next allocation.
 * Setting cookie->abort from another thread is how MuPDF means the
 * cookie to be used.
 */
#include "pdfjob.h"
#include "parse_internal.h"
#include "../base/err.h"

#include <mupdf/pdf.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Room in front of each block: keeps the 16-byte alignment malloc
 * gives, and holds the block's size. */
#define HDR 16

/* ---- the capped allocator ---------------------------------------------- */

static bool budget_ok(struct pdfjob *j, size_t more)
{
	if (atomic_load_explicit(&j->timed_out, memory_order_relaxed))
		return false;
	if (more > j->lim->max_memory - j->used) {
		j->pending = true;
		return false;
	}
	return true;
}

static void count(struct pdfjob *j, size_t add, size_t sub)
{
	j->used = j->used + add - sub;
	if (j->used > j->peak)
		j->peak = j->used;
}

static void *job_malloc(void *user, size_t size)
{
	struct pdfjob *j = user;
	unsigned char *p;

	if (size > SIZE_MAX - HDR || !budget_ok(j, size + HDR))
		return NULL;
	p = malloc(size + HDR);
	if (!p)
		return NULL;
	memcpy(p, &size, sizeof(size));
	count(j, size + HDR, 0);
	j->pending = false;
	return p + HDR;
}

static void job_free(void *user, void *ptr)
{
	struct pdfjob *j = user;
	unsigned char *p;
	size_t size;

	if (!ptr)
		return;
	p = (unsigned char *)ptr - HDR;
	memcpy(&size, p, sizeof(size));
	count(j, 0, size + HDR);
	free(p);
}

static void *job_realloc(void *user, void *old, size_t size)
{
	struct pdfjob *j = user;
	unsigned char *p, *np;
	size_t osize;

	if (!old)
		return job_malloc(user, size);
	if (size == 0) {
		job_free(user, old);
		return NULL;
	}
	p = (unsigned char *)old - HDR;
	memcpy(&osize, p, sizeof(osize));
	if (size > SIZE_MAX - HDR ||
	    (size > osize && !budget_ok(j, size - osize)))
		return NULL;
	np = realloc(p, size + HDR);
	if (!np)
		return NULL;	/* the old block is still there */
	memcpy(np, &size, sizeof(size));
	count(j, size, osize);
	j->pending = false;
	return np + HDR;
}

/* MuPDF's warnings ("repairing broken xref") are about the file, not
 * about us; they stay out of the server's log. */
static void quiet(void *user, const char *message)
{
	(void)user;
	(void)message;
}

/* Called for every error MuPDF throws: one right after a refused
 * allocation is MuPDF giving up for want of memory. */
static void on_error(void *user, const char *message)
{
	struct pdfjob *j = user;

	(void)message;
	if (j->pending)
		j->oom = true;
}

/* ---- the watchdog ------------------------------------------------------- */

struct watch_arg {
	struct pdfjob *j;
	struct timespec deadline;
};

static void *watchdog(void *arg)
{
	struct pdfjob *j = ((struct watch_arg *)arg)->j;
	struct timespec dl = ((struct watch_arg *)arg)->deadline;

	free(arg);
	pthread_mutex_lock(&j->mu);
	while (!j->done) {
		if (pthread_cond_timedwait(&j->cv, &j->mu, &dl) == ETIMEDOUT &&
		    !j->done) {
			atomic_store(&j->timed_out, true);
			__atomic_store_n(&j->cookie.abort, 1, __ATOMIC_SEQ_CST);
			break;
		}
	}
	pthread_mutex_unlock(&j->mu);
	return NULL;
}

static int watch_start(struct pdfjob *j, double seconds)
{
	pthread_condattr_t ca;
	struct watch_arg *a;
	double whole;

	a = malloc(sizeof(*a));
	if (!a)
		return WK_ENOMEM;
	a->j = j;
	clock_gettime(CLOCK_MONOTONIC, &a->deadline);
	if (seconds > 86400.0)
		seconds = 86400.0;
	whole = (double)(long)seconds;
	a->deadline.tv_sec += (time_t)whole;
	a->deadline.tv_nsec += (long)((seconds - whole) * 1e9);
	if (a->deadline.tv_nsec >= 1000000000L) {
		a->deadline.tv_sec++;
		a->deadline.tv_nsec -= 1000000000L;
	}
	pthread_mutex_init(&j->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&j->cv, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&j->thread, NULL, watchdog, a) != 0) {
		pthread_cond_destroy(&j->cv);
		pthread_mutex_destroy(&j->mu);
		free(a);
		return WK_ENOMEM;
	}
	j->watching = true;
	return 0;
}

static void watch_stop(struct pdfjob *j)
{
	if (!j->watching)
		return;
	pthread_mutex_lock(&j->mu);
	j->done = true;
	pthread_cond_signal(&j->cv);
	pthread_mutex_unlock(&j->mu);
	pthread_join(j->thread, NULL);
	pthread_cond_destroy(&j->cv);
	pthread_mutex_destroy(&j->mu);
	j->watching = false;
}

/* ---- the job ------------------------------------------------------------ */

int pdfjob_start(struct pdfjob *j, const struct parse_limits *lim,
		 char *err, size_t errlen)
{
	fz_alloc_context alloc = { j, job_malloc, job_realloc, job_free };
	char sz[32];

	memset(j, 0, sizeof(*j));
	atomic_init(&j->timed_out, false);
	j->lim = lim;
	/* Cached fonts, images and objects may use a quarter of the cap;
	 * MuPDF evicts from this store first when the cap is hit. */
	j->ctx = fz_new_context(&alloc, NULL, lim->max_memory / 4);
	if (!j->ctx) {
		if (j->pending)
			return parse_fail(err, errlen, WK_ETOOBIG,
					  "pdf needs more than %s of memory",
					  parse_size_str(lim->max_memory, sz,
							 sizeof(sz)));
		return parse_fail(err, errlen, WK_ENOMEM, "out of memory");
	}
	fz_set_warning_callback(j->ctx, quiet, NULL);
	fz_set_error_callback(j->ctx, on_error, j);
	if (lim->max_seconds > 0 && watch_start(j, lim->max_seconds)) {
		fz_drop_context(j->ctx);
		j->ctx = NULL;
		return parse_fail(err, errlen, WK_ENOMEM,
				  "out of memory (cannot start the pdf "
				  "time limit)");
	}
	return 0;
}

bool pdfjob_expired(struct pdfjob *j)
{
	return atomic_load(&j->timed_out);
}

bool pdfjob_failed(struct pdfjob *j)
{
	return pdfjob_expired(j) || j->oom || j->pending;
}

int pdfjob_fail(struct pdfjob *j, int code, const char *msg, char *err,
		size_t errlen)
{
	char sz[32], safe[80];

	if (pdfjob_expired(j))
		return parse_fail(err, errlen, WK_ETOOBIG,
				  "pdf needs more than %g seconds to process",
				  j->lim->max_seconds);
	if (j->oom || j->pending)
		return parse_fail(err, errlen, WK_ETOOBIG,
				  "pdf needs more than %s of memory",
				  parse_size_str(j->lim->max_memory, sz,
						 sizeof(sz)));
	if (code == FZ_ERROR_MEMORY)
		return parse_fail(err, errlen, WK_ENOMEM, "out of memory");
	return parse_fail(err, errlen, WK_EMALFORMED, "damaged pdf: %s",
			  parse_safe_name(msg && *msg ? msg : "unknown error",
					  safe, sizeof(safe)));
}

int pdfjob_open(struct pdfjob *j, const void *data, size_t len,
		fz_document **doc, char *err, size_t errlen)
{
	fz_context *ctx = j->ctx;
	fz_stream *stm = NULL;
	pdf_document *pdoc = NULL;
	int locked = 0;

	*doc = NULL;
	fz_var(stm);
	fz_var(pdoc);
	fz_var(locked);
	/* Straight to the PDF handler: no other format's parser (XPS,
	 * EPUB, HTML, images) is ever reachable from here. */
	fz_try(ctx) {
		stm = fz_open_memory(ctx, data, len);
		pdoc = pdf_open_document_with_stream(ctx, stm);
		if (fz_needs_password(ctx, &pdoc->super) &&
		    !fz_authenticate_password(ctx, &pdoc->super, ""))
			locked = 1;
	}
	fz_always(ctx) {
		fz_drop_stream(ctx, stm);
	}
	fz_catch(ctx) {
		pdf_drop_document(ctx, pdoc);
		return pdfjob_fail(j, fz_caught(ctx), fz_caught_message(ctx),
				   err, errlen);
	}
	if (locked) {
		pdf_drop_document(ctx, pdoc);
		return parse_fail(err, errlen, WK_EUNSUPPORTED,
				  "pdf is encrypted with a password; "
				  "encrypted pdf files are not supported");
	}
	*doc = &pdoc->super;
	return 0;
}

size_t pdfjob_end(struct pdfjob *j)
{
	watch_stop(j);
	if (j->ctx) {
		fz_drop_context(j->ctx);
		j->ctx = NULL;
	}
	return j->peak;
}
