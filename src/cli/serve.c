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
#include "startcfg.h"

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

/* `wenku serve --help`: the options, generated from the start-up
 * settings table. */
static void serve_usage(FILE *f)
{
	char opt[64], what[120];

	fprintf(f, "usage: wenku serve [--config FILE] [OPTIONS]\n\n"
		   "  --config FILE\n"
		   "      read start-up settings from FILE (default: the file "
		   "named by\n"
		   "      $WENKU_CONFIG, else none); the options below "
		   "override it\n");
	for (size_t i = 0; i < SCF_COUNT; i++) {
		const struct startcfg_def *d = &startcfg_table[i];

		startcfg_describe(d, what, sizeof(what));
		fprintf(f, "\n  --%s %s  (%s; default %s)\n",
			startcfg_option(d, opt, sizeof(opt)), d->arg, what,
			d->def[0] ? d->def : "none");
		cli_wrap(f, "      ", d->help, 78);
	}
	fprintf(f, "\nThe file holds one `name = value` a line, the names "
		   "with underscores\n(max_body = 1048576); `wenku config "
		   "sample-file` prints one with every\nsetting, `wenku config "
		   "check FILE` checks one.\n");
}

/* The start-up settings from the command line over the file (--config,
 * else $WENKU_CONFIG; *file_out: its name or NULL) into cfg. 0, 1 after
 * --help, or 2 after saying what is wrong. */
static int gather(int argc, char **argv, struct startcfg *cfg,
		  const char **file_out)
{
	static char names[SCF_COUNT][64];
	struct option opts[SCF_COUNT + 3];
	struct startcfg cli;
	const char *file = NULL;
	char err[600];
	size_t n = 0;
	int c, rc = 0;

	for (size_t i = 0; i < SCF_COUNT; i++) {
		startcfg_option(&startcfg_table[i], names[i], sizeof(names[i]));
		opts[n++] = (struct option){ names[i], required_argument, NULL,
					     256 + (int)i };
	}
	opts[n++] = (struct option){ "config", required_argument, NULL, 'C' };
	opts[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	opts[n] = (struct option){ NULL, 0, NULL, 0 };
	startcfg_init(&cli);
	optind = 1;
	while (!rc && (c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c >= 256 && c < 256 + SCF_COUNT) {
			if (startcfg_add(&cli, (enum startcfg_id)(c - 256),
					 optarg, 0, err, sizeof(err))) {
				fprintf(stderr, "wenku: --%s %s\n",
					names[c - 256], err);
				rc = 2;
			}
		} else if (c == 'C') {
			file = optarg;
		} else if (c == 'h') {
			serve_usage(stdout);
			rc = 1;
		} else {
			serve_usage(stderr);
			rc = 2;
		}
	}
	if (!rc && optind != argc) {
		serve_usage(stderr);
		rc = 2;
	}
	if (!file)
		file = getenv("WENKU_CONFIG");
	if (!rc && file && *file && startcfg_read(cfg, file, err,
						  sizeof(err))) {
		fprintf(stderr, "wenku: %s\nwenku: not started\n", err);
		rc = 2;
	}
	if (!rc) {
		startcfg_override(cfg, &cli);
		if (startcfg_check(cfg, err, sizeof(err))) {
			fprintf(stderr, "wenku: %s\n", err);
			rc = 2;
		} else if (file && *file) {
			log_info("start-up settings from %s", file);
		}
	}
	startcfg_release(&cli);
	*file_out = file && *file ? file : NULL;
	return rc;
}

/* Show the console's settings page what the server started with, and
 * where each value came from. */
static void tell_console(struct web_app *app, const struct startcfg *cfg,
			 const char *file)
{
	char val[1024], src[600];

	for (size_t i = 0; i < SCF_COUNT; i++) {
		unsigned n = startcfg_count(cfg, (enum startcfg_id)i);
		size_t len = 0;

		val[0] = '\0';
		for (unsigned k = 0; k < n && len < sizeof(val); k++)
			len += (size_t)snprintf(val + len, sizeof(val) - len,
						"%s%s", k ? ", " : "",
						startcfg_nth(cfg,
							(enum startcfg_id)i,
							k));
		if (!n)
			snprintf(val, sizeof(val), "%s",
				 startcfg_str(cfg, (enum startcfg_id)i));
		if (!cfg->item[i].n)
			snprintf(src, sizeof(src), "default");
		else if (cfg->item[i].line && file)
			snprintf(src, sizeof(src), "%s:%u", file,
				 cfg->item[i].line);
		else
			snprintf(src, sizeof(src), "command line");
		web_startup_setting(app, startcfg_table[i].name, val, src);
	}
}

static int serve(int argc, char **argv)
{
	struct startcfg cfg;
	const char *data, *theme, *file;
	struct http_config hc;
	struct http_server *srv;
	struct ingest_pool *pool = NULL;
	unsigned workers;
	struct web_app *app;
	struct store *s = NULL;
	char host[256], err[512];
	static char trusted[HTTP_MAX_TRUSTED][64];
	unsigned short port;
	sigset_t set;
	bool seeded;
	int rc, sig;

	startcfg_init(&cfg);
	rc = gather(argc, argv, &cfg, &file);
	if (rc) {
		startcfg_release(&cfg);
		return rc == 1 ? 0 : rc;
	}
	rc = 1;
	data = startcfg_str(&cfg, SCF_DATA);
	theme = startcfg_str(&cfg, SCF_THEME);
	workers = (unsigned)startcfg_int(&cfg, SCF_WORKERS);
	/* validated already: cannot fail */
	startcfg_parse_listen(startcfg_str(&cfg, SCF_LISTEN), host,
			      sizeof(host), &port);
	http_config_defaults(&hc);
	hc.host = host;
	hc.port = port;
	hc.threads = (unsigned)startcfg_int(&cfg, SCF_THREADS);
	hc.body_max = (size_t)startcfg_int(&cfg, SCF_MAX_BODY);
	hc.conn_limit = (unsigned)startcfg_int(&cfg, SCF_MAX_CONNECTIONS);
	hc.per_ip_limit = (unsigned)startcfg_int(
		&cfg, SCF_MAX_CONNECTIONS_PER_ADDRESS);
	hc.timeout_s = (unsigned)startcfg_int(&cfg, SCF_IDLE_TIMEOUT);
	hc.conn_memory = (size_t)startcfg_int(&cfg, SCF_CONNECTION_MEMORY);
	hc.uri_max = (size_t)startcfg_int(&cfg, SCF_MAX_URI);
	hc.headers_max = (size_t)startcfg_int(&cfg, SCF_MAX_HEADERS);
	/* after per_ip_limit: a trusted proxy turns it off */
	for (unsigned i = 0; i < startcfg_count(&cfg, SCF_TRUSTED_PROXY); i++)
		if (http_trust_proxy(&hc, startcfg_nth(&cfg, SCF_TRUSTED_PROXY,
						       i), trusted[i]))
			goto out;	/* validated already */
	page_cache_set_ttl((unsigned)startcfg_int(&cfg, SCF_PAGE_CACHE_MS));
	if (theme[0]) {
		struct stat st;
		if (stat(theme, &st) || !S_ISDIR(st.st_mode)) {
			fprintf(stderr, "wenku: theme folder %s not found\n",
				theme);
			rc = 2;
			goto out;
		}
		asset_set_theme(theme);
	}

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
		goto out;
	}
	/* One server per data folder; `wenku restore` waits for none. The
	 * lock goes with the process (also on kill -9). */
	if (store_lock_data(data) < 0) {
		fprintf(stderr, "wenku: %s is in use by another wenku serve\n",
			data);
		goto out;
	}
	if (demo_seed(s, &seeded)) {
		fprintf(stderr, "wenku: building the demo library failed\n");
		goto out;
	}
	app = web_init(s, err, sizeof(err));
	if (!app) {
		fprintf(stderr, "wenku: %s\n", err);
		goto out;
	}
	for (unsigned i = 0; i < startcfg_count(&cfg, SCF_METRICS_FROM); i++)
		web_metrics_allow(app, startcfg_nth(&cfg, SCF_METRICS_FROM, i));
	web_set_download_budget(app, (size_t)startcfg_int(
					     &cfg, SCF_DOWNLOAD_MEMORY) << 20);
	tell_console(app, &cfg, file);
	web_http_config(app, &hc);
	srv = http_start(&hc, err, sizeof(err));
	if (!srv) {
		fprintf(stderr, "wenku: %s\n", err);
		web_free(app);
		goto out;
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
	log_info("stopped");
	rc = 0;
out:
	if (s)
		store_close(s);
	startcfg_release(&cfg);
	return rc;
}

const struct cli_command cli_serve = {
	"serve", "run the site (database, blobs and demo library in --data)",
	serve,
};
