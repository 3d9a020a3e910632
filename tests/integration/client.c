/* client.c - HTTP client and server launcher for integration tests. */
#include "client.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

int free_port(void)
{
	struct sockaddr_in a;
	socklen_t l = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    getsockname(fd, (struct sockaddr *)&a, &l)) {
		close(fd);
		return -1;
	}
	port = ntohs(a.sin_port);
	close(fd);
	return port;
}

int server_start(struct server *s, const char *bin, const char *data,
		 const char *const *extra)
{
	char listen[64];
	const char *argv[32];
	int n = 0, i;

	s->port = free_port();
	snprintf(s->data, sizeof(s->data), "%s", data);
	snprintf(s->log, sizeof(s->log), "%s.log", data);
	snprintf(listen, sizeof(listen), "127.0.0.1:%d", s->port);
	argv[n++] = bin;
	argv[n++] = "serve";
	argv[n++] = "--data";
	argv[n++] = data;
	argv[n++] = "--listen";
	argv[n++] = listen;
	for (i = 0; extra && extra[i] && n < 30; i++)
		argv[n++] = extra[i];
	argv[n] = NULL;
	return server_spawn(s, argv);
}

int server_spawn(struct server *s, const char *const *argv)
{
	posix_spawn_file_actions_t fa;
	int i;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 2, s->log,
					 O_WRONLY | O_CREAT | O_APPEND, 0644);
	if (posix_spawn(&s->pid, argv[0], &fa, NULL, (char *const *)argv,
			environ)) {
		posix_spawn_file_actions_destroy(&fa);
		return -1;
	}
	posix_spawn_file_actions_destroy(&fa);
	for (i = 0; i < 300; i++) {	/* 30 s: ASan start-up is slow */
		struct resp r;
		int st;
		if (waitpid(s->pid, &st, WNOHANG) == s->pid) {
			fprintf(stderr, "server exited during start-up; see %s\n",
				s->log);
			return -1;
		}
		if (http_get(s->port, "/healthz", &r) == 0) {
			int ok = r.status == 200;
			resp_free(&r);
			if (ok)
				return 0;
		}
		usleep(100000);
	}
	kill(s->pid, SIGKILL);
	waitpid(s->pid, NULL, 0);
	return -1;
}

/* After a server did not stop cleanly: why, and the end of its log (a
 * sanitizer's report is there), on stderr for the test's output. */
static void stop_report(const struct server *s, const char *why)
{
	char *log = s->log[0] ? file_slurp(s->log) : NULL;
	size_t n = log ? strlen(log) : 0;

	fprintf(stderr, "  server on port %d: %s; end of %s:\n%s\n", s->port,
		why, s->log[0] ? s->log : "(no log)",
		log ? log + (n > 3000 ? n - 3000 : 0) : "");
	free(log);
}

int server_stop(struct server *s)
{
	char why[64];
	int st, i, rc;

	kill(s->pid, SIGTERM);
	for (i = 0; i < 200; i++) {
		if (waitpid(s->pid, &st, WNOHANG) == s->pid) {
			rc = WIFEXITED(st) ? WEXITSTATUS(st)
					   : 128 + WTERMSIG(st);
			if (rc) {
				snprintf(why, sizeof(why), "exit status %d",
					 rc);
				stop_report(s, why);
			}
			return rc;
		}
		usleep(50000);
	}
	kill(s->pid, SIGKILL);
	waitpid(s->pid, NULL, 0);
	stop_report(s, "still running 10 s after SIGTERM, killed");
	return -1;
}

int conn_open(int port)
{
	struct sockaddr_in a;
	struct timeval tv = { 10, 0 };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		close(fd);
		return -1;
	}
	return fd;
}

static int send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int conn_request(int fd, const char *raw, size_t len, struct resp *r)
{
	char *buf = NULL, *hend;
	size_t cap = 0, n = 0, hlen = 0, clen = 0, i;
	int chunked = 0, have_len = 0;

	memset(r, 0, sizeof(*r));
	if (raw && send_all(fd, raw, len))
		return -1;
	for (;;) {
		ssize_t got;
		if (!buf || cap - n < 65536) {
			cap = cap ? cap * 2 : 131072;
			buf = realloc(buf, cap + 1);
		}
		buf[n] = '\0';
		hend = strstr(buf, "\r\n\r\n");
		if (hend) {
			char *cl;
			hlen = (size_t)(hend - buf) + 4;
			for (i = 0; i < hlen; i++)
				buf[i] = (char)tolower((unsigned char)buf[i]);
			cl = strstr(buf, "\ncontent-length:");
			chunked = strstr(buf, "\ntransfer-encoding: chunked") != NULL;
			if (cl) {
				clen = strtoul(cl + 16, NULL, 10);
				have_len = 1;
			}
			if (!chunked && have_len && n >= hlen + clen)
				break;
			if (chunked && strstr(hend + 4, "\r\n0\r\n\r\n"))
				break;
		}
		got = recv(fd, buf + n, cap - n, 0);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			/* Closed: a body without a length ends here. */
			if (hend && !have_len && !chunked) {
				clen = n - hlen;
				break;
			}
			free(buf);
			return -1;
		}
		n += (size_t)got;
	}
	buf[n] = '\0';
	r->status = atoi(buf + 9);
	r->headers = strndup(buf, hlen);
	if (chunked) {
		/* De-chunk. */
		char *src = buf + hlen, *out = malloc(n + 1);
		size_t o = 0;
		for (;;) {
			size_t sz = strtoul(src, &src, 16);
			src = strstr(src, "\r\n") + 2;
			if (!sz)
				break;
			memcpy(out + o, src, sz);
			o += sz;
			src += sz + 2;
		}
		out[o] = '\0';
		r->body = out;
		r->body_len = o;
	} else {
		r->body = malloc(clen + 1);
		memcpy(r->body, buf + hlen, clen);
		r->body[clen] = '\0';
		r->body_len = clen;
	}
	free(buf);
	return 0;
}

int http_do(int port, const char *method, const char *path,
	    const char *headers, const char *body, struct resp *r)
{
	size_t blen = body ? strlen(body) : 0;
	size_t need = strlen(method) + strlen(path) +
		      (headers ? strlen(headers) : 0) + blen + 256;
	char *req = malloc(need);
	int fd, rc, n;

	n = snprintf(req, need,
		     "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
		     "Connection: close\r\n%s",
		     method, path, port, headers ? headers : "");
	if (body)
		n += snprintf(req + n, need - (size_t)n,
			      "Content-Length: %zu\r\n", blen);
	n += snprintf(req + n, need - (size_t)n, "\r\n");
	if (body) {
		memcpy(req + n, body, blen);
		n += (int)blen;
	}
	fd = conn_open(port);
	if (fd < 0) {
		free(req);
		return -1;
	}
	rc = conn_request(fd, req, (size_t)n, r);
	close(fd);
	free(req);
	return rc;
}

int http_get(int port, const char *path, struct resp *r)
{
	return http_do(port, "GET", path,
		       "User-Agent: Mozilla/5.0 (X11; Linux x86_64) wenku-test\r\n",
		       NULL, r);
}

int resp_header(const struct resp *r, const char *name, char *out,
		size_t outlen)
{
	char key[128];
	const char *p, *e;
	size_t i, n;

	snprintf(key, sizeof(key), "\n%s:", name);
	for (i = 0; key[i]; i++)
		key[i] = (char)tolower((unsigned char)key[i]);
	p = r->headers ? strstr(r->headers, key) : NULL;
	if (!p)
		return -1;
	p += strlen(key);
	while (*p == ' ')
		p++;
	e = strstr(p, "\r\n");
	n = e ? (size_t)(e - p) : strlen(p);
	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, p, n);
	out[n] = '\0';
	return 0;
}

void resp_free(struct resp *r)
{
	free(r->headers);
	free(r->body);
	memset(r, 0, sizeof(*r));
}

int run_cmd_ex(const char *const *argv, const char *stdin_text, char **out,
	       bool with_stderr)
{
	posix_spawn_file_actions_t fa;
	int in[2], o[2], status = -1;
	size_t n = 0, cap = 8192;
	char *buf = malloc(cap + 1);
	ssize_t r;
	pid_t pid;

	if (!buf || pipe(in))
		return -1;
	if (pipe(o)) {
		close(in[0]);
		close(in[1]);
		return -1;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_adddup2(&fa, o[1], 1);
	if (with_stderr)
		posix_spawn_file_actions_adddup2(&fa, o[1], 2);
	else
		posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY,
						 0);
	posix_spawn_file_actions_addclose(&fa, in[1]);
	posix_spawn_file_actions_addclose(&fa, o[0]);
	if (posix_spawn(&pid, argv[0], &fa, NULL, (char *const *)argv,
			environ) == 0) {
		close(in[0]);
		close(o[1]);
		if (stdin_text &&
		    write(in[1], stdin_text, strlen(stdin_text)) < 0)
			stdin_text = NULL;
		close(in[1]);
		for (;;) {
			if (cap - n < 4096) {
				char *nb = realloc(buf, cap * 2 + 1);
				if (!nb)
					break;
				buf = nb;
				cap *= 2;
			}
			if ((r = read(o[0], buf + n, cap - n)) <= 0)
				break;
			n += (size_t)r;
		}
		close(o[0]);
		if (waitpid(pid, &status, 0) == pid && WIFEXITED(status))
			status = WEXITSTATUS(status);
		else
			status = -1;
	} else {
		close(in[0]);
		close(in[1]);
		close(o[0]);
		close(o[1]);
	}
	posix_spawn_file_actions_destroy(&fa);
	buf[n] = '\0';
	if (out)
		*out = buf;
	else
		free(buf);
	return status;
}

int run_cmd(const char *const *argv, const char *stdin_text, char **out)
{
	return run_cmd_ex(argv, stdin_text, out, true);
}

char *cmd_stdout(const char *const *argv, const char *stdin_text)
{
	char *out = NULL;

	run_cmd_ex(argv, stdin_text, &out, false);
	return out ? out : calloc(1, 1);
}

char *file_slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *t = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (t = malloc((size_t)n + 1))) {
		if (fread(t, 1, (size_t)n, f) != (size_t)n) {
			free(t);
			t = NULL;
		} else {
			t[n] = '\0';
		}
	}
	fclose(f);
	return t;
}


long import_cjk_doc(const char *bin, const char *data, const char *file,
		    const char *title, unsigned seed, int chars,
		    const char *const *opts)
{
	const char *av[32] = { bin, "import", "--data", data, "--json" };
	size_t cap = strlen(title) + 3 + (size_t)chars * 4 + 1, n, k = 5;
	char *text = malloc(cap), *out;
	const char *p;
	unsigned x = seed;
	long id;
	FILE *f;

	if (!text)
		return 0;
	n = (size_t)snprintf(text, cap, "%s\n\n", title);
	for (int i = 0; i < chars; i++) {
		unsigned cp;
		x = x * 1103515245u + 12345u;
		cp = 0x4e00 + (x >> 8) % 0x5000;
		text[n++] = (char)(0xe0 | (cp >> 12));
		text[n++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		text[n++] = (char)(0x80 | (cp & 0x3f));
		if (i % 60 == 59)
			text[n++] = '\n';
	}
	text[n] = '\0';
	f = fopen(file, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	free(text);
	if (!f)
		return 0;
	for (; opts && *opts && k < 30; opts++)
		av[k++] = *opts;
	av[k++] = file;
	av[k] = NULL;
	out = cmd_stdout(av, NULL);
	p = out ? strstr(out, "\"status\":\"imported\",\"id\":") : NULL;
	id = p ? atol(p + 25) : 0;
	if (!p)
		fprintf(stderr, "    import said: %s\n", out ? out : "");
	free(out);
	return id;
}
