/*
 * serve.c - `wenku serve`: run the site until SIGTERM or SIGINT.
 *
 * Signals are blocked before any thread starts, so every thread inherits
 * the mask and the main thread alone receives them with sigtimedwait(),
 * looking every two seconds whether the settings changed (SIGHUP: read
 * them now); on SIGTERM or SIGINT the server stops accepting, drains
 * requests in flight and exits 0.
 */
#include "cli.h"

#include "../base/asset.h"
#include "../base/log.h"
#include "../domain/demo.h"
#include "../domain/ingest.h"
#include "../http/http.h"
#include "../store/store.h"
#include "../web/cache.h"
#include "../web/web.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int cli_parse_listen(const char *s, char *host, unsigned long hostlen,
		     unsigned short *port)
{
	const char *colon;
	const char *h = s;
	size_t hl;
	char *end;
	long p;

	if (s[0] == '[') {
		const char *rb = strchr(s, ']');
		if (!rb || rb[1] != ':')
			goto bad;
		h = s + 1;
		hl = (size_t)(rb - h);
		colon = rb + 1;
	} else {
		colon = strrchr(s, ':');
		if (!colon)
			goto bad;
		hl = (size_t)(colon - s);
	}
	if (hl == 0 || hl >= hostlen)
		goto bad;
	p = strtol(colon + 1, &end, 10);
	if (*end || end == colon + 1 || p < 0 || p > 65535)
		goto bad;
	memcpy(host, h, hl);
	host[hl] = '\0';
	*port = (unsigned short)p;
	return 0;
bad:
	fprintf(stderr, "wenku: --listen wants HOST:PORT, not '%s'\n", s);
	return -1;
}

static void serve_usage(FILE *f)
{
	fprintf(f,
		"usage: wenku serve [--data DIR] [--listen HOST:PORT] "
		"[--theme DIR]\n"
		"                   [--threads N] [--max-body BYTES] "
		"[--page-cache-ms MS]\n"
		"                   [--workers N] [--trusted-proxy IP]... "
		"[--metrics-from CIDR]...\n\n"
		"  --data DIR          data folder: database and blobs "
		"(default ./data)\n"
		"  --listen HOST:PORT  address to serve on (default "
		"127.0.0.1:8080)\n"
		"  --theme DIR         folder whose templates/, static/ and "
		"i18n/ files\n"
		"                      override the built-in ones\n"
		"  --threads N         HTTP worker threads (default: one per "
		"core)\n"
		"  --max-body BYTES    request body cap (default 1048576)\n"
		"  --workers N         conversion jobs run at once (default: "
		"one per core)\n"
		"  --page-cache-ms MS  keep rendered anonymous pages this long "
		"(default\n"
		"                      1000; 0 turns the page cache off)\n"
		"  --trusted-proxy IP  a reverse proxy whose X-Forwarded-For "
		"and\n"
		"                      X-Forwarded-Proto are believed "
		"(repeatable, up to 8);\n"
		"                      the per-address connection limit is "
		"then off\n"
		"  --metrics-from CIDR also let this range read /metrics "
		"(repeatable, up to\n"
		"                      8; default: direct connections from "
		"loopback only)\n");
}

static int serve(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "listen", required_argument, NULL, 'l' },
		{ "theme", required_argument, NULL, 't' },
		{ "threads", required_argument, NULL, 'n' },
		{ "max-body", required_argument, NULL, 'b' },
		{ "page-cache-ms", required_argument, NULL, 'c' },
		{ "workers", required_argument, NULL, 'w' },
		{ "trusted-proxy", required_argument, NULL, 'P' },
		{ "metrics-from", required_argument, NULL, 'M' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *data = "./data", *listen = "127.0.0.1:8080";
	const char *theme = NULL;
	struct http_config hc;
	struct http_server *srv;
	struct ingest_pool *pool = NULL;
	unsigned workers = 0;
	struct web_app *app;
	struct store *s;
	char host[256], err[512];
	static char trusted[HTTP_MAX_TRUSTED][64];
	const char *metrics_from[WEB_METRICS_FROM_MAX];
	size_t nmetrics_from = 0;
	unsigned short port;
	sigset_t set;
	bool seeded;
	int c, sig;

	http_config_defaults(&hc);
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': data = optarg; break;
		case 'l': listen = optarg; break;
		case 't': theme = optarg; break;
		case 'n':
			hc.threads = (unsigned)strtoul(optarg, NULL, 10);
			if (hc.threads < 1 || hc.threads > 256) {
				fprintf(stderr, "wenku: --threads wants 1 to "
						"256\n");
				return 2;
			}
			break;
		case 'b':
			hc.body_max = (size_t)strtoull(optarg, NULL, 10);
			if (hc.body_max < 1024) {
				fprintf(stderr, "wenku: --max-body wants at "
						"least 1024\n");
				return 2;
			}
			break;
		case 'c': {
			char *end;
			unsigned long ms = strtoul(optarg, &end, 10);
			if (*end || ms > 60000) {
				fprintf(stderr, "wenku: --page-cache-ms wants 0 "
						"to 60000\n");
				return 2;
			}
			page_cache_set_ttl((unsigned)ms);
			break;
		}
		case 'w':
			workers = (unsigned)strtoul(optarg, NULL, 10);
			if (workers > 64) {
				fprintf(stderr, "wenku: --workers wants 0 to "
						"64\n");
				return 2;
			}
			break;
		case 'P':
			if (http_trust_proxy(&hc, optarg,
					     trusted[hc.ntrusted])) {
				fprintf(stderr, "wenku: --trusted-proxy wants "
						"an IP address (at most %d)\n",
					HTTP_MAX_TRUSTED);
				return 2;
			}
			break;
		case 'M': {
			struct http_cidr range;
			if (nmetrics_from == WEB_METRICS_FROM_MAX ||
			    http_cidr_parse(optarg, &range)) {
				fprintf(stderr, "wenku: --metrics-from wants an "
						"address or range like "
						"10.0.0.0/8 (at most %d)\n",
					WEB_METRICS_FROM_MAX);
				return 2;
			}
			metrics_from[nmetrics_from++] = optarg;
			break;
		}
		case 'h': serve_usage(stdout); return 0;
		default: serve_usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		serve_usage(stderr);
		return 2;
	}
	if (cli_parse_listen(listen, host, sizeof(host), &port))
		return 2;
	if (theme) {
		struct stat st;
		if (stat(theme, &st) || !S_ISDIR(st.st_mode)) {
			fprintf(stderr, "wenku: theme folder %s not found\n",
				theme);
			return 2;
		}
		asset_set_theme(theme);
	}
	hc.host = host;
	hc.port = port;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	sandbox_self_exe();	/* before any thread starts */
	s = store_open(data, err, sizeof(err));
	if (!s) {
		fprintf(stderr, "wenku: %s\n", err);
		return 1;
	}
	/* One server per data folder; `wenku restore` waits for none. The
	 * lock goes with the process (also on kill -9). */
	if (store_lock_data(data) < 0) {
		fprintf(stderr, "wenku: %s is in use by another wenku serve\n",
			data);
		store_close(s);
		return 1;
	}
	if (demo_seed(s, &seeded)) {
		fprintf(stderr, "wenku: building the demo library failed\n");
		store_close(s);
		return 1;
	}
	app = web_init(s, err, sizeof(err));
	if (!app) {
		fprintf(stderr, "wenku: %s\n", err);
		store_close(s);
		return 1;
	}
	for (size_t i = 0; i < nmetrics_from; i++)
		web_metrics_allow(app, metrics_from[i]);
	web_http_config(app, &hc);
	srv = http_start(&hc, err, sizeof(err));
	if (!srv) {
		fprintf(stderr, "wenku: %s\n", err);
		web_free(app);
		store_close(s);
		return 1;
	}
	if (!workers) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		workers = n > 0 ? (unsigned)n : 1;
	}
	pool = ingest_pool_start(s, sandbox_self_exe(), workers, 1000, NULL);
	if (!pool)
		log_error("conversion workers could not be started");
	web_set_ingest_pool(pool);
	log_info("wenku serving http://%s%s%s:%u/ (data %s)",
		 strchr(host, ':') ? "[" : "", host,
		 strchr(host, ':') ? "]" : "", (unsigned)http_port(srv), data);
	/* Settings changed elsewhere (`wenku config set`) come into force
	 * within two seconds, or at once on SIGHUP. */
	for (;;) {
		struct timespec two = { 2, 0 };
		sig = sigtimedwait(&set, NULL, &two);
		if (sig == SIGTERM || sig == SIGINT)
			break;
		if (sig == SIGHUP ? web_settings_reload(app)
				  : web_settings_poll(app))
			log_error("settings could not be read; the previous "
				  "values stay in force");
		else if (sig == SIGHUP)
			log_info("SIGHUP: settings read again");
	}
	log_info("%s received: draining", sig == SIGTERM ? "SIGTERM"
							  : "SIGINT");
	http_stop(srv, 10000);
	web_set_ingest_pool(NULL);
	ingest_pool_stop(pool);
	web_free(app);
	store_close(s);
	log_info("stopped");
	return 0;
}

const struct cli_command cli_serve = {
	"serve", "run the site (database, blobs and demo library in --data)",
	serve,
};
