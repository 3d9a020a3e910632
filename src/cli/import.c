/*
 * import.c - `wenku import`: add files to the library from the command
 * line, through the same ingest path as uploads.
 */
#include "cli.h"

#include "../base/arena.h"
#include "../domain/docs.h"
#include "../store/store.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define IMPORT_MAX (200u << 20)

static int read_file(const char *path, unsigned char **data, size_t *len)
{
	struct stat st;
	FILE *f = fopen(path, "rb");

	if (!f) {
		fprintf(stderr, "wenku: cannot open %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode) ||
	    st.st_size > IMPORT_MAX) {
		fprintf(stderr, "wenku: %s is not a regular file under "
				"200 MiB\n", path);
		fclose(f);
		return -1;
	}
	*len = (size_t)st.st_size;
	*data = malloc(*len + 1);
	if (!*data || fread(*data, 1, *len, f) != *len) {
		fprintf(stderr, "wenku: cannot read %s\n", path);
		free(*data);
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

static int import(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "category", required_argument, NULL, 'c' },
		{ "price", required_argument, NULL, 'p' },
		{ "publish", no_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *data = "./data", *category = NULL;
	struct docs_new nd;
	struct store *s;
	char err[512];
	int c, i, failed = 0;

	memset(&nd, 0, sizeof(nd));
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': data = optarg; break;
		case 'c': category = optarg; break;
		case 'p': nd.price = atoi(optarg); break;
		case 'P': nd.publish = true; break;
		case 'h':
			printf("usage: wenku import [--data DIR] [--category "
			       "SLUG] [--price POINTS] [--publish] FILE...\n");
			return 0;
		default: return 2;
		}
	}
	if (optind == argc || nd.price < 0) {
		fprintf(stderr, "usage: wenku import [--data DIR] [--category "
				"SLUG] [--price POINTS] [--publish] FILE...\n");
		return 2;
	}
	s = store_open(data, err, sizeof(err));
	if (!s) {
		fprintf(stderr, "wenku: %s\n", err);
		return 1;
	}
	if (category) {
		struct arena *a = arena_new(0);
		struct store_category cat;
		if (!a || store_category_by_slug(s, a, category, &cat)) {
			fprintf(stderr, "wenku: no category '%s'\n", category);
			arena_free(a);
			store_close(s);
			return 1;
		}
		nd.category_id = cat.id;
		arena_free(a);
	}
	for (i = optind; i < argc; i++) {
		unsigned char *buf;
		size_t len;
		int64_t id;

		if (read_file(argv[i], &buf, &len)) {
			failed++;
			continue;
		}
		nd.filename = argv[i];
		if (docs_ingest(s, buf, len, &nd, &id, err, sizeof(err))) {
			fprintf(stderr, "wenku: %s: %s\n", argv[i], err);
			failed++;
		} else {
			printf("%s: document %lld\n", argv[i], (long long)id);
		}
		free(buf);
	}
	store_close(s);
	return failed ? 1 : 0;
}

const struct cli_command cli_import = {
	"import", "add document files to the library", import,
};
