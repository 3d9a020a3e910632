/* test_prom.c - the Prometheus text writers (escaping, labels, the
 * histogram's buckets, sum and count, observed from threads) and the
 * address ranges /metrics is allowed from. */
#include "../harness.h"
#include "../../src/base/buf.h"
#include "../../src/base/prom.h"
#include "../../src/http/http.h"

#include <math.h>
#include <pthread.h>
#include <string.h>

TEST(prom_family_and_samples)
{
	struct buf b;

	buf_init(&b, 0);
	prom_family(&b, "x_total", "counter", "a \\ b\nc");
	prom_sample(&b, "x_total", NULL, 7);
	prom_sample(&b, "x_total",
		    (const char *[]){ "route", "/d/{id}", "status", "200",
				      NULL },
		    -3);
	prom_sample(&b, "x_total",
		    (const char *[]){ "v", "q\"b\\s\nn", NULL }, 0);
	prom_sample_f(&b, "y", NULL, 1.5);
	prom_sample_f(&b, "y", NULL, INFINITY);
	prom_sample_f(&b, "y", NULL, NAN);
	CHECK(!buf_error(&b));
	CHECK_STR(buf_str(&b),
		  "# HELP x_total a \\\\ b\\nc\n"
		  "# TYPE x_total counter\n"
		  "x_total 7\n"
		  "x_total{route=\"/d/{id}\",status=\"200\"} -3\n"
		  "x_total{v=\"q\\\"b\\\\s\\nn\"} 0\n"
		  "y 1.5\n"
		  "y +Inf\n"
		  "y NaN\n");
	buf_release(&b);
}

TEST(prom_histogram_buckets)
{
	static struct prom_hist h;	/* zeroed: empty */
	struct buf b;

	memset(&h, 0, sizeof(h));
	prom_hist_observe(&h, 0);		/* le 0.001 */
	prom_hist_observe(&h, 1000);		/* exactly 1 ms: le 0.001 */
	prom_hist_observe(&h, 1001);		/* le 0.002 */
	prom_hist_observe(&h, 30000);		/* le 0.05 */
	prom_hist_observe(&h, 2500000);		/* le 2.5 */
	prom_hist_observe(&h, 9000000);		/* +Inf only */
	buf_init(&b, 0);
	prom_hist_write(&b, "lat_seconds", "latency", &h);
	CHECK_STR(buf_str(&b),
		  "# HELP lat_seconds latency\n"
		  "# TYPE lat_seconds histogram\n"
		  "lat_seconds_bucket{le=\"0.001\"} 2\n"
		  "lat_seconds_bucket{le=\"0.002\"} 3\n"
		  "lat_seconds_bucket{le=\"0.005\"} 3\n"
		  "lat_seconds_bucket{le=\"0.01\"} 3\n"
		  "lat_seconds_bucket{le=\"0.025\"} 3\n"
		  "lat_seconds_bucket{le=\"0.05\"} 4\n"
		  "lat_seconds_bucket{le=\"0.1\"} 4\n"
		  "lat_seconds_bucket{le=\"0.25\"} 4\n"
		  "lat_seconds_bucket{le=\"0.5\"} 4\n"
		  "lat_seconds_bucket{le=\"1\"} 4\n"
		  "lat_seconds_bucket{le=\"2.5\"} 5\n"
		  "lat_seconds_bucket{le=\"+Inf\"} 6\n"
		  "lat_seconds_sum 11.532001\n"
		  "lat_seconds_count 6\n");
	buf_release(&b);
}

#define HIST_THREADS 4
#define HIST_EACH 20000

static void *observe_many(void *arg)
{
	struct prom_hist *h = arg;
	int i;

	for (i = 0; i < HIST_EACH; i++)
		prom_hist_observe(h, (uint64_t)(i % 3000) * 1000);
	return NULL;
}

TEST(prom_histogram_threads)
{
	static struct prom_hist h;
	pthread_t th[HIST_THREADS];
	unsigned long n = 0;
	size_t i;

	memset(&h, 0, sizeof(h));
	for (i = 0; i < HIST_THREADS; i++)
		CHECK(pthread_create(&th[i], NULL, observe_many, &h) == 0);
	for (i = 0; i < HIST_THREADS; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i <= PROM_LATENCY_NBOUNDS; i++)
		n += atomic_load(&h.counts[i]);
	CHECK(n == HIST_THREADS * HIST_EACH);
}

TEST(http_cidr_ranges)
{
	static const struct {
		const char *range, *ip;
		bool match;
	} cases[] = {
		{ "10.0.0.0/8", "10.200.3.4", true },
		{ "10.0.0.0/8", "11.0.0.1", false },
		{ "192.0.2.128/25", "192.0.2.200", true },
		{ "192.0.2.128/25", "192.0.2.127", false },
		{ "192.0.2.7", "192.0.2.7", true },
		{ "192.0.2.7", "192.0.2.8", false },
		{ "0.0.0.0/0", "203.0.113.9", true },
		{ "0.0.0.0/0", "::1", false },
		{ "10.0.0.0/8", "::ffff:10.1.2.3", true },
		{ "2001:db8::/32", "2001:db8:1::5", true },
		{ "2001:db8::/32", "2001:db9::5", false },
		{ "2001:db8::/33", "2001:db8:8000::1", false },
		{ "::/0", "10.0.0.1", false },
		{ "10.0.0.0/8", "-", false },
	};
	static const char *const bad[] = {
		"", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/8x",
		"::/129", "example.com", "/8", "10.0.0/8",
	};
	struct http_cidr c;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK(http_cidr_parse(cases[i].range, &c) == 0);
		if (http_cidr_match(&c, cases[i].ip) != cases[i].match) {
			fprintf(stderr, "    %s in %s?\n", cases[i].ip,
				cases[i].range);
			CHECK(0);
		}
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (http_cidr_parse(bad[i], &c) == 0) {
			fprintf(stderr, "    accepted \"%s\"\n", bad[i]);
			CHECK(0);
		}
	CHECK(http_is_loopback("127.0.0.1"));
	CHECK(http_is_loopback("127.8.9.10"));
	CHECK(http_is_loopback("::1"));
	CHECK(http_is_loopback("::ffff:127.0.0.1"));
	CHECK(!http_is_loopback("128.0.0.1"));
	CHECK(!http_is_loopback("::2"));
	CHECK(!http_is_loopback("-"));
}
