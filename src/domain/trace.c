/*
 * trace.c - traceable downloads (trace.h).
 */
#include "trace_internal.h"

#include "../base/err.h"
#include "../base/log.h"
#include "../base/utf8.h"
#include "../parse/parse.h"
#include "../parse/stamp.h"
#include "../store/store.h"
#include "sandbox.h"

#include <ctype.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAC_HEX 10
/* How far after a property's name its value may start. */
#define PROP_REACH 200

int trace_key(struct store *s, unsigned char key[TRACE_KEY_BYTES])
{
	return store_secret_key(s, "trace", key, TRACE_KEY_BYTES);
}

static void mac_hex(const unsigned char key[TRACE_KEY_BYTES], int64_t id,
		    char out[MAC_HEX + 1])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	char msg[32], hex[2 * sizeof(mac) + 1];

	snprintf(msg, sizeof(msg), "download %" PRId64, id);
	crypto_auth_hmacsha256(mac, (const unsigned char *)msg, strlen(msg),
			       key);
	sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));
	memcpy(out, hex, MAC_HEX);
	out[MAC_HEX] = '\0';
}

void trace_mark(const unsigned char key[TRACE_KEY_BYTES], int64_t id,
		char out[TRACE_MARK_MAX])
{
	char mac[MAC_HEX + 1];

	mac_hex(key, id, mac);
	snprintf(out, TRACE_MARK_MAX, "D%" PRId64 "-%s", id, mac);
}

static int text_stamp(const unsigned char *in, size_t len, const char *mark,
		      unsigned char **out, size_t *outlen)
{
	char line[96];
	size_t bom = 0, n, i, k;
	int wide = 0;	/* 1: UTF-16LE, 2: UTF-16BE */
	unsigned char *o;

	if (len >= 4 && ((!memcmp(in, "\xff\xfe\0\0", 4)) ||
			 !memcmp(in, "\0\0\xfe\xff", 4)))
		return WK_EUNSUPPORTED;	/* UTF-32: left as it is */
	if (len >= 3 && !memcmp(in, "\xef\xbb\xbf", 3))
		bom = 3;
	else if (len >= 2 && !memcmp(in, "\xff\xfe", 2))
		bom = 2, wide = 1;
	else if (len >= 2 && !memcmp(in, "\xfe\xff", 2))
		bom = 2, wide = 2;
	if (!wide && utf8_valid((const char *)in + bom, len - bom))
		snprintf(line, sizeof(line), TRACE_LABEL "%s\n\n", mark);
	else
		snprintf(line, sizeof(line), "Download ID %s\r\n\r\n", mark);
	n = strlen(line);
	o = malloc(len + 2 * n);
	if (!o)
		return WK_ENOMEM;
	memcpy(o, in, bom);
	k = bom;
	for (i = 0; i < n; i++) {
		if (wide == 2)
			o[k++] = 0;
		o[k++] = (unsigned char)line[i];
		if (wide == 1)
			o[k++] = 0;
	}
	memcpy(o + k, in + bom, len - bom);
	*out = o;
	*outlen = k + len - bom;
	return 0;
}

int trace_stamp(const char *exe, const char *format, const unsigned char *in,
		size_t len, const char *mark, unsigned char **out,
		size_t *outlen)
{
	char err[256];
	int rc;

	*out = NULL;
	if (!strcmp(format, "txt") || !strcmp(format, "md"))
		return text_stamp(in, len, mark, out, outlen);
	if (!strcmp(format, "pdf")) {
		/* A hostile file: only ever opened by the sandboxed worker. */
		rc = sandbox_stamp_pdf(exe, in, len, mark, out, outlen, err,
				       sizeof(err));
		if (rc)
			log_error("stamp pdf with %s: %s", mark, err);
		return rc;
	}
	return trace_zip_stamp(format, in, len, mark, out, outlen);
}

/* A mark at p (n bytes of ASCII text): "D<digits>-<10 hex>". */
static bool parse_mark(const char *p, size_t n, int64_t *id, char mac[11])
{
	size_t i = 1;
	int64_t v = 0;

	if (n < 2 || p[0] != 'D')
		return false;
	while (i < n && p[i] >= '0' && p[i] <= '9' && i < 19) {
		v = v * 10 + (p[i] - '0');
		i++;
	}
	if (i == 1 || i >= n || p[i] != '-' || n - i - 1 < MAC_HEX)
		return false;
	memcpy(mac, p + i + 1, MAC_HEX);
	mac[MAC_HEX] = '\0';
	for (i = 0; i < MAC_HEX; i++)
		if (!((mac[i] >= '0' && mac[i] <= '9') ||
		      (mac[i] >= 'a' && mac[i] <= 'f')))
			return false;
	*id = v;
	return true;
}

/* Whether the mark at p is genuine under key. */
static bool genuine_mark(const unsigned char key[TRACE_KEY_BYTES],
			 int64_t id, const char mac[MAC_HEX + 1])
{
	char want[MAC_HEX + 1];

	mac_hex(key, id, want);
	return sodium_memcmp(mac, want, MAC_HEX) == 0;
}

int trace_find_text(const unsigned char key[TRACE_KEY_BYTES],
		    const unsigned char *data, size_t len, int64_t *id,
		    bool *genuine)
{
	static const char *const labels[] = { TRACE_LABEL, "Download ID " };
	unsigned char *narrow = NULL;
	const unsigned char *d = data;
	size_t i, j, n = len;
	int rc = WK_ENOTFOUND;

	/* UTF-16 text: keep the low bytes so ASCII marks can be read. */
	if (len >= 2 && (!memcmp(data, "\xff\xfe", 2) ||
			 !memcmp(data, "\xfe\xff", 2))) {
		size_t off = data[0] == 0xff ? 2 : 3;
		narrow = malloc(len / 2 + 1);
		if (!narrow)
			return WK_ENOMEM;
		for (n = 0, i = off; i < len; i += 2)
			narrow[n++] = data[i];
		d = narrow;
	}
	for (j = 0; j < 2 && rc; j++) {
		size_t ll = strlen(labels[j]);
		const unsigned char *p = d, *end = d + n;
		while (rc && (p = memmem(p, (size_t)(end - p), labels[j], ll))) {
			char mac[MAC_HEX + 1];
			p += ll;
			if (parse_mark((const char *)p, (size_t)(end - p), id,
				       mac)) {
				*genuine = genuine_mark(key, *id, mac);
				rc = 0;
			}
		}
	}
	free(narrow);
	return rc;
}

int trace_find_after(const unsigned char key[TRACE_KEY_BYTES],
		     const unsigned char *data, size_t len, const char *name,
		     int64_t *id, bool *genuine)
{
	const char *d = (const char *)data, *end = d + len, *p = d, *q;
	size_t k = strlen(name);
	char mac[MAC_HEX + 1];

	while ((p = memmem(p, (size_t)(end - p), name, k))) {
		p += k;
		for (q = p; q < end && q < p + PROP_REACH; q++)
			if (*q == 'D' && !isalnum((unsigned char)q[-1]) &&
			    parse_mark(q, (size_t)(end - q), id, mac)) {
				*genuine = genuine_mark(key, *id, mac);
				return 0;
			}
	}
	return WK_ENOTFOUND;
}

/* Where a PDF's header is: at most 1 KiB in, as readers allow. */
static bool is_pdf(const unsigned char *data, size_t len)
{
	return memmem(data, len < 1024 ? len : 1024, "%PDF-", 5) != NULL;
}

/* A PDF: the text as the sandboxed converter reads it (every page's
 * footer), then the raw bytes (the info entry, when it is not in a
 * compressed or encrypted object). */
static int pdf_find(const char *exe, const unsigned char key[TRACE_KEY_BYTES],
		    const unsigned char *data, size_t len, int64_t *id,
		    bool *genuine)
{
	struct sandbox_limits l;
	struct parse_result r;
	char err[256];
	int rc = WK_ENOTFOUND;

	if (exe) {
		sandbox_default_limits(&l);
		if (sandbox_convert(exe, data, len, &l, &r, err,
				    sizeof(err), NULL) == 0) {
			rc = trace_find_text(key, (unsigned char *)r.text,
					     r.text_len, id, genuine);
			parse_result_release(&r);
		}
	}
	if (rc == WK_ENOTFOUND)
		rc = trace_find_after(key, data, len, "/" STAMP_PDF_INFO_KEY,
				      id, genuine);
	if (rc == WK_ENOTFOUND)
		rc = trace_find_text(key, data, len, id, genuine);
	return rc;
}

int trace_find(const char *exe, const unsigned char key[TRACE_KEY_BYTES],
	       const unsigned char *data, size_t len, int64_t *id,
	       bool *genuine)
{
	if (len >= 4 && !memcmp(data, "PK\x03\x04", 4))
		return trace_zip_find(key, data, len, id, genuine);
	if (is_pdf(data, len))
		return pdf_find(exe, key, data, len, id, genuine);
	return trace_find_text(key, data, len, id, genuine);
}
