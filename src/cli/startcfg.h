/*
 * startcfg.h - the start-up settings of `wenku serve`, declared once in a
 * table.
 *
 * What the process needs before it opens the database (where to listen,
 * the data folder, threads, trusted proxies, the HTTP limits) cannot
 * live in the database, so it comes from a small `name = value` file
 * (`wenku serve --config FILE`) and from command-line options of the
 * same names (`--max-body` for max_body), which override the file. The
 * table below drives the file's parser, the options' validation,
 * `wenku serve --help`, `wenku config --help` and the commented sample
 * `wenku config sample-file` (etc/wenku.conf). The site's own settings
 * stay in the database (domain/settings.h).
 *
 * A struct startcfg holds the values as text, validated on the way in;
 * a setting not given has its default. It owns its strings: release it
 * with startcfg_release().
 */
#ifndef WK_STARTCFG_H
#define WK_STARTCFG_H

#include <stddef.h>
#include <stdint.h>

/* Limits of a start-up file: its size and one line's, in bytes. */
#define STARTCFG_FILE_MAX (64 * 1024)
#define STARTCFG_LINE_MAX 1024
/* Most values of a repeatable setting. */
#define STARTCFG_REPEAT_MAX 8

enum startcfg_type {
	SCT_INT,	/* whole number in [min, max] */
	SCT_PATH,	/* a folder; min and max bound its length in bytes */
	SCT_LISTEN,	/* IP:PORT, [IPv6]:PORT */
	SCT_IP,		/* one IP address */
	SCT_CIDR,	/* an address or a range, 10.0.0.0/8 */
};

/* Index of each setting in startcfg_table. */
enum startcfg_id {
	SCF_LISTEN,
	SCF_DATA,
	SCF_THEME,
	SCF_THREADS,
	SCF_WORKERS,
	SCF_MAX_BODY,
	SCF_PAGE_CACHE_MS,
	SCF_TRUSTED_PROXY,
	SCF_METRICS_FROM,
	SCF_MAX_CONNECTIONS,
	SCF_MAX_CONNECTIONS_PER_ADDRESS,
	SCF_IDLE_TIMEOUT,
	SCF_CONNECTION_MEMORY,
	SCF_MAX_URI,
	SCF_MAX_HEADERS,
	SCF_DOWNLOAD_MEMORY,
	SCF_COUNT
};

struct startcfg_def {
	const char *name;	/* in the file; the option is --name with
				 * dashes for underscores */
	enum startcfg_type type;
	int64_t min, max;	/* a number's bounds; a path's length */
	const char *def;	/* the default as text; "" = none */
	const char *arg;	/* what the value is called in --help */
	unsigned repeat;	/* values allowed: 1, or up to REPEAT_MAX */
	const char *example;	/* for the sample when there is no default */
	const char *help;
};

extern const struct startcfg_def startcfg_table[SCF_COUNT];

struct startcfg {
	struct {
		unsigned n;		/* values given (0: the default) */
		unsigned line;		/* line of the file that gave them
					 * (0: the command line) */
		char *v[STARTCFG_REPEAT_MAX];	/* owned */
	} item[SCF_COUNT];
};

/* An empty set: every setting at its default. */
void startcfg_init(struct startcfg *c);
/* Free the values; c is empty again. */
void startcfg_release(struct startcfg *c);

/* The setting called name (file name, underscores), or NULL. */
const struct startcfg_def *startcfg_find(const char *name);

/* Check value against d. 0, or -1 with why in err, worded to follow the
 * setting's name ("wants a whole number from 1 to 256"). */
int startcfg_validate(const struct startcfg_def *d, const char *value,
		      char *err, size_t errlen);

/* Validate value and store it (copied) for setting id, given on line of
 * a file or on the command line (line 0). A repeatable setting gains a
 * value, up to its limit. A single one given twice in a file is an
 * error; on the command line the last one wins, as with options. 0, or
 * -1 with why in err (worded as for startcfg_validate). */
int startcfg_add(struct startcfg *c, enum startcfg_id id, const char *value,
		 unsigned line, char *err, size_t errlen);

/* Parse the text of a start-up file (len bytes; file names it in
 * messages) into c, which is changed only on success: comments (#),
 * blank lines and `name = value` lines; UTF-8, no NUL, lines of at most
 * STARTCFG_LINE_MAX bytes, at most STARTCFG_FILE_MAX bytes. A value may
 * be followed by a comment after a blank. 0, or -1 with
 * "FILE:LINE: NAME: why" (or "FILE:LINE: why") in err. */
int startcfg_parse(struct startcfg *c, const char *file, const char *text,
		   size_t len, char *err, size_t errlen);

/* Read the file at path and parse it as startcfg_parse does. */
int startcfg_read(struct startcfg *c, const char *path, char *err,
		  size_t errlen);

/* Settings given in over replace those in c (options over the file:
 * repeatable ones as a whole); over is left empty. */
void startcfg_override(struct startcfg *c, struct startcfg *over);

/* Checks between settings (the URI and header limits must fit in a
 * connection's memory). 0, or -1 with why in err. */
int startcfg_check(const struct startcfg *c, char *err, size_t errlen);

/* Values: the one given or the default (single settings); a repeatable
 * setting's count and i-th value. Borrowed from c or the table. */
const char *startcfg_str(const struct startcfg *c, enum startcfg_id id);
long long startcfg_int(const struct startcfg *c, enum startcfg_id id);
unsigned startcfg_count(const struct startcfg *c, enum startcfg_id id);
const char *startcfg_nth(const struct startcfg *c, enum startcfg_id id,
			 unsigned i);

/* What values d takes, for help texts: "whole number 1 to 256",
 * "IP address; repeatable, up to 8". */
void startcfg_describe(const struct startcfg_def *d, char *out, size_t n);
/* d's command-line option without the dashes ("max-body"). */
const char *startcfg_option(const struct startcfg_def *d, char *out,
			    size_t n);

/* Split "ADDRESS:PORT" ("[::1]:8080" for IPv6) into the address (an IP
 * address, no name) and the port. 0, or -1 when s is not of that form. */
int startcfg_parse_listen(const char *s, char *host, size_t hostlen,
			  unsigned short *port);

#endif
