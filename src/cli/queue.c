/*
 * queue.c - `wenku queue`: the state of the conversion queue.
 *
 *   wenku queue [--data DIR] [--batch ID] [--json]
 */
#include "cli.h"

#include "../store/store.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static int queue(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "batch", required_argument, NULL, 'b' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *data = "./data", *batch = NULL;
	struct store_job_counts c;
	struct store *s;
	char err[512];
	int ch, json = 0, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': data = optarg; break;
		case 'b': batch = optarg; break;
		case 'j': json = 1; break;
		case 'h':
			printf("usage: wenku queue [--data DIR] [--batch ID] "
			       "[--json]\n");
			return 0;
		default: return 2;
		}
	}
	s = store_open(data, err, sizeof(err));
	if (!s) {
		fprintf(stderr, "wenku: %s\n", err);
		return 1;
	}
	rc = store_job_counts(s, batch, &c);
	store_close(s);
	if (rc) {
		fprintf(stderr, "wenku: the queue could not be read\n");
		return 1;
	}
	if (json)
		printf("{\"queued\":%lld,\"running\":%lld,\"imported\":%lld,"
		       "\"duplicate\":%lld,\"near-duplicate\":%lld,"
		       "\"rejected\":%lld}\n",
		       (long long)c.queued, (long long)c.running,
		       (long long)c.imported, (long long)c.duplicate,
		       (long long)c.near_duplicate, (long long)c.rejected);
	else
		printf("queued %lld, running %lld; done: imported %lld, "
		       "duplicate %lld, near-duplicate %lld, rejected %lld\n",
		       (long long)c.queued, (long long)c.running,
		       (long long)c.imported, (long long)c.duplicate,
		       (long long)c.near_duplicate, (long long)c.rejected);
	return 0;
}

const struct cli_command cli_queue = {
	"queue", "show the conversion queue (all, or one import batch)",
	queue,
};
