/*
 * tpl.h - HTML templates, compiled once at start-up, escaping by default.
 *
 * Syntax (a mustache dialect):
 *   {{name}}            value, HTML-escaped (& < > " ' all escaped, so it
 *                       is safe both in text and in quoted attributes)
 *   {{a.b.c}}           dotted lookup; each step searches the context stack
 *                       from the innermost section outwards for the first
 *                       name, then descends
 *   {{.}}               the current item (inside a list section)
 *   {{{name}}}          raw output, never escaped: only for HTML that wenku
 *                       built itself (the preview, the QR code SVG)
 *   {{#name}}..{{/name}} section: a list repeats its body once per item
 *                       (item pushed as context); a map is pushed once;
 *                       any other truthy value renders the body once
 *   {{^name}}..{{/name}} inverted section: rendered when name is missing,
 *                       false, 0, "" or an empty list
 *   {{> partial}}       include another template by name (layout, header,
 *                       footer, sidebar); depth is capped
 *   {{! comment }}      nothing
 * Truthiness: missing, NULL, false, integer 0, "" and empty list are false.
 * A missing value renders as nothing.
 *
 * Values (struct tpl_val) are built in an arena by the caller and are
 * read-only to the engine.
 */
#ifndef WK_TPL_H
#define WK_TPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct buf;

/* --- values ---------------------------------------------------------------*/

enum tpl_type { TV_NULL, TV_STR, TV_INT, TV_BOOL, TV_LIST, TV_MAP };

struct tpl_val;

/* Constructors; all memory comes from the arena. NULL on allocation failure
 * (the setters below accept NULL values and then store nothing). */
struct tpl_val *tv_map(struct arena *a);
struct tpl_val *tv_list(struct arena *a);
struct tpl_val *tv_str(struct arena *a, const char *s);	/* copied */
struct tpl_val *tv_strn(struct arena *a, const char *s, size_t n);
struct tpl_val *tv_int(struct arena *a, int64_t v);
struct tpl_val *tv_bool(struct arena *a, bool v);

/* Set key in a map (key copied; replaces an existing key). Returns val,
 * or NULL when map or val is NULL or allocation failed. */
struct tpl_val *tv_set(struct arena *a, struct tpl_val *map, const char *key,
		       struct tpl_val *val);
/* Shorthands for tv_set(a, map, key, tv_xxx(a, v)). */
struct tpl_val *tv_set_str(struct arena *a, struct tpl_val *map,
			   const char *key, const char *s);
struct tpl_val *tv_set_int(struct arena *a, struct tpl_val *map,
			   const char *key, int64_t v);
struct tpl_val *tv_set_bool(struct arena *a, struct tpl_val *map,
			    const char *key, bool v);
/* Append val to a list. Returns val or NULL. */
struct tpl_val *tv_push(struct arena *a, struct tpl_val *list,
			struct tpl_val *val);

/* Lookup of one key in a map (no dots, no context stack); NULL if absent. */
struct tpl_val *tv_get(const struct tpl_val *map, const char *key);
enum tpl_type tv_type(const struct tpl_val *v);
/* Number of items in a list (0 for anything else). */
size_t tv_len(const struct tpl_val *v);

/* --- templates ------------------------------------------------------------*/

struct tpl_set;

/* Compile every asset under "templates/" (built-in, or from the theme
 * folder, see base/asset.h). A template's name is its file name without
 * the folder and extension: "templates/doc.html" -> "doc". Every partial
 * a template names must exist. On failure returns NULL and writes a
 * message naming the file, line and problem into err (errlen bytes). */
struct tpl_set *tpl_set_load(char *err, size_t errlen);

/* Compile templates from memory: names[i] is the name and srcs[i] the
 * NUL-terminated source, n of them. Same errors as tpl_set_load. */
struct tpl_set *tpl_set_compile(const char *const *names,
				const char *const *srcs, size_t n, char *err,
				size_t errlen);
void tpl_set_free(struct tpl_set *set);

/* Render template name with ctx as the outermost context, appending to
 * out. Returns 0, WK_ENOTFOUND (no such template) or the buffer's error. */
int tpl_render(const struct tpl_set *set, const char *name,
	       const struct tpl_val *ctx, struct buf *out);

/* Append s (n bytes) HTML-escaped: & < > " ' become entities. The only
 * HTML escaper in wenku. */
void tpl_escape(struct buf *out, const char *s, size_t n);

#endif
