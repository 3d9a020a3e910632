/*
 * assets.c - static files (CSS, JS, images) built into the binary or
 * taken from the theme folder, and the health check.
 */
#include "web_internal.h"

#include "../base/arena.h"
#include "../base/asset.h"
#include "../base/err.h"
#include "../domain/docs.h"
#include "../store/store.h"

#include <stdlib.h>
#include <string.h>

static const char *mime_type(const char *name)
{
	static const struct { const char *ext, *type; } types[] = {
		{ ".css", "text/css; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".svg", "image/svg+xml" },
		{ ".png", "image/png" },
		{ ".ico", "image/x-icon" },
		{ ".txt", "text/plain; charset=utf-8" },
		{ ".woff2", "font/woff2" },
	};
	const char *dot = strrchr(name, '.');
	size_t i;

	for (i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(dot, types[i].ext))
			return types[i].type;
	return "application/octet-stream";
}

static void free_data(void *p)
{
	free(p);
}

int web_static(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct web_app *app = ctx;
	const char *path = http_param(rq, "path");
	const char *inm = http_header(rq, "If-None-Match");
	const unsigned char *data;
	char *name;
	size_t len;
	int owned;

	if (!path || strstr(path, "..") || path[0] == '/' ||
	    strchr(path, '\\'))
		return 404;
	name = arena_sprintf(rq->arena, "static/%s", path);
	if (!name || asset_get(name, &data, &len, &owned))
		return 404;
	if (owned && arena_on_free(rq->arena, free_data, (void *)data))
		return 500;
	rs->content_type = mime_type(name);
	http_resp_header(rs, "ETag", app->asset_etag);
	http_resp_header(rs, "Cache-Control", "public, max-age=3600");
	if (inm && !strcmp(inm, app->asset_etag)) {
		rs->status = 304;
		rs->data = "";
		rs->data_len = 0;
		return 0;
	}
	/* Theme files are freed with the request, after the response has
	 * been sent. */
	rs->data = data;
	rs->data_len = len;
	return 0;
}

/* Runners that have not come round their loop for this long are stuck
 * (a conversion is cut off at ~100 s). */
#define HEALTH_RUNNER_STUCK_MS (5 * 60 * 1000)

int web_healthz(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct web_app *app = ctx;
	int64_t idle = web_ingest_idle_ms();
	bool db = store_ping(app->store) == 0;
	bool runners = idle < HEALTH_RUNNER_STUCK_MS;	/* -1: none here */

	rs->status = db && runners ? 200 : 503;
	rs->content_type = "text/plain; charset=utf-8";
	http_resp_header(rs, "Cache-Control", "no-store");
	buf_adds(&rs->body, db && runners ? "ok\n"
			    : !db	      ? "database check failed\n"
					      : "conversion runners stuck\n");
	return 0;
}

/* GET /d/{id}/page/{n} (n >= 1) and /d/{id}/cover: a free page image,
 * through the access check in docs_image(). */
static int serve_image(struct http_req *rq, struct http_resp *rs,
		       struct web_app *app, int page)
{
	unsigned char *png;
	size_t len;
	int64_t id;
	int rc;

	if (docs_parse_id(http_param(rq, "id"), &id))
		return 400;
	rc = docs_image(app->store, rq->arena, web_cfg(app), id, page, &png,
			&len);
	if (rc)
		return web_status(rc);
	if (arena_on_free(rq->arena, free_data, png))
		return 500;
	rs->data = png;
	rs->data_len = len;
	rs->content_type = "image/png";
	http_resp_header(rs, "Cache-Control", "public, max-age=3600");
	http_resp_header(rs, "Content-Security-Policy",
			 "default-src 'none'; sandbox");
	return 0;
}

int web_page_image(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	const char *n = http_param(rq, "n");
	char *end;
	long page;

	page = n ? strtol(n, &end, 10) : 0;
	if (!n || *end || end == n || page < 1 || page > 100000 || n[0] == '0')
		return 400;
	return serve_image(rq, rs, ctx, (int)page);
}

int web_cover_image(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	return serve_image(rq, rs, ctx, 0);
}
