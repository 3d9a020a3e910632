/* test_startcfg.c - `wenku serve --config FILE`: a server started from a
 * file listens where the file says, keeps its library in the file's data
 * folder and believes X-Forwarded-For from the file's trusted proxy;
 * options override the file; a bad file (also through $WENKU_CONFIG)
 * stops the start with its line named and nothing made; `wenku config
 * check`; the committed etc/wenku.conf is `wenku config sample-file`'s
 * output and every setting in it, uncommented, is valid. */
#include "browser.h"
#include "client.h"
#include "itest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

/* The status of GET /metrics with the given X-Forwarded-For (NULL: none),
 * -1 when there was no answer. */
static int metrics_status(int port, const char *xff)
{
	char hdr[200] = "";
	struct resp r;
	int st;

	if (xff)
		snprintf(hdr, sizeof(hdr), "X-Forwarded-For: %s\r\n", xff);
	if (http_do(port, "GET", "/metrics", hdr, NULL, &r))
		return -1;
	st = r.status;
	resp_free(&r);
	return st;
}

static void serve_from_file(const char *bin, const char *work)
{
	char conf[600], data[200], db[300], text[2000], *log;
	struct server s, s2;
	struct stat sb;

	snprintf(conf, sizeof(conf), "%s/startcfg.conf", work);
	snprintf(data, sizeof(data), "%s/startcfg-data", work);
	s.port = free_port();
	snprintf(s.log, sizeof(s.log), "%s.log", data);
	snprintf(text, sizeof(text),
		 "# the integration test's start-up file\n"
		 "listen = 127.0.0.1:%d\n"
		 "data = %s   # its own folder\n"
		 "\n"
		 "trusted_proxy = 127.0.0.1\n"
		 "metrics_from = 203.0.113.0/24\n"
		 "metrics_from = 192.0.2.1\n"
		 "page_cache_ms = 0\n"
		 "threads = 2\n"
		 "workers = 1\n",
		 s.port, data);
	begin("wenku serve --config FILE: listen, data, trusted_proxy and "
	      "metrics_from from the file");
	CHECK(write_file(conf, text) == 0);
	{
		const char *av[] = { bin, "serve", "--config", conf, NULL };
		if (server_spawn(&s, av)) {
			CHECK(0);
			end();
			return;
		}
	}
	/* the library went into the file's data folder */
	snprintf(db, sizeof(db), "%s/wenku.db", data);
	CHECK(stat(db, &sb) == 0);
	/* X-Forwarded-For from the trusted proxy names the client, and
	 * the file's ranges decide who reads /metrics */
	CHECK(metrics_status(s.port, "203.0.113.7") == 200);
	CHECK(metrics_status(s.port, "198.51.100.1, 192.0.2.1") == 200);
	CHECK(metrics_status(s.port, "198.51.100.1") == 404);
	CHECK(metrics_status(s.port, NULL) == 404);
	CHECK(server_stop(&s) == 0);
	log = file_slurp(s.log);
	CHECK_HAS(log, "start-up settings from ");
	CHECK_HAS(log, " 203.0.113.7 \"GET /metrics\"");
	CHECK_HAS(log, "metrics: refused for 198.51.100.1");
	free(log);
	end();

	begin("wenku serve --config FILE with options: the options win");
	s2.port = free_port();
	snprintf(s2.log, sizeof(s2.log), "%s.log", data);
	{
		char listen[64];
		const char *av[] = { bin, "serve", "--config", conf,
				     "--listen", listen, "--metrics-from",
				     "198.51.100.0/24", NULL };
		struct resp r;

		snprintf(listen, sizeof(listen), "127.0.0.1:%d", s2.port);
		if (server_spawn(&s2, av) == 0) {
			/* not on the file's port, but the file's trusted
			 * proxy; the option's range replaced the file's */
			CHECK(http_get(s.port, "/healthz", &r) != 0);
			CHECK(metrics_status(s2.port, "198.51.100.1") == 200);
			CHECK(metrics_status(s2.port, "203.0.113.7") == 404);
			/* The console shows each value and where it came
			 * from, read-only. */
			{
				struct tbrowser adm = { .port = s2.port };
				char want[700];
				tb_sign_in(bin, data, &adm, "sc-admin", "admin");
				CHECK(tb_get(&adm, "/admin/settings", &r) == 200);
				snprintf(want, sizeof(want), "<code>listen</code>"
					 "</td><td><code>%s</code></td><td "
					 "class=\"hint\">command line</td>",
					 listen);
				CHECK_HAS(r.body, want);
				snprintf(want, sizeof(want), "<code>"
					 "trusted_proxy</code></td><td><code>"
					 "127.0.0.1</code></td><td class=\""
					 "hint\">%s:5</td>", conf);
				CHECK_HAS(r.body, want);
				CHECK_HAS(r.body, "<code>max_uri</code></td><td>"
					  "<code>");
				resp_free(&r);
			}
			CHECK(server_stop(&s2) == 0);
		} else {
			CHECK(0);
		}
	}
	end();
}

static void bad_files(const char *bin, const char *work)
{
	char conf[600], data[600], text[1000], *out = NULL;
	struct stat sb;

	snprintf(conf, sizeof(conf), "%s/startcfg-bad.conf", work);
	snprintf(data, sizeof(data), "%s/startcfg-bad-data", work);
	snprintf(text, sizeof(text),
		 "listen = 127.0.0.1:0\n"
		 "data = %s\n"
		 "# the limit below is too low\n"
		 "max_connections = 5\n",
		 data);
	begin("a bad start-up file: serve exits 2 naming the line, makes "
	      "nothing");
	CHECK(write_file(conf, text) == 0);
	{
		const char *av[] = { bin, "serve", "--config", conf, NULL };
		CHECK(run_cmd(av, NULL, &out) == 2);
		CHECK_HAS(out, "startcfg-bad.conf:4: max_connections: wants a "
			       "whole number from 16 to 100000");
		CHECK_HAS(out, "not started");
		free(out);
		CHECK(stat(data, &sb) != 0);
	}
	/* the same file through $WENKU_CONFIG; an explicit --config wins
	 * over the variable */
	setenv("WENKU_CONFIG", conf, 1);
	{
		const char *av[] = { bin, "serve", NULL };
		const char *none[] = { bin, "serve", "--config", "/nonexistent/"
				       "wenku.conf", NULL };
		CHECK(run_cmd(av, NULL, &out) == 2);
		CHECK_HAS(out, "startcfg-bad.conf:4: max_connections");
		free(out);
		CHECK(run_cmd(none, NULL, &out) == 2);
		CHECK_HAS(out, "/nonexistent/wenku.conf: cannot read");
		free(out);
	}
	unsetenv("WENKU_CONFIG");
	CHECK(stat(data, &sb) != 0);
	{
		const char *av[] = { bin, "config", "check", conf, NULL };
		CHECK(run_cmd(av, NULL, &out) == 2);
		CHECK_HAS(out, "startcfg-bad.conf:4: max_connections");
		free(out);
	}
	/* an option's mistake, with the option's name */
	{
		const char *av[] = { bin, "serve", "--data", data,
				     "--idle-timeout", "1", NULL };
		CHECK(run_cmd(av, NULL, &out) == 2);
		CHECK_HAS(out, "--idle-timeout wants a whole number from 5 to "
			       "300");
		free(out);
		CHECK(stat(data, &sb) != 0);
	}
	end();
}

static void sample_file(const char *bin, const char *work)
{
	const char *gen[] = { bin, "config", "sample-file", NULL };
	const char *help[] = { bin, "config", "--help", NULL };
	const char *shelp[] = { bin, "serve", "--help", NULL };
	char *file = file_slurp("etc/wenku.conf");
	char *out = cmd_stdout(gen, NULL), *h = cmd_stdout(help, NULL);
	char *sh = cmd_stdout(shelp, NULL), conf[600], *p;

	begin("etc/wenku.conf is `wenku config sample-file`; uncommented, "
	      "every line is valid");
	CHECK(file != NULL);
	if (file && strcmp(file, out))
		fprintf(stderr, "  etc/wenku.conf differs from `wenku config "
				"sample-file`: run\n  ./wenku config "
				"sample-file > etc/wenku.conf\n");
	CHECK(file && !strcmp(file, out));
	/* every line a comment or empty: the defaults as they are */
	for (p = out; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : "")
		CHECK(*p == '#' || *p == '\n');
	CHECK_HAS(out, "\n#listen = 127.0.0.1:8080\n");
	CHECK_HAS(out, "\n#max_body = 1048576\n");
	CHECK_HAS(out, "\n#trusted_proxy = 127.0.0.1\n");
	CHECK_HAS(out, "# (whole number 1024 to 209715200; option "
		       "--max-body)\n");
	CHECK_HAS(out, "etc/wenku-settings.sh");
	CHECK_HAS(h, "max_body  (whole number 1024 to 209715200; default "
		     "1048576)");
	CHECK_HAS(h, "upload_max_mb  (whole number 1 to 200; default 100)");
	CHECK_HAS(sh, "--max-connections-per-address N  (whole number 1 to "
		      "10000; default 64)");
	CHECK_HAS(sh, "--trusted-proxy IP  (IP address; repeatable, up to 8;");
	/* every setting line uncommented: a file `config check` accepts */
	snprintf(conf, sizeof(conf), "%s/startcfg-sample.conf", work);
	{
		const char *av[] = {
			"/bin/sh", "-c",
			"sed -n 's/^#\\([a-z_]* = \\)/\\1/p' etc/wenku.conf > "
			"\"$1\" && test $(wc -l < \"$1\") -ge 15 && "
			"\"$0\" config check \"$1\"",
			bin, conf, NULL
		};
		char *o = NULL;
		int rc = run_cmd(av, NULL, &o);
		if (rc)
			fprintf(stderr, "  %s", o ? o : "");
		CHECK(rc == 0);
		CHECK_HAS(o, "startcfg-sample.conf: ok");
		free(o);
	}
	end();
	free(file);
	free(out);
	free(h);
	free(sh);
}

/* download_memory: a download that would hold more than the budget (its
 * file twice) is put off with 503 and Retry-After; one that fits is
 * served, and the budget comes back when it is done. */
static void download_budget(const char *bin, const char *work)
{
	char data[200], file[300], path[80], hdr[40];
	const char *opts[] = { "--price", "0", "--publish", NULL };
	const char *set[] = { bin, "config", "--data", data, "set",
			      "guest_free_downloads", "1", NULL };
	const char *av[] = { bin, "serve", "--data", data, "--listen", NULL,
			     "--download-memory", "1", NULL };
	char listen[40];
	long small, big;
	struct server s;
	struct resp r;

	begin("download_memory: past the budget 503 with Retry-After, "
	      "within it served");
	snprintf(data, sizeof(data), "%s/budget-data", work);
	snprintf(file, sizeof(file), "%s/budget-small.txt", work);
	small = import_cjk_doc(bin, data, file, "一份很小的免费文档", 1, 200,
			       opts);
	snprintf(file, sizeof(file), "%s/budget-big.txt", work);
	/* about 540 KB: twice that is past 1 MiB */
	big = import_cjk_doc(bin, data, file, "一份比较大的免费文档", 2,
			     180000, opts);
	CHECK(small > 0 && big > 0);
	CHECK(run_cmd(set, NULL, NULL) == 0);
	s.port = free_port();
	snprintf(listen, sizeof(listen), "127.0.0.1:%d", s.port);
	av[5] = listen;
	snprintf(s.log, sizeof(s.log), "%s.log", data);
	if (server_spawn(&s, av)) {
		CHECK(0);
		end();
		return;
	}
	for (int i = 0; i < 3; i++) {	/* held bytes come back each time */
		snprintf(path, sizeof(path), "/d/%ld/download", small);
		CHECK(http_get(s.port, path, &r) == 0 && r.status == 200);
		resp_free(&r);
	}
	snprintf(path, sizeof(path), "/d/%ld/download", big);
	CHECK(http_get(s.port, path, &r) == 0 && r.status == 503);
	CHECK(resp_header(&r, "retry-after", hdr, sizeof(hdr)) == 0 &&
	      !strcmp(hdr, "5"));
	CHECK_HAS(r.body, "同时进行的下载太多");
	resp_free(&r);
	end();

	begin("downloads an hour are limited: 30 per address without an "
	      "account, then 429 with Retry-After");
	{
		int ok = 4, limited = 0;	/* four counted above */
		snprintf(path, sizeof(path), "/d/%ld/download", small);
		for (int i = 0; i < 40 && !limited; i++) {
			CHECK(http_get(s.port, path, &r) == 0);
			if (r.status == 429) {
				limited = 1;
				CHECK(resp_header(&r, "retry-after", hdr,
						  sizeof(hdr)) == 0 &&
				      atoi(hdr) > 0);
				CHECK_HAS(r.body, "下载过于频繁");
			} else {
				CHECK(r.status == 200);
				ok++;
			}
			resp_free(&r);
		}
		CHECK(limited && ok == 30);
	}
	CHECK(server_stop(&s) == 0);
	end();
}

void startcfg_tests(const char *bin, const char *work)
{
	download_budget(bin, work);
	sample_file(bin, work);
	bad_files(bin, work);
	serve_from_file(bin, work);
}
