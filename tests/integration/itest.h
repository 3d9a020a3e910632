/*
 * itest.h - what the integration test files share: the pass/fail
 * counters and check macros (defined in test_site.c, which owns main).
 */
#ifndef WK_ITEST_H
#define WK_ITEST_H

#include <stdio.h>
#include <string.h>

extern int passed, failed, cur_failed;
void begin(const char *name);
void end(void);

#define CHECK(c)                                                          \
	do {                                                              \
		if (!(c)) {                                               \
			fprintf(stderr, "  %s:%d: check failed: %s\n",    \
				__FILE__, __LINE__, #c);                  \
			cur_failed = 1;                                   \
		}                                                         \
	} while (0)
#define CHECK_HAS(hay, needle)                                            \
	do {                                                              \
		if (!(hay) || !strstr((hay), (needle))) {                 \
			fprintf(stderr, "  %s:%d: missing \"%s\"\n",      \
				__FILE__, __LINE__, (needle));            \
			cur_failed = 1;                                   \
		}                                                         \
	} while (0)

/* test_ingest.c: the conversion pipeline, run after the site tests.
 * bin is the sanitizer build, rel the release build (whose workers have
 * their address-space limit), work a scratch folder. */
void ingest_tests(const char *bin, const char *rel, const char *work);

/* test_auth.c: accounts, sessions, CSRF and comments over HTTP. */
void auth_tests(const char *bin, const char *work);

/* test_ledger_load.c: the points ledger under load, Idempotency-Key
 * retries and kill -9 rounds, against rel (the release build). */
void ledger_load_tests(const char *rel, const char *work);
/* test_ops.c: backup while serving, restore, one server per folder. */
void ops_tests(const char *rel, const char *work);

/* test_reports.c: reports, takedowns, strikes, comment moderation. */
void report_tests(const char *bin, const char *work);

/* test_admin.c: the operator console (/admin): pages, audited actions. */
void admin_tests(const char *bin, const char *work);

/* test_console.c: VIP plans, sessions, the newer settings, licences
 * per purchase and `wenku codes list|void`. */
void console_tests(const char *bin, const char *work);

/* test_review.c: the console's review queue (/admin/review). */
void review_tests(const char *bin, const char *work);

/* test_notify.c: in-site notifications (events, inbox, API). */
void notify_tests(const char *bin, const char *work);

/* test_seo.c: sitemap, robots.txt, feeds, OpenGraph/JSON-LD, rankings
 * and tags on the running server (document id: the reference lecture;
 * work: a scratch folder). */
void seo_tests(int port, long id, const char *work);

/* test_metrics.c: GET /metrics (format, counts, who may read it). */
void metrics_tests(const char *bin, const char *work);

/* test_startcfg.c: wenku serve --config, wenku config check and
 * sample-file, etc/wenku.conf. */
void startcfg_tests(const char *bin, const char *work);

/* test_search.c: the search page and API on the demo library. */
void search_tests(const char *bin, const char *work);

#endif
