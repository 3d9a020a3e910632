/*
 * zipsafe.h - reading named entries out of an untrusted zip held in memory.
 *
 * Internal to parse/. The archive is opened with libzip's consistency
 * checks, and on top of them every byte inflated is counted against the
 * per-entry and per-archive caps of struct parse_limits, the compression
 * ratio of large entries is capped (declared and actual), the number of
 * entries is capped, and archives whose entries overlap (the "quoted
 * overlap" zip bombs libzip 1.7 does not catch) are refused. Entry names
 * are only ever compared as strings; nothing here touches the file system
 * and nested archives are never opened.
 */
#ifndef WK_ZIPSAFE_H
#define WK_ZIPSAFE_H

#include "parse.h"

#include <stddef.h>
#include <stdint.h>

struct zip;

struct zipsafe {
	struct zip *za;
	const struct parse_limits *lim;	/* borrowed */
	size_t inflated;		/* bytes inflated so far, all entries */
	int64_t nentries;
};

/* Open the len bytes at data (borrowed: they must outlive the zipsafe) as
 * a zip archive. Returns 0, WK_EMALFORMED (not a zip or damaged),
 * WK_ETOOBIG (too many entries), or WK_ENOMEM, with a message in err. On
 * failure *z needs no zipsafe_close(). */
int zipsafe_open(struct zipsafe *z, const void *data, size_t len,
		 const struct parse_limits *lim, char *err, size_t errlen);
/* Close the archive. Safe on a zeroed or already closed zipsafe. */
void zipsafe_close(struct zipsafe *z);

/* Index of the entry called name, compared as a string: ASCII case does
 * not matter (OPC part names are case-insensitive), a leading '/' and the
 * difference between '/' and '\' are ignored. Returns the index, -1 if
 * there is none, -2 if more than one entry has that name. */
int64_t zipsafe_find(struct zipsafe *z, const char *name);

/* Read the entry called name into a malloc'd, NUL-terminated buffer
 * (*out, *outlen; the caller frees it). max caps this read below the
 * per-entry limit (0 = the per-entry limit). Returns 0, WK_ENOTFOUND
 * (no such entry; no message), WK_ETOOBIG (a cap was hit), WK_EMALFORMED
 * (damaged entry, duplicate name), WK_EUNSUPPORTED (encrypted entry or
 * unusual compression) or WK_ENOMEM. */
int zipsafe_read(struct zipsafe *z, const char *name, size_t max,
		 char **out, size_t *outlen, char *err, size_t errlen);

#endif
