/*
 * zygote.h - a warm parent for conversion workers.
 *
 * Starting the wenku binary for every file costs several milliseconds of
 * dynamic loading, and a network namespace each time. A zygote is a
 * `wenku zygote` process, spawned with posix_spawn like any worker (so
 * never a fork of the threaded server), that loads everything once,
 * leaves the network and sets no_new_privs once, and then forks one
 * child per file: the child locks itself down (rlimits, seccomp),
 * converts and exits, exactly as a `wenku worker` would. Forking is safe
 * there: the zygote has one thread.
 *
 * One zygote serves one runner thread, one file at a time, over a
 * SOCK_SEQPACKET socket: the request carries the limits and, as
 * SCM_RIGHTS, the child's stdin and stdout; the zygote answers with the
 * child's pid and then its exit status and resource use.
 */
#ifndef WK_ZYGOTE_H
#define WK_ZYGOTE_H

#include "sandbox.h"

#include <stdint.h>
#include <sys/types.h>

struct zygote {
	pid_t pid;	/* 0: not running */
	int sock;
};

/* Messages on the socket (both ways, fixed size). */
struct zygote_req {
	uint64_t mem_bytes;
	uint32_t cpu_seconds;
	int32_t share;
	char watermark[256];
};

struct zygote_reply {
	int32_t kind;		/* 1: pid, 2: exit status */
	int32_t pid;
	int32_t status;		/* wait status */
	int64_t maxrss_kb;
	int64_t cpu_ms;		/* user + system time of the child */
};

/* sandbox_convert() through the zygote z, starting it from exe when it
 * is not running (or died). Falls back to sandbox_convert() when no
 * zygote can be had. Same contract as sandbox_convert(). */
int zygote_convert(struct zygote *z, const char *exe, const void *data,
		   size_t len, const struct sandbox_limits *l,
		   struct parse_result *r, char *err, size_t errlen,
		   struct sandbox_stats *st);

/* Stop a zygote (closes its socket; it exits). */
void zygote_stop(struct zygote *z);

#endif
