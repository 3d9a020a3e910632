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
