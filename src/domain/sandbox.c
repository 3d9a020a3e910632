/*
 * sandbox.c - worker processes for conversion: the parent's side
 * (spawn, feed, collect, judge) and the worker's side (lock itself
 * down). See sandbox.h.
 */
#include "sandbox.h"

#include "../base/buf.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../base/utf8.h"
#include "../parse/frame.h"
#include "zygote.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <seccomp.h>
#include <semaphore.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZER_BUILD 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZER_BUILD 1
#endif
#endif

extern char **environ;

static bool got_netns;

void sandbox_default_limits(struct sandbox_limits *l)
{
	l->mem_bytes = (size_t)768 << 20;
	l->cpu_seconds = 20;
	l->wall_ms = 30000;
	l->max_input = (size_t)200 << 20;
	l->max_output = (size_t)64 << 20;
	l->render_share = 0;
	l->watermark = "";
}

const char *sandbox_self_exe(void)
{
	static char path[4096];
	ssize_t n;

	if (path[0])
		return path;
	n = readlink("/proc/self/exe", path, sizeof(path) - 1);
	if (n <= 0)
		return NULL;
	path[n] = '\0';
	return path;
}

bool sandbox_has_netns(void)
{
	return got_netns;
}

/* ---- the worker's side ---------------------------------------------------*/

static int set_limit(int res, rlim_t v, const char *name, char *err,
		     size_t errlen)
{
	struct rlimit rl = { v, v };
	if (setrlimit(res, &rl)) {
		snprintf(err, errlen, "setrlimit %s: %s", name,
			 strerror(errno));
		return WK_EIO;
	}
	return 0;
}

/* System calls a parsing worker needs once its input is on stdin:
 * reading it, writing the frame, memory, time, and leaving. */
static const int allowed[] = {
	SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(readv), SCMP_SYS(writev),
	SCMP_SYS(close), SCMP_SYS(fstat), SCMP_SYS(newfstatat),
	SCMP_SYS(lseek), SCMP_SYS(mmap), SCMP_SYS(munmap), SCMP_SYS(mremap),
	SCMP_SYS(mprotect), SCMP_SYS(brk), SCMP_SYS(madvise),
	SCMP_SYS(exit), SCMP_SYS(exit_group), SCMP_SYS(rt_sigreturn),
	SCMP_SYS(rt_sigprocmask), SCMP_SYS(futex), SCMP_SYS(clock_gettime),
	SCMP_SYS(gettimeofday), SCMP_SYS(getrandom), SCMP_SYS(gettid),
	SCMP_SYS(getpid), SCMP_SYS(sched_yield), SCMP_SYS(sched_getaffinity),
	SCMP_SYS(getrusage), SCMP_SYS(prlimit64), SCMP_SYS(sigaltstack),
	/* Threads (the PDF parser's watchdog): clone is allowed below for
	 * threads only. */
	SCMP_SYS(rt_sigaction), SCMP_SYS(set_robust_list), SCMP_SYS(rseq),
	SCMP_SYS(clock_nanosleep), SCMP_SYS(nanosleep), SCMP_SYS(sysinfo),
};

int sandbox_isolate(char *err, size_t errlen)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		snprintf(err, errlen, "no_new_privs: %s", strerror(errno));
		return WK_EIO;
	}
	/* A private, empty network namespace: no interfaces at all. Needs
	 * CAP_SYS_ADMIN or unprivileged user namespaces; the seccomp
	 * filter forbids sockets either way. */
	got_netns = unshare(CLONE_NEWNET) == 0;
	return 0;
}

int sandbox_lock(const struct sandbox_limits *l, char *err, size_t errlen)
{
	scmp_filter_ctx ctx;
	size_t i;
	int rc;

#ifndef SANITIZER_BUILD
	if (set_limit(RLIMIT_AS, l->mem_bytes, "AS", err, errlen))
		return WK_EIO;
#endif
	if (set_limit(RLIMIT_CPU, l->cpu_seconds, "CPU", err, errlen) ||
	    set_limit(RLIMIT_NOFILE, 8, "NOFILE", err, errlen) ||
	    set_limit(RLIMIT_NPROC, 0, "NPROC", err, errlen) ||
	    set_limit(RLIMIT_FSIZE, 0, "FSIZE", err, errlen) ||
	    set_limit(RLIMIT_CORE, 0, "CORE", err, errlen))
		return WK_EIO;
	ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	if (!ctx) {
		snprintf(err, errlen, "seccomp_init failed");
		return WK_EIO;
	}
	for (i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++) {
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, allowed[i], 0);
		if (rc && rc != -EDOM) {
			snprintf(err, errlen, "seccomp rule %zu: %s", i,
				 strerror(-rc));
			seccomp_release(ctx);
			return WK_EIO;
		}
	}
	/* clone only for a thread (CLONE_THREAD set), never a process;
	 * clone3 hides its flags in memory a filter cannot read, so it
	 * answers ENOSYS and glibc falls back to clone. */
	rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
			      SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD,
				      CLONE_THREAD));
	if (!rc)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS),
				      SCMP_SYS(clone3), 0);
	if (rc && rc != -EDOM) {
		snprintf(err, errlen, "seccomp clone rule: %s", strerror(-rc));
		seccomp_release(ctx);
		return WK_EIO;
	}
	rc = seccomp_load(ctx);
	seccomp_release(ctx);
	if (rc) {
		snprintf(err, errlen, "seccomp_load: %s", strerror(-rc));
		return WK_EIO;
	}
	return 0;
}

int sandbox_enter(const struct sandbox_limits *l, char *err, size_t errlen)
{
	int rc = sandbox_isolate(err, errlen);
	return rc ? rc : sandbox_lock(l, err, errlen);
}

/* ---- the parent's side ---------------------------------------------------*/

static long ms_between(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000 +
	       (b->tv_nsec - a->tv_nsec) / 1000000;
}

/* Write data to wfd and read everything from rfd until EOF, within the
 * deadline. 0, or WK_ETOOBIG (output over the cap) or WK_EIO (time).*/
static int pump(int wfd, int rfd, const void *data, size_t len,
		struct buf *out, const struct timespec *start, unsigned wall_ms)
{
	const char *p = data;
	size_t sent = 0;
	char chunk[65536];
	int rc = 0;

	for (;;) {
		struct pollfd fds[2];
		struct timespec now;
		long left;
		int nfds = 0, n;

		clock_gettime(CLOCK_MONOTONIC, &now);
		left = (long)wall_ms - ms_between(start, &now);
		if (left <= 0) {
			rc = WK_EIO;
			break;
		}
		fds[nfds].fd = rfd;
		fds[nfds++].events = POLLIN;
		if (wfd >= 0) {
			fds[nfds].fd = wfd;
			fds[nfds++].events = POLLOUT;
		}
		n = poll(fds, (nfds_t)nfds, (int)left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = WK_EIO;
			break;
		}
		if (wfd >= 0 && fds[1].revents) {
			ssize_t w = (fds[1].revents & POLLOUT)
					    ? write(wfd, p + sent, len - sent)
					    : -1;
			if (w > 0)
				sent += (size_t)w;
			if (w < 0 && errno == EAGAIN)
				w = 0;
			if (w < 0 || sent == len) {
				/* Done, or the worker stopped reading. */
				close(wfd);
				wfd = -1;
			}
		}
		if (fds[0].revents) {
			ssize_t r = read(rfd, chunk, sizeof(chunk));
			if (r < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (r <= 0)
				break;
			buf_add(out, chunk, (size_t)r);
			if (buf_error(out)) {
				rc = WK_ETOOBIG;
				break;
			}
		}
	}
	if (wfd >= 0)
		close(wfd);
	return rc;
}

/* The environment workers get: ours, plus GNUTLS_NO_IMPLICIT_INIT=1 so
 * the TLS library libmicrohttpd links (and the worker never uses) skips
 * its start-up work - about half of a worker's start-up time. */
static char **worker_env;
static pthread_once_t env_once = PTHREAD_ONCE_INIT;

static void make_worker_env(void)
{
	size_t n = 0, i, k = 0;

	while (environ[n])
		n++;
	worker_env = calloc(n + 2, sizeof(char *));
	if (!worker_env)
		return;
	for (i = 0; i < n; i++)
		if (strncmp(environ[i], "GNUTLS_NO_IMPLICIT_INIT=", 24))
			worker_env[k++] = environ[i];
	worker_env[k++] = (char *)"GNUTLS_NO_IMPLICIT_INIT=1";
	worker_env[k] = NULL;
}

/* Spawn exe with argv, feed it data on stdin, collect its stdout (at
 * most max_out bytes) within wall_ms; fill st. Returns 0, WK_EIO (time
 * ran out; the process was killed), WK_ETOOBIG (too much output) or
 * WK_ENOMEM/WK_EIO when it could not be started (logged). */
static int run_filter(const char *exe, char *const argv[], const void *data,
		      size_t len, unsigned wall_ms, size_t max_out,
		      struct buf *out, struct sandbox_stats *st,
		      struct rusage *ru)
{
	posix_spawn_file_actions_t fa;
	struct timespec start, end;
	int in[2], outp[2], status = 0, rc;
	pid_t pid;

	if (pipe2(in, O_CLOEXEC))
		return -1;
	if (pipe2(outp, O_CLOEXEC)) {
		close(in[0]);
		close(in[1]);
		return -1;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_adddup2(&fa, outp[1], 1);
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	clock_gettime(CLOCK_MONOTONIC, &start);
	pthread_once(&env_once, make_worker_env);
	rc = posix_spawn(&pid, exe, &fa, NULL, argv,
			 worker_env ? worker_env : environ);
	posix_spawn_file_actions_destroy(&fa);
	close(in[0]);
	close(outp[1]);
	if (rc) {
		close(in[1]);
		close(outp[0]);
		errno = rc;
		return -1;
	}
	fcntl(in[1], F_SETFL, O_NONBLOCK);
	buf_init(out, max_out);
	rc = pump(in[1], outp[0], data, len, out, &start, wall_ms);
	close(outp[0]);
	if (rc)
		kill(pid, SIGKILL);
	while (wait4(pid, &status, 0, ru) < 0 && errno == EINTR)
		;
	clock_gettime(CLOCK_MONOTONIC, &end);
	st->wall_ms = ms_between(&start, &end);
	st->peak_rss_kb = ru->ru_maxrss;
	st->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	st->signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	return rc;
}

/* What a finished worker's run means: rc from run_filter or the zygote
 * (WK_EIO: out of wall time, WK_ETOOBIG: too much output), the exit in
 * st, cpu_s its CPU seconds, out its frame. 0 with *r filled, or an
 * error with the reason for the uploader. */
static int judge(int rc, const struct sandbox_stats *st, long cpu_s,
		 const struct sandbox_limits *l, struct buf *out,
		 struct parse_result *r, char *err, size_t errlen)
{
	int code;

	if (rc == WK_EIO) {
		snprintf(err, errlen, "the converter ran out of time "
				      "(%u s)", l->wall_ms / 1000);
	} else if (rc == WK_ETOOBIG) {
		snprintf(err, errlen, "the converted result is too large");
	} else if (st->signal == SIGXCPU ||
		   (st->signal == SIGKILL && cpu_s >= (long)l->cpu_seconds)) {
		snprintf(err, errlen, "the converter ran out of time "
				      "(%u s of CPU)", l->cpu_seconds);
		rc = WK_EIO;
	} else if (st->signal == SIGSYS) {
		snprintf(err, errlen, "the converter tried something it may "
				      "not do and was stopped");
		rc = WK_EIO;
	} else if (st->signal) {
		snprintf(err, errlen, "the converter crashed (signal %d) on "
				      "this file", st->signal);
		rc = WK_EIO;
	} else if (st->exit_code == 3) {
		snprintf(err, errlen, "the converter ran out of memory "
				      "(%zu MiB)", l->mem_bytes >> 20);
		rc = WK_ETOOBIG;
	} else {
		rc = frame_decode(out->data, out->len, NULL, r, &code, err,
				  errlen);
		if (rc == 0 && code)
			rc = code;
		else if (rc == 0 && st->exit_code != 0) {
			parse_result_release(r);
			snprintf(err, errlen, "the converter failed (exit %d)",
				 st->exit_code);
			rc = WK_EIO;
		}
	}
	return rc;
}

int sandbox_convert(const char *exe, const void *data, size_t len,
		    const struct sandbox_limits *l, struct parse_result *r,
		    char *err, size_t errlen, struct sandbox_stats *st)
{
	struct sandbox_stats dummy;
	struct rusage ru;
	struct buf out;
	char mem[32], cpu[32], share[16];
	char *argv[12];
	int rc;

	memset(r, 0, sizeof(*r));
	if (!st)
		st = &dummy;
	memset(st, 0, sizeof(*st));
	if (len > l->max_input) {
		snprintf(err, errlen, "the file is larger than the %zu MiB "
				      "limit", l->max_input >> 20);
		return WK_ETOOBIG;
	}
	if (!exe) {
		snprintf(err, errlen, "the converter is not available");
		return WK_EIO;
	}
	snprintf(mem, sizeof(mem), "%zu", l->mem_bytes);
	snprintf(cpu, sizeof(cpu), "%u", l->cpu_seconds);
	argv[0] = (char *)"wenku";
	argv[1] = (char *)"worker";
	argv[2] = (char *)"--mem";
	argv[3] = mem;
	argv[4] = (char *)"--cpu";
	argv[5] = cpu;
	argv[6] = NULL;
	if (l->render_share > 0) {
		snprintf(share, sizeof(share), "%d", l->render_share);
		argv[6] = (char *)"--share";
		argv[7] = share;
		argv[8] = (char *)"--watermark";
		argv[9] = (char *)(l->watermark ? l->watermark : "");
		argv[10] = NULL;
	}
	rc = run_filter(exe, argv, data, len, l->wall_ms, l->max_output, &out,
			st, &ru);
	if (rc < 0)
		goto spawn_fail;

	rc = judge(rc, st, ru.ru_utime.tv_sec + ru.ru_stime.tv_sec, l, &out,
		   r, err, errlen);
	buf_release(&out);
	return rc;
spawn_fail:
	log_error("spawn worker %s: %s", exe, strerror(errno));
	snprintf(err, errlen, "the converter could not be started");
	return WK_EIO;
}

/* ---- legacy office files ---------------------------------------------------*/

const char *sandbox_soffice(void)
{
	static const char *const paths[] = {
		"/usr/bin/soffice", "/usr/bin/libreoffice",
		"/usr/lib/libreoffice/program/soffice",
		"/opt/libreoffice/program/soffice",
	};
	size_t i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (access(paths[i], X_OK) == 0)
			return paths[i];
	return NULL;
}

int sandbox_office(const char *exe, const void *data, size_t len,
		   const char *target, unsigned char **ooxml, size_t *olen,
		   char *err, size_t errlen, struct sandbox_stats *st)
{
	struct sandbox_stats dummy;
	struct rusage ru;
	struct buf out;
	char *argv[4];
	int rc;

	*ooxml = NULL;
	if (!st)
		st = &dummy;
	memset(st, 0, sizeof(*st));
	if (!sandbox_soffice()) {
		if (parse_legacy_name(data, len))
			snprintf(err, errlen, "old %s files need LibreOffice, "
				 "which is not installed on this server: save "
				 "the file as .%s and upload it again",
				 parse_legacy_name(data, len), target);
		else
			snprintf(err, errlen, "LibreOffice is not installed "
					      "on this server");
		return WK_EUNSUPPORTED;
	}
	argv[0] = (char *)"wenku";
	argv[1] = (char *)"office-convert";
	argv[2] = (char *)target;
	argv[3] = NULL;
	rc = run_filter(exe, argv, data, len, 120000, (size_t)256 << 20,
			&out, st, &ru);
	if (rc < 0) {
		log_error("spawn office converter %s: %s", exe,
			  strerror(errno));
		snprintf(err, errlen, "the converter could not be started");
		return WK_EIO;
	}
	if (rc == WK_EIO)
		snprintf(err, errlen, "LibreOffice ran out of time on this "
				      "file");
	else if (rc == WK_ETOOBIG)
		snprintf(err, errlen, "LibreOffice's result is too large");
	else if (st->signal || st->exit_code || out.len == 0) {
		snprintf(err, errlen, "LibreOffice could not convert this "
				      "file to %s", target);
		rc = WK_EMALFORMED;
	}
	if (rc) {
		buf_release(&out);
		return rc;
	}
	*ooxml = (unsigned char *)buf_detach(&out, olen);
	return *ooxml ? 0 : WK_ENOMEM;
}

int sandbox_convert_any(const char *exe, struct zygote *z, const void *data,
			size_t len, const struct sandbox_limits *l,
			struct parse_result *r, const char **format,
			char *err, size_t errlen, struct sandbox_stats *st)
{
	const char *target = parse_legacy_target(data, len);
	unsigned char *ooxml;
	size_t olen;
	int rc;

	*format = NULL;
	if (!target) {
		rc = z ? zygote_convert(z, exe, data, len, l, r, err, errlen,
					st)
		       : sandbox_convert(exe, data, len, l, r, err, errlen, st);
		if (rc == 0)
			*format = parse_format_name(r->format);
		return rc;
	}
	if (len > l->max_input) {
		snprintf(err, errlen, "the file is larger than the %zu MiB "
				      "limit", l->max_input >> 20);
		return WK_ETOOBIG;
	}
	rc = sandbox_office(exe, data, len, target, &ooxml, &olen, err,
			    errlen, st);
	if (rc)
		return rc;
	rc = z ? zygote_convert(z, exe, ooxml, olen, l, r, err, errlen, st)
	       : sandbox_convert(exe, ooxml, olen, l, r, err, errlen, st);
	free(ooxml);
	if (rc == 0)
		*format = parse_legacy_name(data, len);
	return rc;
}

/* ---- zygote (see zygote.h) -------------------------------------------------*/

void zygote_stop(struct zygote *z)
{
	int status;

	if (!z->pid)
		return;
	close(z->sock);
	while (waitpid(z->pid, &status, 0) < 0 && errno == EINTR)
		;
	z->pid = 0;
}

static int zygote_start(struct zygote *z, const char *exe)
{
	posix_spawn_file_actions_t fa;
	char *argv[] = { (char *)"wenku", (char *)"zygote", NULL };
	int sv[2], rc;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, sv[1], 0);
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	pthread_once(&env_once, make_worker_env);
	rc = posix_spawn(&z->pid, exe, &fa, NULL, argv,
			 worker_env ? worker_env : environ);
	posix_spawn_file_actions_destroy(&fa);
	close(sv[1]);
	if (rc) {
		close(sv[0]);
		z->pid = 0;
		return -1;
	}
	z->sock = sv[0];
	return 0;
}

/* Read one reply, waiting at most ms. 0, or -1 (zygote gone or slow). */
static int zygote_reply(struct zygote *z, struct zygote_reply *rp, int ms)
{
	struct pollfd p = { z->sock, POLLIN, 0 };
	ssize_t n;

	if (poll(&p, 1, ms) != 1)
		return -1;
	n = recv(z->sock, rp, sizeof(*rp), 0);
	return n == (ssize_t)sizeof(*rp) ? 0 : -1;
}

int zygote_convert(struct zygote *z, const char *exe, const void *data,
		   size_t len, const struct sandbox_limits *l,
		   struct parse_result *r, char *err, size_t errlen,
		   struct sandbox_stats *st)
{
	char cbuf[CMSG_SPACE(2 * sizeof(int))];
	struct zygote_req q;
	struct zygote_reply rp;
	struct sandbox_stats dummy;
	struct timespec start, end;
	struct iovec iov = { &q, sizeof(q) };
	struct msghdr m;
	struct cmsghdr *c;
	struct buf out;
	int in[2], outp[2], fds[2], rc;
	pid_t child;

	memset(r, 0, sizeof(*r));
	if (!st)
		st = &dummy;
	memset(st, 0, sizeof(*st));
	if (len > l->max_input) {
		snprintf(err, errlen, "the file is larger than the %zu MiB "
				      "limit", l->max_input >> 20);
		return WK_ETOOBIG;
	}
	if (!exe || (!z->pid && zygote_start(z, exe)))
		return sandbox_convert(exe, data, len, l, r, err, errlen, st);
	memset(&q, 0, sizeof(q));
	q.mem_bytes = l->mem_bytes;
	q.cpu_seconds = l->cpu_seconds;
	q.share = l->render_share;
	snprintf(q.watermark, sizeof(q.watermark), "%s",
		 l->watermark ? l->watermark : "");
	if (pipe2(in, O_CLOEXEC))
		return sandbox_convert(exe, data, len, l, r, err, errlen, st);
	if (pipe2(outp, O_CLOEXEC)) {
		close(in[0]);
		close(in[1]);
		return sandbox_convert(exe, data, len, l, r, err, errlen, st);
	}
	fds[0] = in[0];
	fds[1] = outp[1];
	memset(&m, 0, sizeof(m));
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = cbuf;
	m.msg_controllen = sizeof(cbuf);
	c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(fds));
	memcpy(CMSG_DATA(c), fds, sizeof(fds));
	clock_gettime(CLOCK_MONOTONIC, &start);
	rc = sendmsg(z->sock, &m, MSG_NOSIGNAL) == (ssize_t)sizeof(q) ? 0 : -1;
	close(in[0]);
	close(outp[1]);
	if (rc || zygote_reply(z, &rp, 5000) || rp.kind != 1) {
		/* The zygote is gone or stuck: a fresh one next time, a
		 * plain worker now. */
		close(in[1]);
		close(outp[0]);
		if (z->pid)
			kill(z->pid, SIGKILL);
		zygote_stop(z);
		return sandbox_convert(exe, data, len, l, r, err, errlen, st);
	}
	child = rp.pid;
	fcntl(in[1], F_SETFL, O_NONBLOCK);
	buf_init(&out, l->max_output);
	rc = pump(in[1], outp[0], data, len, &out, &start, l->wall_ms);
	close(outp[0]);
	if (rc)
		kill(child, SIGKILL);
	if (zygote_reply(z, &rp, 10000) || rp.kind != 2) {
		kill(z->pid, SIGKILL);
		zygote_stop(z);
		buf_release(&out);
		snprintf(err, errlen, "the converter failed");
		return WK_EIO;
	}
	clock_gettime(CLOCK_MONOTONIC, &end);
	st->wall_ms = ms_between(&start, &end);
	st->peak_rss_kb = rp.maxrss_kb;
	st->exit_code = WIFEXITED(rp.status) ? WEXITSTATUS(rp.status) : -1;
	st->signal = WIFSIGNALED(rp.status) ? WTERMSIG(rp.status) : 0;
	rc = judge(rc, st, (long)(rp.cpu_ms / 1000), l, &out, r, err, errlen);
	buf_release(&out);
	return rc;
}

/* ---- profile pictures ------------------------------------------------------*/

int sandbox_avatar(const char *exe, const void *data, size_t len, int size,
		   unsigned char **png, size_t *png_len, char *err,
		   size_t errlen)
{
	struct sandbox_limits l;
	struct sandbox_stats st;
	struct rusage ru;
	struct buf out;
	char mem[32], cpu[32], sz[16];
	char *argv[] = { (char *)"wenku", (char *)"worker", (char *)"--mem",
			 mem, (char *)"--cpu", cpu, (char *)"--avatar", sz,
			 NULL };
	const unsigned char *p;
	int rc;

	*png = NULL;
	sandbox_default_limits(&l);
	if (!exe || len > ((size_t)8 << 20)) {
		snprintf(err, errlen, len > ((size_t)8 << 20)
				 ? "the picture is larger than 8 MiB"
				 : "the converter is not available");
		return len > ((size_t)8 << 20) ? WK_ETOOBIG : WK_EIO;
	}
	snprintf(mem, sizeof(mem), "%zu", l.mem_bytes);
	snprintf(cpu, sizeof(cpu), "%u", 10u);
	snprintf(sz, sizeof(sz), "%d", size);
	rc = run_filter(exe, argv, data, len, 15000, (size_t)2 << 20, &out,
			&st, &ru);
	if (rc < 0) {
		snprintf(err, errlen, "the converter could not be started");
		return WK_EIO;
	}
	p = (const unsigned char *)out.data;
	if (rc == 0 && st.exit_code == 0 && !st.signal && out.len > 24 &&
	    !memcmp(p, "\x89PNG\r\n\x1a\n", 8) && !memcmp(p + 12, "IHDR", 4) &&
	    (p[16] << 24 | p[17] << 16 | p[18] << 8 | p[19]) == size &&
	    (p[20] << 24 | p[21] << 16 | p[22] << 8 | p[23]) == size) {
		*png = (unsigned char *)buf_detach(&out, png_len);
		return *png ? 0 : WK_ENOMEM;
	}
	if (rc == 0 && st.exit_code == 0 && out.len > 4 &&
	    !memcmp(out.data, "ERR ", 4) && utf8_valid(out.data + 4,
						      out.len - 4))
		snprintf(err, errlen, "%.*s", (int)(out.len - 4), out.data + 4);
	else
		snprintf(err, errlen, "the picture could not be read");
	buf_release(&out);
	return WK_EMALFORMED;
}

/* ---- stamped PDFs ----------------------------------------------------------*/

/* PDF downloads each take a worker (up to its memory limit) for their
 * stamp: at most one per core at a time, the rest wait their turn (up
 * to STAMP_WAIT_S) rather than pile up processes. */
#define STAMP_WAIT_S 30

static pthread_once_t stamp_once = PTHREAD_ONCE_INIT;
static sem_t stamp_slots;
static bool stamp_limited;

static void stamp_init(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	stamp_limited = sem_init(&stamp_slots, 0,
				 n < 1 ? 1 : n > 1024 ? 1024 : (unsigned)n) == 0;
	if (!stamp_limited)
		log_error("pdf stamp limiter: sem_init: %s", strerror(errno));
}

static bool stamp_slot_take(void)
{
	struct timespec dl;

	pthread_once(&stamp_once, stamp_init);
	if (!stamp_limited)
		return true;
	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += STAMP_WAIT_S;
	while (sem_timedwait(&stamp_slots, &dl))
		if (errno != EINTR)
			return false;
	return true;
}

static void stamp_slot_give(void)
{
	if (stamp_limited)
		sem_post(&stamp_slots);
}

/* Whether the last kib bytes of p[0, n) hold "%%EOF". */
static bool ends_pdf(const char *p, size_t n)
{
	size_t k = n < 1024 ? n : 1024;

	return memmem(p + n - k, k, "%%EOF", 5) != NULL;
}

int sandbox_stamp_pdf(const char *exe, const void *data, size_t len,
		      const char *mark, unsigned char **pdf, size_t *pdf_len,
		      char *err, size_t errlen)
{
	struct sandbox_limits l;
	struct sandbox_stats st;
	struct rusage ru;
	struct buf out;
	char mem[32], cpu[32];
	char *argv[] = { (char *)"wenku", (char *)"worker", (char *)"--mem",
			 mem, (char *)"--cpu", cpu, (char *)"--stamp-pdf",
			 (char *)mark, NULL };
	size_t cap;
	int rc;

	*pdf = NULL;
	sandbox_default_limits(&l);
	if (len > l.max_input) {
		snprintf(err, errlen, "the file is larger than the %zu MiB "
				      "limit", l.max_input >> 20);
		return WK_ETOOBIG;
	}
	if (!exe) {
		snprintf(err, errlen, "the converter is not available");
		return WK_EIO;
	}
	snprintf(mem, sizeof(mem), "%zu", l.mem_bytes);
	snprintf(cpu, sizeof(cpu), "%u", l.cpu_seconds);
	/* Written anew, a file may grow (object streams unpacked), but
	 * not without bound. */
	cap = 2 * len + ((size_t)16 << 20);
	if (!stamp_slot_take()) {
		snprintf(err, errlen, "too many pdf downloads at once");
		return WK_EIO;
	}
	rc = run_filter(exe, argv, data, len, l.wall_ms, cap, &out, &st, &ru);
	stamp_slot_give();
	if (rc < 0) {
		log_error("spawn worker %s: %s", exe, strerror(errno));
		snprintf(err, errlen, "the converter could not be started");
		return WK_EIO;
	}
	if (rc == 0 && st.exit_code == 0 && !st.signal && out.len > 64 &&
	    !memcmp(out.data, "%PDF-", 5) && ends_pdf(out.data, out.len)) {
		*pdf = (unsigned char *)buf_detach(&out, pdf_len);
		return *pdf ? 0 : WK_ENOMEM;
	}
	if (rc == 0 && st.exit_code == 0 && out.len > 4 &&
	    !memcmp(out.data, "ERR ", 4) && utf8_valid(out.data + 4,
						      out.len - 4))
		snprintf(err, errlen, "%.*s", (int)(out.len - 4), out.data + 4);
	else if (rc == WK_EIO || st.signal == SIGXCPU)
		snprintf(err, errlen, "stamping the pdf ran out of time");
	else if (st.exit_code == 3)
		snprintf(err, errlen, "stamping the pdf ran out of memory");
	else
		snprintf(err, errlen, "the pdf could not be stamped");
	buf_release(&out);
	return WK_EMALFORMED;
}
