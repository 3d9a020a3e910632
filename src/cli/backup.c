/*
 * backup.c - `wenku backup DEST` and `wenku restore SRC`.
 *
 *   wenku backup DEST [--data DIR]
 *       a consistent copy of the library (database and blobs) into the
 *       new or empty folder DEST, while the site keeps serving
 *   wenku restore SRC [--data DIR] [--force]
 *       check the backup in SRC whole, then put it in DIR (the server
 *       stopped); --force moves a library already there aside into
 *       DIR/pre-restore-<time>/ rather than refusing
 *   wenku restore --check SRC
 *       only check the backup
 */
#include "cli.h"

#include "../store/store.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static void summary(const char *what, const char *where,
		    const struct store_backup_stats *st, time_t t0)
{
	printf("%s %s: database %.1f MB, %" PRId64 " blobs (%.1f MB), "
	       "checked, in %lld s\n",
	       what, where, (double)st->db_bytes / 1e6, st->blobs,
	       (double)st->bytes / 1e6, (long long)(time(NULL) - t0));
}

static int backup(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *data = "./data";
	struct store_backup_stats st;
	char err[4400];
	time_t t0 = time(NULL);
	struct store *s;
	struct stat sb;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': data = optarg; break;
		case 'h':
			printf("usage: wenku backup DEST [--data DIR]\n");
			return 0;
		default: return 2;
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, "usage: wenku backup DEST [--data DIR]\n");
		return 2;
	}
	/* Never create an empty library by backing up a mistyped folder. */
	if (stat(data, &sb) || !S_ISDIR(sb.st_mode)) {
		fprintf(stderr, "wenku: %s: no such data folder\n", data);
		return 1;
	}
	if (!(s = store_open(data, err, sizeof(err)))) {
		fprintf(stderr, "wenku: %s\n", err);
		return 1;
	}
	rc = store_backup(s, argv[optind], &st, err, sizeof(err));
	store_close(s);
	if (rc) {
		fprintf(stderr, "wenku: backup failed: %s\n", err);
		return 1;
	}
	summary("backed up to", argv[optind], &st, t0);
	return 0;
}

static int restore(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "force", no_argument, NULL, 'f' },
		{ "check", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *data = "./data";
	struct store_backup_stats st;
	bool force = false, check = false;
	char err[4400];
	time_t t0 = time(NULL);
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': data = optarg; break;
		case 'f': force = true; break;
		case 'c': check = true; break;
		case 'h':
			printf("usage: wenku restore SRC [--data DIR] "
			       "[--force] | wenku restore --check SRC\n");
			return 0;
		default: return 2;
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, "usage: wenku restore SRC [--data DIR] "
				"[--force] | wenku restore --check SRC\n");
		return 2;
	}
	if (check) {
		rc = store_backup_verify(argv[optind], &st, err, sizeof(err));
		if (rc) {
			fprintf(stderr, "wenku: the backup is not usable: %s\n",
				err);
			return 1;
		}
		summary("backup", argv[optind], &st, t0);
		return 0;
	}
	rc = store_restore(argv[optind], data, force, &st, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "wenku: restore refused: %s\n", err);
		return 1;
	}
	if (st.moved_aside)
		printf("the library that was in %s is kept in %s\n", data,
		       st.aside);
	summary("restored into", data, &st, t0);
	return 0;
}

const struct cli_command cli_backup = {
	"backup", "copy the library (database and blobs) while it serves",
	backup,
};

const struct cli_command cli_restore = {
	"restore", "put a backup back into a data folder", restore,
};
