/*
 * fuzz_http.c - fuzz harness for the HTTP request path: the real site
 * (store, demo library, templates, routes) served by the real daemon on
 * a loopback port, fed each input as the raw bytes of a connection.
 *
 * The server starts on the first input, in a temporary data folder, and
 * is stopped and removed at exit, so leak checking covers it. An input
 * must never crash the server, trip a sanitizer or hang it: after every
 * input a plain GET /healthz must still answer 200.
 */
#include "../src/base/log.h"
#include "../src/domain/demo.h"
#include "../src/http/http.h"
#include "../src/store/store.h"
#include "../src/web/web.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

int fuzz_http(const uint8_t *data, size_t size);

static struct store *store;
static struct web_app *app;
static struct http_server *srv;
static char dir[64];
static uint16_t port;

static void stop(void)
{
	char cmd[128];

	http_stop(srv, 1000);
	web_free(app);
	store_close(store);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz_http: could not remove %s\n", dir);
}

static int start(void)
{
	struct http_config hc;
	char err[256];
	bool seeded;

	signal(SIGPIPE, SIG_IGN);
	log_set_level(LOG_WARN);	/* no access log per input */
	if (sodium_init() < 0)
		return -1;
	strcpy(dir, "/tmp/wenku-fuzz-http.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	store = store_open(dir, err, sizeof(err));
	if (!store || demo_seed(store, &seeded))
		abort();
	app = web_init(store, err, sizeof(err));
	if (!app)
		abort();
	http_config_defaults(&hc);
	hc.port = 0;
	hc.threads = 2;
	hc.timeout_s = 2;
	web_http_config(app, &hc);
	srv = http_start(&hc, err, sizeof(err));
	if (!srv)
		abort();
	port = http_port(srv);
	atexit(stop);
	return 0;
}

/* Send bytes, half-close, read until the server closes, or goes quiet
 * for 30 ms after answering (a kept-alive connection), or 3 s pass.
 * Returns the first response's status code, or 0 for none. */
static int exchange(const void *data, size_t size)
{
	struct sockaddr_in a;
	struct timeval tv = { 0, 30000 };
	char buf[4096], first[16] = "";
	size_t got = 0;
	ssize_t n;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		close(fd);
		return -1;
	}
	if (size)
		(void)!send(fd, data, size, MSG_NOSIGNAL);
	shutdown(fd, SHUT_WR);
	for (int waits = 0; waits < 100;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n == 0 || (n < 0 && got > 0))
			break;
		if (n < 0) {
			waits++;
			continue;
		}
		if (got < sizeof(first) - 1) {
			size_t k = (size_t)n < sizeof(first) - 1 - got
					   ? (size_t)n
					   : sizeof(first) - 1 - got;
			memcpy(first + got, buf, k);
			first[got + k] = '\0';
		}
		got += (size_t)n;
	}
	close(fd);
	return !strncmp(first, "HTTP/1.", 7) ? atoi(first + 9) : 0;
}

int fuzz_http(const uint8_t *data, size_t size)
{
	static const char probe[] =
		"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
	int status;

	if (!srv && start())
		abort();
	status = exchange(data, size);
	/* Bad input gets a 4xx (or a closed connection), never a 5xx; the
	 * one exception is 505, the right answer to an unknown HTTP
	 * version. */
	if (status >= 500 && status != 505) {
		fprintf(stderr, "fuzz_http: input got status %d\n", status);
		abort();
	}
	if (exchange(probe, sizeof(probe) - 1) != 200) {
		fprintf(stderr, "fuzz_http: server stopped answering\n");
		abort();
	}
	return 0;
}

#ifdef FUZZ_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	fuzz_http(d, n);
	return 0;
}
#endif
