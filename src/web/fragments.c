/*
 * fragments.c - 碎片内容 on the pages: a slot's operator-written
 * fragment into the template context (plain text as escaped paragraphs,
 * HTML as stored, which fragment_save() sanitized before storing).
 */
#include "web_internal.h"

#include "../base/arena.h"
#include "../base/err.h"
#include "../store/store.h"

#include <string.h>

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

int web_add_fragment(struct page *p, const char *slot, const char *key)
{
	const char *format, *content;
	int rc = store_fragment_read(p->app->store, p->a, slot, &format,
				     &content);

	if (rc == WK_ENOTFOUND || (!rc && !*content))
		return 0;
	if (rc)
		return rc;
	tv_set_bool(p->a, p->ctx, arena_sprintf(p->a, "%s_on", key), true);
	if (!strcmp(format, "html")) {
		tv_set_str(p->a, p->ctx,
			   arena_sprintf(p->a, "%s_html", key), content);
		return 0;
	}
	return paras(p, key, content);
}
