/*
 * check.c - `wenku check`: prove the points ledger's invariants.
 *
 *   wenku check [--data DIR]
 *
 * Reads one snapshot (safe while the site runs) and checks that every
 * transaction balances, all postings sum to zero, every cached balance
 * equals the sum of its postings, no user balance is negative and every
 * idempotency key was used once (store_ledger_check). Exit 0 when all
 * hold, 1 with the first violation on stderr, 2 on bad usage.
 */
#include "cli.h"

#include "../store/store.h"

#include <getopt.h>
#include <stdio.h>
#include <sys/stat.h>

static int check(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *data = "./data";
	char err[256];
	struct store *s;
	struct stat st;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': data = optarg; break;
		case 'h':
			printf("usage: wenku check [--data DIR]\n");
			return 0;
		default: return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "usage: wenku check [--data DIR]\n");
		return 2;
	}
	/* Checking must not create an empty library where none was. */
	if (stat(data, &st) || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "wenku: no data folder at %s\n", data);
		return 1;
	}
	s = store_open(data, err, sizeof(err));
	if (!s) {
		fprintf(stderr, "wenku: %s\n", err);
		return 1;
	}
	if (store_check(s)) {
		store_close(s);
		fprintf(stderr, "wenku: the database fails PRAGMA quick_check: "
				"restore a backup (wenku restore)\n");
		return 1;
	}
	printf("database: ok (quick_check)\n");
	rc = store_ledger_check(s, err, sizeof(err));
	store_close(s);
	if (rc == 0) {
		printf("ledger: ok (all transactions balance, balances match "
		       "postings)\n");
		return 0;
	}
	fprintf(stderr, "wenku: ledger check failed: %s\n",
		err[0] ? err : "the database could not be read");
	return 1;
}

const struct cli_command cli_check = {
	"check", "prove the points ledger's invariants", check,
};
