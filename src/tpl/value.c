/*
 * value.c - building the values a template renders: strings, integers,
 * booleans, lists and maps, all allocated from the caller's arena.
 *
 * Every constructor and setter accepts NULL where a value is expected and
 * then does nothing, so a page handler can chain calls and check the arena
 * (or simply render) once at the end: an allocation failure shows up as a
 * missing value, never as a crash.
 */
#include "tpl_internal.h"

#include "../base/arena.h"

static struct tpl_val *tv_new(struct arena *a, enum tpl_type type)
{
	struct tpl_val *v = arena_alloc(a, sizeof(*v));
	if (v)
		v->type = type;
	return v;
}

struct tpl_val *tv_map(struct arena *a)
{
	return tv_new(a, TV_MAP);
}

struct tpl_val *tv_list(struct arena *a)
{
	return tv_new(a, TV_LIST);
}

/* A copy of the n bytes at s. A NULL s gives a TV_NULL value rather than
 * no value, so tv_set_str(a, m, "k", NULL) still replaces an old "k". */
struct tpl_val *tv_strn(struct arena *a, const char *s, size_t n)
{
	struct tpl_val *v;
	char *copy;

	if (!s)
		return tv_new(a, TV_NULL);
	copy = arena_strndup(a, s, n);
	if (!copy)
		return NULL;
	v = tv_new(a, TV_STR);
	if (v) {
		v->u.str.s = copy;
		v->u.str.n = n;
	}
	return v;
}

struct tpl_val *tv_str(struct arena *a, const char *s)
{
	return tv_strn(a, s, s ? strlen(s) : 0);
}

struct tpl_val *tv_int(struct arena *a, int64_t i)
{
	struct tpl_val *v = tv_new(a, TV_INT);
	if (v)
		v->u.i = i;
	return v;
}

struct tpl_val *tv_bool(struct arena *a, bool b)
{
	struct tpl_val *v = tv_new(a, TV_BOOL);
	if (v)
		v->u.b = b;
	return v;
}

/* Replace the value of an existing key in place (keeping its position), or
 * append a new entry at the end so maps iterate in insertion order. */
struct tpl_val *tv_set(struct arena *a, struct tpl_val *map, const char *key,
		       struct tpl_val *val)
{
	struct tv_entry *e;
	size_t klen;

	if (!map || map->type != TV_MAP || !key || !val)
		return NULL;
	klen = strlen(key);
	for (e = map->u.map.head; e; e = e->next) {
		if (e->klen == klen && memcmp(e->key, key, klen) == 0) {
			e->val = val;
			return val;
		}
	}
	e = arena_alloc(a, sizeof(*e));
	if (!e)
		return NULL;
	e->key = arena_strndup(a, key, klen);
	if (!e->key)
		return NULL;
	e->klen = klen;
	e->val = val;
	if (map->u.map.tail)
		map->u.map.tail->next = e;
	else
		map->u.map.head = e;
	map->u.map.tail = e;
	map->u.map.n++;
	return val;
}

struct tpl_val *tv_set_str(struct arena *a, struct tpl_val *map,
			   const char *key, const char *s)
{
	return tv_set(a, map, key, tv_str(a, s));
}

struct tpl_val *tv_set_int(struct arena *a, struct tpl_val *map,
			   const char *key, int64_t v)
{
	return tv_set(a, map, key, tv_int(a, v));
}

struct tpl_val *tv_set_bool(struct arena *a, struct tpl_val *map,
			    const char *key, bool v)
{
	return tv_set(a, map, key, tv_bool(a, v));
}

struct tpl_val *tv_push(struct arena *a, struct tpl_val *list,
			struct tpl_val *val)
{
	struct tv_item *it;

	if (!list || list->type != TV_LIST || !val)
		return NULL;
	it = arena_alloc(a, sizeof(*it));
	if (!it)
		return NULL;
	it->val = val;
	if (list->u.list.tail)
		list->u.list.tail->next = it;
	else
		list->u.list.head = it;
	list->u.list.tail = it;
	list->u.list.n++;
	return val;
}

struct tpl_val *tv_get(const struct tpl_val *map, const char *key)
{
	return key ? tv_find(map, key, strlen(key)) : NULL;
}

enum tpl_type tv_type(const struct tpl_val *v)
{
	return v ? v->type : TV_NULL;
}

size_t tv_len(const struct tpl_val *v)
{
	return v && v->type == TV_LIST ? v->u.list.n : 0;
}
