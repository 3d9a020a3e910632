/*
 * cli.h - subcommands of the wenku binary. Each lives in its own file
 * and exports one table entry (see main.c).
 */
#ifndef WK_CLI_H
#define WK_CLI_H

#include <stddef.h>
#include <stdio.h>

struct cli_command {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv);	/* argv[0] is the name */
};

extern const struct cli_command cli_serve;
extern const struct cli_command cli_import;
extern const struct cli_command cli_config;
extern const struct cli_command cli_worker;
extern const struct cli_command cli_convert;
extern const struct cli_command cli_queue;
extern const struct cli_command cli_office;
extern const struct cli_command cli_zygote;
extern const struct cli_command cli_user;
extern const struct cli_command cli_check;
extern const struct cli_command cli_codes;
extern const struct cli_command cli_points;
extern const struct cli_command cli_trace;
extern const struct cli_command cli_vip;
extern const struct cli_command cli_backup;
extern const struct cli_command cli_restore;
extern const struct cli_command cli_reindex;

struct buf;

/* The worker's steps (worker.c), shared with the zygote (zygote.c):
 * read all of stdin into in; read the watermark font (before the
 * sandbox); parse in, render page images (share > 0), write the frame to
 * stdout and _exit (3 when out of memory). */
void worker_read_input(struct buf *in);
void worker_load_font(struct buf *font);
void worker_convert(struct buf *in, int share, const char *watermark,
		    const struct buf *font) __attribute__((noreturn));

/* Read a regular file of at most max bytes into a malloc'd buffer
 * (*data, *len). 0, or -1 after printing why to stderr. */
int cli_read_file(const char *path, size_t max, unsigned char **data,
		  size_t *len);

/* Write text word-wrapped to lines of at most width bytes (a longer
 * word gets a line of its own), each starting with prefix (config.c). */
void cli_wrap(FILE *f, const char *prefix, const char *text, size_t width);

#endif
