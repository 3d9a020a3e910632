/*
 * codes.c - `wenku codes`: redemption codes (卡密) from the command line.
 *
 *   wenku codes generate --points N --count K [--days D] [--batch NAME]
 *                        [--data DIR]
 *   wenku codes list [--data DIR]     batches, newest first (CSV)
 *   wenku codes void ID [--data DIR]  void batch ID (its first code's id)
 *
 * generate prints the batch as CSV (code,points,expires) on standard
 * output: the only time the codes exist in clear, since only their
 * hashes are kept. void is the console's (codes_void_batch), audited
 * with the command line as the actor (0).
 */
#include "cli.h"

#include "../base/arena.h"
#include "../base/err.h"
#include "../domain/codes.h"
#include "../store/store.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *utc(int64_t t, char *buf, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!t)
		return "";
	gmtime_r(&tt, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

/* A batch name as one CSV field (quoted when it holds , " or a line
 * break). */
static void csv_field(const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, stdout);
		return;
	}
	putchar('"');
	for (; *s; s++) {
		if (*s == '"')
			putchar('"');
		putchar(*s);
	}
	putchar('"');
}

/* `wenku codes list`: every batch, newest first, as CSV. */
static int list(struct store *s)
{
	struct store_code_batch *b;
	struct arena *a = NULL;
	char w1[32], w2[32], w3[32];
	int offset = 0, rc = 0;
	size_t n, i;
	bool more = true;

	printf("id,batch,created,points,vip_plan,count,redeemed,expires,"
	       "voided\n");
	while (more && !rc) {
		arena_free(a);	/* one page of rows at a time */
		if (!(a = arena_new(0)))
			return WK_ENOMEM;
		if ((rc = store_code_batches(s, a, offset, 200, &b, &n, &more)))
			break;
		for (i = 0; i < n; i++) {
			printf("%lld,", (long long)b[i].id);
			csv_field(b[i].name);
			printf(",%s,%lld,%lld,%lld,%lld,%s,%s\n",
			       utc(b[i].created_at, w1, sizeof(w1)),
			       (long long)b[i].points,
			       (long long)b[i].vip_plan_id,
			       (long long)b[i].count, (long long)b[i].redeemed,
			       utc(b[i].expires_at, w2, sizeof(w2)),
			       utc(b[i].voided_at, w3, sizeof(w3)));
		}
		offset += (int)n;
	}
	arena_free(a);
	return rc;
}

/* `wenku codes void ID`. */
static int void_batch(struct store *s, const char *arg)
{
	char *end;
	long long id = strtoll(arg, &end, 10);
	int rc;

	if (!*arg || *end || id < 1) {
		fprintf(stderr, "wenku: a batch id is a whole number (see "
				"wenku codes list)\n");
		return 2;
	}
	rc = codes_void_batch(s, 0, id, (int64_t)time(NULL));
	if (rc == WK_ENOTFOUND)
		fprintf(stderr, "wenku: no code batch %lld (see wenku codes "
				"list)\n", id);
	else if (rc == WK_ECONFLICT)
		fprintf(stderr, "wenku: batch %lld is voided already\n", id);
	else if (rc)
		fprintf(stderr, "wenku: %s\n", wk_strerror(rc));
	else
		printf("batch %lld voided: its codes can no longer be "
		       "redeemed\n", id);
	return rc ? 1 : 0;
}

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
			       "[--data DIR]\n"
			       "       wenku codes list [--data DIR]\n"
			       "       wenku codes void ID [--data DIR]\n");
			return 0;
		default: return 2;
		}
	}
	if (argc - optind >= 1 && (!strcmp(argv[optind], "list") ||
				   !strcmp(argv[optind], "void"))) {
		bool is_list = !strcmp(argv[optind], "list");
		if (argc - optind != (is_list ? 1 : 2)) {
			fprintf(stderr, "usage: wenku codes list | void ID "
					"[--data DIR]\n");
			return 2;
		}
		if (!(s = store_open(data, err, sizeof(err)))) {
			fprintf(stderr, "wenku: %s\n", err);
			return 1;
		}
		rc = is_list ? list(s) : void_batch(s, argv[optind + 1]);
		store_close(s);
		if (is_list && rc) {
			fprintf(stderr, "wenku: %s\n", wk_strerror(rc));
			return 1;
		}
		return rc;
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
	"codes", "redemption codes (卡密): generate, list batches, void one",
	codes,
};
