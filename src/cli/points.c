/*
 * points.c - `wenku points`: an operator's view of and grants to an
 * account's points.
 *
 *   wenku points balance NAME [--data DIR]
 *   wenku points history NAME [--data DIR]     newest 100 postings
 *   wenku points grant NAME N [--reason TEXT] [--key KEY] [--data DIR]
 *
 * A grant is a ledger transaction from issuance. --key makes it
 * idempotent (running the same command twice grants once); without it
 * each run is a new grant.
 */
#include "cli.h"

#include "../base/arena.h"
#include "../base/err.h"
#include "../domain/ledger.h"
#include "../store/store.h"

#include <getopt.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void usage(FILE *f)
{
	fprintf(f, "usage: wenku points balance NAME [--data DIR]\n"
		   "       wenku points history NAME [--data DIR]\n"
		   "       wenku points grant NAME N [--reason TEXT] [--key KEY]"
		   " [--data DIR]\n");
}

static int points(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "reason", required_argument, NULL, 'r' },
		{ "key", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *data = "./data", *reason = "admin grant", *key = NULL;
	const char *verb;
	char err[256];
	struct store_account acc;
	struct arena *a;
	struct store *s;
	int c, rc = 0, nargs, told = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': data = optarg; break;
		case 'r': reason = optarg; break;
		case 'k': key = optarg; break;
		case 'h': usage(stdout); return 0;
		default: return 2;
		}
	}
	nargs = argc - optind;
	verb = nargs > 0 ? argv[optind] : "";
	if (!((!strcmp(verb, "balance") && nargs == 2) ||
	      (!strcmp(verb, "history") && nargs == 2) ||
	      (!strcmp(verb, "grant") && nargs == 3)) ||
	    strlen(reason) > LEDGER_MAX_TEXT || (key && strlen(key) > 200)) {
		usage(stderr);
		return 2;
	}
	if (!(s = store_open(data, err, sizeof(err)))) {
		fprintf(stderr, "wenku: %s\n", err);
		return 1;
	}
	if (!(a = arena_new(0)) ||
	    store_account_by_name(s, a, argv[optind + 1], &acc)) {
		fprintf(stderr, "wenku: no account named '%s'\n",
			argv[optind + 1]);
		arena_free(a);
		store_close(s);
		return 1;
	}
	if (!strcmp(verb, "balance")) {
		int64_t bal;
		if ((rc = ledger_balance(s, acc.id, &bal)) == 0)
			printf("%s: %" PRId64 " points\n", acc.name, bal);
	} else if (!strcmp(verb, "history")) {
		struct store_ledger_entry *e;
		size_t n, i;
		if ((rc = store_ledger_history(s, a, acc.id, 100, &e, &n)) == 0)
			for (i = 0; i < n; i++) {
				time_t t = (time_t)e[i].created_at;
				struct tm tm;
				char when[32];
				gmtime_r(&t, &tm);
				strftime(when, sizeof(when),
					 "%Y-%m-%dT%H:%M:%SZ", &tm);
				printf("%s tx %" PRId64 " %+" PRId64 " %s %s\n",
				       when, e[i].tx, e[i].amount, e[i].kind,
				       e[i].memo);
			}
	} else {
		char *end, rnd[33];
		unsigned char raw[16];
		long long amount = strtoll(argv[optind + 2], &end, 10);
		struct ledger_result r;

		if (*end || amount < 1 || amount > LEDGER_MAX_AMOUNT) {
			fprintf(stderr, "wenku: N is a whole number of points "
					"from 1 to %lld\n",
				(long long)LEDGER_MAX_AMOUNT);
			rc = WK_EINVAL;
			told = 1;
		} else {
			if (!key) {
				randombytes_buf(raw, sizeof(raw));
				sodium_bin2hex(rnd, sizeof(rnd), raw,
					       sizeof(raw));
			}
			key = arena_sprintf(a, "admin:%s", key ? key : rnd);
			rc = ledger_grant(s, a, acc.id, amount, key, reason,
					  &r);
			if (rc == WK_ECONFLICT && (told = 1))
				fprintf(stderr, "wenku: that --key was used for "
						"another grant\n");
			else if (rc == 0)
				printf("%s %lld points to %s (tx %" PRId64
				       "); balance %" PRId64 "\n",
				       r.replayed ? "already granted:"
						  : "granted",
				       amount, acc.name, r.tx, r.balance);
		}
	}
	if (rc && !told)
		fprintf(stderr, "wenku: %s\n", wk_strerror(rc));
	arena_free(a);
	store_close(s);
	return rc ? 1 : 0;
}

const struct cli_command cli_points = {
	"points", "an account's points: balance, history, grant", points,
};
