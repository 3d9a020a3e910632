/*
 * trace.c - `wenku trace FILE [--data DIR]`: who downloaded this copy?
 *
 * Reads the download mark stamped into a served file (domain/trace.h)
 * and prints the download id, the account, the document and the time.
 * Exit 0 when a genuine mark of a logged download was found; 1 when
 * there is no mark, the mark is forged, or the download is unknown.
 */
#include "cli.h"

#include "../base/arena.h"
#include "../domain/sandbox.h"
#include "../domain/trace.h"
#include "../store/store.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

static int trace(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *data = "./data";
	unsigned char key[TRACE_KEY_BYTES], *file = NULL;
	struct store_download dl;
	struct stat st;
	struct arena *a;
	struct store *s;
	char err[256], when[40];
	bool genuine = false;
	size_t len = 0;
	int64_t id = 0;
	int c, rc = 1;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': data = optarg; break;
		case 'h':
			printf("usage: wenku trace FILE [--data DIR]\n");
			return 0;
		default: return 2;
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, "usage: wenku trace FILE [--data DIR]\n");
		return 2;
	}
	if (stat(data, &st) || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "wenku: no data folder at %s\n", data);
		return 1;
	}
	if (cli_read_file(argv[optind], (size_t)512 << 20, &file, &len))
		return 1;
	if (!(s = store_open(data, err, sizeof(err)))) {
		fprintf(stderr, "wenku: %s\n", err);
		free(file);
		return 1;
	}
	a = arena_new(0);
	if (!a || trace_key(s, key)) {
		fprintf(stderr, "wenku: the site's trace key could not be read\n");
	} else if (trace_find(sandbox_self_exe(), key, file, len, &id,
			      &genuine)) {
		printf("no download mark found in %s\n", argv[optind]);
	} else if (!genuine) {
		printf("%s carries mark D%" PRId64 " but it is NOT genuine "
		       "(altered or from another site)\n",
		       argv[optind], id);
	} else if (store_download_get(s, a, id, &dl)) {
		printf("%s carries a genuine mark of download %" PRId64
		       ", which is not in this site's log\n",
		       argv[optind], id);
	} else {
		time_t t = (time_t)dl.created_at;
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
		printf("download %" PRId64 "\naccount  %s\ndocument %" PRId64
		       " %s\ntime     %s\naddress  %s\n",
		       dl.id, dl.user_id ? dl.user_name : "(guest)",
		       dl.doc_id, dl.doc_title, when, dl.ip);
		rc = 0;
	}
	arena_free(a);
	store_close(s);
	free(file);
	return rc;
}

const struct cli_command cli_trace = {
	"trace", "find who downloaded a leaked copy", trace,
};
