/*
 * client.h - a small HTTP/1.1 client and server launcher for the
 * integration tests: start the real wenku binary on a free loopback
 * port, talk to it over sockets, stop it with SIGTERM.
 */
#ifndef WK_TEST_CLIENT_H
#define WK_TEST_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct resp {
	int status;
	char *headers;	/* raw header block, lower-cased names */
	char *body;
	size_t body_len;
};

struct server {
	pid_t pid;
	int port;
	char data[256];
	char log[300];
};

/* Start `bin serve --data DATA --listen 127.0.0.1:PORT [extra...]` and
 * wait for /healthz. 0 or -1. */
int server_start(struct server *s, const char *bin, const char *data,
		 const char *const *extra);
/* Start argv (argv[0] the binary) with stderr appended to s->log and
 * wait for /healthz on s->port, both set by the caller. 0 or -1. */
int server_spawn(struct server *s, const char *const *argv);
/* A loopback TCP port nobody listens on just now. */
int free_port(void);
/* Run argv (stdin_text, may be NULL, on its standard input): its exit
 * status (-1 if it could not run or was killed) and, when out is not
 * NULL, its standard output and error in a malloc'd *out. */
int run_cmd(const char *const *argv, const char *stdin_text, char **out);
/* The same, with stderr captured too or thrown away. */
int run_cmd_ex(const char *const *argv, const char *stdin_text, char **out,
	       bool with_stderr);
/* Only the standard output (malloc'd, never NULL). */
char *cmd_stdout(const char *const *argv, const char *stdin_text);
/* SIGTERM and wait; returns the exit status (or -1 on timeout). */
int server_stop(struct server *s);

/* Open a connection to the server; -1 on failure. */
int conn_open(int port);
/* Send raw bytes and read one response on fd. 0 or -1. */
int conn_request(int fd, const char *raw, size_t len, struct resp *r);
/* One request on a new connection: method, path, extra header lines
 * (each ending in \r\n, may be NULL), body (may be NULL). */
int http_do(int port, const char *method, const char *path,
	    const char *headers, const char *body, struct resp *r);
int http_get(int port, const char *path, struct resp *r);
/* Header value (case-insensitive name) copied into out; 0 if found. */
int resp_header(const struct resp *r, const char *name, char *out,
		size_t outlen);
void resp_free(struct resp *r);

/* The whole of a file (malloc'd), NULL when it cannot be read. */
char *file_slurp(const char *path);

/* Write a text document to file: a title line, then chars pseudo-random
 * CJK characters in lines of 60 from seed (one seed, one text; other
 * seeds give documents that are no near duplicates), and import it with
 * `bin import --data DATA --json` and the options in opts (NULL-ended,
 * may be NULL). The new document's id, or 0 (what import said goes to
 * stderr). */
long import_cjk_doc(const char *bin, const char *data, const char *file,
		    const char *title, unsigned seed, int chars,
		    const char *const *opts);

#endif
