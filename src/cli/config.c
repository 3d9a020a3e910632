/*
 * config.c - `wenku config`: list, read and change the site settings
 * stored in the database (see domain/settings.h for the table).
 *
 *   wenku config [--data DIR] list
 *   wenku config [--data DIR] get NAME
 *   wenku config [--data DIR] set NAME VALUE
 *   wenku config --help          every setting, its bounds and default
 *
 * A running server reads the settings when it starts: restart it after
 * a change.
 */
#include "cli.h"

#include "../base/arena.h"
#include "../domain/settings.h"
#include "../store/store.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static void help(FILE *f)
{
	size_t i;

	fprintf(f, "usage: wenku config [--data DIR] list | get NAME | "
		   "set NAME VALUE\n\nsettings (restart the server after "
		   "a change):\n");
	for (i = 0; i < settings_count; i++) {
		const struct setting_def *d = &settings_table[i];
		fprintf(f, "  %-18s %s\n", d->name, d->help);
		if (d->type == SET_INT)
			fprintf(f, "  %-18s whole number %lld..%lld, default "
				   "%s\n", "", (long long)d->min,
				(long long)d->max, d->def);
		else
			fprintf(f, "  %-18s text of %lld..%lld characters, "
				   "default \"%s\"\n", "", (long long)d->min,
				(long long)d->max, d->def);
	}
}

static int config(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *data = "./data", *verb;
	struct store *s;
	struct arena *a;
	char err[512];
	int c, rc = 0;
	size_t i;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': data = optarg; break;
		case 'h': help(stdout); return 0;
		default: help(stderr); return 2;
		}
	}
	if (optind >= argc) {
		help(stderr);
		return 2;
	}
	verb = argv[optind];
	if (!((!strcmp(verb, "list") && argc - optind == 1) ||
	      (!strcmp(verb, "get") && argc - optind == 2) ||
	      (!strcmp(verb, "set") && argc - optind == 3))) {
		help(stderr);
		return 2;
	}
	if (strcmp(verb, "list") && !settings_find(argv[optind + 1])) {
		fprintf(stderr, "wenku: no setting named '%s'; see wenku "
				"config --help\n", argv[optind + 1]);
		return 2;
	}
	s = store_open(data, err, sizeof(err));
	if (!s) {
		fprintf(stderr, "wenku: %s\n", err);
		return 1;
	}
	a = arena_new(0);
	if (!strcmp(verb, "set")) {
		if (settings_set(s, argv[optind + 1], argv[optind + 2], err,
				 sizeof(err))) {
			fprintf(stderr, "wenku: %s\n", err);
			rc = 1;
		}
	} else {
		for (i = 0; i < settings_count; i++) {
			const struct setting_def *d = &settings_table[i];
			const char *v;
			if (!strcmp(verb, "get") &&
			    strcmp(d->name, argv[optind + 1]))
				continue;
			if (store_setting_get(s, a, d->name, &v))
				v = d->def;
			if (!strcmp(verb, "get"))
				printf("%s\n", v);
			else
				printf("%s = %s\n", d->name, v);
		}
	}
	arena_free(a);
	store_close(s);
	return rc;
}

const struct cli_command cli_config = {
	"config", "list, get or set site settings", config,
};
