/*
 * fragments.c - 碎片内容 on the pages: every slot's operator-written
 * fragment into the template context (plain text as escaped paragraphs,
 * HTML as stored, which fragment_save() sanitized before storing), and
 * the console page that edits them (/admin/fragments, admins).
 */
#include "web_internal.h"

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../domain/fragment.h"
#include "../store/store.h"
#include "cache.h"

#include <string.h>
#include <time.h>

/* Paragraphs of text (blank lines between them) as a list under key. */
static int paras(struct page *p, const char *key, const char *content)
{
	struct tpl_val *l = tv_set(p->a, p->ctx, key, tv_list(p->a));

	while (l && *content) {
		const char *e = strstr(content, "\n\n");
		size_t n = e ? (size_t)(e - content) : strlen(content);
		if (n)
			tv_push(p->a, l, tv_strn(p->a, content, n));
		content += n;
		while (*content == '\n')
			content++;
	}
	return l ? 0 : WK_ENOMEM;
}

/* The template key of each slot (fragment.h's fragment_slots). */
static const struct {
	const char *slot, *key;
} keys[] = {
	{ "doc_notice", "fragment" },
	{ "home_banner", "home_banner" },
	{ "sidebar", "sidebar_frag" },
	{ "footer", "footer_frag" },
};

int web_fragments(struct page *p)
{
	struct store_fragment *f;
	size_t n, i, k;
	int rc = store_fragments_all(p->app->store, p->a, &f, &n);

	for (i = 0; !rc && i < n; i++)
		for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			const char *key = keys[k].key;

			if (strcmp(f[i].slot, keys[k].slot))
				continue;
			tv_set_bool(p->a, p->ctx,
				    arena_sprintf(p->a, "%s_on", key), true);
			if (!strcmp(f[i].format, "html"))
				tv_set_str(p->a, p->ctx,
					   arena_sprintf(p->a, "%s_html", key),
					   f[i].content);
			else
				rc = paras(p, key, f[i].content);
		}
	return rc;
}

/* ---- fragments (碎片内容) ----------------------------------------------*/

/* The fragments page: every slot with its text or sanitized HTML and a
 * preview; preview_slot/preview_* show a submitted form unsaved. */
static int fragments_page(struct http_req *rq, struct http_resp *rs,
			  struct web_app *app, const char *preview_slot,
			  const char *preview_format,
			  const char *preview_content, const char *error_key,
			  int status)
{
	struct tpl_val *list;
	struct page p;
	size_t i;
	int rc;

	if ((rc = web_console_page(&p, app, rq, rs, "/admin/fragments",
			       PERM_ADMIN)))
		return rc == WEB_CONSOLE_REDIRECTED ? 0 : rc;
	list = tv_set(p.a, p.ctx, "slots", tv_list(p.a));
	for (i = 0; i < fragment_nslots; i++) {
		const char *slot = fragment_slots[i], *format = "text";
		const char *content = "";
		struct tpl_val *m = tv_push(p.a, list, tv_map(p.a));
		bool preview = preview_slot && !strcmp(preview_slot, slot);

		rc = store_fragment_read(app->store, p.a, slot, &format,
					 &content);
		if (rc && rc != WK_ENOTFOUND)
			return web_status(rc);
		if (preview) {
			format = preview_format;
			content = preview_content;
		}
		tv_set_str(p.a, m, "slot", slot);
		tv_set_str(p.a, m, "label",
			   page_t(&p, arena_sprintf(p.a, "frag_slot_%s", slot)));
		tv_set_bool(p.a, m, "html", !strcmp(format, "html"));
		tv_set_str(p.a, m, "content", content);
		tv_set_bool(p.a, m, "previewing", preview);
		if (!strcmp(format, "html")) {
			struct buf b;
			buf_init(&b, 0);
			/* stored HTML is sanitized already; a preview is
			 * sanitized here, exactly as saving would */
			if (fragment_sanitize(content, strlen(content), &b) == 0)
				tv_set_str(p.a, m, "preview_html",
					   arena_strndup(p.a, buf_str(&b),
							 b.len));
			buf_release(&b);
		} else {
			tv_set_str(p.a, m, "preview_text", content);
		}
	}
	if (http_query(rq, "saved"))
		tv_set_bool(p.a, p.ctx, "saved", true);
	return page_render_form(&p, rs, "admin_fragments", error_key,
				status);
}

int web_admin_fragments(struct http_req *rq, struct http_resp *rs,
			void *ctx)
{
	return fragments_page(rq, rs, ctx, NULL, NULL, NULL, NULL, 200);
}

int web_admin_fragment_post(struct http_req *rq, struct http_resp *rs,
			    void *ctx)
{
	struct web_app *app = ctx;
	const char *slot = http_param(rq, "slot");
	const char *format = http_form(rq, "format");
	const char *content = http_form(rq, "content");
	struct auth_user u;
	int rc;

	if ((rc = web_console_post(app, rq, &u, PERM_ADMIN)))
		return rc;
	if (!fragment_slot_ok(slot))
		return 404;
	if (!format || (strcmp(format, "text") && strcmp(format, "html")) ||
	    !content)
		return 400;
	if (http_form(rq, "preview"))
		return fragments_page(rq, rs, app, slot, format, content, NULL,
				      200);
	rc = fragment_save(app->store, slot, format, content, u.id,
			   (int64_t)time(NULL));
	if (rc == WK_ETOOBIG)
		return fragments_page(rq, rs, app, slot, format, content,
				      "frag_too_big", 413);
	if (rc)
		return web_status(rc);
	page_cache_clear();	/* the slot shows on cached pages */
	log_info("admin %lld: fragment %s saved", (long long)u.id, slot);
	return web_redirect(rs, "/admin/fragments?saved=1");
}
