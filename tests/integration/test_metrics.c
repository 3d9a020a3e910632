/* test_metrics.c - GET /metrics on the real server: the Prometheus text
 * format line by line, counters keyed by route pattern (never the raw
 * path) that go up by exactly the requests made, also from threads at
 * once; no caching; who may read it (loopback, forwarded requests,
 * --trusted-proxy with and without --metrics-from). The reply is also
 * read by the Prometheus Python client's parser (promparse.py). */
#include "client.h"
#include "itest.h"

#include <ctype.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- the exposition format, structurally -------------------------------*/

static bool is_name(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || !(isalpha((unsigned char)s[0]) || s[0] == '_' ||
			s[0] == ':'))
		return false;
	for (i = 1; i < n; i++)
		if (!(isalnum((unsigned char)s[i]) || s[i] == '_' ||
		      s[i] == ':'))
			return false;
	return true;
}

static bool is_value(const char *s)
{
	char *end;

	if (!strcmp(s, "+Inf") || !strcmp(s, "-Inf") || !strcmp(s, "NaN"))
		return true;
	if (!*s)
		return false;
	strtod(s, &end);
	return *end == '\0';
}

/* One sample line: name{label="value",...} value. The metric name goes
 * to name. */
static bool sample_ok(const char *line, char *name, size_t namelen)
{
	const char *p = line;
	size_t n = strcspn(p, "{ ");

	if (!is_name(p, n) || n >= namelen)
		return false;
	memcpy(name, p, n);
	name[n] = '\0';
	p += n;
	if (*p == '{') {
		p++;
		while (*p != '}') {
			size_t ln = strcspn(p, "=");
			if (!is_name(p, ln) || p[ln] != '=' ||
			    p[ln + 1] != '"')
				return false;
			p += ln + 2;
			while (*p && *p != '"') {
				if (*p == '\\') {
					if (p[1] != '\\' && p[1] != '"' &&
					    p[1] != 'n')
						return false;
					p++;
				}
				p++;
			}
			if (*p != '"')
				return false;
			p++;
			if (*p == ',')
				p++;
			else if (*p != '}')
				return false;
		}
		p++;
	}
	if (*p != ' ')
		return false;
	return is_value(p + 1);
}

/* Every line a # HELP, a # TYPE (once per family, before its samples)
 * or a sample of the family last typed (histograms: _bucket, _sum,
 * _count); the text ends in a line feed. Reports the first bad line. */
static bool exposition_ok(const char *text)
{
	char family[128] = "", type[32] = "", typed[4096] = " ";
	const char *line = text;
	bool ok = true;

	if (!*text || text[strlen(text) - 1] != '\n')
		return false;
	while (*line && ok) {
		size_t n = strcspn(line, "\n");
		char l[1024], name[128], t[32];

		if (n >= sizeof(l))
			return false;
		memcpy(l, line, n);
		l[n] = '\0';
		line += n + 1;
		if (!strncmp(l, "# HELP ", 7)) {
			ok = is_name(l + 7, strcspn(l + 7, " "));
		} else if (!strncmp(l, "# TYPE ", 7)) {
			char key[140];
			if (sscanf(l + 7, "%127s %31s", name, t) != 2 ||
			    (strcmp(t, "counter") && strcmp(t, "gauge") &&
			     strcmp(t, "histogram") && strcmp(t, "summary") &&
			     strcmp(t, "untyped"))) {
				ok = false;
			} else {
				snprintf(key, sizeof(key), " %s ", name);
				ok = !strstr(typed, key) &&
				     strlen(typed) + strlen(key) < sizeof(typed);
				if (ok)
					strcat(typed, key + 1);
				snprintf(family, sizeof(family), "%s", name);
				snprintf(type, sizeof(type), "%s", t);
			}
		} else if (l[0] == '#') {
			ok = false;	/* no other comments from us */
		} else {
			size_t fl = strlen(family);
			ok = sample_ok(l, name, sizeof(name)) &&
			     !strncmp(name, family, fl) &&
			     (name[fl] == '\0' ||
			      (!strcmp(type, "histogram") &&
			       (!strcmp(name + fl, "_bucket") ||
				!strcmp(name + fl, "_sum") ||
				!strcmp(name + fl, "_count"))));
		}
		if (!ok)
			fprintf(stderr, "  bad exposition line: %s\n", l);
	}
	return ok;
}

/* The value of the sample line that starts with series (name and
 * labels exactly as written), or -1 when there is none. */
static double sample_value(const char *text, const char *series)
{
	size_t n = strlen(series);
	const char *p = text;

	while ((p = strstr(p, series))) {
		if ((p == text || p[-1] == '\n') && p[n] == ' ')
			return strtod(p + n + 1, NULL);
		p += n;
	}
	return -1;
}

/* GET /metrics with extra headers: its status, and its body in *body
 * (malloc'd) when 200. */
static int get_metrics(int port, const char *headers, char **body,
		       struct resp *keep)
{
	struct resp r;
	int status;

	if (http_do(port, "GET", "/metrics", headers, NULL, &r))
		return -1;
	status = r.status;
	if (body)
		*body = status == 200 ? strdup(r.body) : NULL;
	if (keep)
		*keep = r;
	else
		resp_free(&r);
	return status;
}

/* /metrics once every earlier request has been counted: a request is
 * counted when the server has finished it, which can be just after the
 * client has its reply, so read until this /metrics is the only request
 * in flight (up to 2 s). */
static int settled_metrics(int port, struct resp *r)
{
	int i, status = -1;

	for (i = 0; i < 100; i++) {
		status = get_metrics(port, NULL, NULL, r);
		if (status != 200 || (r->body && strstr(r->body,
				"\nwenku_http_requests_in_flight 1\n")))
			return status;
		resp_free(r);
		usleep(20000);
	}
	return get_metrics(port, NULL, NULL, r);
}

#define DOC_200 "wenku_http_requests_total{method=\"GET\",route=\"/d/{id}\",status=\"200\"}"
#define DOC_404 "wenku_http_requests_total{method=\"GET\",route=\"/d/{id}\",status=\"404\"}"
#define OTHER_404 "wenku_http_requests_total{method=\"other\",route=\"other\",status=\"404\"}"
#define ROBOTS_200 "wenku_http_requests_total{method=\"GET\",route=\"/robots.txt\",status=\"200\"}"
#define HIST_COUNT "wenku_http_request_duration_seconds_count"

#define LOAD_THREADS 4
#define LOAD_EACH 25

static void *robots_load(void *arg)
{
	int port = *(int *)arg, i;
	struct resp r;

	for (i = 0; i < LOAD_EACH; i++)
		if (http_get(port, "/robots.txt", &r) == 0)
			resp_free(&r);
	return NULL;
}

static void exposition_tests(int port)
{
	char *m1 = NULL, *m2 = NULL, ct[128], cc[64];
	struct resp r;
	pthread_t th[LOAD_THREADS];
	double doc1, other1, hist1;
	int i;

	begin("/metrics: Prometheus text 0.0.4, not cached, route patterns");
	for (i = 0; i < 2; i++) {
		CHECK(http_get(port, "/d/1", &r) == 0 && r.status == 200);
		resp_free(&r);
	}
	CHECK(http_get(port, "/d/999999", &r) == 0 && r.status == 404);
	resp_free(&r);
	CHECK(http_get(port, "/no-such-page-xyz", &r) == 0 &&
	      r.status == 404);
	resp_free(&r);
	CHECK(settled_metrics(port, &r) == 200);
	m1 = strdup(r.body ? r.body : "");
	CHECK(resp_header(&r, "content-type", ct, sizeof(ct)) == 0 &&
	      !strcmp(ct, "text/plain; version=0.0.4; charset=utf-8"));
	CHECK(resp_header(&r, "cache-control", cc, sizeof(cc)) == 0 &&
	      !strcmp(cc, "no-store"));
	CHECK(resp_header(&r, "x-cache", cc, sizeof(cc)) != 0);
	resp_free(&r);
	CHECK(exposition_ok(m1));
	/* And as Prometheus' own client library parses it. */
	{
		const char *py[] = { "/usr/bin/python3",
				     "tests/integration/promparse.py", NULL };
		char *out = NULL;
		int rc = run_cmd(py, m1, &out);
		CHECK(rc == 0 && out && !strncmp(out, "ok ", 3));
		if (rc)
			fprintf(stderr, "promparse: %s", out ? out : "(none)");
		free(out);
	}
	CHECK_HAS(m1, "# TYPE wenku_http_requests_total counter\n");
	CHECK_HAS(m1, "# TYPE wenku_http_request_duration_seconds histogram\n");
	CHECK_HAS(m1, "wenku_http_request_duration_seconds_bucket{le=\"0.001\"} ");
	CHECK_HAS(m1, "wenku_http_request_duration_seconds_bucket{le=\"2.5\"} ");
	CHECK_HAS(m1, "wenku_http_request_duration_seconds_bucket{le=\"+Inf\"} ");
	CHECK_HAS(m1, "wenku_http_request_duration_seconds_sum ");
	CHECK_HAS(m1, "\nwenku_http_requests_in_flight 1\n");
	CHECK_HAS(m1, "\nwenku_database_up 1\n");
	CHECK_HAS(m1, "wenku_conversion_queue{status=\"queued\"} ");
	CHECK_HAS(m1, "wenku_conversions_total{outcome=\"imported\"} ");
	CHECK_HAS(m1, "wenku_documents{status=\"published\"} ");
	CHECK_HAS(m1, "wenku_users{role=\"reader\"} ");
	CHECK_HAS(m1, "\nwenku_ledger_transactions_total ");
	CHECK_HAS(m1, "\nwenku_ledger_points_issued ");
	CHECK_HAS(m1, "\nwenku_ledger_revenue_points ");
	CHECK_HAS(m1, "\nprocess_start_time_seconds ");
	CHECK(sample_value(m1, "wenku_documents{status=\"published\"}") > 0);
	CHECK(sample_value(m1, "process_start_time_seconds") > 1.7e9);
	doc1 = sample_value(m1, DOC_200);
	other1 = sample_value(m1, OTHER_404);
	hist1 = sample_value(m1, HIST_COUNT);
	CHECK(doc1 >= 2);
	CHECK(sample_value(m1, DOC_404) >= 1);
	CHECK(other1 >= 1);
	/* the raw path never becomes a label */
	CHECK(!strstr(m1, "no-such-page-xyz"));
	CHECK(!strstr(m1, "999999"));
	end();

	begin("/metrics: counters go up by exactly the requests made, "
	      "also from threads at once");
	for (i = 0; i < 3; i++) {
		CHECK(http_get(port, "/d/1", &r) == 0 && r.status == 200);
		resp_free(&r);
	}
	CHECK(http_get(port, "/another-missing", &r) == 0 && r.status == 404);
	resp_free(&r);
	for (i = 0; i < LOAD_THREADS; i++)
		CHECK(pthread_create(&th[i], NULL, robots_load, &port) == 0);
	for (i = 0; i < LOAD_THREADS; i++)
		pthread_join(th[i], NULL);
	CHECK(settled_metrics(port, &r) == 200);
	m2 = r.body ? strdup(r.body) : NULL;
	resp_free(&r);
	CHECK(m2 && exposition_ok(m2));
	CHECK(sample_value(m2, DOC_200) == doc1 + 3);
	CHECK(sample_value(m2, OTHER_404) == other1 + 1);
	CHECK(sample_value(m2, ROBOTS_200) == LOAD_THREADS * LOAD_EACH);
	/* the first /metrics, 3 documents, 1 miss and the robots.txt load */
	CHECK(sample_value(m2, HIST_COUNT) >=
	      hist1 + 1 + 3 + 1 + LOAD_THREADS * LOAD_EACH);
	CHECK(sample_value(m2, "wenku_http_requests_total{method=\"GET\","
			       "route=\"/metrics\",status=\"200\"}") >= 1);
	end();
	free(m1);
	free(m2);
}

void metrics_tests(const char *bin, const char *work)
{
	char data[600];
	struct server s;
	char *out = NULL;

	snprintf(data, sizeof(data), "%s/metrics-data", work);
	if (server_start(&s, bin, data, NULL)) {
		begin("/metrics: server starts");
		CHECK(0);
		end();
		return;
	}
	exposition_tests(s.port);

	begin("/metrics: loopback only; forwarded requests are refused");
	CHECK(get_metrics(s.port, "X-Forwarded-For: 203.0.113.5\r\n", NULL,
			  NULL) == 404);
	CHECK(get_metrics(s.port, "X-Real-IP: 127.0.0.1\r\n", NULL,
			  NULL) == 404);
	CHECK(get_metrics(s.port, "Forwarded: for=127.0.0.1\r\n", NULL,
			  NULL) == 404);
	CHECK(get_metrics(s.port, NULL, NULL, NULL) == 200);
	CHECK(server_stop(&s) == 0);
	end();

	begin("/metrics behind --trusted-proxy: only --metrics-from clients");
	{
		const char *proxy[] = { "--trusted-proxy", "127.0.0.1", NULL };
		if (server_start(&s, bin, data, proxy) == 0) {
			/* loopback alone is not enough behind a proxy */
			CHECK(get_metrics(s.port, NULL, NULL, NULL) == 404);
			CHECK(get_metrics(s.port,
					  "X-Forwarded-For: 127.0.0.1\r\n",
					  NULL, NULL) == 404);
			CHECK(get_metrics(s.port,
					  "X-Forwarded-For: 203.0.113.5\r\n",
					  NULL, NULL) == 404);
			CHECK(server_stop(&s) == 0);
		} else {
			CHECK(0);
		}
	}
	{
		const char *allow[] = { "--trusted-proxy", "127.0.0.1",
					"--metrics-from", "203.0.113.0/24",
					"--metrics-from", "2001:db8::/32",
					NULL };
		if (server_start(&s, bin, data, allow) == 0) {
			CHECK(get_metrics(s.port,
					  "X-Forwarded-For: 203.0.113.5\r\n",
					  NULL, NULL) == 200);
			CHECK(get_metrics(s.port,
					  "X-Forwarded-For: 2001:db8::7\r\n",
					  NULL, NULL) == 200);
			CHECK(get_metrics(s.port,
					  "X-Forwarded-For: 198.51.100.1\r\n",
					  NULL, NULL) == 404);
			/* the client's own claim left of the proxy's entry */
			CHECK(get_metrics(s.port,
					  "X-Forwarded-For: 203.0.113.5, "
					  "198.51.100.1\r\n",
					  NULL, NULL) == 404);
			CHECK(get_metrics(s.port, NULL, NULL, NULL) == 404);
			CHECK(server_stop(&s) == 0);
		} else {
			CHECK(0);
		}
	}
	{
		const char *bad[] = { bin, "serve", "--data", data,
				      "--metrics-from", "10.0.0.0/33", NULL };
		CHECK(run_cmd(bad, NULL, &out) == 2);
		CHECK_HAS(out, "--metrics-from wants an address or range");
		free(out);
	}
	end();
}
