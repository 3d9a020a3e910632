/* test_startcfg.c - the start-up settings file (src/cli/startcfg.c): a
 * good file, each kind of mistake with its line, the limits, repeatable
 * settings, options over the file, and the table itself. */
#include "../harness.h"

#include "../../src/cli/startcfg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int parse(struct startcfg *c, const char *text, char *err,
		 size_t errlen)
{
	return startcfg_parse(c, "t.conf", text, strlen(text), err, errlen);
}

TEST(startcfg_good_file)
{
	struct startcfg c;
	char err[600] = "";

	startcfg_init(&c);
	CHECK(parse(&c,
		    "\xef\xbb\xbf# wenku start-up file\r\n"
		    "\n"
		    "   # indented comment\n"
		    "listen = [::1]:9090\n"
		    "data=/srv/数据 库\n"
		    "\tthreads =  4   # a comment after a blank\n"
		    "max_body = 2097152\n"
		    "trusted_proxy = 127.0.0.1\n"
		    "trusted_proxy = ::1\n"
		    "metrics_from = 10.0.0.0/8\n"
		    "theme =\n"
		    "page_cache_ms = 0", /* no newline at the end */
		    err, sizeof(err)) == 0);
	CHECK_STR(err, "");
	CHECK_STR(startcfg_str(&c, SCF_LISTEN), "[::1]:9090");
	CHECK_STR(startcfg_str(&c, SCF_DATA), "/srv/数据 库");
	CHECK(startcfg_int(&c, SCF_THREADS) == 4);
	CHECK(startcfg_int(&c, SCF_MAX_BODY) == 2097152);
	CHECK(startcfg_int(&c, SCF_PAGE_CACHE_MS) == 0);
	CHECK_STR(startcfg_str(&c, SCF_THEME), "");
	CHECK(startcfg_count(&c, SCF_TRUSTED_PROXY) == 2);
	CHECK_STR(startcfg_nth(&c, SCF_TRUSTED_PROXY, 0), "127.0.0.1");
	CHECK_STR(startcfg_nth(&c, SCF_TRUSTED_PROXY, 1), "::1");
	CHECK(startcfg_nth(&c, SCF_TRUSTED_PROXY, 2) == NULL);
	CHECK(startcfg_count(&c, SCF_METRICS_FROM) == 1);
	/* not in the file: the defaults */
	CHECK(startcfg_int(&c, SCF_WORKERS) == 0);
	CHECK(startcfg_int(&c, SCF_MAX_CONNECTIONS) == 1000);
	CHECK(startcfg_int(&c, SCF_MAX_CONNECTIONS_PER_ADDRESS) == 64);
	CHECK(startcfg_int(&c, SCF_IDLE_TIMEOUT) == 15);
	CHECK(startcfg_count(&c, SCF_METRICS_FROM) == 1);
	CHECK(startcfg_check(&c, err, sizeof(err)) == 0);
	startcfg_release(&c);

	/* an empty file, and one of comments only: every default */
	startcfg_init(&c);
	CHECK(parse(&c, "", err, sizeof(err)) == 0);
	CHECK(parse(&c, "# nothing\n\n#listen = 0.0.0.0:1\n", err,
		    sizeof(err)) == 0);
	CHECK_STR(startcfg_str(&c, SCF_LISTEN), "127.0.0.1:8080");
	CHECK_STR(startcfg_str(&c, SCF_DATA), "./data");
	CHECK(startcfg_count(&c, SCF_TRUSTED_PROXY) == 0);
	startcfg_release(&c);
}

/* Each mistake names the file, the line and (when there is one) the
 * setting, and leaves the set as it was. */
TEST(startcfg_errors_name_the_line)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "listen = 127.0.0.1:80\nnonsense\n",
		  "t.conf:2: expected NAME = VALUE" },
		{ "= 5\n", "t.conf:1: expected NAME = VALUE" },
		{ "\n\nlisten 127.0.0.1:80\n", "t.conf:3: expected NAME" },
		{ "colour = blue\n", "t.conf:1: colour: no such setting" },
		{ "max-body = 4096\n",
		  "t.conf:1: max-body: no such setting (did you mean "
		  "max_body?)" },
		{ "LISTEN = 127.0.0.1:80\n", "t.conf:1: LISTEN: no such" },
		{ "# a\nthreads = 257\n",
		  "t.conf:2: threads: wants a whole number from 0 to 256" },
		{ "threads = -1\n", "t.conf:1: threads: wants a whole" },
		{ "threads = 4x\n", "t.conf:1: threads: wants a whole" },
		{ "threads = 0x10\n", "t.conf:1: threads: wants a whole" },
		{ "threads =\n", "t.conf:1: threads: wants a whole" },
		{ "max_body = 99999999999999999999999\n",
		  "t.conf:1: max_body: wants a whole number from 1024" },
		{ "max_body = 1023\n", "t.conf:1: max_body: wants" },
		{ "idle_timeout = 4\n",
		  "t.conf:1: idle_timeout: wants a whole number from 5 to "
		  "300" },
		{ "max_connections_per_address = 0\n",
		  "t.conf:1: max_connections_per_address: wants" },
		{ "listen = 8080\n",
		  "t.conf:1: listen: wants an IP address and a port, like "
		  "127.0.0.1:8080 or [::1]:8080, not '8080'" },
		{ "listen = 127.0.0.1:65536\n", "t.conf:1: listen: wants" },
		{ "listen = :80\n", "t.conf:1: listen: wants" },
		{ "listen = localhost:8080\n",
		  "t.conf:1: listen: wants an IP address and a port" },
		{ "listen = [::1]8080\n", "t.conf:1: listen: wants" },
		{ "listen = 127.0.0.1:+80\n", "t.conf:1: listen: wants" },
		{ "a_setting_name_far_longer_than_any_in_the_table_at_all_x"
		  "yz_and_more_and_more = 1\n", "t.conf:1: a_setting_name_far_longer_than_any_in_th...: "
		  "no such setting" },
		{ "data =\n", "t.conf:1: data: wants a folder name" },
		{ "trusted_proxy = proxy.example.com\n",
		  "t.conf:1: trusted_proxy: wants an IP address" },
		{ "trusted_proxy = 10.0.0.0/8\n",
		  "t.conf:1: trusted_proxy: wants an IP address" },
		{ "metrics_from = 10.0.0.0/33\n",
		  "t.conf:1: metrics_from: wants an address or range" },
		{ "threads = 4\nworkers = 2\nthreads = 8\n",
		  "t.conf:3: threads: is set twice (first on line 1)" },
		{ "ok = \xff\xfe\n", "t.conf:1: not UTF-8 text" },
		{ "listen = 127.0.0.1:1\ndata = /a\xc3(\n",
		  "t.conf:2: not UTF-8 text" },
	};
	char err[600];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct startcfg c;

		startcfg_init(&c);
		CHECK(startcfg_add(&c, SCF_THREADS, "3", 0, err,
				   sizeof(err)) == 0);
		err[0] = '\0';
		CHECK(parse(&c, cases[i].text, err, sizeof(err)) == -1);
		if (strncmp(err, cases[i].want, strlen(cases[i].want)))
			fprintf(stderr, "    case %zu: %s\n", i, err);
		CHECK(!strncmp(err, cases[i].want, strlen(cases[i].want)));
		/* never half-applied: what came before stands alone */
		CHECK(startcfg_int(&c, SCF_THREADS) == 3);
		CHECK_STR(startcfg_str(&c, SCF_LISTEN), "127.0.0.1:8080");
		CHECK(startcfg_count(&c, SCF_TRUSTED_PROXY) == 0);
		startcfg_release(&c);
	}
}

TEST(startcfg_limits)
{
	struct startcfg c;
	char err[600], *text;
	size_t n;

	startcfg_init(&c);
	/* a NUL byte inside a line */
	CHECK(startcfg_parse(&c, "t.conf", "threads = 4\ndata = a\0b\n", 22,
			     err, sizeof(err)) == -1);
	CHECK_STR(err, "t.conf:2: a NUL byte");

	/* a line of exactly STARTCFG_LINE_MAX bytes is fine; one more
	 * byte is not (a comment is no exception) */
	text = malloc(STARTCFG_FILE_MAX + 2);
	n = (size_t)snprintf(text, 64, "data = ");
	memset(text + n, 'd', STARTCFG_LINE_MAX - n);
	strcpy(text + STARTCFG_LINE_MAX, "\n");
	CHECK(parse(&c, text, err, sizeof(err)) == 0);
	CHECK(strlen(startcfg_str(&c, SCF_DATA)) == STARTCFG_LINE_MAX - n);
	memset(text, '#', STARTCFG_LINE_MAX + 1);
	strcpy(text + STARTCFG_LINE_MAX + 1, "\n");
	CHECK(parse(&c, "#\n", err, sizeof(err)) == 0);
	CHECK(startcfg_parse(&c, "t.conf", text, STARTCFG_LINE_MAX, err,
			     sizeof(err)) == 0);
	CHECK(parse(&c, text, err, sizeof(err)) == -1);
	CHECK_STR(err, "t.conf:1: line longer than 1024 bytes");
	/* the value is not cut short: with its own line the rest of a
	 * long line would otherwise become a setting */
	n = (size_t)snprintf(text, 64, "data = /");
	memset(text + n, 'd', STARTCFG_LINE_MAX);
	strcpy(text + n + STARTCFG_LINE_MAX, "\nthreads = 4\n");
	CHECK(parse(&c, text, err, sizeof(err)) == -1);
	CHECK_STR(err, "t.conf:1: line longer than 1024 bytes");

	/* the file size: comments up to the limit pass, a byte more not */
	memset(text, '\n', STARTCFG_FILE_MAX + 1);
	CHECK(startcfg_parse(&c, "t.conf", text, STARTCFG_FILE_MAX, err,
			     sizeof(err)) == 0);
	CHECK(startcfg_parse(&c, "t.conf", text, STARTCFG_FILE_MAX + 1, err,
			     sizeof(err)) == -1);
	CHECK_STR(err, "t.conf: larger than 65536 bytes");
	free(text);
	startcfg_release(&c);
}

TEST(startcfg_repeatable)
{
	struct startcfg c;
	char err[600], text[1000];
	size_t n = 0;

	/* trusted_proxy takes up to 8 lines; the ninth is refused */
	for (int i = 1; i <= 9; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "trusted_proxy = 192.0.2.%d\n", i);
	startcfg_init(&c);
	CHECK(parse(&c, text, err, sizeof(err)) == -1);
	CHECK_STR(err, "t.conf:9: trusted_proxy: is given more than 8 "
		       "times");
	CHECK(startcfg_count(&c, SCF_TRUSTED_PROXY) == 0);
	text[strlen(text) - strlen("trusted_proxy = 192.0.2.9\n")] = '\0';
	CHECK(parse(&c, text, err, sizeof(err)) == 0);
	CHECK(startcfg_count(&c, SCF_TRUSTED_PROXY) == 8);
	CHECK_STR(startcfg_nth(&c, SCF_TRUSTED_PROXY, 7), "192.0.2.8");
	/* the same limit for options */
	CHECK(startcfg_add(&c, SCF_TRUSTED_PROXY, "192.0.2.9", 0, err,
			   sizeof(err)) == -1);
	CHECK_STR(err, "is given more than 8 times");
	startcfg_release(&c);
}

/* Options override the file: a single setting's value, a repeatable
 * setting's whole list; what the options leave alone keeps the file's
 * value; the last of a repeated single option wins. */
TEST(startcfg_options_override_the_file)
{
	struct startcfg file, cli;
	char err[600];

	startcfg_init(&file);
	startcfg_init(&cli);
	CHECK(parse(&file, "listen = 127.0.0.1:7001\ndata = /srv/a\n"
			   "trusted_proxy = 10.0.0.1\n"
			   "trusted_proxy = 10.0.0.2\n"
			   "metrics_from = 10.0.0.0/8\nworkers = 2\n",
		    err, sizeof(err)) == 0);
	CHECK(startcfg_add(&cli, SCF_LISTEN, "127.0.0.1:7002", 0, err,
			   sizeof(err)) == 0);
	CHECK(startcfg_add(&cli, SCF_WORKERS, "3", 0, err, sizeof(err)) ==
	      0);
	CHECK(startcfg_add(&cli, SCF_WORKERS, "5", 0, err, sizeof(err)) ==
	      0);
	CHECK(startcfg_add(&cli, SCF_TRUSTED_PROXY, "10.0.0.9", 0, err,
			   sizeof(err)) == 0);
	CHECK(startcfg_add(&cli, SCF_THREADS, "300", 0, err, sizeof(err)) ==
	      -1);
	CHECK_STR(err, "wants a whole number from 0 to 256");
	startcfg_override(&file, &cli);
	CHECK_STR(startcfg_str(&file, SCF_LISTEN), "127.0.0.1:7002");
	CHECK_STR(startcfg_str(&file, SCF_DATA), "/srv/a");
	CHECK(startcfg_int(&file, SCF_WORKERS) == 5);
	CHECK(startcfg_int(&file, SCF_THREADS) == 0);
	CHECK(startcfg_count(&file, SCF_TRUSTED_PROXY) == 1);
	CHECK_STR(startcfg_nth(&file, SCF_TRUSTED_PROXY, 0), "10.0.0.9");
	CHECK(startcfg_count(&file, SCF_METRICS_FROM) == 1);
	/* the options' set is left empty */
	for (int i = 0; i < SCF_COUNT; i++)
		CHECK(startcfg_count(&cli, (enum startcfg_id)i) == 0);
	startcfg_release(&cli);
	startcfg_release(&file);
}

TEST(startcfg_check_between_settings)
{
	struct startcfg c;
	char err[600];

	startcfg_init(&c);
	CHECK(startcfg_check(&c, err, sizeof(err)) == 0);
	CHECK(parse(&c, "max_headers = 65536\n", err, sizeof(err)) == 0);
	CHECK(startcfg_check(&c, err, sizeof(err)) == -1);
	CHECK_STR(err, "max_uri (8192) plus max_headers (65536) must be less "
		       "than connection_memory (65536)");
	CHECK(startcfg_add(&c, SCF_CONNECTION_MEMORY, "131072", 0, err,
			   sizeof(err)) == 0);
	CHECK(startcfg_check(&c, err, sizeof(err)) == 0);
	startcfg_release(&c);
}

TEST(startcfg_read_file)
{
	char path[] = "/tmp/wenku-startcfg-XXXXXX", err[600];
	struct startcfg c;
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

	CHECK(f != NULL);
	if (!f)
		return;
	fputs("listen = 127.0.0.1:7003\n\nworkers = 65\n", f);
	fclose(f);
	startcfg_init(&c);
	CHECK(startcfg_read(&c, path, err, sizeof(err)) == -1);
	CHECK_CONTAINS(err, ":3: workers: wants a whole number from 0 to 64");
	CHECK(!strncmp(err, path, strlen(path)));
	CHECK_STR(startcfg_str(&c, SCF_LISTEN), "127.0.0.1:8080");
	unlink(path);
	CHECK(startcfg_read(&c, path, err, sizeof(err)) == -1);
	CHECK_CONTAINS(err, "cannot read: No such file or directory");
	startcfg_release(&c);
}

/* The table: every default passes its own validation, every example
 * too, the names map to the option names the server always had, and a
 * name is found by itself only. */
TEST(startcfg_table_is_consistent)
{
	char err[300], opt[64];
	struct startcfg c;

	for (int i = 0; i < SCF_COUNT; i++) {
		const struct startcfg_def *d = &startcfg_table[i];

		CHECK(d->name && d->help && d->arg);
		CHECK(startcfg_find(d->name) == d);
		CHECK(d->repeat >= 1 && d->repeat <= STARTCFG_REPEAT_MAX);
		if (d->def[0] || d->type == SCT_PATH)
			CHECK(startcfg_validate(d, d->def, err,
						sizeof(err)) == 0);
		else
			CHECK(d->example &&
			      startcfg_validate(d, d->example, err,
						sizeof(err)) == 0);
	}
	CHECK_STR(startcfg_option(&startcfg_table[SCF_PAGE_CACHE_MS], opt,
				  sizeof(opt)), "page-cache-ms");
	CHECK_STR(startcfg_option(&startcfg_table[SCF_TRUSTED_PROXY], opt,
				  sizeof(opt)), "trusted-proxy");
	CHECK(startcfg_find("max-body") == NULL);
	CHECK(startcfg_find("") == NULL);
	startcfg_init(&c);
	CHECK(startcfg_check(&c, err, sizeof(err)) == 0);
}
