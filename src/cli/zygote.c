/*
 * zygote.c - `wenku zygote`: the warm parent of conversion workers (see
 * domain/zygote.h). fd 0 is the socket to the runner that spawned it.
 */
#include "cli.h"

#include "../base/buf.h"
#include "../domain/sandbox.h"
#include "../domain/zygote.h"
#include "../parse/parse.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Receive a request and its two descriptors. 1, 0 at EOF, -1 on error. */
static int recv_req(struct zygote_req *q, int fds[2])
{
	char cbuf[CMSG_SPACE(2 * sizeof(int))];
	struct iovec iov = { q, sizeof(*q) };
	struct msghdr m;
	struct cmsghdr *c;
	ssize_t n;

	memset(&m, 0, sizeof(m));
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = cbuf;
	m.msg_controllen = sizeof(cbuf);
	do
		n = recvmsg(0, &m, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n == 0)
		return 0;
	c = CMSG_FIRSTHDR(&m);
	if (n != (ssize_t)sizeof(*q) || !c || c->cmsg_type != SCM_RIGHTS ||
	    c->cmsg_len != CMSG_LEN(2 * sizeof(int)))
		return -1;
	memcpy(fds, CMSG_DATA(c), 2 * sizeof(int));
	q->watermark[sizeof(q->watermark) - 1] = '\0';
	return 1;
}

static void reply(const struct zygote_reply *r)
{
	ssize_t n;
	do
		n = send(0, r, sizeof(*r), MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
}

static void child(const struct zygote_req *q, int fds[2],
		  const struct buf *font)
{
	struct sandbox_limits lim;
	struct buf in;
	char err[256];

	if (dup2(fds[0], 0) < 0 || dup2(fds[1], 1) < 0)
		_exit(4);
	close(fds[0]);
	close(fds[1]);
	sandbox_default_limits(&lim);
	lim.mem_bytes = (size_t)q->mem_bytes;
	lim.cpu_seconds = q->cpu_seconds;
	buf_init(&in, lim.max_input);
	worker_read_input(&in);
	if (sandbox_lock(&lim, err, sizeof(err)))
		_exit(4);
	worker_convert(&in, q->share, q->watermark, font);
}

static int zygote(int argc, char **argv)
{
	struct buf font;
	char err[256];

	(void)argv;
	if (argc != 1)
		return 2;
	signal(SIGPIPE, SIG_IGN);
	setenv("TZ", "UTC0", 1);
	tzset();
	parse_preload();
	buf_init(&font, (size_t)64 << 20);
	worker_load_font(&font);
	if (sandbox_isolate(err, sizeof(err))) {
		fprintf(stderr, "wenku zygote: %s\n", err);
		return 4;
	}
	for (;;) {
		struct zygote_req q;
		struct zygote_reply rp;
		struct rusage ru;
		int fds[2], status = 0, rc = recv_req(&q, fds);
		pid_t pid;

		if (rc <= 0)
			break;
		if (q.mem_bytes < ((uint64_t)64 << 20) || q.cpu_seconds < 1) {
			close(fds[0]);
			close(fds[1]);
			break;
		}
		pid = fork();	/* one thread here: safe */
		if (pid == 0)
			child(&q, fds, &font);
		close(fds[0]);
		close(fds[1]);
		if (pid < 0)
			break;
		memset(&rp, 0, sizeof(rp));
		rp.kind = 1;
		rp.pid = pid;
		reply(&rp);
		while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
			;
		rp.kind = 2;
		rp.status = status;
		rp.maxrss_kb = ru.ru_maxrss;
		rp.cpu_ms = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000 +
			    (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000;
		reply(&rp);
	}
	buf_release(&font);
	return 0;
}

const struct cli_command cli_zygote = {
	"zygote", "(internal) fork sandboxed conversion workers", zygote,
};
