/*
 * asset.h - files built into the binary (templates, static files,
 * migrations, the demo library), with an optional theme folder that
 * overrides them file by file.
 *
 * Names are the paths relative to the source tree ("templates/doc.html").
 * The table itself is generated at build time by tools/embed.c.
 */
#ifndef WK_ASSET_H
#define WK_ASSET_H

#include <stddef.h>

struct asset {
	const char *name;
	const unsigned char *data;
	size_t len;
};

extern const struct asset wk_assets[];
extern const size_t wk_nassets;

/* Use files under dir before the built-in ones (NULL: built-in only).
 * For a name "templates/x.html" the override is DIR/templates/x.html. */
void asset_set_theme(const char *dir);

/* Look a file up. On success *data points at its bytes and *len is their
 * count; *owned is set when the bytes were read from the theme folder
 * and must be free()d by the caller. Returns 0 or WK_ENOTFOUND/WK_EIO. */
int asset_get(const char *name, const unsigned char **data, size_t *len,
	      int *owned);

/* Call fn for each built-in asset whose name starts with prefix, in name
 * order, plus theme files under the same folder that have no built-in
 * twin. Stops early when fn returns non-zero and returns that value. */
int asset_each(const char *prefix,
	       int (*fn)(const char *name, void *arg), void *arg);

#endif
