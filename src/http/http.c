/*
 * http.c - libmicrohttpd daemon, request lifecycle, routing, access log
 * (client addresses and ranges: addr.c).
 *
 * Request lifecycle: MHD calls uri_log() first, where the request state
 * (arena, id, start time) is created; the access handler then runs at
 * least twice. The first call only accepts the request (answering on the
 * first call makes MHD 0.9.75 drop keep-alive); upload data calls append
 * to the capped body; the final call routes and queues the response.
 * request_completed() logs the access line and frees the state, also when
 * the client disconnected half-way.
 */
#include "http.h"
#include "http_internal.h"

#include "../base/arena.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../base/prom.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define ARENA_MAX (64u << 20)

/* Statuses counted under their own label; any other is "other". */
static const int status_slots[] = {
	200, 201, 204, 206, 301, 302, 303, 304, 307, 308, 400, 401, 403,
	404, 405, 409, 410, 413, 414, 415, 422, 429, 431, 500, 502, 503, 504,
};
#define NSTATUS (sizeof(status_slots) / sizeof(status_slots[0]) + 1)

struct http_server {
	struct MHD_Daemon *d;
	struct http_config cfg;
	atomic_uint inflight;
	atomic_ulong next_id;
	/* Requests by route (index in cfg.routes; nroutes: none matched)
	 * and status slot: (nroutes + 1) * NSTATUS counters. */
	atomic_ulong *reqs;
	struct prom_hist latency;
};

struct reqstate {
	struct http_req rq;
	struct http_server *srv;
	struct timespec start;
	int calls;
	int status;
	size_t sent;
	bool too_big;		/* body passed the cap */
	const struct http_route *route;	/* found at the first call */
	struct MHD_PostProcessor *pp;	/* multipart uploads */
	struct buf field;		/* the text part being read */
	const char *field_name;
	bool counted;		/* included in inflight */
	bool bad_body;		/* a multipart body that did not parse */
};

void http_config_defaults(struct http_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->host = "127.0.0.1";
	cfg->port = 8080;
	cfg->conn_limit = 1000;
	cfg->per_ip_limit = 64;
	cfg->timeout_s = 15;
	cfg->conn_memory = 64 * 1024;
	cfg->body_max = 1 << 20;
	cfg->uri_max = 8 * 1024;
	cfg->headers_max = 32 * 1024;
}

const char *http_status_text(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 429: return "Too Many Requests";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	}
	return "Error";
}

static double ms_since(const struct timespec *t0)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) * 1e3 +
	       (double)(now.tv_nsec - t0->tv_nsec) / 1e6;
}

/* ---- request state ---------------------------------------------------- */

static void *uri_log(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct http_server *srv = cls;
	struct reqstate *st = calloc(1, sizeof(*st));
	const union MHD_ConnectionInfo *ci;

	if (!st)
		return NULL;
	st->rq.arena = arena_new(ARENA_MAX);
	if (!st->rq.arena) {
		free(st);
		return NULL;
	}
	st->srv = srv;
	st->rq.server = srv;
	clock_gettime(CLOCK_MONOTONIC, &st->start);
	snprintf(st->rq.id, sizeof(st->rq.id), "%08lx%08x",
		 (unsigned long)atomic_fetch_add(&srv->next_id, 1) & 0xffffffffUL,
		 (unsigned)getpid());
	st->rq.raw_uri = arena_strdup(st->rq.arena, uri ? uri : "");
	st->rq.conn = c;
	buf_init(&st->rq.body, srv->cfg.body_max);
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET,
				  &((const struct sockaddr_in *)sa)->sin_addr,
				  st->rq.ip, sizeof(st->rq.ip));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6,
				  &((const struct sockaddr_in6 *)sa)->sin6_addr,
				  st->rq.ip, sizeof(st->rq.ip));
	}
	if (!st->rq.ip[0])
		strcpy(st->rq.ip, "-");
	else if (http_addr_trusted(&srv->cfg, st->rq.ip))
		st->rq.via_proxy = true;	/* its client: once headers are in */
	return st;
}

static size_t status_slot(int status)
{
	size_t i;

	for (i = 0; i < NSTATUS - 1; i++)
		if (status_slots[i] == status)
			return i;
	return NSTATUS - 1;
}

/* Count a finished request: by route and status, and its latency. Only
 * requests that reached the access handler (MHD answers some malformed
 * ones itself, before there is a method). */
static void count_request(struct http_server *srv, struct reqstate *st,
			  double ms)
{
	size_t route = srv->cfg.nroutes;

	if (!st->rq.method)
		return;
	if (st->route)
		route = (size_t)(st->route - srv->cfg.routes);
	atomic_fetch_add_explicit(
		&srv->reqs[route * NSTATUS + status_slot(st->status)], 1,
		memory_order_relaxed);
	prom_hist_observe(&srv->latency, ms > 0 ? (uint64_t)(ms * 1000) : 0);
}

/* The request target as the access log writes it: the token of a
 * password-reset link (a credential for a day) is left out. */
static const char *logged_uri(const char *uri)
{
	if (uri && !strncmp(uri, "/reset/", 7))
		return "/reset/...";
	return uri ? uri : "-";
}

static void request_completed(void *cls, struct MHD_Connection *c,
			      void **con_cls,
			      enum MHD_RequestTerminationCode toe)
{
	struct http_server *srv = cls;
	struct reqstate *st = *con_cls;
	double ms;

	if (!st)
		return;
	ms = ms_since(&st->start);
	count_request(srv, st, ms);
	log_set_request_id(st->rq.id);
	log_info("%s \"%s %s\" %d %zu %.1fms%s", st->rq.ip,
		 st->rq.method ? st->rq.method : "-",
		 logged_uri(st->rq.raw_uri), st->status, st->sent,
		 ms,
		 toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted");
	log_set_request_id(NULL);
	if (st->counted)
		atomic_fetch_sub(&srv->inflight, 1);
	if (st->pp)
		MHD_destroy_post_processor(st->pp);
	buf_release(&st->field);
	buf_release(&st->rq.file);
	buf_release(&st->rq.body);
	arena_free(st->rq.arena);
	free(st);
	*con_cls = NULL;
}

/* ---- accessors -------------------------------------------------------- */

const char *http_header(struct http_req *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

const char *http_query(struct http_req *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND,
					   name);
}

const char *http_cookie(struct http_req *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND, name);
}

const char *http_param(struct http_req *rq, const char *name)
{
	int i;
	for (i = 0; i < rq->nparams; i++)
		if (!strcmp(rq->param_names[i], name))
			return rq->param_values[i];
	return NULL;
}

#define FORM_MAX_FIELDS 64

static void parse_form(struct http_req *rq)
{
	const char *ct = http_header(rq, "Content-Type");
	char *copy, *p;
	size_t n = 0;

	rq->form_parsed = 1;
	if (!ct || strncasecmp(ct, "application/x-www-form-urlencoded", 33) ||
	    !rq->body.len)
		return;
	copy = arena_strndup(rq->arena, rq->body.data, rq->body.len);
	rq->form_names = arena_alloc(rq->arena,
				     FORM_MAX_FIELDS * sizeof(char *));
	rq->form_values = arena_alloc(rq->arena,
				      FORM_MAX_FIELDS * sizeof(char *));
	if (!copy || !rq->form_names || !rq->form_values)
		return;
	for (p = copy; p && *p && n < FORM_MAX_FIELDS;) {
		char *amp = strchr(p, '&'), *eq, *c;
		if (amp)
			*amp = '\0';
		eq = strchr(p, '=');
		if (eq) {
			*eq = '\0';
			/* '+' is a space in forms; MHD unescapes %XX. */
			for (c = p; *c; c++)
				if (*c == '+')
					*c = ' ';
			for (c = eq + 1; *c; c++)
				if (*c == '+')
					*c = ' ';
			MHD_http_unescape(p);
			MHD_http_unescape(eq + 1);
			rq->form_names[n] = p;
			rq->form_values[n] = eq + 1;
			n++;
		}
		p = amp ? amp + 1 : NULL;
	}
	rq->nform = n;
}

const char *http_form(struct http_req *rq, const char *name)
{
	size_t i;

	if (!rq->form_parsed)
		parse_form(rq);
	for (i = 0; i < rq->nform; i++)
		if (!strcmp(rq->form_names[i], name))
			return rq->form_values[i];
	return NULL;
}

bool http_is_https(struct http_req *rq)
{
	const char *p = http_header(rq, "X-Forwarded-Proto");
	return p && !strcasecmp(p, "https") &&
	       (rq->via_proxy || !strcmp(rq->ip, "127.0.0.1") ||
		!strcmp(rq->ip, "::1"));
}

void http_resp_header(struct http_resp *rs, const char *name,
		      const char *value)
{
	int i;

	/* A later value replaces an earlier one of the same header (a
	 * page's Cache-Control made stricter), except Set-Cookie, which
	 * may come several times. */
	if (strcasecmp(name, "Set-Cookie"))
		for (i = 0; i < rs->nheaders; i++)
			if (!strcasecmp(rs->hnames[i], name)) {
				rs->hvalues[i] = value;
				return;
			}
	if (rs->nheaders == HTTP_MAX_HEADERS) {
		log_error("response header %s dropped: too many headers", name);
		return;
	}
	rs->hnames[rs->nheaders] = name;
	rs->hvalues[rs->nheaders] = value;
	rs->nheaders++;
}

/* ---- routing ---------------------------------------------------------- */

/* Match path against pattern, filling params. 1 on match. */
static int match(struct http_req *rq, const char *pat, const char *path)
{
	int np = 0;

	while (*pat && *path) {
		if (*pat == '{') {
			const char *end = strchr(pat, '}');
			const char *seg;
			bool rest;
			size_t n;

			if (!end || np == HTTP_MAX_PARAMS)
				return 0;
			rest = pat[1] == '*';
			seg = path;
			if (rest)
				path += strlen(path);
			else
				path += strcspn(path, "/");
			n = (size_t)(path - seg);
			if (n == 0)
				return 0;
			rq->param_names[np] = arena_strndup(
				rq->arena, pat + 1 + rest,
				(size_t)(end - pat - 1 - rest));
			rq->param_values[np] = arena_strndup(rq->arena, seg, n);
			if (!rq->param_names[np] || !rq->param_values[np])
				return 0;
			np++;
			pat = end + 1;
			continue;
		}
		if (*pat != *path)
			return 0;
		pat++;
		path++;
	}
	if (*pat || *path)
		return 0;
	rq->nparams = np;
	return 1;
}

static const struct http_route *route(struct http_server *srv,
				      struct http_req *rq, bool *path_found)
{
	size_t i;
	bool head = !strcmp(rq->method, "HEAD");

	*path_found = false;
	for (i = 0; i < srv->cfg.nroutes; i++) {
		const struct http_route *r = &srv->cfg.routes[i];
		rq->nparams = 0;
		if (!match(rq, r->pattern, rq->path))
			continue;
		*path_found = true;
		if (!strcmp(r->method, rq->method) ||
		    (head && !strcmp(r->method, "GET")))
			return r;
	}
	rq->nparams = 0;
	return NULL;
}

/* ---- responses -------------------------------------------------------- */


struct header_scan {
	size_t bytes;		/* size of the header block */
	int content_length;	/* Content-Length headers seen */
	int transfer_encoding;	/* Transfer-Encoding headers seen */
};

static enum MHD_Result scan_header(void *cls, enum MHD_ValueKind kind,
				   const char *key, const char *value)
{
	struct header_scan *h = cls;
	(void)kind;
	h->bytes += strlen(key) + (value ? strlen(value) : 0) + 4;
	if (!strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH))
		h->content_length++;
	else if (!strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING))
		h->transfer_encoding++;
	return MHD_YES;
}

static enum MHD_Result send_resp(struct reqstate *st, struct http_resp *rs)
{
	struct MHD_Response *r;
	enum MHD_Result ret;
	size_t len;
	int i;

	if (rs->data) {
		len = rs->data_len;
		r = MHD_create_response_from_buffer(
			len, (void *)rs->data, MHD_RESPMEM_PERSISTENT);
	} else {
		char *body;
		if (buf_error(&rs->body)) {
			log_error("response body for %s failed: %s",
				  st->rq.path, wk_strerror(rs->body.err));
			buf_release(&rs->body);
			rs->status = 500;
			rs->content_type = "text/plain; charset=utf-8";
			buf_adds(&rs->body, "internal server error\n");
		}
		body = buf_detach(&rs->body, &len);
		if (!body)
			return MHD_NO;
		r = MHD_create_response_from_buffer(len, body,
						    MHD_RESPMEM_MUST_FREE);
		if (!r)
			free(body);
	}
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type",
				rs->content_type ? rs->content_type
						 : "text/html; charset=utf-8");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Referrer-Policy",
				"strict-origin-when-cross-origin");
	MHD_add_response_header(r, "X-Request-Id", st->rq.id);
	for (i = 0; i < rs->nheaders; i++)
		MHD_add_response_header(r, rs->hnames[i], rs->hvalues[i]);
	st->status = rs->status;
	st->sent = len;
	ret = MHD_queue_response(st->rq.conn, (unsigned)rs->status, r);
	MHD_destroy_response(r);
	return ret;
}

/* The error page for status; from (NULL: none) is the handler's reply,
 * whose headers that tell a client what to do next (Retry-After,
 * WWW-Authenticate, Allow) are kept. */
static enum MHD_Result send_error_from(struct reqstate *st, int status,
				       const struct http_resp *from)
{
	static const char *const keep[] = { "Retry-After", "WWW-Authenticate",
					    "Allow" };
	struct http_resp rs;
	enum MHD_Result ret;

	memset(&rs, 0, sizeof(rs));
	buf_init(&rs.body, 0);
	for (int i = 0; from && i < from->nheaders; i++)
		for (size_t k = 0; k < sizeof(keep) / sizeof(keep[0]); k++)
			if (!strcasecmp(from->hnames[i], keep[k]))
				http_resp_header(&rs, from->hnames[i],
						 from->hvalues[i]);
	st->srv->cfg.error(&st->rq, &rs, status, st->srv->cfg.ctx);
	rs.status = status;
	ret = send_resp(st, &rs);
	buf_release(&rs.body);
	return ret;
}

static enum MHD_Result send_error(struct reqstate *st, int status)
{
	return send_error_from(st, status, NULL);
}

static enum MHD_Result dispatch(struct reqstate *st)
{
	struct http_server *srv = st->srv;
	const struct http_route *r;
	struct http_resp rs;
	enum MHD_Result ret;
	bool path_found;
	int status;

	r = route(srv, &st->rq, &path_found);
	st->route = r;
	if (!r)
		return send_error(st, path_found ? 405 : 404);
	memset(&rs, 0, sizeof(rs));
	rs.status = 200;
	buf_init(&rs.body, 0);
	status = r->fn(&st->rq, &rs, srv->cfg.ctx);
	if (status >= 400) {
		ret = send_error_from(st, status, &rs);
		buf_release(&rs.body);
		return ret;
	}
	ret = send_resp(st, &rs);
	buf_release(&rs.body);
	return ret;
}

#define FIELD_MAX (64 * 1024)
#define FORM_FIELDS 64

/* Keep the text part read so far as a form field. */
static void finish_field(struct reqstate *st)
{
	struct http_req *rq = &st->rq;

	if (!st->field_name)
		return;
	if (!rq->form_names) {
		rq->form_names = arena_alloc(rq->arena,
					     FORM_FIELDS * sizeof(char *));
		rq->form_values = arena_alloc(rq->arena,
					      FORM_FIELDS * sizeof(char *));
	}
	if (rq->form_names && rq->form_values && rq->nform < FORM_FIELDS &&
	    !buf_error(&st->field)) {
		rq->form_names[rq->nform] = st->field_name;
		rq->form_values[rq->nform] =
			arena_strndup(rq->arena, buf_str(&st->field),
				      st->field.len);
		if (rq->form_values[rq->nform])
			rq->nform++;
	}
	st->field_name = NULL;
	buf_reset(&st->field);
}

static enum MHD_Result post_part(void *cls, enum MHD_ValueKind kind,
				 const char *key, const char *filename,
				 const char *content_type,
				 const char *transfer_encoding,
				 const char *data, uint64_t off, size_t size)
{
	struct reqstate *st = cls;
	struct http_req *rq = &st->rq;

	(void)kind;
	(void)content_type;
	(void)transfer_encoding;
	if (!key)
		return MHD_YES;
	if (filename) {
		/* The first file part only; later ones are dropped. */
		if (rq->file_field && strcmp(rq->file_field, key))
			return MHD_YES;
		if (!rq->file_field) {
			finish_field(st);
			rq->file_field = arena_strdup(rq->arena, key);
			rq->file_name = arena_strndup(
				rq->arena, filename,
				strlen(filename) > 255 ? 255 : strlen(filename));
		}
		buf_add(&rq->file, data, size);
		if (buf_error(&rq->file)) {
			st->too_big = true;
			return MHD_NO;
		}
		return MHD_YES;
	}
	if (off == 0 || !st->field_name || strcmp(st->field_name, key)) {
		finish_field(st);
		st->field_name = arena_strdup(rq->arena, key);
	}
	buf_add(&st->field, data, size);
	return MHD_YES;
}

int http_upload(struct http_req *rq, const char **field,
		const char **filename, const void **data, size_t *len)
{
	if (!rq->file_field)
		return WK_ENOTFOUND;
	*field = rq->file_field;
	*filename = rq->file_name ? rq->file_name : "";
	*data = rq->file.data ? rq->file.data : "";
	*len = rq->file.len;
	return 0;
}

static enum MHD_Result access_handler(void *cls, struct MHD_Connection *c,
				      const char *url, const char *method,
				      const char *version,
				      const char *upload_data,
				      size_t *upload_data_size, void **con_cls)
{
	struct http_server *srv = cls;
	struct reqstate *st = *con_cls;
	struct header_scan hs = { 0, 0, 0 };
	const char *cl;

	(void)version;
	if (!st)
		return MHD_NO;	/* state allocation failed: drop */
	log_set_request_id(st->rq.id);
	if (st->calls++ == 0) {
		st->rq.method = arena_strdup(st->rq.arena, method);
		st->rq.path = arena_strdup(st->rq.arena, url);
		if (!st->rq.method || !st->rq.path)
			return MHD_NO;
		atomic_fetch_add(&srv->inflight, 1);
		st->counted = true;
		if (strlen(st->rq.raw_uri) > srv->cfg.uri_max)
			return send_error(st, 414);
		MHD_get_connection_values(c, MHD_HEADER_KIND, scan_header,
					  &hs);
		if (hs.bytes > srv->cfg.headers_max)
			return send_error(st, 431);
		if (st->rq.via_proxy)
			http_forwarded_for(&srv->cfg,
					   MHD_lookup_connection_value(
						   c, MHD_HEADER_KIND,
						   "X-Forwarded-For"),
					   st->rq.ip, sizeof(st->rq.ip));
		/* Ambiguous framing is how requests get smuggled past a
		 * proxy: refuse it rather than pick one reading. */
		if (hs.content_length > 1 || hs.transfer_encoding > 1 ||
		    (hs.content_length && hs.transfer_encoding))
			return send_error(st, 400);
		{
			/* The route decides the body cap (uploads are
			 * bigger) and whether multipart is parsed. */
			bool found;
			size_t cap = srv->cfg.body_max;
			const char *ct = MHD_lookup_connection_value(
				c, MHD_HEADER_KIND,
				MHD_HTTP_HEADER_CONTENT_TYPE);
			st->route = route(srv, &st->rq, &found);
			if (st->route && st->route->body_max)
				cap = st->route->body_max;
			buf_init(&st->rq.body, srv->cfg.body_max);
			buf_init(&st->field, FIELD_MAX);
			buf_init(&st->rq.file, cap);
			cl = MHD_lookup_connection_value(
				c, MHD_HEADER_KIND,
				MHD_HTTP_HEADER_CONTENT_LENGTH);
			if (cl) {
				char *end;
				unsigned long long v = strtoull(cl, &end, 10);
				if (*end || end == cl)
					return send_error(st, 400);
				if (v > cap)
					return send_error(st, 413);
			}
			if (st->route && st->route->multipart && ct &&
			    !strncasecmp(ct, "multipart/form-data", 19)) {
				st->pp = MHD_create_post_processor(
					c, 64 * 1024, post_part, st);
				if (!st->pp)
					return send_error(st, 400);
			}
		}
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (st->too_big) {
			/* past the cap: read and drop */
		} else if (st->pp) {
			if (MHD_post_process(st->pp, upload_data,
					     *upload_data_size) != MHD_YES &&
			    !st->too_big)
				st->bad_body = true;
		} else {
			buf_add(&st->rq.body, upload_data, *upload_data_size);
			if (buf_error(&st->rq.body))
				st->too_big = true;
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (st->too_big)
		return send_error(st, 413);
	if (st->bad_body)
		return send_error(st, 400);
	if (st->pp)
		finish_field(st);
	st->rq.form_parsed = st->pp != NULL;
	return dispatch(st);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	size_t n;
	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = '\0';
	log_warn("microhttpd: %s", msg);
}

struct http_server *http_start(const struct http_config *cfg, char *err,
			       size_t errlen)
{
	struct http_server *srv;
	struct sockaddr_in6 a6;
	struct sockaddr_in a4;
	struct sockaddr *sa;
	unsigned threads = cfg->threads;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
			 MHD_USE_ITC | MHD_USE_ERROR_LOG;

	if (!cfg->error || !cfg->routes) {
		snprintf(err, errlen, "http: routes and error page required");
		return NULL;
	}
	memset(&a4, 0, sizeof(a4));
	memset(&a6, 0, sizeof(a6));
	if (inet_pton(AF_INET, cfg->host, &a4.sin_addr) == 1) {
		a4.sin_family = AF_INET;
		a4.sin_port = htons(cfg->port);
		sa = (struct sockaddr *)&a4;
	} else if (inet_pton(AF_INET6, cfg->host, &a6.sin6_addr) == 1) {
		a6.sin6_family = AF_INET6;
		a6.sin6_port = htons(cfg->port);
		sa = (struct sockaddr *)&a6;
		flags |= MHD_USE_IPv6;
	} else {
		snprintf(err, errlen,
			 "listen address '%s' is not an IPv4 or IPv6 address",
			 cfg->host);
		return NULL;
	}
	if (!threads) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		threads = n > 0 ? (unsigned)n : 1;
	}
	srv = calloc(1, sizeof(*srv));
	if (!srv) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	srv->cfg = *cfg;
	srv->reqs = calloc((cfg->nroutes + 1) * NSTATUS, sizeof(*srv->reqs));
	if (!srv->reqs) {
		snprintf(err, errlen, "out of memory");
		free(srv);
		return NULL;
	}
	srv->d = MHD_start_daemon(
		flags, cfg->port, NULL, NULL, access_handler, srv,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
		MHD_OPTION_SOCK_ADDR, sa,
		MHD_OPTION_THREAD_POOL_SIZE, threads,
		MHD_OPTION_CONNECTION_LIMIT, cfg->conn_limit,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->per_ip_limit,
		MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout_s,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, cfg->conn_memory,
		MHD_OPTION_LISTEN_BACKLOG_SIZE, 511u,
		MHD_OPTION_STRICT_FOR_CLIENT, 1,
		MHD_OPTION_URI_LOG_CALLBACK, uri_log, srv,
		MHD_OPTION_NOTIFY_COMPLETED, request_completed, srv,
		MHD_OPTION_END);
	if (!srv->d) {
		snprintf(err, errlen,
			 "cannot listen on %s port %u (in use, or no permission)",
			 cfg->host, (unsigned)cfg->port);
		free(srv->reqs);
		free(srv);
		return NULL;
	}
	return srv;
}

uint16_t http_port(const struct http_server *s)
{
	const union MHD_DaemonInfo *di =
		MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	return di ? di->port : 0;
}

void http_stop(struct http_server *s, unsigned drain_ms)
{
	unsigned waited = 0;
	MHD_socket ls;

	if (!s)
		return;
	ls = MHD_quiesce_daemon(s->d);
	if (ls != MHD_INVALID_SOCKET)
		close(ls);
	while (atomic_load(&s->inflight) > 0 && waited < drain_ms) {
		usleep(10000);
		waited += 10;
	}
	MHD_stop_daemon(s->d);
	free(s->reqs);
	free(s);
}

/* ---- metrics ---------------------------------------------------------- */

void http_metrics(struct http_server *s, struct buf *b)
{
	size_t r, i;
	char code[16];

	prom_family(b, "wenku_http_requests_total", "counter",
		    "HTTP requests answered, by route pattern and status");
	for (r = 0; r <= s->cfg.nroutes; r++) {
		const struct http_route *rt =
			r < s->cfg.nroutes ? &s->cfg.routes[r] : NULL;
		for (i = 0; i < NSTATUS; i++) {
			unsigned long n = atomic_load_explicit(
				&s->reqs[r * NSTATUS + i],
				memory_order_relaxed);
			const char *lbl[] = {
				"method", rt ? rt->method : "other",
				"route", rt ? rt->pattern : "other",
				"status", code, NULL
			};
			if (!n)
				continue;
			if (i < NSTATUS - 1)
				snprintf(code, sizeof(code), "%d",
					 status_slots[i]);
			else
				snprintf(code, sizeof(code), "other");
			prom_sample(b, "wenku_http_requests_total", lbl,
				    (int64_t)n);
		}
	}
	prom_hist_write(b, "wenku_http_request_duration_seconds",
			"time from request line to the response's end",
			&s->latency);
	prom_family(b, "wenku_http_requests_in_flight", "gauge",
		    "HTTP requests being answered now");
	prom_sample(b, "wenku_http_requests_in_flight", NULL,
		    (int64_t)atomic_load(&s->inflight));
}
