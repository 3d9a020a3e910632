/* asset.c - lookup of built-in files with theme-folder overrides. */
#include "asset.h"
#include "err.h"
#include "log.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define ASSET_MAX_SIZE (16u << 20)

static const char *theme_dir;

void asset_set_theme(const char *dir)
{
	theme_dir = dir;
}

/* Names come from our own tables and templates, but refuse anything that
 * could climb out of the theme folder all the same. */
static int safe_name(const char *name)
{
	return name[0] && name[0] != '/' && !strstr(name, "..");
}

static int read_theme_file(const char *name, const unsigned char **data,
			   size_t *len)
{
	char path[4096];
	struct stat st;
	unsigned char *p;
	FILE *f;

	if (!theme_dir || !safe_name(name))
		return WK_ENOTFOUND;
	if (snprintf(path, sizeof(path), "%s/%s", theme_dir, name) >=
	    (int)sizeof(path))
		return WK_ENOTFOUND;
	f = fopen(path, "rb");
	if (!f)
		return WK_ENOTFOUND;
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode) ||
	    st.st_size > ASSET_MAX_SIZE) {
		fclose(f);
		log_warn("theme file %s is not a regular file under 16 MiB",
			 path);
		return WK_EIO;
	}
	p = malloc((size_t)st.st_size + 1);
	if (!p) {
		fclose(f);
		return WK_ENOMEM;
	}
	if (fread(p, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
		free(p);
		fclose(f);
		log_warn("reading theme file %s failed", path);
		return WK_EIO;
	}
	fclose(f);
	p[st.st_size] = '\0';
	*data = p;
	*len = (size_t)st.st_size;
	return 0;
}

static const struct asset *find_builtin(const char *name)
{
	size_t lo = 0, hi = wk_nassets;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(name, wk_assets[mid].name);
		if (c == 0)
			return &wk_assets[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

int asset_get(const char *name, const unsigned char **data, size_t *len,
	      int *owned)
{
	const struct asset *a;
	int rc = read_theme_file(name, data, len);

	if (rc == 0) {
		*owned = 1;
		return 0;
	}
	if (rc != WK_ENOTFOUND)
		return rc;
	a = find_builtin(name);
	if (!a)
		return WK_ENOTFOUND;
	*data = a->data;
	*len = a->len;
	*owned = 0;
	return 0;
}

static int theme_each(const char *prefix,
		      int (*fn)(const char *name, void *arg), void *arg)
{
	char path[4096], name[1024];
	const char *slash = strrchr(prefix, '/');
	size_t dirlen = slash ? (size_t)(slash - prefix) : 0;
	struct dirent *de;
	DIR *d;
	int rc = 0;

	if (!theme_dir || !slash)
		return 0;
	snprintf(path, sizeof(path), "%s/%.*s", theme_dir, (int)dirlen, prefix);
	d = opendir(path);
	if (!d)
		return 0;
	while (!rc && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (snprintf(name, sizeof(name), "%.*s/%s", (int)dirlen, prefix,
			     de->d_name) >= (int)sizeof(name))
			continue;
		if (strncmp(name, prefix, strlen(prefix)) || find_builtin(name))
			continue;
		rc = fn(name, arg);
	}
	closedir(d);
	return rc;
}

int asset_each(const char *prefix,
	       int (*fn)(const char *name, void *arg), void *arg)
{
	size_t i, n = strlen(prefix);
	int rc;

	for (i = 0; i < wk_nassets; i++) {
		if (strncmp(wk_assets[i].name, prefix, n))
			continue;
		rc = fn(wk_assets[i].name, arg);
		if (rc)
			return rc;
	}
	return theme_each(prefix, fn, arg);
}
