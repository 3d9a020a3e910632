/*
 * api.c - the JSON API (/api/v1/...). Errors are JSON too.
 */
#include "web_internal.h"

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../base/json.h"
#include "../domain/docs.h"
#include "../store/store.h"

#include <string.h>

static void json_headers(struct http_resp *rs)
{
	rs->content_type = "application/json; charset=utf-8";
	http_resp_header(rs, "Cache-Control", "no-cache");
	http_resp_header(rs, "Content-Security-Policy",
			 "default-src 'none'; frame-ancestors 'none'");
}

static int json_error(struct http_resp *rs, int status, const char *code,
		      const char *message)
{
	rs->status = status;
	buf_reset(&rs->body);
	buf_adds(&rs->body, "{\"error\":{\"code\":");
	json_cstr(&rs->body, code);
	buf_adds(&rs->body, ",\"message\":");
	json_cstr(&rs->body, message);
	buf_adds(&rs->body, "}}\n");
	json_headers(rs);
	return 0;
}

int web_api_document(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct web_app *app = ctx;
	struct docs_view v;
	struct buf *b = &rs->body;
	int64_t id;
	int rc;

	if (docs_parse_id(http_param(rq, "id"), &id))
		return json_error(rs, 400, "bad_id",
				  "document id must be a positive integer");
	rc = docs_view(app->store, rq->arena, web_cfg(app), id, &v);
	if (rc == WK_ENOTFOUND)
		return json_error(rs, 404, "not_found", "no such document");
	if (rc)
		return json_error(rs, web_status(rc), "error",
				  "the document could not be loaded");
	buf_addc(b, '{');
	json_key(b, "id", 1);
	buf_addf(b, "%lld", (long long)v.doc.id);
	json_key(b, "title", 0);
	json_cstr(b, v.doc.title);
	json_key(b, "format", 0);
	json_cstr(b, v.doc.format);
	json_key(b, "pages", 0);
	buf_addf(b, "%d", v.doc.pages);
	json_key(b, "chars", 0);
	buf_addf(b, "%lld", (long long)v.doc.chars);
	json_key(b, "size", 0);
	buf_addf(b, "%lld", (long long)v.doc.size);
	json_key(b, "price", 0);
	buf_addf(b, "%d", v.doc.price);
	json_key(b, "vip_free", 0);
	buf_adds(b, v.doc.vip_free ? "true" : "false");
	json_key(b, "category", 0);
	if (v.doc.category_slug) {
		buf_adds(b, "{\"slug\":");
		json_cstr(b, v.doc.category_slug);
		buf_adds(b, ",\"name\":");
		json_cstr(b, v.doc.category_name);
		buf_addc(b, '}');
	} else {
		buf_adds(b, "null");
	}
	json_key(b, "provider", 0);
	if (v.provider.id) {
		buf_addf(b, "{\"id\":%lld,\"name\":", (long long)v.provider.id);
		json_cstr(b, v.provider.display_name);
		buf_addf(b, ",\"verified\":%s}",
			 v.provider.verified ? "true" : "false");
	} else {
		buf_adds(b, "null");
	}
	json_key(b, "views", 0);
	buf_addf(b, "%lld", (long long)v.doc.views);
	json_key(b, "downloads", 0);
	buf_addf(b, "%lld", (long long)v.doc.downloads);
	json_key(b, "published_at", 0);
	buf_addf(b, "%lld", (long long)v.doc.published_at);
	json_key(b, "url", 0);
	json_cstr(b, arena_sprintf(rq->arena, "%s/d/%lld", web_cfg(app)->site_url,
				   (long long)v.doc.id));
	json_key(b, "preview", 0);
	buf_adds(b, "{\"chars\":");
	buf_addf(b, "%lld", (long long)v.preview.chars);
	buf_adds(b, ",\"truncated\":");
	buf_adds(b, v.preview.truncated ? "true" : "false");
	buf_adds(b, ",\"watermarks\":");
	buf_addf(b, "%d", v.preview.watermarks);
	buf_adds(b, ",\"text\":");
	json_cstr(b, v.preview_text);
	buf_adds(b, ",\"html\":");
	json_cstr(b, v.preview_html);
	buf_adds(b, "}}\n");
	json_headers(rs);
	return 0;
}
