/*
 * trace.c - traceable downloads (trace.h).
 */
#include "trace.h"

#include "../base/arena.h"
#include "../base/err.h"
#include "../base/utf8.h"
#include "../parse/parse.h"
#include "../parse/zipsafe.h"
#include "../store/store.h"

#include <zip.h>

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAC_HEX 10

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

/* The last occurrence of needle in hay[0, n), or NULL. */
static const char *last_of(const char *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	const char *p = NULL, *q = hay;

	while ((q = memmem(q, (size_t)(hay + n - q), needle, k))) {
		p = q;
		q += k;
	}
	return p;
}

/* docx: a visible paragraph with the mark at the end of the body, before
 * the body's own section properties. The other parts are copied as they
 * are (libzip rewrites only the replaced entry). */
static int docx_stamp(const unsigned char *in, size_t len, const char *mark,
		      unsigned char **out, size_t *outlen)
{
	struct parse_limits lim;
	struct zipsafe z = { 0 };
	zip_source_t *src = NULL, *rep = NULL;
	zip_error_t ze;
	zip_t *za = NULL;
	zip_stat_t zst;
	char err[128], *xml = NULL, *nx = NULL, para[256];
	const char *body, *sect, *lastp, *at;
	size_t xlen, plen, nlen;
	int64_t idx;
	int rc = WK_EUNSUPPORTED;

	/* Read document.xml through the safe reader first. */
	parse_default_limits(&lim);
	if (zipsafe_open(&z, in, len, &lim, err, sizeof(err)))
		return WK_EUNSUPPORTED;
	if (zipsafe_read(&z, "word/document.xml", 0, &xml, &xlen, err,
			 sizeof(err))) {
		zipsafe_close(&z);
		return WK_EUNSUPPORTED;
	}
	zipsafe_close(&z);
	body = last_of(xml, xlen, "</w:body>");
	sect = last_of(xml, xlen, "<w:sectPr");
	lastp = last_of(xml, xlen, "</w:p>");
	if (!body)
		goto done;
	at = sect && sect < body && (!lastp || sect > lastp) ? sect : body;
	snprintf(para, sizeof(para),
		 "<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:r><w:rPr>"
		 "<w:color w:val=\"808080\"/><w:sz w:val=\"18\"/></w:rPr>"
		 "<w:t>下载编号 %s</w:t></w:r></w:p>", mark);
	plen = strlen(para);
	nlen = xlen + plen;
	if (!(nx = malloc(nlen))) {
		rc = WK_ENOMEM;
		goto done;
	}
	memcpy(nx, xml, (size_t)(at - xml));
	memcpy(nx + (at - xml), para, plen);
	memcpy(nx + (at - xml) + plen, at, xlen - (size_t)(at - xml));

	/* Rewrite the archive in memory with the new entry. */
	zip_error_init(&ze);
	if (!(src = zip_source_buffer_create(in, len, 0, &ze)))
		goto zfail;
	if (!(za = zip_open_from_source(src, 0, &ze)))
		goto zfail;
	zip_source_keep(src);	/* read back after zip_close() */
	idx = zip_name_locate(za, "word/document.xml", 0);
	/* The entry keeps its time, so one download id always gives the
	 * same bytes (a replayed download serves the same copy). */
	if (idx < 0 || zip_stat_index(za, (zip_uint64_t)idx, 0, &zst) ||
	    !(zst.valid & ZIP_STAT_MTIME) ||
	    !(rep = zip_source_buffer(za, nx, nlen, 0)) ||
	    zip_file_replace(za, (zip_uint64_t)idx, rep, ZIP_FL_ENC_UTF_8) ||
	    zip_file_set_mtime(za, (zip_uint64_t)idx, zst.mtime, 0)) {
		zip_source_free(rep);
		zip_discard(za);
		za = NULL;
		goto zfail;
	}
	if (zip_close(za)) {
		zip_discard(za);
		za = NULL;
		goto zfail;
	}
	za = NULL;
	if (zip_source_stat(src, &zst) || !(zst.valid & ZIP_STAT_SIZE) ||
	    zip_source_open(src))
		goto zfail;
	*out = malloc(zst.size ? zst.size : 1);
	if (!*out) {
		zip_source_close(src);
		rc = WK_ENOMEM;
		goto zdone;
	}
	if ((zip_uint64_t)zip_source_read(src, *out, zst.size) != zst.size) {
		free(*out);
		*out = NULL;
		zip_source_close(src);
		goto zfail;
	}
	zip_source_close(src);
	*outlen = zst.size;
	rc = 0;
	goto zdone;
zfail:
	rc = WK_EIO;
zdone:
	if (src)
		zip_source_free(src);
	zip_error_fini(&ze);
done:
	free(nx);
	free(xml);
	return rc;
}

int trace_stamp(const char *format, const unsigned char *in, size_t len,
		const char *mark, unsigned char **out, size_t *outlen)
{
	if (!strcmp(format, "txt") || !strcmp(format, "md"))
		return text_stamp(in, len, mark, out, outlen);
	if (!strcmp(format, "docx"))
		return docx_stamp(in, len, mark, out, outlen);
	return WK_EUNSUPPORTED;
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

static int find_in(const unsigned char key[TRACE_KEY_BYTES],
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

int trace_find(const unsigned char key[TRACE_KEY_BYTES],
	       const unsigned char *data, size_t len, int64_t *id,
	       bool *genuine)
{
	static const char *const parts[] = { "word/document.xml",
					     "content.xml" };
	struct parse_limits lim;
	struct zipsafe z = { 0 };
	char err[128], *xml;
	size_t i, xlen;
	int rc = WK_ENOTFOUND;

	if (len < 4 || memcmp(data, "PK\x03\x04", 4))
		return find_in(key, data, len, id, genuine);
	/* A zip (docx, odt...): look in its main text part, read through
	 * the same capped reader as uploads. */
	parse_default_limits(&lim);
	if (zipsafe_open(&z, data, len, &lim, err, sizeof(err)))
		return WK_ENOTFOUND;
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]) && rc; i++) {
		if (zipsafe_read(&z, parts[i], 0, &xml, &xlen, err,
				 sizeof(err)))
			continue;
		/* Text only: editors split a line into runs as they like
		 * (LibreOffice puts "下载编号 " and the mark in two). */
		{
			size_t r, w = 0;
			int in_tag = 0;
			for (r = 0; r < xlen; r++) {
				if (xml[r] == '<')
					in_tag = 1;
				else if (xml[r] == '>')
					in_tag = 0;
				else if (!in_tag)
					xml[w++] = xml[r];
			}
			xlen = w;
		}
		rc = find_in(key, (const unsigned char *)xml, xlen, id,
			     genuine);
		free(xml);
	}
	zipsafe_close(&z);
	return rc;
}
