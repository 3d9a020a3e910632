/*
 * reindex.c - `wenku reindex [--data DIR]`: rebuild the full-text index
 * from the documents' stored text (after a tokenizer change, or to
 * repair the index). One write transaction; the site may keep serving
 * (searches wait for it, pages don't).
 */
#include "cli.h"

#include "../base/err.h"
#include "../store/store.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>

static int reindex(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *data = "./data";
	char err[512];
	struct store *s;
	struct stat sb;
	time_t t0 = time(NULL);
	int64_t n = 0;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': data = optarg; break;
		case 'h': printf("usage: wenku reindex [--data DIR]\n"); return 0;
		default: return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "usage: wenku reindex [--data DIR]\n");
		return 2;
	}
	if (stat(data, &sb) || !S_ISDIR(sb.st_mode)) {
		fprintf(stderr, "wenku: %s: no such data folder\n", data);
		return 1;
	}
	if (!(s = store_open(data, err, sizeof(err)))) {
		fprintf(stderr, "wenku: %s\n", err);
		return 1;
	}
	rc = store_search_reindex(s, &n);
	store_close(s);
	if (rc) {
		fprintf(stderr, "wenku: reindex failed: %s\n", wk_strerror(rc));
		return 1;
	}
	printf("reindexed %" PRId64 " documents in %lld s\n", n,
	       (long long)(time(NULL) - t0));
	return 0;
}

const struct cli_command cli_reindex = {
	"reindex", "rebuild the full-text search index", reindex,
};
