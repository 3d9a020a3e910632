/* test_ops.c - operations: `wenku backup` while the site takes top-ups,
 * then `wenku restore` into a new folder and a server on it; restore's
 * refusals (a running server, a library already there, a damaged blob)
 * and --force keeping the old library; one server per data folder; the
 * committed etc/wenku-settings.sh is `wenku config sample`'s output and
 * its commands work. */
#include "client.h"
#include "itest.h"

#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define OPS_SECRET "ops-gateway-secret-0123456789"

struct topups {
	int port;
	atomic_int stop;
	atomic_int acked;	/* 2xx replies */
	int acked_before;	/* acked when the backup started */
};

static int signed_notify(int port, const char *body)
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	char hex[2 * sizeof(mac) + 1], hdr[200];
	struct resp r;
	int status;

	crypto_auth_hmacsha256_init(&st, (const unsigned char *)OPS_SECRET,
				    strlen(OPS_SECRET));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body,
				      strlen(body));
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));
	snprintf(hdr, sizeof(hdr), "Content-Type: application/json\r\n"
		 "X-Wenku-Signature: %s\r\n", hex);
	if (http_do(port, "POST", "/api/v1/payments/notify", hdr, body, &r))
		return -1;
	status = r.status;
	resp_free(&r);
	return status;
}

static void *topup_loop(void *arg)
{
	struct topups *t = arg;
	char body[160];
	int i;

	for (i = 0; !atomic_load(&t->stop) && i < 100000; i++) {
		snprintf(body, sizeof(body), "{\"payment_id\":\"ops-%d\","
			 "\"user\":\"opsuser\",\"points\":1}", i);
		if (signed_notify(t->port, body) == 200)
			atomic_fetch_add(&t->acked, 1);
	}
	return NULL;
}

/* The user's balance as `wenku points balance` prints it, -1 if not. */
static long balance(const char *bin, const char *data)
{
	const char *av[] = { bin, "points", "balance", "opsuser", "--data",
			     data, NULL };
	char *out = NULL;
	const char *p;
	long v = -1;

	if (run_cmd(av, NULL, &out) == 0 && out &&
	    (p = strstr(out, "opsuser: ")))
		v = strtol(p + 9, NULL, 10);
	free(out);
	return v;
}

/* The access-log line of path in the server's log: its client address
 * (the word before the quoted request), "" when not found. */
static void logged_ip(const struct server *s, const char *path, char *ip,
		      size_t n)
{
	char needle[200], line[1024];
	FILE *f = fopen(s->log, "r");

	ip[0] = '\0';
	snprintf(needle, sizeof(needle), "\"GET %s\"", path);
	while (f && fgets(line, sizeof(line), f)) {
		char *q = strstr(line, needle), *sp;
		if (!q || q == line)
			continue;
		q[-1] = '\0';
		sp = strrchr(line, ' ');
		snprintf(ip, n, "%s", sp ? sp + 1 : "");
	}
	if (f)
		fclose(f);
}

static void proxy_tests(const char *rel, const char *work)
{
	static const struct {
		const char *xff, *want;
	} cases[] = {
		{ "203.0.113.7", "203.0.113.7" },
		/* trusted hops are skipped from the right */
		{ "198.51.100.1, 127.0.0.1", "198.51.100.1" },
		/* the client's own claims left of the last hop prove nothing */
		{ "10.9.9.9, 198.51.100.2", "198.51.100.2" },
		{ "2001:DB8::0:1", "2001:db8::1" },
		{ "not-an-address", "127.0.0.1" },
		{ "192.0.2.1, nonsense", "127.0.0.1" },
		{ NULL, "127.0.0.1" },
	};
	const char *extra[] = { "--trusted-proxy", "127.0.0.1", NULL };
	char data[600], path[64], ip[80], hdr[200];
	struct server s;
	struct resp r;
	size_t i;

	snprintf(data, sizeof(data), "%s/proxy-data", work);
	begin("--trusted-proxy: the client address from X-Forwarded-For");
	if (server_start(&s, rel, data, extra)) {
		CHECK(0);
		end();
		return;
	}
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(path, sizeof(path), "/xff-case-%zu", i);
		if (cases[i].xff)
			snprintf(hdr, sizeof(hdr), "X-Forwarded-For: %s\r\n",
				 cases[i].xff);
		else
			hdr[0] = '\0';
		CHECK(http_do(s.port, "GET", path, hdr, NULL, &r) == 0 &&
		      r.status == 404);
		resp_free(&r);
	}
	CHECK(server_stop(&s) == 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(path, sizeof(path), "/xff-case-%zu", i);
		logged_ip(&s, path, ip, sizeof(ip));
		if (strcmp(ip, cases[i].want))
			fprintf(stderr, "  %s: logged %s, wanted %s\n",
				cases[i].xff ? cases[i].xff : "(none)", ip,
				cases[i].want);
		CHECK(!strcmp(ip, cases[i].want));
	}
	/* Without the option the header is the client's word: ignored. */
	if (server_start(&s, rel, data, NULL) == 0) {
		CHECK(http_do(s.port, "GET", "/xff-untrusted",
			      "X-Forwarded-For: 203.0.113.9\r\n", NULL,
			      &r) == 0);
		resp_free(&r);
		CHECK(server_stop(&s) == 0);
		logged_ip(&s, "/xff-untrusted", ip, sizeof(ip));
		CHECK(!strcmp(ip, "127.0.0.1"));
	} else {
		CHECK(0);
	}
	{
		const char *bad[] = { rel, "serve", "--data", data,
				      "--trusted-proxy", "example.com", NULL };
		char *out = NULL;
		CHECK(run_cmd(bad, NULL, &out) == 2);
		CHECK_HAS(out, "--trusted-proxy wants an IP address");
		free(out);
	}
	end();
}

static void config_sample_tests(const char *rel, const char *work)
{
	const char *gen[] = { rel, "config", "sample", NULL };
	const char *help[] = { rel, "config", "--help", NULL };
	char *file = file_slurp("etc/wenku-settings.sh");
	char *out = cmd_stdout(gen, NULL), *h = cmd_stdout(help, NULL);
	char data[600], *p;

	begin("etc/wenku-settings.sh is `wenku config sample`; its commands "
	      "work");
	CHECK(file != NULL);
	if (file && strcmp(file, out))
		fprintf(stderr, "  etc/wenku-settings.sh differs from `wenku "
				"config sample`: run\n  ./wenku config sample "
				"> etc/wenku-settings.sh\n");
	CHECK(file && !strcmp(file, out));
	/* every line a comment or empty: running it as is changes nothing */
	for (p = out; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : "")
		CHECK(*p == '#' || *p == '\n');
	/* a setting from each end of the table, in both outputs */
	CHECK_HAS(out, "#wenku config set site_name '");
	CHECK_HAS(out, "#wenku config set upload_max_mb 100\n");
	CHECK_HAS(out, "#wenku config set blocked_words ''\n");
	CHECK_HAS(out, "# (one of post|pre)\n");
	CHECK_HAS(h, "upload_max_mb  (whole number 1 to 200; default 100)");
	CHECK_HAS(h, "comment_moderation  (one of post|pre; default");
	/* uncommented, every line is a command the binary accepts */
	snprintf(data, sizeof(data), "%s/sample-data", work);
	{
		const char *sh[] = {
			"/bin/sh", "-c",
			"sed -n \"s|^#wenku config set |'$0' config --data "
			"'$1' set |p\" etc/wenku-settings.sh > \"$1.sh\" && "
			"test $(wc -l < \"$1.sh\") -gt 30 && sh -e \"$1.sh\"",
			rel, data, NULL
		};
		char *o = NULL;
		int rc = run_cmd(sh, NULL, &o);
		if (rc)
			fprintf(stderr, "  %s", o ? o : "");
		CHECK(rc == 0);
		free(o);
	}
	end();
	free(file);
	free(out);
	free(h);
}

void ops_tests(const char *rel, const char *work)
{
	config_sample_tests(rel, work);
	proxy_tests(rel, work);
	char data[600], bk[600], rs[600], blob[900], *out = NULL;
	struct topups t = { 0 };
	struct server s, s2;
	pthread_t th;
	long restored;
	int rc;

	snprintf(data, sizeof(data), "%s/ops-data", work);
	snprintf(bk, sizeof(bk), "%s/ops-backup", work);
	snprintf(rs, sizeof(rs), "%s/ops-restored", work);
	{
		const char *cfg[] = { rel, "config", "--data", data, "set",
				      "payment_secret", OPS_SECRET, NULL };
		const char *add[] = { rel, "user", "add", "opsuser", "--data",
				      data, NULL };
		run_cmd(cfg, NULL, NULL);
		run_cmd(add, "Ops-User-Pass-77\n", NULL);
	}
	begin("wenku backup while the site takes top-ups; restore; serve it");
	if (server_start(&s, rel, data, NULL)) {
		CHECK(0);
		end();
		return;
	}
	/* A second server on the same folder is refused. */
	{
		const char *av[] = { rel, "serve", "--data", data, "--listen",
				     "127.0.0.1:0", NULL };
		CHECK(run_cmd(av, NULL, &out) == 1);
		CHECK_HAS(out, "in use by another wenku serve");
		free(out);
	}
	t.port = s.port;
	CHECK(pthread_create(&th, NULL, topup_loop, &t) == 0);
	while (atomic_load(&t.acked) < 200)
		usleep(10000);
	t.acked_before = atomic_load(&t.acked);
	{
		const char *av[] = { rel, "backup", bk, "--data", data, NULL };
		rc = run_cmd(av, NULL, &out);
		CHECK(rc == 0);
		CHECK_HAS(out, "backed up to");
		if (rc)
			fprintf(stderr, "  %s", out);
		free(out);
	}
	usleep(200000);	/* top-ups go on after the snapshot */
	atomic_store(&t.stop, 1);
	pthread_join(th, NULL);
	/* The same folder again: refused, nothing overwritten. */
	{
		const char *av[] = { rel, "backup", bk, "--data", data, NULL };
		CHECK(run_cmd(av, NULL, &out) == 1);
		CHECK_HAS(out, "not empty");
		free(out);
	}
	/* Restoring over the running server's folder is refused. */
	{
		const char *av[] = { rel, "restore", bk, "--data", data, NULL };
		CHECK(run_cmd(av, NULL, &out) == 1);
		CHECK_HAS(out, "in use by a running server");
		free(out);
	}
	CHECK(server_stop(&s) == 0);
	{
		const char *av[] = { rel, "restore", bk, "--data", rs, NULL };
		rc = run_cmd(av, NULL, &out);
		CHECK(rc == 0);
		CHECK_HAS(out, "restored into");
		free(out);
	}
	/* The restored library holds every top-up acknowledged before the
	 * backup began (and none that were not made). */
	restored = balance(rel, rs);
	CHECK(restored >= t.acked_before && restored <= atomic_load(&t.acked));
	CHECK(balance(rel, data) == atomic_load(&t.acked));
	{
		const char *av[] = { rel, "check", "--data", rs, NULL };
		CHECK(run_cmd(av, NULL, &out) == 0);
		CHECK_HAS(out, "ledger: ok");
		free(out);
	}
	/* The search index can be rebuilt from the stored text. */
	{
		const char *av[] = { rel, "reindex", "--data", rs, NULL };
		const char *p;
		CHECK(run_cmd(av, NULL, &out) == 0);
		p = out ? strstr(out, "reindexed ") : NULL;
		CHECK(p && strtol(p + 10, NULL, 10) > 0);
		free(out);
	}
	/* A server on the restored folder serves its documents. */
	if (server_start(&s2, rel, rs, NULL) == 0) {
		struct resp r;
		CHECK(http_do(s2.port, "GET", "/d/1", NULL, NULL, &r) == 0 &&
		      r.status == 200);
		resp_free(&r);
		CHECK(server_stop(&s2) == 0);
	} else {
		CHECK(0);
	}
	/* A library is there now: refused without --force; with it the
	 * old one is kept aside. */
	{
		const char *av[] = { rel, "restore", bk, "--data", rs, NULL };
		const char *fv[] = { rel, "restore", bk, "--data", rs,
				     "--force", NULL };
		CHECK(run_cmd(av, NULL, &out) == 1);
		CHECK_HAS(out, "already holds a library");
		free(out);
		CHECK(run_cmd(fv, NULL, &out) == 0);
		CHECK_HAS(out, "is kept in");
		free(out);
	}
	/* A damaged blob in the backup: found, and nothing restored. */
	{
		const char *find[] = { "/usr/bin/find", bk, "-path", "*blobs*",
				       "-type", "f", NULL };
		char rs2[700];
		struct stat sb;
		FILE *f;

		CHECK(run_cmd(find, NULL, &out) == 0);
		snprintf(blob, sizeof(blob), "%.*s", (int)strcspn(out, "\n"),
			 out);
		free(out);
		f = fopen(blob, "r+b");
		CHECK(f != NULL);
		if (f) {
			fseek(f, 3, SEEK_SET);
			fputc('#', f);
			fclose(f);
		}
		{
			const char *cv[] = { rel, "restore", "--check", bk,
					     NULL };
			CHECK(run_cmd(cv, NULL, &out) == 1);
			CHECK_HAS(out, "damaged blob");
			free(out);
		}
		snprintf(rs2, sizeof(rs2), "%s/ops-restored-2", work);
		{
			const char *av[] = { rel, "restore", bk, "--data", rs2,
					     NULL };
			char db[800];
			CHECK(run_cmd(av, NULL, &out) == 1);
			CHECK_HAS(out, "damaged blob");
			free(out);
			snprintf(db, sizeof(db), "%s/wenku.db", rs2);
			CHECK(stat(db, &sb) != 0);
		}
	}
	end();
}
