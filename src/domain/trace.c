/*
 * trace.c - traceable downloads (trace.h).
 */
#include "trace.h"

#include "../base/arena.h"
#include "../base/err.h"
#include "../base/utf8.h"
#include "../store/store.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAC_HEX 10

int trace_key(struct store *s, unsigned char key[TRACE_KEY_BYTES])
{
	unsigned char fresh[TRACE_KEY_BYTES];
	struct arena *a = arena_new(0);
	char hex[2 * TRACE_KEY_BYTES + 1];
	const char *value;
	int rc;

	if (!a)
		return WK_ENOMEM;
	randombytes_buf(fresh, sizeof(fresh));
	sodium_bin2hex(hex, sizeof(hex), fresh, sizeof(fresh));
	rc = store_secret(s, a, "trace", hex, &value);
	if (!rc && sodium_hex2bin(key, TRACE_KEY_BYTES, value, strlen(value),
				  NULL, NULL, NULL))
		rc = WK_EIO;
	arena_free(a);
	sodium_memzero(fresh, sizeof(fresh));
	return rc;
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

int trace_stamp(const char *format, const unsigned char *in, size_t len,
		const char *mark, unsigned char **out, size_t *outlen)
{
	char line[96];
	size_t bom = 0, n, i, k;
	int wide = 0;	/* 1: UTF-16LE, 2: UTF-16BE */
	unsigned char *o;

	if (strcmp(format, "txt") && strcmp(format, "md"))
		return WK_EUNSUPPORTED;
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
		snprintf(line, sizeof(line), "下载编号 %s\n\n", mark);
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

int trace_find(const unsigned char key[TRACE_KEY_BYTES],
	       const unsigned char *data, size_t len, int64_t *id,
	       bool *genuine)
{
	static const char *const labels[] = { "下载编号 ", "Download ID " };
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
			char mac[MAC_HEX + 1], want[MAC_HEX + 1];
			p += ll;
			if (parse_mark((const char *)p, (size_t)(end - p), id,
				       mac)) {
				mac_hex(key, *id, want);
				*genuine = sodium_memcmp(mac, want, MAC_HEX) == 0;
				rc = 0;
			}
		}
	}
	free(narrow);
	return rc;
}
