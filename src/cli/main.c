/*
 * main.c - the wenku binary: dispatch to a subcommand.
 */
#include "cli.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const struct cli_command *commands[] = {
	&cli_serve,
	&cli_import,
	&cli_config,
	&cli_user,
	&cli_check,
	&cli_codes,
	&cli_vip,
	&cli_backup,
	&cli_restore,
	&cli_reindex,
	&cli_points,
	&cli_trace,
	&cli_convert,
	&cli_queue,
	&cli_worker,
	&cli_office,
	&cli_zygote,
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	size_t i;
	fprintf(f, "usage: wenku COMMAND [OPTIONS]\n\ncommands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		if (commands[i]->summary[0] != '(')	/* (internal) */
			fprintf(f, "  %-10s %s\n", commands[i]->name,
				commands[i]->summary);
	fprintf(f, "\n`wenku COMMAND --help` describes a command's options.\n");
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("wenku 0.1.0\n");
		return 0;
	}
	if (sodium_init() < 0) {
		fprintf(stderr, "wenku: libsodium failed to initialise\n");
		return 1;
	}
	for (i = 0; i < NCOMMANDS; i++)
		if (!strcmp(argv[1], commands[i]->name))
			return commands[i]->run(argc - 1, argv + 1);
	fprintf(stderr, "wenku: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return 2;
}
