/*
 * import.c - `wenku import`: bulk import of files and folders through
 * the same queue and sandboxed workers as uploads.
 *
 *   wenku import [--data DIR] [--category SLUG] [--price N]
 *                [--provider NAME] [--publish] [--json] [--queue-only]
 *                PATH...
 *
 * Folders are walked recursively (symbolic links are not followed).
 * Every file is stored and queued first, then converted by runner
 * threads in this process (a running `wenku serve` on the same data
 * takes jobs from the same queue). Results are printed as files finish:
 * one line each, or with --json one object per file
 * {"file","status","id","reason"}; a progress bar goes to a terminal's
 * stderr; a summary ends the run. --queue-only stops after queueing.
 */
#include "cli.h"

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/json.h"
#include "../domain/ingest.h"
#include "../store/store.h"

#include <errno.h>
#include <ftw.h>
#include <getopt.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Files queued per transaction. */
#define QUEUE_CHUNK 200

struct file_list {
	char **paths;
	size_t n, cap;
};

static struct file_list *walk_list;

static int add_path(struct file_list *l, const char *p)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		char **np = realloc(l->paths, cap * sizeof(*np));
		if (!np)
			return -1;
		l->paths = np;
		l->cap = cap;
	}
	l->paths[l->n] = strdup(p);
	return l->paths[l->n++] ? 0 : -1;
}

static int walk_one(const char *path, const struct stat *st, int type,
		    struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type == FTW_F)
		return add_path(walk_list, path);
	return 0;
}

static int cmp_paths(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct counts {
	int imported, duplicate, near, rejected, unreadable;
};

static void print_result(const char *file, const char *status, int64_t id,
			 const char *reason, int json)
{
	if (json) {
		struct buf b;
		buf_init(&b, 0);
		buf_adds(&b, "{\"file\":");
		json_cstr(&b, file);
		buf_adds(&b, ",\"status\":");
		json_cstr(&b, status);
		if (id)
			buf_addf(&b, ",\"id\":%lld", (long long)id);
		else
			buf_adds(&b, ",\"id\":null");
		buf_adds(&b, ",\"reason\":");
		json_cstr(&b, reason && *reason ? reason : NULL);
		buf_adds(&b, "}\n");
		fputs(buf_str(&b), stdout);
		buf_release(&b);
	} else if (id && strcmp(status, "rejected")) {
		printf("%s: %s, document %lld%s%s\n", file, status,
		       (long long)id, reason && *reason ? " — " : "",
		       reason ? reason : "");
	} else {
		printf("%s: %s%s%s\n", file, status,
		       reason && *reason ? ": " : "", reason ? reason : "");
	}
	fflush(stdout);
}

static void count(struct counts *c, const char *outcome)
{
	if (!strcmp(outcome, "imported"))
		c->imported++;
	else if (!strcmp(outcome, "duplicate"))
		c->duplicate++;
	else if (!strcmp(outcome, "near-duplicate"))
		c->near++;
	else
		c->rejected++;
}

static void progress(size_t done, size_t total)
{
	char bar[41];
	size_t i, fill = total ? done * 40 / total : 40;

	if (!isatty(2))
		return;
	for (i = 0; i < 40; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[40] = '\0';
	fprintf(stderr, "\r[%s] %zu/%zu", bar, done, total);
	if (done == total)
		fputc('\n', stderr);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: wenku import [--data DIR] [--category SLUG] "
		   "[--price N] [--vip-free] [--provider NAME]\n"
		   "                    [--publish] [--json] [--queue-only] "
		   "PATH...\n");
}

static int import(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "category", required_argument, NULL, 'c' },
		{ "price", required_argument, NULL, 'p' },
		{ "vip-free", no_argument, NULL, 'V' },
		{ "provider", required_argument, NULL, 'u' },
		{ "publish", no_argument, NULL, 'P' },
		{ "json", no_argument, NULL, 'j' },
		{ "queue-only", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *data = "./data", *category = NULL, *provider = NULL;
	struct file_list files = { 0 };
	struct ingest_opts o = { 0 };
	struct sandbox_limits lim;
	struct ingest_pool *pool = NULL;
	struct counts cnt = { 0 };
	struct store *s;
	struct arena *a;
	char err[512], batch[33];
	unsigned char rnd[16];
	int c, json = 0, queue_only = 0, rc = 0;
	size_t i, done = 0, queued = 0;
	int64_t *job_of = NULL;	/* job id of each file */

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': data = optarg; break;
		case 'c': category = optarg; break;
		case 'p': {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (*end || v < 0 || v > 100000) {
				fprintf(stderr, "wenku: --price wants 0 to "
						"100000 points\n");
				return 2;
			}
			o.price = (int)v;
			break;
		}
		case 'u': provider = optarg; break;
		case 'P': o.publish = true; break;
		case 'V': o.vip_free = true; break;
		case 'j': json = 1; break;
		case 'q': queue_only = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind == argc) {
		usage(stderr);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	walk_list = &files;
	for (i = (size_t)optind; i < (size_t)argc; i++) {
		struct stat st;
		if (stat(argv[i], &st)) {
			fprintf(stderr, "wenku: %s: %s\n", argv[i],
				strerror(errno));
			rc = 1;
		} else if (S_ISDIR(st.st_mode)) {
			if (nftw(argv[i], walk_one, 16, FTW_PHYS))
				rc = 1;
		} else if (add_path(&files, argv[i])) {
			rc = 1;
		}
	}
	qsort(files.paths, files.n, sizeof(char *), cmp_paths);

	s = store_open(data, err, sizeof(err));
	if (!s) {
		fprintf(stderr, "wenku: %s\n", err);
		return 1;
	}
	a = arena_new(0);
	if (category) {
		struct store_category cat;
		if (store_category_by_slug(s, a, category, &cat)) {
			fprintf(stderr, "wenku: no category '%s'\n", category);
			rc = 1;
			goto out;
		}
		o.category_id = cat.id;
	}
	if (provider && store_user_id(s, provider, &o.provider_id)) {
		fprintf(stderr, "wenku: no account named '%s'\n", provider);
		rc = 1;
		goto out;
	}
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(batch, sizeof(batch), rnd, sizeof(rnd));
	o.batch = batch;
	sandbox_default_limits(&lim);

	/* Queue everything first, in transactions of QUEUE_CHUNK files
	 * committed after one sync of the stored files: once queued,
	 * nothing is lost. */
	job_of = calloc(files.n + 1, sizeof(*job_of));
	if (!job_of || store_write_begin(s)) {
		fprintf(stderr, "wenku: the queue could not be written\n");
		rc = 1;
		goto out;
	}
	store_blob_defer_sync(s);
	for (i = 0; i < files.n; i++) {
		struct store_job j;
		unsigned char *bytes;
		size_t len;
		const char *base = strrchr(files.paths[i], '/');

		o.filename = base ? base + 1 : files.paths[i];
		if (cli_read_file(files.paths[i], lim.max_input, &bytes,
				  &len)) {
			print_result(files.paths[i], "rejected", 0,
				     "the file could not be read", json);
			cnt.unreadable++;
		} else if (ingest_enqueue(s, a, bytes, len, &o, &j, err,
					  sizeof(err))) {
			print_result(files.paths[i], "rejected", 0, err, json);
			cnt.unreadable++;
		} else {
			job_of[i] = j.id;
			queued++;
		}
		free(bytes);
		/* Commit in chunks, so a running server is never kept from
		 * writing for long. */
		if (i % QUEUE_CHUNK == QUEUE_CHUNK - 1 || i == files.n - 1) {
			if (store_blob_sync(s) || store_write_commit(s)) {
				store_write_rollback(s);
				fprintf(stderr, "wenku: the files could not be "
						"queued\n");
				rc = 1;
				goto out;
			}
			if (i < files.n - 1) {
				if (store_write_begin(s)) {
					rc = 1;
					goto out;
				}
				store_blob_defer_sync(s);
			}
		}
	}
	if (files.n == 0 && store_write_commit(s))
		rc = 1;
	if (queue_only) {
		printf("queued %zu files (batch %s)\n", queued, batch);
		goto out;
	}
	/* Conversions only: page-image jobs are left to the server. */
	pool = ingest_pool_start(s, sandbox_self_exe(),
				 (unsigned)sysconf(_SC_NPROCESSORS_ONLN), 200,
				 "convert");
	/* Report each file's outcome in file order as its job finishes
	 * (jobs run in parallel and may finish in any order). */
	for (i = 0; i < files.n; i++) {
		struct store_job j;
		struct arena *ra;

		if (!job_of[i])
			continue;	/* could not be read or queued */
		for (;;) {
			ra = arena_new(0);
			if (!ra || store_job_get(s, ra, job_of[i], &j)) {
				arena_free(ra);
				fprintf(stderr, "wenku: the queue could not "
						"be read\n");
				rc = 1;
				goto stop;
			}
			if (!strcmp(j.status, "done"))
				break;
			arena_free(ra);
			usleep(3000);
		}
		print_result(files.paths[i], j.outcome, j.doc_id, j.reason,
			     json);
		count(&cnt, j.outcome);
		arena_free(ra);
		progress(++done, queued);
	}
stop:
	ingest_pool_stop(pool);
	fprintf(json ? stderr : stdout,
		"imported %d, duplicate %d, near-duplicate %d, rejected %d\n",
		cnt.imported, cnt.duplicate, cnt.near,
		cnt.rejected + cnt.unreadable);
out:
	free(job_of);
	for (i = 0; i < files.n; i++)
		free(files.paths[i]);
	free(files.paths);
	arena_free(a);
	store_close(s);
	return rc || cnt.unreadable ? 1 : 0;
}

const struct cli_command cli_import = {
	"import", "import files and folders through the conversion queue",
	import,
};
