/*
 * zipsafe.c - capped, bomb-aware reading of named zip entries with libzip.
 *
 * libzip does the zip parsing and inflating; this file decides what it is
 * allowed to do. Sizes in the central directory are only hints: the caps
 * are enforced on the bytes libzip actually hands back. See zipsafe.h.
 */
#include "zipsafe.h"
#include "parse_internal.h"
#include "../base/err.h"

#include <stdlib.h>
#include <string.h>
#include <zip.h>

/* Ratio caps apply only to entries above this size: small XML parts
 * routinely compress better than 100:1. */
#define RATIO_FLOOR ((size_t)1 << 20)
#define READ_CHUNK ((size_t)64 << 10)
#define FIRST_ALLOC ((size_t)256 << 10)

static int zip_err_code(int ze)
{
	return ze == ZIP_ER_MEMORY ? WK_ENOMEM : WK_EMALFORMED;
}

/* Refuse archives whose entries cannot all fit in the file side by side.
 * Every entry needs a local header (30 bytes plus its name) and its
 * compressed data; if the sum is larger than the archive, some entries
 * share bytes, which only the overlapping zip bombs do. This uses
 * libzip's own view of the entries, so there is no second zip parser to
 * disagree with it. */
static int check_overlap(struct zipsafe *z, size_t len, char *err,
			 size_t errlen)
{
	uint64_t need = 0;
	int64_t i;

	for (i = 0; i < z->nentries; i++) {
		zip_stat_t st;
		const char *name;
		uint64_t one;

		if (zip_stat_index(z->za, (zip_uint64_t)i, ZIP_FL_ENC_RAW,
				   &st) != 0 ||
		    !(st.valid & ZIP_STAT_COMP_SIZE))
			return parse_fail(err, errlen, WK_EMALFORMED,
					  "damaged zip archive: unreadable "
					  "entry %lld", (long long)i);
		name = zip_get_name(z->za, (zip_uint64_t)i, ZIP_FL_ENC_RAW);
		one = 30 + (name ? strlen(name) : 0);
		if (st.comp_size > len || one + st.comp_size > len - need)
			return parse_fail(err, errlen, WK_EMALFORMED,
					  "zip entries overlap each other "
					  "(a zip bomb)");
		need += one + st.comp_size;
	}
	return 0;
}

int zipsafe_open(struct zipsafe *z, const void *data, size_t len,
		 const struct parse_limits *lim, char *err, size_t errlen)
{
	zip_error_t ze;
	zip_source_t *src;
	int rc;

	memset(z, 0, sizeof(*z));
	z->lim = lim;
	zip_error_init(&ze);
	src = zip_source_buffer_create(data, len, 0, &ze);
	if (!src) {
		zip_error_fini(&ze);
		return parse_fail(err, errlen, WK_ENOMEM, "out of memory");
	}
	z->za = zip_open_from_source(src, ZIP_CHECKCONS | ZIP_RDONLY, &ze);
	if (!z->za) {
		rc = zip_err_code(zip_error_code_zip(&ze));
		parse_fail(err, errlen, rc, "damaged zip archive: %s",
			   zip_error_strerror(&ze));
		zip_error_fini(&ze);
		zip_source_free(src);
		return rc;
	}
	zip_error_fini(&ze);
	z->nentries = zip_get_num_entries(z->za, 0);
	if (z->nentries < 0) {
		zipsafe_close(z);
		return parse_fail(err, errlen, WK_EMALFORMED,
				  "damaged zip archive");
	}
	if ((uint64_t)z->nentries > lim->max_entries) {
		rc = parse_fail(err, errlen, WK_ETOOBIG,
				"zip archive has %lld entries, more than "
				"the %zu limit", (long long)z->nentries,
				lim->max_entries);
		zipsafe_close(z);
		return rc;
	}
	rc = check_overlap(z, len, err, errlen);
	if (rc) {
		zipsafe_close(z);
		return rc;
	}
	return 0;
}

void zipsafe_close(struct zipsafe *z)
{
	if (z->za)
		zip_discard(z->za);
	z->za = NULL;
}

/* One name byte, folded the way zipsafe_find compares. */
static int fold(unsigned char c)
{
	if (c == '\\')
		return '/';
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 'a';
	return c;
}

static int name_eq(const char *a, const char *b)
{
	if (*a == '/' || *a == '\\')
		a++;
	if (*b == '/' || *b == '\\')
		b++;
	while (*a && fold((unsigned char)*a) == fold((unsigned char)*b)) {
		a++;
		b++;
	}
	return *a == '\0' && *b == '\0';
}

int64_t zipsafe_find(struct zipsafe *z, const char *name)
{
	int64_t i, found = -1;

	if (!z->za)
		return -1;
	for (i = 0; i < z->nentries; i++) {
		const char *n = zip_get_name(z->za, (zip_uint64_t)i,
					     ZIP_FL_ENC_RAW);
		if (!n || !name_eq(n, name))
			continue;
		if (found >= 0)
			return -2;
		found = i;
	}
	return found;
}

/* Whether size is more than ratio times comp, without overflow. */
static int ratio_over(uint64_t size, uint64_t comp, unsigned ratio)
{
	if (size <= RATIO_FLOOR)
		return 0;
	if (comp == 0)
		return 1;
	return (size - 1) / comp >= ratio;
}

/* Check what the central directory claims before inflating anything. */
static int check_declared(const zip_stat_t *st, size_t max,
			  const struct parse_limits *lim, const char *nm,
			  char *err, size_t errlen)
{
	char sz[32];

	if ((st->valid & ZIP_STAT_ENCRYPTION_METHOD) &&
	    st->encryption_method != ZIP_EM_NONE)
		return parse_fail(err, errlen, WK_EUNSUPPORTED,
				  "zip entry %s is encrypted", nm);
	if (!(st->valid & ZIP_STAT_COMP_METHOD) ||
	    (st->comp_method != ZIP_CM_STORE &&
	     st->comp_method != ZIP_CM_DEFLATE))
		return parse_fail(err, errlen, WK_EUNSUPPORTED,
				  "zip entry %s uses an unsupported "
				  "compression method", nm);
	if (!(st->valid & ZIP_STAT_SIZE) || !(st->valid & ZIP_STAT_COMP_SIZE))
		return parse_fail(err, errlen, WK_EMALFORMED,
				  "zip entry %s has no size", nm);
	if (st->size > max)
		return parse_fail(err, errlen, WK_ETOOBIG,
				  "zip entry %s inflates past the %s limit",
				  nm, parse_size_str(max, sz, sizeof(sz)));
	if (ratio_over(st->size, st->comp_size, lim->max_ratio))
		return parse_fail(err, errlen, WK_ETOOBIG,
				  "zip entry %s is compressed more than "
				  "%u:1 (a zip bomb?)", nm, lim->max_ratio);
	return 0;
}

/* Inflate the entry at idx into *out, counting every byte: the caps hold
 * whatever the central directory claimed. */
static int inflate_entry(struct zipsafe *z, int64_t idx, const zip_stat_t *st,
			 size_t max, const char *nm, char **out,
			 size_t *outlen, char *err, size_t errlen)
{
	const struct parse_limits *lim = z->lim;
	zip_file_t *zf;
	char *data, sz[32];
	size_t len = 0, cap, want;
	zip_int64_t n;
	int rc = 0;

	zf = zip_fopen_index(z->za, (zip_uint64_t)idx, 0);
	if (!zf) {
		zip_error_t *ze = zip_get_error(z->za);
		int code = zip_error_code_zip(ze);
		if (code == ZIP_ER_NOPASSWD || code == ZIP_ER_ENCRNOTSUPP)
			return parse_fail(err, errlen, WK_EUNSUPPORTED,
					  "zip entry %s is encrypted", nm);
		return parse_fail(err, errlen, zip_err_code(code),
				  "zip entry %s cannot be opened: %s", nm,
				  zip_error_strerror(ze));
	}
	/* The buffer holds at most max + 1 bytes and the terminator; the
	 * declared size only chooses the first allocation. */
	cap = st->size < FIRST_ALLOC ? (size_t)st->size + 2 : FIRST_ALLOC;
	data = malloc(cap);
	if (!data) {
		zip_fclose(zf);
		return parse_fail(err, errlen, WK_ENOMEM, "out of memory");
	}
	for (;;) {
		if (len + 1 == cap) {
			size_t ncap = cap > (max + 2) / 2 ? max + 2 : cap * 2;
			char *p = realloc(data, ncap);
			if (!p) {
				rc = parse_fail(err, errlen, WK_ENOMEM,
						"out of memory");
				break;
			}
			data = p;
			cap = ncap;
		}
		want = cap - 1 - len;
		if (want > READ_CHUNK)
			want = READ_CHUNK;
		n = zip_fread(zf, data + len, want);
		if (n < 0) {
			zip_error_t *ze = zip_file_get_error(zf);
			int code = zip_error_code_zip(ze);
			rc = parse_fail(err, errlen, zip_err_code(code),
					"zip entry %s is damaged: %s", nm,
					zip_error_strerror(ze));
			break;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		z->inflated += (size_t)n;
		if (len > max) {
			rc = parse_fail(err, errlen, WK_ETOOBIG,
					"zip entry %s inflates past the %s "
					"limit", nm,
					parse_size_str(max, sz, sizeof(sz)));
			break;
		}
		if (z->inflated > lim->max_inflated_total) {
			rc = parse_fail(err, errlen, WK_ETOOBIG,
					"zip archive inflates past the %s "
					"limit", parse_size_str(
						lim->max_inflated_total, sz,
						sizeof(sz)));
			break;
		}
		if (ratio_over(len, st->comp_size, lim->max_ratio)) {
			rc = parse_fail(err, errlen, WK_ETOOBIG,
					"zip entry %s is compressed more than "
					"%u:1 (a zip bomb?)", nm,
					lim->max_ratio);
			break;
		}
		if (len > st->size) {
			rc = parse_fail(err, errlen, WK_EMALFORMED,
					"zip entry %s is longer than its "
					"declared size", nm);
			break;
		}
	}
	zip_fclose(zf);
	if (rc == 0 && len != st->size)
		rc = parse_fail(err, errlen, WK_EMALFORMED,
				"zip entry %s is shorter than its declared "
				"size", nm);
	if (rc) {
		free(data);
		return rc;
	}
	data[len] = '\0';
	*out = data;
	*outlen = len;
	return 0;
}

int zipsafe_read(struct zipsafe *z, const char *name, size_t max,
		 char **out, size_t *outlen, char *err, size_t errlen)
{
	char nm[80];
	zip_stat_t st;
	int64_t idx;
	int rc;

	*out = NULL;
	*outlen = 0;
	if (max == 0 || max > z->lim->max_inflated_entry)
		max = z->lim->max_inflated_entry;
	parse_safe_name(name, nm, sizeof(nm));
	idx = zipsafe_find(z, name);
	if (idx == -1)
		return WK_ENOTFOUND;
	if (idx < 0)
		return parse_fail(err, errlen, WK_EMALFORMED,
				  "zip archive has two entries named %s", nm);
	zip_stat_init(&st);
	if (zip_stat_index(z->za, (zip_uint64_t)idx, ZIP_FL_ENC_RAW, &st) != 0)
		return parse_fail(err, errlen, WK_EMALFORMED,
				  "zip entry %s is unreadable", nm);
	rc = check_declared(&st, max, z->lim, nm, err, errlen);
	if (rc)
		return rc;
	return inflate_entry(z, idx, &st, max, nm, out, outlen, err, errlen);
}
