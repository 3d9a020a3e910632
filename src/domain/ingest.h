/*
 * ingest.h - the conversion pipeline for untrusted files.
 *
 *   file -> blob stored -> job queued -> sandboxed worker -> result
 *   checked -> document and job outcome committed in one transaction
 *
 * An exact duplicate (same sha256 as a document that is not removed) is
 * refused at once, naming the existing document. A near duplicate (a
 * simhash within SIMHASH_NEAR bits of another document's) is recorded but
 * held for review, naming the document it resembles. The queue is in the
 * database, so it survives restarts: a runner that dies leaves its job
 * to be claimed again (at once, when the dead runner was on this host),
 * at most INGEST_MAX_ATTEMPTS times.
 *
 * A document in a paged Office format (Word, PowerPoint, OpenDocument,
 * their legacy forms) gets a second job, of kind "pages", once it is
 * recorded: LibreOffice turns it into a PDF, a sandboxed worker renders
 * the free pages with the watermark, and they are added to the document.
 * It runs after the document is published, so a slow LibreOffice never
 * holds an upload back; `wenku import` leaves these jobs to the server.
 */
#ifndef WK_INGEST_H
#define WK_INGEST_H

#include "../store/store.h"
#include "docs.h"
#include "sandbox.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define INGEST_MAX_ATTEMPTS 3

struct ingest_opts {
	const char *filename;	/* shown to people; never a path */
	const char *batch;	/* groups an import's jobs ("" = none) */
	int64_t category_id;
	int64_t provider_id;
	int price;
	bool vip_free;		/* free for VIP members (price > 0) */
	bool publish;
	const char *tags;	/* the provider's tags (tags.h), checked */
};

/* Store a file and queue its conversion. On success *job is filled (its
 * outcome already "duplicate" when an identical document exists). Errors
 * before queueing (the file could not be stored) return a WK_ error with
 * a message in err. */
int ingest_enqueue(struct store *s, struct arena *a, const void *data,
		   size_t len, const struct ingest_opts *o,
		   struct store_job *job, char *err, size_t errlen);

struct ingest_runner {
	struct store *store;
	const char *exe;		/* wenku binary for workers */
	struct sandbox_limits lim;
	char owner[160];		/* "host pid" */
	int lease;			/* seconds a claim lasts */
	const char *kind;		/* jobs taken: "convert", or NULL
					 * for every kind */
};

void ingest_runner_init(struct ingest_runner *r, struct store *s,
			const char *exe);
/* Requeue running jobs whose runner, on this host, no longer exists. */
int ingest_recover(struct ingest_runner *r);
/* Claim one job and carry it through, converting through the zygote zy
 * (NULL: a freshly spawned worker). 0 when a job was run (whatever
 * its outcome), WK_ENOTFOUND when none waits, another WK_ error when
 * the database failed. */
struct zygote;
int ingest_run_one(struct ingest_runner *r, struct zygote *zy);

/* A pool of runner threads that keep taking jobs until stopped; when
 * the queue is empty they look again every poll_ms (jobs may be queued
 * by another process) or at once after ingest_pool_wake(). */
struct ingest_pool;

struct ingest_pool *ingest_pool_start(struct store *s, const char *exe,
				      unsigned threads, unsigned poll_ms,
				      const char *kind);
void ingest_pool_wake(struct ingest_pool *p);
/* Milliseconds since a runner last came round its loop (between jobs,
 * or after each poll when idle); -1 without a pool. A conversion runs
 * at most ~100 s (LibreOffice), so minutes mean the runners are stuck. */
int64_t ingest_pool_idle_ms(struct ingest_pool *p);
/* Stop taking jobs, let running conversions finish, join, free. */
void ingest_pool_stop(struct ingest_pool *p);

#endif
