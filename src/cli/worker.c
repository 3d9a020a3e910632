/*
 * worker.c - `wenku worker`: the sandboxed conversion process.
 *
 * Spawned by sandbox_convert() with the file on stdin and a pipe on
 * stdout. Prepares what parsing needs from the file system (character
 * set converters), enters the sandbox, then reads the untrusted bytes,
 * parses them and writes one result frame. Exit codes: 0 a frame was
 * written, 2 bad arguments, 3 out of memory, 4 the sandbox could not be
 * entered.
 *
 * `--selftest ACT` enters the sandbox and then tries something the
 * sandbox must stop (open, socket, exec, alloc, spin) or, with "wait",
 * blocks on stdin so a test can inspect /proc/PID/status.
 */
#include "cli.h"

#include "../base/buf.h"
#include "../base/err.h"
#include "../domain/sandbox.h"
#include "../parse/frame.h"
#include "../parse/parse.h"

#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <unistd.h>

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int selftest(const char *act)
{
	volatile char *p;
	size_t i;

	if (!strcmp(act, "open"))
		return open("/etc/hostname", O_RDONLY) >= 0 ? 0 : 10;
	if (!strcmp(act, "socket"))
		return socket(AF_INET, SOCK_STREAM, 0) >= 0 ? 0 : 10;
	if (!strcmp(act, "exec")) {
		char *argv[] = { (char *)"/bin/true", NULL };
		execv("/bin/true", argv);
		return 10;
	}
	if (!strcmp(act, "alloc")) {
		p = malloc((size_t)2 << 30);
		if (!p)
			return 3;
		for (i = 0; i < ((size_t)2 << 30); i += 4096)
			p[i] = 1;
		return 0;
	}
	if (!strcmp(act, "spin")) {
		for (volatile unsigned long n = 0;; n++)
			;
	}
	if (!strcmp(act, "wait")) {
		char c;
		return read(0, &c, 1) >= 0 ? 0 : 10;
	}
	return 2;
}

static int worker(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "mem", required_argument, NULL, 'm' },
		{ "cpu", required_argument, NULL, 'c' },
		{ "selftest", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	struct sandbox_limits lim;
	struct parse_result r;
	const char *test = NULL;
	struct buf in, out;
	char err[512];
	int c, rc;

	sandbox_default_limits(&lim);
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'm': lim.mem_bytes = strtoull(optarg, NULL, 10); break;
		case 'c': lim.cpu_seconds = (unsigned)atoi(optarg); break;
		case 's': test = optarg; break;
		default: return 2;
		}
	}
	if (lim.mem_bytes < ((size_t)64 << 20) || lim.cpu_seconds < 1)
		return 2;
	/* Times in a file (zip entry dates) need no time-zone file. */
	setenv("TZ", "UTC0", 1);
	tzset();
	parse_preload();
	if (sandbox_enter(&lim, err, sizeof(err))) {
		fprintf(stderr, "wenku worker: %s\n", err);
		_exit(4);
	}
	if (test)
		_exit(selftest(test));

	buf_init(&in, lim.max_input);
	for (;;) {
		char chunk[65536];
		ssize_t n = read(0, chunk, sizeof(chunk));
		if (n <= 0)
			break;
		buf_add(&in, chunk, (size_t)n);
		if (buf_error(&in))
			break;
	}
	buf_init(&out, 0);
	if (buf_error(&in) == WK_ENOMEM) {
		_exit(3);
	} else if (buf_error(&in)) {
		frame_put_error(&out, WK_ETOOBIG, "the file is too large");
	} else {
		rc = parse_document(in.data ? in.data : "", in.len, NULL, &r,
				    err, sizeof(err));
		if (rc == WK_ENOMEM)
			_exit(3);
		if (rc)
			frame_put_error(&out, rc, err);
		else
			frame_put_result(&out, &r);
		if (!rc)
			parse_result_release(&r);
	}
	if (buf_error(&out))
		_exit(3);
	rc = write_all(1, out.data, out.len);
	/* _exit: no atexit handlers (a leak checker would need system
	 * calls the sandbox forbids). */
	_exit(rc ? 1 : 0);
}

const struct cli_command cli_worker = {
	"worker", "(internal) convert one file from stdin in a sandbox",
	worker,
};
