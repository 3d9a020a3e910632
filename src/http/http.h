/*
 * http.h - the HTTP server: the only module that includes microhttpd.h.
 *
 * It owns the daemon (epoll, a thread pool, every limit set), routing by
 * method and path pattern, per-request state (an arena freed when the
 * request completes, even if the client went away), the body cap, the
 * access log and graceful draining. It knows nothing about documents:
 * routes and an error-page callback come from the web layer.
 *
 * Patterns are paths whose segments are literals or "{name}" (one whole
 * segment) or a final "{*name}" (the rest of the path). GET routes also
 * answer HEAD.
 */
#ifndef WK_HTTP_H
#define WK_HTTP_H

#include "../base/buf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct http_server;

#define HTTP_MAX_PARAMS 4
#define HTTP_MAX_HEADERS 16
#define HTTP_MAX_TRUSTED 8

struct http_req {
	struct arena *arena;	/* freed when the request completes */
	const char *method;
	const char *path;	/* percent-decoded path, no query */
	const char *raw_uri;	/* as the client sent it */
	char id[17];		/* request id, also on every log line */
	char ip[64];		/* client address (text): the peer's, or
				 * the one a trusted proxy forwarded */
	bool via_proxy;		/* the peer is a trusted proxy */
	const char *param_names[HTTP_MAX_PARAMS];
	const char *param_values[HTTP_MAX_PARAMS];
	int nparams;
	struct buf body;	/* request body, capped */
	void *conn;		/* opaque to users of this module */
	/* Form fields of an application/x-www-form-urlencoded body,
	 * decoded on first use (http_form), or of a multipart body. */
	int form_parsed;
	const char **form_names, **form_values;
	size_t nform;
	/* The one file of a multipart upload. */
	struct buf file;
	const char *file_field, *file_name;
	/* The application's own per-request state (NULL at first). */
	void *app_data;
	struct http_server *server;	/* the server answering */
};

struct http_resp {
	int status;
	const char *content_type;	/* borrowed: static or arena */
	struct buf body;		/* owned; sent unless data is set */
	const void *data;		/* borrowed body (static asset) */
	size_t data_len;
	const char *hnames[HTTP_MAX_HEADERS];
	const char *hvalues[HTTP_MAX_HEADERS];
	int nheaders;
};

/* A handler fills rs and returns 0, or returns an HTTP status >= 400 to
 * have the error callback build the page instead. */
typedef int (*http_handler)(struct http_req *rq, struct http_resp *rs,
			    void *ctx);

struct http_route {
	const char *method;
	const char *pattern;
	http_handler fn;
	size_t body_max;	/* 0: the server's body cap */
	bool multipart;		/* parse multipart/form-data (uploads) */
};

/* Fill rs with the page for an error status (site layout). Must always
 * produce a response. */
typedef void (*http_error_fn)(struct http_req *rq, struct http_resp *rs,
			      int status, void *ctx);

struct http_config {
	const char *host;		/* listen address, "127.0.0.1" */
	uint16_t port;			/* 0 = any free port */
	unsigned threads;		/* 0 = number of cores */
	unsigned conn_limit;		/* total connections */
	unsigned per_ip_limit;		/* 0 = none (trusted proxy only) */
	/* Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are
	 * believed (addresses as text, normalised by http_start). */
	const char *trusted[HTTP_MAX_TRUSTED];
	size_t ntrusted;
	unsigned timeout_s;		/* idle connection timeout */
	size_t conn_memory;		/* per-connection memory (headers) */
	size_t body_max;		/* request body cap */
	size_t uri_max;			/* longer request targets get 414 */
	size_t headers_max;		/* larger header blocks get 431 */
	const struct http_route *routes;
	size_t nroutes;
	http_error_fn error;
	void *ctx;			/* passed to handlers */
};

/* Fill a config with the defaults (8 KiB URI, 32 KiB headers, 64 KiB
 * per connection, 15 s timeout, 1 MiB body, 1000 connections, 64 per IP). */
void http_config_defaults(struct http_config *cfg);

/* Believe X-Forwarded-For and X-Forwarded-Proto from the reverse proxy
 * at addr (normalised into out, which must outlive the server); turns
 * the per-address connection limit off, since every client then comes
 * from the proxy. -1 when addr is no IP address or there are
 * HTTP_MAX_TRUSTED already. */
int http_trust_proxy(struct http_config *cfg, const char *addr,
		     char out[64]);

/* Start serving. On failure returns NULL with a message in err. */
struct http_server *http_start(const struct http_config *cfg, char *err,
			       size_t errlen);
/* The port actually bound (useful with port 0). */
uint16_t http_port(const struct http_server *s);
/* Stop accepting, wait up to drain_ms for requests in flight, stop. */
void http_stop(struct http_server *s, unsigned drain_ms);

/* Request accessors; results are borrowed for the request's lifetime. */
const char *http_header(struct http_req *rq, const char *name);
const char *http_query(struct http_req *rq, const char *name);
const char *http_cookie(struct http_req *rq, const char *name);
const char *http_param(struct http_req *rq, const char *name);

/* A field of the request's application/x-www-form-urlencoded body
 * (percent-decoded; the first of repeated names), or NULL. Other body
 * types have no fields. */
const char *http_form(struct http_req *rq, const char *name);

/* The file of a multipart/form-data request (routes with multipart
 * set): its field name and the name the client gave it (never a path to
 * use), and the bytes. 0 or WK_ENOTFOUND. Only the first file part is
 * kept; text parts are form fields (http_form). */
int http_upload(struct http_req *rq, const char **field,
		const char **filename, const void **data, size_t *len);

/* Whether the connection reached us over TLS as the client sees it: a
 * TLS-terminating proxy on this machine (loopback peer) that says
 * X-Forwarded-Proto: https. */
bool http_is_https(struct http_req *rq);

/* Add a response header (name and value borrowed: static or arena); a
 * header set before under the same name (case-insensitive) gets the new
 * value instead, except Set-Cookie, which is added again. Past
 * HTTP_MAX_HEADERS the header is dropped and an error logged. */
void http_resp_header(struct http_resp *rs, const char *name,
		      const char *value);

/* Reason phrase for a status ("Not Found"). */
const char *http_status_text(int status);

/* ---- metrics ---- */

/* Append the server's own metrics in the Prometheus text format:
 * wenku_http_requests_total{method,route,status} (route is the matched
 * pattern, "other" when none matched; status "other" for a status not
 * in the list or no response at all), the latency histogram
 * wenku_http_request_duration_seconds and wenku_http_requests_in_flight.
 * Counting is lock-free (atomics) in request_completed(). */
void http_metrics(struct http_server *s, struct buf *b);

/* An address range "192.0.2.0/24", "2001:db8::/32" or one address. */
struct http_cidr {
	int family;		/* AF_INET or AF_INET6 */
	unsigned char addr[16];
	unsigned bits;
};
/* Parse text into out: 0, or -1 when it is no address or range. */
int http_cidr_parse(const char *text, struct http_cidr *out);
/* Whether the address ip (text, as in http_req.ip) is in the range. An
 * IPv4-mapped IPv6 address (::ffff:a.b.c.d) matches IPv4 ranges. */
bool http_cidr_match(const struct http_cidr *c, const char *ip);
/* Whether ip is a loopback address (127.0.0.0/8, ::1). */
bool http_is_loopback(const char *ip);

#endif
