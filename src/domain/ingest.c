/*
 * ingest.c - queueing files and running conversion jobs (see ingest.h).
 */
#include "ingest.h"

#include "../base/arena.h"
#include "../base/err.h"
#include "../base/log.h"
#include "ledger.h"
#include "settings.h"
#include "simhash.h"
#include "zygote.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int ingest_enqueue(struct store *s, struct arena *a, const void *data,
		   size_t len, const struct ingest_opts *o,
		   struct store_job *job, char *err, size_t errlen)
{
	char hex[65];
	int64_t dup;
	int rc;

	memset(job, 0, sizeof(*job));
	if ((rc = store_blob_put(s, data, len, hex))) {
		snprintf(err, errlen, "the file could not be stored");
		return rc;
	}
	job->sha256 = arena_strdup(a, hex);
	job->filename = o->filename;
	job->batch = o->batch;
	job->category_id = o->category_id;
	job->provider_id = o->provider_id;
	job->price = o->price;
	job->vip_free = o->vip_free;
	job->publish = o->publish;
	rc = store_doc_by_sha256(s, hex, &dup);
	if (rc == 0) {
		job->outcome = "duplicate";
		job->doc_id = dup;
		job->reason = arena_sprintf(a, "the same file is already "
					       "document %lld", (long long)dup);
	} else if (rc != WK_ENOTFOUND) {
		snprintf(err, errlen, "the file could not be queued");
		return rc;
	} else if ((rc = store_doc_removed_by_sha256(s, hex, &dup)) == 0) {
		/* A takedown holds for the same bytes uploaded again; the
		 * way back is the counter-notice on the removed document. */
		job->outcome = "rejected";
		job->reason = arena_sprintf(a, "the same file was taken down "
					       "(document %lld) and may not be "
					       "uploaded again",
					    (long long)dup);
	} else if (rc != WK_ENOTFOUND) {
		snprintf(err, errlen, "the file could not be queued");
		return rc;
	}
	if (o->tags && *o->tags && !job->outcome) {
		/* The tags wait beside the job, written with it. */
		if ((rc = store_write_begin(s)) == 0) {
			rc = store_job_add(s, job);
			if (rc == 0)
				rc = store_job_tags_set(s, job->id, o->tags);
			if (rc)
				store_write_rollback(s);
			else
				rc = store_write_commit(s);
		}
	} else {
		rc = store_job_add(s, job);
	}
	if (rc) {
		snprintf(err, errlen, "the file could not be queued");
		return rc;
	}
	job->status = job->outcome ? "done" : "queued";
	return 0;
}

void ingest_runner_init(struct ingest_runner *r, struct store *s,
			const char *exe)
{
	char host[128] = "";

	memset(r, 0, sizeof(*r));
	r->store = s;
	r->exe = exe;
	sandbox_default_limits(&r->lim);
	r->lease = (int)(r->lim.wall_ms / 1000) + 30;
	gethostname(host, sizeof(host) - 1);
	snprintf(r->owner, sizeof(r->owner), "%s %d", host, (int)getpid());
}

int ingest_recover(struct ingest_runner *r)
{
	struct store_job *jobs;
	struct arena *a = arena_new(0);
	size_t n, i, hl = strcspn(r->owner, " ");
	int rc;

	if (!a)
		return WK_ENOMEM;
	rc = store_job_running(r->store, a, &jobs, &n);
	for (i = 0; rc == 0 && i < n; i++) {
		const char *o = jobs[i].owner;
		long pid;

		if (!o || strncmp(o, r->owner, hl) || o[hl] != ' ')
			continue;	/* another host's: its lease decides */
		pid = strtol(o + hl + 1, NULL, 10);
		if (pid > 0 && (pid == getpid() || kill((pid_t)pid, 0) == 0 ||
				errno != ESRCH))
			continue;
		log_warn("job %lld: runner %s is gone; queued again",
			 (long long)jobs[i].id, o);
		rc = store_job_requeue(r->store, jobs[i].id);
	}
	arena_free(a);
	return rc;
}

/* The document this text nearly duplicates, or 0. */
static int64_t near_duplicate(struct store *s, struct arena *a, uint64_t h)
{
	int64_t *ids;
	uint64_t *hashes;
	size_t n, i;

	if (!h || store_doc_simhashes(s, a, &ids, &hashes, &n))
		return 0;
	for (i = 0; i < n; i++)
		if (simhash_distance(h, hashes[i]) <= SIMHASH_NEAR)
			return ids[i];
	return 0;
}

/* Whether a document of format should get LibreOffice page images. */
static bool pages_wanted(struct ingest_runner *r, struct arena *a,
			 const char *format)
{
	static const char *const paged[] = { "docx", "pptx", "doc", "ppt",
					     "odt", "odp", "rtf" };
	struct site_settings cfg;
	size_t i;

	if (!format || !sandbox_soffice() ||
	    settings_load(r->store, a, &cfg) || !cfg.office_page_images)
		return false;
	for (i = 0; i < sizeof(paged) / sizeof(paged[0]); i++)
		if (!strcmp(format, paged[i]))
			return true;
	return false;
}

/* A "pages" job: the document's free pages through LibreOffice (to
 * PDF) and a sandboxed worker (to watermarked PNGs). */
static int run_pages(struct ingest_runner *r, struct zygote *zy,
		     struct arena *a, const struct store_job *j,
		     const void *data, size_t len)
{
	struct sandbox_limits lim = r->lim;
	struct site_settings cfg;
	struct parse_result pr;
	struct store_doc d;
	unsigned char *pdf = NULL;
	size_t plen, i;
	char err[512];
	int rc;

	if (store_doc_get(r->store, a, j->doc_id, &d) ||
	    !strcmp(d.status, "removed"))
		return store_job_finish(r->store, j->id, "rejected",
					"the document is gone", 0);
	if ((rc = settings_load(r->store, a, &cfg)))
		return rc;
	rc = sandbox_office(r->exe, data, len, "pdf", &pdf, &plen, err,
			    sizeof(err), NULL);
	if (rc)
		return store_job_finish(r->store, j->id, "rejected", err, 0);
	lim.render_share = cfg.preview_share;
	lim.watermark = cfg.watermark;
	rc = zy ? zygote_convert(zy, r->exe, pdf, plen, &lim, &pr, err,
				 sizeof(err), NULL)
		: sandbox_convert(r->exe, pdf, plen, &lim, &pr, err,
				  sizeof(err), NULL);
	free(pdf);
	if (rc)
		return store_job_finish(r->store, j->id, "rejected", err, 0);
	if ((rc = store_write_begin(r->store))) {
		parse_result_release(&pr);
		return rc;
	}
	for (i = 0; rc == 0 && i < pr.nimages; i++) {
		const struct parse_image *im = &pr.images[i];
		struct store_image img = {
			.kind = im->page ? "page" : "cover",
			.page = im->page,
			.width = im->width,
			.height = im->height,
		};
		char hex[65];

		rc = store_blob_put(r->store, im->png, im->len, hex);
		img.sha256 = hex;
		if (rc == 0)
			rc = store_image_add(r->store, d.id, &img);
	}
	if (rc == 0 && pr.pages > 0)
		rc = store_doc_set_pages(r->store, d.id, pr.pages);
	if (rc == 0)
		rc = store_job_finish(r->store, j->id, "imported",
				      pr.nimages ? "" : "no free pages",
				      d.id);
	parse_result_release(&pr);
	if (rc) {
		store_write_rollback(r->store);
		/* Images already there (a retried job): done all the same. */
		if (rc == WK_ECONFLICT)
			return store_job_finish(r->store, j->id, "imported",
						"", d.id);
		return rc;
	}
	return store_write_commit(r->store);
}

/* The provider's reward for an upload published at once (a site that
 * publishes uploads without review; reviewed ones are rewarded when
 * approved). Uploads only: an operator's `wenku import` (a batch) earns
 * nothing. A failure is logged; the document stays. */
static void reward_upload(struct store *s, struct arena *a,
			  const struct store_job *j, int64_t doc_id)
{
	struct site_settings cfg;
	bool given;
	int rc;

	if (!j->provider_id || (j->batch && *j->batch))
		return;
	if ((rc = settings_load(s, a, &cfg)) ||
	    (rc = ledger_reward_upload(s, a, j->provider_id, doc_id,
				       (int64_t)time(NULL), cfg.reward_upload,
				       cfg.reward_upload_daily, &given)))
		log_warn("upload reward for document %lld failed: %s",
			 (long long)doc_id, wk_strerror(rc));
}

/* Record a converted job's document and outcome in one transaction. */
static int commit(struct ingest_runner *r, struct arena *a,
		  const struct store_job *j, const struct parse_result *pr,
		  const char *format, size_t size)
{
	struct docs_new nd = {
		.filename = j->filename,
		.format = format,
		.category_id = j->category_id,
		.provider_id = j->provider_id,
		.price = j->price,
		.vip_free = j->vip_free,
		.publish = j->publish,
	};
	const char *outcome = "imported", *reason = "";
	int64_t dup, near, id = 0;
	char err[256];
	int rc;

	if ((rc = store_write_begin(r->store)))
		return rc;
	rc = store_job_tags_get(r->store, a, j->id, &nd.tags);
	if (rc == 0)
		rc = store_doc_by_sha256(r->store, j->sha256, &dup);
	if (rc == 0) {
		/* Converted twice at once: the other copy won. */
		outcome = "duplicate";
		id = dup;
		reason = arena_sprintf(a, "the same file is already document "
					  "%lld", (long long)dup);
	} else if (rc == WK_ENOTFOUND) {
		near = near_duplicate(r->store, a,
				      simhash_text(pr->text, pr->text_len));
		rc = docs_commit(r->store, pr, j->sha256, size, &nd, near, &id,
				 err, sizeof(err));
		if (rc == WK_EINVAL) {
			outcome = "rejected";
			reason = arena_strdup(a, err);
			rc = 0;
		} else if (rc == 0 && near) {
			outcome = "near-duplicate";
			reason = arena_sprintf(a, "resembles document %lld; held "
						  "for review", (long long)near);
		}
	}
	if (rc == 0)
		rc = store_job_finish(r->store, j->id, outcome, reason,
				      strcmp(outcome, "rejected") ? id : 0);
	if (rc == 0 && id && !strcmp(outcome, "imported") && pages_wanted(r, a,
								  format)) {
		struct store_job pj = {
			.kind = "pages",
			.sha256 = j->sha256,
			.filename = j->filename,
			.doc_id = id,
		};
		rc = store_job_add(r->store, &pj);
	}
	if (rc) {
		store_write_rollback(r->store);
		return rc;
	}
	if ((rc = store_write_commit(r->store)))
		return rc;
	if (id && !strcmp(outcome, "imported") && j->publish)
		reward_upload(r->store, a, j, id);
	return 0;
}

int ingest_run_one(struct ingest_runner *r, struct zygote *zy)
{
	struct sandbox_stats st;
	struct parse_result pr;
	const char *format;
	struct store_job j;
	struct arena *a;
	unsigned char *data = NULL;
	char err[512];
	size_t len = 0;
	int rc;

	a = arena_new(0);
	if (!a)
		return WK_ENOMEM;
	rc = store_job_claim(r->store, a, r->kind, r->owner,
			     (int64_t)time(NULL), r->lease,
			     INGEST_MAX_ATTEMPTS, &j);
	if (rc) {
		arena_free(a);
		return rc;
	}
	rc = store_blob_read(r->store, j.sha256, r->lim.max_input, &data,
			     &len);
	if (rc) {
		snprintf(err, sizeof(err), rc == WK_ETOOBIG
				 ? "the file is too large"
				 : "the stored file could not be read");
		rc = store_job_finish(r->store, j.id, "rejected", err, 0);
		goto out;
	}
	if (j.kind && !strcmp(j.kind, "pages")) {
		rc = run_pages(r, zy, a, &j, data, len);
		goto out;
	}
	{
		/* Page images carry the watermark of the settings now. */
		struct site_settings cfg;
		struct sandbox_limits lim = r->lim;
		if (settings_load(r->store, a, &cfg) == 0) {
			lim.render_share = cfg.preview_share;
			lim.watermark = cfg.watermark;
		}
		rc = sandbox_convert_any(r->exe, zy, data, len, &lim, &pr, &format,
					 err, sizeof(err), &st);
	}
	if (rc) {
		log_info("job %lld (%s) rejected: %s", (long long)j.id,
			 j.sha256, err);
		rc = store_job_finish(r->store, j.id, "rejected", err, 0);
		goto out;
	}
	rc = commit(r, a, &j, &pr, format, len);
	parse_result_release(&pr);
out:
	free(data);
	arena_free(a);
	return rc;
}

/* ---- runner pool ---------------------------------------------------------*/

struct ingest_pool {
	struct ingest_runner runner;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	pthread_t *threads;
	unsigned nthreads;
	unsigned poll_ms;
	bool stop;
	unsigned wakes;
	atomic_llong beat_ms;	/* when a runner last came round its loop */
};

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t ingest_pool_idle_ms(struct ingest_pool *p)
{
	return p ? mono_ms() - atomic_load(&p->beat_ms) : -1;
}

static void *pool_main(void *arg)
{
	struct ingest_pool *p = arg;
	struct zygote zy = { 0, -1 };	/* this thread's warm worker parent */

	for (;;) {
		struct timespec until;
		int rc;

		pthread_mutex_lock(&p->lock);
		if (p->stop) {
			pthread_mutex_unlock(&p->lock);
			break;
		}
		pthread_mutex_unlock(&p->lock);
		atomic_store(&p->beat_ms, mono_ms());
		rc = ingest_run_one(&p->runner, &zy);
		if (rc == 0)
			continue;
		if (rc != WK_ENOTFOUND)
			log_error("conversion queue: %s", wk_strerror(rc));
		/* Nothing to do (or the database failed): wait a little. */
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += p->poll_ms / 1000;
		until.tv_nsec += (long)(p->poll_ms % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_mutex_lock(&p->lock);
		if (!p->stop && !p->wakes)
			pthread_cond_timedwait(&p->cond, &p->lock, &until);
		if (p->wakes)
			p->wakes--;
		pthread_mutex_unlock(&p->lock);
	}
	zygote_stop(&zy);
	return NULL;
}

struct ingest_pool *ingest_pool_start(struct store *s, const char *exe,
				      unsigned threads, unsigned poll_ms,
				      const char *kind)
{
	struct ingest_pool *p = calloc(1, sizeof(*p));
	unsigned i;

	if (!p)
		return NULL;
	ingest_runner_init(&p->runner, s, exe);
	p->runner.kind = kind;
	if (ingest_recover(&p->runner))
		log_warn("could not requeue jobs of dead runners");
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->cond, NULL);
	p->poll_ms = poll_ms ? poll_ms : 1000;
	atomic_store(&p->beat_ms, mono_ms());
	p->threads = calloc(threads ? threads : 1, sizeof(*p->threads));
	if (!p->threads) {
		free(p);
		return NULL;
	}
	for (i = 0; i < (threads ? threads : 1); i++) {
		if (pthread_create(&p->threads[i], NULL, pool_main, p))
			break;
		p->nthreads++;
	}
	return p;
}

void ingest_pool_wake(struct ingest_pool *p)
{
	pthread_mutex_lock(&p->lock);
	p->wakes = p->nthreads;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
}

void ingest_pool_stop(struct ingest_pool *p)
{
	unsigned i;

	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->stop = true;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
	for (i = 0; i < p->nthreads; i++)
		pthread_join(p->threads[i], NULL);
	pthread_cond_destroy(&p->cond);
	pthread_mutex_destroy(&p->lock);
	free(p->threads);
	free(p);
}
