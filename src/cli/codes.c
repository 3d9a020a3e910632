/*
 * codes.c - `wenku codes`: redemption codes (卡密) from the command line.
 *
 *   wenku codes generate --points N --count K [--days D] [--batch NAME]
 *                        [--data DIR]
 *
 * Prints the batch as CSV (code,points,expires) on standard output: the
 * only time the codes exist in clear, since only their hashes are kept.
 */
#include "cli.h"

#include "../base/err.h"
#include "../domain/codes.h"
#include "../store/store.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int codes(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "points", required_argument, NULL, 'p' },
		{ "vip", required_argument, NULL, 'v' },
		{ "count", required_argument, NULL, 'c' },
		{ "days", required_argument, NULL, 'D' },
		{ "batch", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *data = "./data", *batch = NULL;
	long long points = 0, count = 0, days = 365, plan = 0;
	char err[256], when[32], defbatch[40];
	char (*out)[CODE_TEXT];
	int64_t now = (int64_t)time(NULL), expires;
	struct store *s;
	struct tm tm;
	time_t et;
	int c, rc;
	long long i;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': data = optarg; break;
		case 'p': points = atoll(optarg); break;
		case 'v': plan = atoll(optarg); break;
		case 'c': count = atoll(optarg); break;
		case 'D': days = atoll(optarg); break;
		case 'b': batch = optarg; break;
		case 'h':
			printf("usage: wenku codes generate (--points N | --vip "
			       "PLAN) --count K [--days D] [--batch NAME] "
			       "[--data DIR]\n");
			return 0;
		default: return 2;
		}
	}
	if (argc - optind != 1 || strcmp(argv[optind], "generate") ||
	    (plan ? points != 0 || plan < 1
		  : points < 1 || points > CODES_MAX_POINTS) || count < 1 ||
	    count > CODES_MAX_BATCH || days < 1 || days > 3650) {
		fprintf(stderr, "usage: wenku codes generate (--points 1..%d | "
				"--vip PLAN) --count 1..%d [--days 1..3650] "
				"[--batch NAME]\n",
			CODES_MAX_POINTS, CODES_MAX_BATCH);
		return 2;
	}
	if (!batch) {
		snprintf(defbatch, sizeof(defbatch), "batch-%lld",
			 (long long)now);
		batch = defbatch;
	}
	s = store_open(data, err, sizeof(err));
	if (!s) {
		fprintf(stderr, "wenku: %s\n", err);
		return 1;
	}
	out = calloc((size_t)count, sizeof(*out));
	expires = now + days * 86400;
	rc = !out  ? 1
	     : plan ? codes_generate_vip(s, batch, plan, (size_t)count,
					 expires, now, out)
		    : codes_generate(s, batch, points, (size_t)count, expires,
				     now, out);
	store_close(s);
	if (rc) {
		fprintf(stderr, "wenku: the codes could not be made (%s)\n",
			strlen(batch) > 64     ? "batch name over 64 bytes"
			: rc == WK_ENOTFOUND ? "no such VIP plan"
					       : "database error");
		free(out);
		return 1;
	}
	et = (time_t)expires;
	gmtime_r(&et, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	printf("code,%s,expires\n", plan ? "vip_plan" : "points");
	for (i = 0; i < count; i++)
		printf("%s,%lld,%s\n", out[i], plan ? plan : points, when);
	if (plan)
		fprintf(stderr, "wenku: %lld codes of VIP plan %lld in batch "
				"%s\n", count, plan, batch);
	else
		fprintf(stderr, "wenku: %lld codes of %lld points in batch "
				"%s\n", count, points, batch);
	free(out);
	return 0;
}

const struct cli_command cli_codes = {
	"codes", "make redemption codes (卡密) worth points", codes,
};
