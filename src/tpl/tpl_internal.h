/*
 * tpl_internal.h - the layout of template values, shared by value.c (which
 * builds them) and tpl.c (which walks them while rendering). Nothing outside
 * src/tpl/ includes this.
 *
 * Lists and maps are singly linked with a tail pointer so that appending is
 * O(1) and iteration order is insertion order. Map lookups are linear: the
 * maps a page hands to a template hold a handful of keys, and comparing the
 * length before the bytes makes a miss cheap.
 */
#ifndef WK_TPL_INTERNAL_H
#define WK_TPL_INTERNAL_H

#include "tpl.h"

#include <string.h>

struct tv_item {
	struct tpl_val *val;
	struct tv_item *next;
};

struct tv_entry {
	const char *key;
	size_t klen;
	struct tpl_val *val;
	struct tv_entry *next;
};

struct tpl_val {
	enum tpl_type type;
	union {
		struct {
			const char *s;	/* NUL-terminated copy */
			size_t n;
		} str;
		int64_t i;
		bool b;
		struct {
			struct tv_item *head, *tail;
			size_t n;
		} list;
		struct {
			struct tv_entry *head, *tail;
			size_t n;
		} map;
	} u;
};

/* The value stored under the klen bytes at key in map, or NULL when map is
 * not a map or has no such key. Inline because the renderer calls it for
 * every variable. */
static inline struct tpl_val *tv_find(const struct tpl_val *map,
				      const char *key, size_t klen)
{
	const struct tv_entry *e;

	if (!map || map->type != TV_MAP)
		return NULL;
	for (e = map->u.map.head; e; e = e->next)
		if (e->klen == klen && memcmp(e->key, key, klen) == 0)
			return e->val;
	return NULL;
}

#endif
