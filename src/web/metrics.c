/*
 * metrics.c - GET /metrics: the server's and the library's numbers in
 * the Prometheus text exposition format (0.0.4), for a scraper on this
 * machine or on the ranges given with `wenku serve --metrics-from`.
 *
 * Who may read it: a direct connection from loopback or from an allowed
 * range. A request that came through a proxy is judged by the client
 * the proxy names, and loopback alone is not enough then: a reverse
 * proxy on this machine makes every visitor look local. So a request
 * with forwarding headers from a peer that is not a trusted proxy is
 * refused, and one from a trusted proxy passes only when its client is
 * in a --metrics-from range. Everyone else gets the site's 404.
 */
#include "web_internal.h"

#include "../base/buf.h"
#include "../base/log.h"
#include "../base/prom.h"
#include "../store/store.h"

#include <string.h>

int web_metrics_allow(struct web_app *app, const char *cidr)
{
	if (app->nmetrics_from == WEB_METRICS_FROM_MAX ||
	    http_cidr_parse(cidr, &app->metrics_from[app->nmetrics_from]))
		return -1;
	app->nmetrics_from++;
	return 0;
}

static bool in_allowed_range(const struct web_app *app, const char *ip)
{
	size_t i;

	for (i = 0; i < app->nmetrics_from; i++)
		if (http_cidr_match(&app->metrics_from[i], ip))
			return true;
	return false;
}

/* Whether rq may read /metrics; when not, why (for the log). */
static bool allowed(struct web_app *app, struct http_req *rq,
		    const char **why)
{
	static const char *const fwd[] = {
		"X-Forwarded-For", "Forwarded", "X-Real-IP",
		"X-Forwarded-Proto", "X-Forwarded-Host", "Via",
	};
	bool forwarded = rq->via_proxy;
	size_t i;

	for (i = 0; i < sizeof(fwd) / sizeof(fwd[0]); i++)
		if (http_header(rq, fwd[i]))
			forwarded = true;
	if (forwarded && !rq->via_proxy) {
		*why = "forwarded by a proxy that is not --trusted-proxy";
		return false;
	}
	if (forwarded) {
		*why = "through the proxy, and not in a --metrics-from range";
		return in_allowed_range(app, rq->ip);
	}
	*why = "not loopback, and not in a --metrics-from range";
	return http_is_loopback(rq->ip) || in_allowed_range(app, rq->ip);
}

static void library_metrics(struct web_app *app, struct buf *b)
{
	static const char *const statuses[] = { STORE_DOC_STATUSES };
	static const char *const roles[] = { STORE_ROLES };
	struct store_job_counts jc;
	struct store_stats st;
	int rc;
	size_t i;

	rc = store_read_begin(app->store);
	if (!rc) {
		rc = store_job_counts(app->store, NULL, &jc);
		if (!rc)
			rc = store_stats(app->store, &st);
		store_read_end(app->store);
	}
	prom_family(b, "wenku_database_up", "gauge",
		    "1 when the counts below could be read from the database");
	prom_sample(b, "wenku_database_up", NULL, rc ? 0 : 1);
	if (rc) {
		log_error("metrics: reading the library's counts failed");
		return;
	}
	prom_family(b, "wenku_conversion_queue", "gauge",
		    "conversion jobs waiting or being converted");
	prom_sample(b, "wenku_conversion_queue",
		    (const char *[]){ "status", "queued", NULL }, jc.queued);
	prom_sample(b, "wenku_conversion_queue",
		    (const char *[]){ "status", "running", NULL }, jc.running);
	prom_family(b, "wenku_conversions_total", "counter",
		    "conversion jobs done, by outcome");
	prom_sample(b, "wenku_conversions_total",
		    (const char *[]){ "outcome", "imported", NULL },
		    jc.imported);
	prom_sample(b, "wenku_conversions_total",
		    (const char *[]){ "outcome", "duplicate", NULL },
		    jc.duplicate);
	prom_sample(b, "wenku_conversions_total",
		    (const char *[]){ "outcome", "near-duplicate", NULL },
		    jc.near_duplicate);
	prom_sample(b, "wenku_conversions_total",
		    (const char *[]){ "outcome", "rejected", NULL },
		    jc.rejected);
	prom_family(b, "wenku_documents", "gauge", "documents by status");
	for (i = 0; i < STORE_NDOC_STATUSES; i++)
		prom_sample(b, "wenku_documents",
			    (const char *[]){ "status", statuses[i], NULL },
			    st.docs[i]);
	prom_family(b, "wenku_users", "gauge", "accounts by role");
	for (i = 0; i < STORE_NROLES; i++)
		prom_sample(b, "wenku_users",
			    (const char *[]){ "role", roles[i], NULL },
			    st.users[i]);
	prom_family(b, "wenku_ledger_transactions_total", "counter",
		    "points ledger transactions");
	prom_sample(b, "wenku_ledger_transactions_total", NULL, st.ledger_tx);
	prom_family(b, "wenku_ledger_points_issued", "gauge",
		    "points issued and not taken back (minus the issuance "
		    "account's balance)");
	prom_sample(b, "wenku_ledger_points_issued", NULL, -st.issuance);
	prom_family(b, "wenku_ledger_revenue_points", "gauge",
		    "the platform's revenue balance in points");
	prom_sample(b, "wenku_ledger_revenue_points", NULL, st.revenue);
}

int web_metrics(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct web_app *app = ctx;
	const char *why;

	if (!allowed(app, rq, &why)) {
		log_info("metrics: refused for %s: %s", rq->ip, why);
		return 404;
	}
	rs->content_type = "text/plain; version=0.0.4; charset=utf-8";
	http_resp_header(rs, "Cache-Control", "no-store");
	http_metrics(rq->server, &rs->body);
	library_metrics(app, &rs->body);
	prom_family(&rs->body, "process_start_time_seconds", "gauge",
		    "start time of the process since the Unix epoch, in "
		    "seconds");
	prom_sample_f(&rs->body, "process_start_time_seconds", NULL,
		      app->started);
	return 0;
}
